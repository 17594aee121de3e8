// Denied attempts, kept: a row in access_denials (migrations/061, 062) and a structured log line, with
// who (user, agency, role, credential), what (operation, command, target) and why (reason, message).
// The API records its refusals, the CLI its own (src/cli/session.ts: the credential is then `cli`).
// Recording never fails the request: the refusal is what the client gets either way.
import type pg from 'pg';
import type { Command } from '../domain/catalog.js';
import type { TiendoError } from '../domain/errors.js';
import type { Principal } from './authenticate.js';

/** Who was refused: an authenticated request's principal, or the actor a CLI command names. */
export interface DeniedWho {
  readonly actor: Principal['actor'];
  readonly via: Principal['via'] | 'cli';
  readonly tokenId?: string;
}

/** Where a denial is logged: fastify's request logger, or the CLI's. */
export interface DenialLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface Denial {
  readonly principal: DeniedWho;
  /** e.g. `mutation issueInvestmentCertificate`, `query project`. */
  readonly operation: string;
  readonly commandType?: string;
  /** The project (or plan, user, token) the attempt was on. */
  readonly target?: string;
  readonly reason: string;
  readonly message: string;
}

export async function recordDenial(pool: pg.Pool | undefined, log: DenialLog, d: Denial): Promise<void> {
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

/** The project (or plan, user, agency, token) a command's or a mutation's data names. */
export function targetOfData(data: Readonly<Record<string, unknown>>): string | undefined {
  const id =
    data.projectId ??
    data.userId ??
    data.agencyId ??
    data.tokenId ??
    (data.province !== undefined && data.year !== undefined ? `${data.province}/${data.year}` : undefined);
  return typeof id === 'string' ? id : undefined;
}

/** A command refused by the matrix, as a denial: its type, its target, and the refusal's reason. */
export function commandDenial(
  command: Command,
  error: TiendoError,
  operation: string,
): Omit<Denial, 'principal'> {
  const target = targetOfData(command.data as Record<string, unknown>);
  return {
    operation,
    commandType: command.type,
    ...(target !== undefined && { target }),
    reason: error.reason || error.code,
    message: error.message,
  };
}
