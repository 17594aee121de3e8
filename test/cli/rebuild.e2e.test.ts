// `tiendo rebuild [name]` as a user runs it: every read model (or the one named) rebuilt from the
// event log, with how many events it read and how fast, and a last line with the totals; an unknown
// name is "not found" (exit 3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECTIONS } from '../../src/projections/index.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { register, tiendo } from './cli.js';

let db: FreshDatabase;
const run = (args: string[]) => tiendo(args, { databaseUrl: db.url });

beforeAll(async () => {
  db = await freshDatabase({ migrate: false });
});
afterAll(async () => {
  await db?.drop();
});

describe('tiendo rebuild', () => {
  it('rebuilds every read model from the log and says how many events each read', async () => {
    expect((await run(['command', JSON.stringify(register('CB.1'))])).code).toBe(0);
    const r = await run(['rebuild']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^project_status: rebuilt from 1 events \(0 parked\), \d+ events\/s$/m);
    expect(r.stdout).toMatch(/^audit_trail: rebuilt from 1 events/m);
    const last = r.stdout.trim().split('\n').at(-1);
    expect(last).toMatch(
      new RegExp(
        `^rebuilt ${PROJECTIONS.length} read models: ${PROJECTIONS.length} events read, 0 parked, in \\d+\\.\\d s \\(\\d+ events/s\\)$`,
      ),
    );
    const { rows } = await db.pool.query('SELECT project_id, phase FROM project_status');
    expect(rows).toEqual([{ project_id: 'CB.1', phase: 'registered' }]);
  });

  it('rebuilds only the read model named', async () => {
    const r = await run(['rebuild', 'audit_trail']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('project_status');
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^rebuilt 1 read model: 1 events read, 0 parked, in /);
  });

  it('refuses a name no projection has (exit 3)', async () => {
    const r = await run(['rebuild', 'nothing']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('projection nothing does not exist');
  });
});
