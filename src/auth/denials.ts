// Denied attempts, kept: a row in access_denials (migrations/061) and a structured log line, with who
// (user, agency, role, credential), what (operation, command, target) and why (reason, message).
// Recording never fails the request: the refusal is what the client gets either way.
import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';
import type { Principal } from './authenticate.js';

export interface Denial {
  readonly principal: Principal;
  /** e.g. `mutation issueInvestmentCertificate`, `query project`. */
  readonly operation: string;
  readonly commandType?: string;
  /** The project (or plan, user, token) the attempt was on. */
  readonly target?: string;
  readonly reason: string;
  readonly message: string;
}

export async function recordDenial(
  pool: pg.Pool | undefined,
  log: FastifyBaseLogger,
  d: Denial,
): Promise<void> {
  const { actor, via, tokenId } = d.principal;
  log.warn(
    {
      denied: {
        userId: actor.userId,
        agencyId: actor.agencyId,
        role: actor.role,
        via,
        ...(tokenId && { tokenId }),
        operation: d.operation,
        ...(d.commandType && { commandType: d.commandType }),
        ...(d.target && { target: d.target }),
        reason: d.reason,
      },
    },
    `access denied: ${d.message}`,
  );
  if (!pool) return;
  try {
    await pool.query(
      `INSERT INTO access_denials
         (user_id, agency_id, role, via, token_id, operation, command_type, target, reason, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        actor.userId,
        actor.agencyId,
        actor.role,
        via,
        tokenId ?? null,
        d.operation,
        d.commandType ?? null,
        d.target ?? null,
        d.reason,
        d.message,
      ],
    );
  } catch (error) {
    log.error({ err: error }, 'could not record an access denial');
  }
}
