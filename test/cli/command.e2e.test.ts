// `tiendo --help`, `migrate`, `start`, `command` and `stream` as a user runs them: output, and one exit
// code per error class with a message naming the code, the reason and the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { actors, planMilestone, register, reportProgress, tiendo } from './cli.js';

let db: FreshDatabase;
const run = (args: string[], input?: string) =>
  tiendo(args, { databaseUrl: db.url, ...(input !== undefined && { input }) });

beforeAll(async () => {
  db = await freshDatabase({ migrate: false });
});
afterAll(async () => {
  await db?.drop();
});

describe('tiendo --help', () => {
  it('lists every command with a one-line description and the exit codes', async () => {
    const r = await tiendo(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['migrate', 'command|append', 'import', 'stream', 'start', 'bench'])
      expect(r.stdout).toContain(c);
    expect(r.stdout).toMatch(/4 +illegal transition/);
  });

  it('exits 2 on an unknown subcommand', async () => {
    const r = await tiendo(['launch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'launch'");
  });
});

describe('tiendo migrate and start', () => {
  it('applies the migrations once and says so, then finds nothing to apply', async () => {
    const first = await run(['migrate']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied \d+ migrations?/);
    expect(first.stdout).toContain('001_event_store.sql');
    const second = await run(['migrate']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('up to date');
  });

  it('start loads the demo province once and says what to try', async () => {
    const first = await run(['start']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('tiendo is ready');
    expect(first.stdout).toMatch(/Loaded the demo province \(Cao Bằng\): \d+ commands, \d+ events/);
    expect(first.stdout).toContain('tiendo stream CB0001');
    const again = await run(['start']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/demo province \(Cao Bằng\) was already loaded/);
    const bare = await run(['start', '--no-demo']);
    expect(bare.code).toBe(0);
    expect(bare.stdout).not.toContain('demo province');
  });
});

describe('tiendo command', () => {
  it('applies a command given as an argument and prints the stream, revision and events', async () => {
    const r = await run(['command', JSON.stringify(register('CMD1', 'cmd-1'))]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('applied command cmd-1 to project-CMD1');
    expect(r.stdout).toContain('revision now 0');
    expect(r.stdout).toMatch(/#0 ProjectRegistered/);
  });

  it('reads the command from stdin with "-" and prints JSON with --json', async () => {
    const r = await run(['append', '-', '--json'], JSON.stringify(planMilestone('CMD1', 'm1')));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ stream: 'project-CMD1', nextExpectedRevision: 1, duplicate: false });
    expect(out.events).toEqual([expect.objectContaining({ type: 'MilestonePlanned', revision: 1 })]);
  });

  it('answers a repeated command id with its first result, writing nothing', async () => {
    const r = await run(['command', JSON.stringify(register('CMD1', 'cmd-1')), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ commandId: 'cmd-1', duplicate: true, nextExpectedRevision: 0 });
    expect(out.events).toEqual([expect.objectContaining({ type: 'ProjectRegistered', revision: 0 })]);
    const text = await run(['command', JSON.stringify(register('CMD1', 'cmd-1'))]);
    expect(text.stdout).toContain(
      'duplicate: command cmd-1 was already applied to project-CMD1; nothing written',
    );
  });

  it.each([
    {
      name: 'validation (exit 2)',
      command: reportProgress('CMD1', 120),
      code: 2,
      message: /error VALIDATION \(INVALID_INPUT\):\n {2}data\.physicalPercent: must be between 0 and 100/,
    },
    {
      name: 'not found (exit 3)',
      command: reportProgress('NOSUCH', 10),
      code: 3,
      message: /error NOT_FOUND \(PROJECT_NOT_FOUND\): project NOSUCH does not exist/,
    },
    {
      name: 'illegal transition (exit 4)',
      command: planMilestone('CMD1', 'm1'),
      code: 4,
      message: /error ILLEGAL_TRANSITION \(MILESTONE_ALREADY_PLANNED\): milestone m1/,
    },
    {
      name: 'conflict (exit 5)',
      command: { ...reportProgress('CMD1', 10), expectedRevision: 0 },
      code: 5,
      message: /error CONFLICT \(WRONG_EXPECTED_REVISION\): stream project-CMD1 is at revision 1, expected 0/,
    },
    {
      name: 'forbidden (exit 6)',
      command: { ...reportProgress('CMD1', 10), actor: actors.reviewer },
      code: 6,
      message: /error FORBIDDEN \(READ_ONLY_ROLE\)/,
    },
  ])('rejects with $name and a message naming the reason', async ({ command, code, message }) => {
    const r = await run(['command', JSON.stringify(command)]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('names every bad field, and prints the error as JSON with --json', async () => {
    const bad = { ...reportProgress('CMD1', 'ten'), effectiveAt: '2024-13-40' };
    const r = await run(['command', JSON.stringify(bad), '--json']);
    expect(r.code).toBe(2);
    const { error } = JSON.parse(r.stdout);
    expect(error).toMatchObject({ code: 'VALIDATION', reason: 'INVALID_INPUT' });
    expect(error.issues.map((i: { field: string }) => i.field).sort()).toEqual([
      'data.physicalPercent',
      'effectiveAt',
    ]);
  });

  it('rejects text that is not JSON (exit 2) without touching the database', async () => {
    const r = await tiendo(['command', '{"type": "RegisterProject",'], {
      databaseUrl: 'postgres://nobody:x@127.0.0.1:1/none',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error VALIDATION (MALFORMED_JSON)');
    expect(r.stderr).toContain('(input): is not valid JSON');
  });

  it('reports a database it cannot reach as unavailable (exit 7)', async () => {
    const r = await tiendo(['command', JSON.stringify(register('CMD2'))], {
      databaseUrl: 'postgres://nobody:x@127.0.0.1:1/none',
    });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/error UNAVAILABLE \(STORE_UNAVAILABLE\): PostgreSQL is unavailable/);
  });
});

describe('tiendo stream', () => {
  it("prints a project's events readably, by bare id or stream name", async () => {
    for (const name of ['CMD1', 'project-CMD1']) {
      const r = await run(['stream', name]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('project-CMD1: 2 events');
      expect(r.stdout).toMatch(/#0 {2}ProjectRegistered \(v1\)/);
      expect(r.stdout).toMatch(/effective {3}2022-01-10/);
      expect(r.stdout).toMatch(/actor {7}u-dkdt-01 \(registrationAuthority, so-tai-chinh-cb\)/);
      expect(r.stdout).toContain('document    12/QĐ-UBND of 2022-01-10, UBND tỉnh Cao Bằng');
      expect(r.stdout).toMatch(/#1 {2}MilestonePlanned/);
      expect(r.stdout).toContain('"milestoneId": "m1"');
    }
  });

  it('prints NDJSON with --json, one event per line', async () => {
    const r = await run(['stream', 'CMD1', '--json']);
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => [e.revision, e.type])).toEqual([
      [0, 'ProjectRegistered'],
      [1, 'MilestonePlanned'],
    ]);
    expect(events[0].metadata).toMatchObject({
      commandId: 'cmd-1',
      effectiveAt: '2022-01-10',
      source: 'cli',
    });
  });

  it('says when a stream does not exist (exit 3)', async () => {
    const r = await run(['stream', 'NOSUCH']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('stream project-NOSUCH does not exist');
  });
});
