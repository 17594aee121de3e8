// The command line refuses like the API and keeps its refusals like the API: a command outside the
// actor's competence, given to `tiendo command` or in a `tiendo import` file, exits or is rejected as
// FORBIDDEN, writes no event, and adds exactly one row to access_denials with who (the actor the command
// names, credential `cli`), what (`tiendo command` or `tiendo import`, the command, its project) and why.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { actors, register, reportProgress, tiendo } from './cli.js';

let db: FreshDatabase;
let dir: string;

beforeAll(async () => {
  db = await freshDatabase();
  dir = await mkdtemp(join(tmpdir(), 'tiendo-denials-'));
});
afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const count = async (table: 'events' | 'access_denials') =>
  (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
const lastDenial = async () =>
  (
    await db.pool.query(
      `SELECT user_id, agency_id, role, via, token_id, operation, command_type, target, reason
         FROM access_denials ORDER BY id DESC LIMIT 1`,
    )
  ).rows[0];

describe('refusals on the command line are kept in access_denials', () => {
  it('tiendo command: a reviewer registering a project is FORBIDDEN (exit 6), writes nothing, one row', async () => {
    const events = await count('events');
    const denials = await count('access_denials');
    const r = await tiendo(
      ['command', JSON.stringify({ ...register('DENY1', 'deny-1'), actor: actors.reviewer })],
      { databaseUrl: db.url },
    );
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('error FORBIDDEN (READ_ONLY_ROLE)');
    expect(await count('events')).toBe(events);
    expect(await count('access_denials')).toBe(denials + 1);
    expect(await lastDenial()).toEqual({
      user_id: actors.reviewer.userId,
      agency_id: actors.reviewer.agencyId,
      role: 'reviewer',
      via: 'cli',
      token_id: null,
      operation: 'tiendo command',
      command_type: 'RegisterProject',
      target: 'DENY1',
      reason: 'READ_ONLY_ROLE',
    });
  });

  it("tiendo import: an investor's report on another's project is rejected as FORBIDDEN, one row, the rest applied", async () => {
    const file = join(dir, 'mixed.ndjson');
    const lines = [
      register('DENY2', 'deny-imp-1'),
      { ...reportProgress('DENY2', 20, 'deny-imp-2'), actor: actors.otherInvestor },
      { ...reportProgress('DENY2', 25, 'deny-imp-3'), actor: actors.investor },
    ];
    await writeFile(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const events = await count('events');
    const denials = await count('access_denials');
    const r = await tiendo(['import', file, '--json', '--concurrency', '1'], { databaseUrl: db.url });
    expect(r.code).toBe(8);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ applied: 2, rejected: 1 });
    expect(summary.rejections).toEqual([
      expect.objectContaining({
        line: 2,
        code: 'FORBIDDEN',
        reason: 'NOT_OWN_PROJECT',
        type: 'ReportProgress',
      }),
    ]);
    expect(await count('events')).toBe(events + summary.events);
    const written = await db.pool.query<{ command_id: string }>(
      `SELECT DISTINCT metadata->>'commandId' AS command_id FROM events WHERE stream = 'project-DENY2'`,
    );
    expect(written.rows.map((w) => w.command_id).sort()).toEqual(['deny-imp-1', 'deny-imp-3']);
    expect(await count('access_denials')).toBe(denials + 1);
    expect(await lastDenial()).toEqual({
      user_id: actors.otherInvestor.userId,
      agency_id: actors.otherInvestor.agencyId,
      role: 'investor',
      via: 'cli',
      token_id: null,
      operation: 'tiendo import',
      command_type: 'ReportProgress',
      target: 'DENY2',
      reason: 'NOT_OWN_PROJECT',
    });
  });
});
