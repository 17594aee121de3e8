// The directory on the command line: agencies, users and their roles, API tokens, and (with a local
// signing secret) a JWT for a user. Whoever runs the CLI holds the database's credentials, so the CLI
// acts as the administrator `tiendo-cli`; every change is an event like any other.

import type { Command } from 'commander';
import { newApiToken } from '../auth/api-token.js';
import { authConfigFromEnv } from '../auth/config.js';
import { signJwt } from '../auth/jwt.js';
import { newIdFactory } from '../commands/ids.js';
import { localDateOf } from '../domain/dates.js';
import { AGENCY_KINDS } from '../domain/directory/events.js';
import { ROLES } from '../domain/envelope.js';
import { ValidationError } from '../domain/errors.js';
import { directoryProjection } from '../projections/directory.js';
import { ProjectionRunner } from '../projections/runner.js';
import type { Session } from './session.js';

export const CLI_ADMIN = { userId: 'tiendo-cli', agencyId: 'tiendo', role: 'administrator' } as const;

type Run = (json: boolean, action: (session: Session) => Promise<number>) => Promise<void>;

export function addDirectoryCommands(program: Command, run: Run, out: (text: string) => void): void {
  const change = (type: string, data: Record<string, unknown>, done: string) =>
    run(false, async (session) => {
      const { handler } = await session.open();
      const effectiveAt = localDateOf(new Date().toISOString());
      await handler.handle({ type, actor: CLI_ADMIN, effectiveAt, data }, 'cli');
      out(done);
      return 0;
    });
  const list = (sql: string, header: string) =>
    run(false, async (session) => {
      const { db, store } = await session.open();
      // The lists read the directory read model: bring it up to date first.
      await new ProjectionRunner({ pool: db.pool, store, projections: [directoryProjection] }).runOnce();
      const { rows } = await db.pool.query<Record<string, unknown>>(sql);
      out(
        [
          header,
          ...rows.map((r) =>
            Object.values(r)
              .map((v) => v ?? '–')
              .join('  '),
          ),
        ].join('\n'),
      );
      return 0;
    });

  const agency = program.command('agency').description('agencies of the directory (cơ quan)');
  agency
    .command('add')
    .argument('<agencyId>')
    .requiredOption('--name <name>', 'e.g. "Sở Xây dựng tỉnh Cao Bằng"')
    .requiredOption('--kind <kind>', AGENCY_KINDS.join(', '))
    .option('--province <code>', 'province code, e.g. 04')
    .option('--unit <adminUnit>', "a commune committee's own commune or ward")
    .action((agencyId: string, o: { name: string; kind: string; province?: string; unit?: string }) =>
      change(
        'RegisterAgency',
        {
          agencyId,
          name: o.name,
          kind: o.kind,
          ...(o.province && { province: o.province }),
          ...(o.unit && { adminUnit: o.unit }),
        },
        `agency ${agencyId} registered`,
      ),
    );
  agency
    .command('list')
    .action(() =>
      list(
        'SELECT agency_id, kind, name, admin_unit FROM directory_agencies ORDER BY agency_id',
        'agency  kind  name  unit',
      ),
    );

  const user = program.command('user').description('users, their agency and role (người dùng, phân quyền)');
  user
    .command('add')
    .argument('<userId>', "the identity provider's subject (sub) for this user")
    .requiredOption('--agency <agencyId>')
    .requiredOption('--role <role>', ROLES.join(', '))
    .option('--name <name>', 'display name (defaults to the id)')
    .action((userId: string, o: { agency: string; role: string; name?: string }) =>
      change(
        'RegisterUser',
        { userId, name: o.name ?? userId, agencyId: o.agency, role: o.role },
        `user ${userId} registered: ${o.role} of ${o.agency}`,
      ),
    );
  user
    .command('assign')
    .argument('<userId>')
    .requiredOption('--agency <agencyId>')
    .requiredOption('--role <role>', ROLES.join(', '))
    .action((userId: string, o: { agency: string; role: string }) =>
      change(
        'AssignUser',
        { userId, agencyId: o.agency, role: o.role },
        `user ${userId} is now ${o.role} of ${o.agency}`,
      ),
    );
  user
    .command('deactivate')
    .argument('<userId>')
    .requiredOption('--reason <text>')
    .action((userId: string, o: { reason: string }) =>
      change('DeactivateUser', { userId, reason: o.reason }, `user ${userId} deactivated`),
    );
  user
    .command('reactivate')
    .argument('<userId>')
    .action((userId: string) => change('ReactivateUser', { userId }, `user ${userId} reactivated`));
  user
    .command('list')
    .action(() =>
      list(
        'SELECT user_id, role, agency_id, status, name FROM directory_users ORDER BY user_id',
        'user  role  agency  status  name',
      ),
    );

  const token = program.command('token').description('API tokens for integrations (khóa truy cập API)');
  token
    .command('create')
    .description('issue an API token for a user and print it once: only its hash is kept')
    .requiredOption('--user <userId>')
    .option('--label <text>', 'what the token is for', 'integration')
    .option('--expires-in-days <n>', 'expire after n days (default: never)')
    .action((o: { user: string; label: string; expiresInDays?: string }) =>
      run(false, async (session) => {
        const days = o.expiresInDays === undefined ? undefined : Number(o.expiresInDays);
        if (days !== undefined && (!Number.isInteger(days) || days < 1))
          throw ValidationError.field('--expires-in-days', 'must be a whole number ≥ 1', 'INVALID_EXPIRY');
        const { handler } = await session.open();
        const tokenId = newIdFactory()();
        const { text, tokenHash } = newApiToken(tokenId);
        const now = new Date();
        const expiresAt = days && new Date(now.getTime() + days * 86_400_000).toISOString();
        await handler.handle(
          {
            type: 'IssueApiToken',
            actor: CLI_ADMIN,
            effectiveAt: localDateOf(now.toISOString()),
            data: { tokenId, userId: o.user, label: o.label, tokenHash, ...(expiresAt && { expiresAt }) },
          },
          'cli',
        );
        out(`API token ${tokenId} for ${o.user}${expiresAt ? `, expires ${expiresAt}` : ''}; shown once:`);
        out(text);
        return 0;
      }),
    );
  token
    .command('revoke')
    .argument('<tokenId>')
    .requiredOption('--reason <text>')
    .action((tokenId: string, o: { reason: string }) =>
      change('RevokeApiToken', { tokenId, reason: o.reason }, `API token ${tokenId} revoked`),
    );
  token
    .command('list')
    .action(() =>
      list(
        `SELECT token_id, user_id, status, label, expires_at FROM directory_api_tokens ORDER BY token_id`,
        'token  user  status  label  expires',
      ),
    );

  program
    .command('jwt')
    .description('sign a JWT for a user with the local secret (development; not with TIENDO_JWKS_URL)')
    .argument('<userId>')
    .option('--expires <span>', 'lifetime, e.g. 1h, 30d', '1h')
    .action((userId: string, o: { expires: string }) =>
      run(false, async () => {
        const config = await authConfigFromEnv();
        if (!config.signer)
          throw ValidationError.field(
            'TIENDO_JWKS_URL',
            'tokens come from the identity provider',
            'NO_LOCAL_SIGNER',
          );
        out(await signJwt(config.signer, userId, o.expires));
        return 0;
      }),
    );
}
