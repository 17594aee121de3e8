// `tiendo verify [stream]` as an operator runs it: exit 0 and a one-line summary on an intact log;
// exit 9 and the tampered stream, revision, event and hashes when a row was changed; JSON for scripts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents, tamper } from '../integrity/tamper.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { tiendo } from './cli.js';

let db: FreshDatabase;
const run = (args: string[]) => tiendo(args, { databaseUrl: db.url });

beforeAll(async () => {
  db = await freshDatabase();
  await appendEvents(db.pool, 'project-CB1', 3);
  await appendEvents(db.pool, 'project-CB2', 4);
});
afterAll(async () => {
  await db?.drop();
});

describe('tiendo verify', () => {
  it('says every chain is intact and exits 0 on an untouched log', async () => {
    const r = await run(['verify']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^verified 2 streams, 7 events up to log position \d+\/7: every hash chain is intact/m,
    );
  });

  it('verifies one stream named by a bare project id', async () => {
    const r = await run(['verify', 'CB1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('verified 1 stream, 3 events');
  });

  it('reports an edited event precisely and exits 9', async () => {
    const hashes = await appendEvents(db.pool, 'project-CB3', 3);
    await tamper.editData(db.pool, 'project-CB3', 1);
    const r = await run(['verify']);
    expect(r.code).toBe(9);
    expect(r.stdout).toContain('INTEGRITY BROKEN (vi phạm toàn vẹn): 1 of 3 streams, 10 events broken');
    expect(r.stdout).toContain('project-CB3 revision 1 (event project-CB3.e1): EDITED (đã bị sửa)');
    expect(r.stdout).toContain(`found hash      ${hashes[1]}`);
    expect((await run(['verify', 'CB1'])).code).toBe(0);
  });

  it('prints the report as JSON with --json', async () => {
    const r = await run(['verify', 'project-CB3', '--json']);
    expect(r.code).toBe(9);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      ok: false,
      streams: 1,
      events: 3,
      breaks: [{ kind: 'edited', revision: 1 }],
    });
  });

  it('refuses a stream that does not exist (exit 3)', async () => {
    const r = await run(['verify', 'NOPE']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('stream project-NOPE does not exist');
  });
});
