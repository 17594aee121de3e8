// `tiendo import` on a file mixing good lines with every kind of bad one: the good lines are applied,
// each bad one is reported by its line number with its code, reason and fields, and the store ends up
// holding exactly the good lines' events.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { actors, planMilestone, register, reportProgress, tiendo } from './cli.js';

let db: FreshDatabase;
let dir: string;

beforeAll(async () => {
  db = await freshDatabase();
  dir = await mkdtemp(join(tmpdir(), 'tiendo-import-'));
});
afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const line = (o: unknown) => JSON.stringify(o);

/** Line numbers are the file's: blank lines count. */
const FILE = [
  /* 1 */ line(register('IMP1', 'imp-1')),
  /* 2 */ '',
  /* 3 */ line(planMilestone('IMP1', 'm1', 'imp-3')),
  /* 4 */ '{"type": "ReportProgress", "actor": ',
  /* 5 */ line({
    type: 'LaunchRocket',
    commandId: 'imp-5',
    actor: actors.registrar,
    effectiveAt: '2022-01-12',
    data: {},
  }),
  /* 6 */ line({ ...reportProgress('IMP1', 'ten', 'imp-6'), effectiveAt: 20240301 }),
  /* 7 */ line({
    type: 'PayDeposit',
    commandId: 'imp-7',
    actor: actors.registrar,
    effectiveAt: '2022-01-20',
    data: { projectId: 'IMP1', amount: '-5000000' },
  }),
  /* 8 */ line(planMilestone('IMP1', 'm1', 'imp-3')),
  /* 9 */ '   ',
  /* 10 */ line(register('IMP2', 'imp-10')),
  /* 11 */ line(reportProgress('IMP1', 35.5, 'imp-11')),
  /* 12 */ line(planMilestone('IMP1', 'm1', 'imp-12')),
  /* 13 */ line(reportProgress('IMP2', 10, 'imp-13')),
  /* 14 */ line(reportProgress('NOSUCH', 10, 'imp-14')),
].join('\n');

describe('tiendo import', () => {
  it('applies the good lines and reports each rejected one by line number, code, reason and field', async () => {
    const file = join(dir, 'mixed.ndjson');
    const reportFile = join(dir, 'report.json');
    await writeFile(file, `${FILE}\n`);

    const r = await tiendo(['import', file, '--report', reportFile], { databaseUrl: db.url });

    expect(r.code).toBe(8);
    expect(r.stdout).toMatch(/applied +5 \(5 events\)/);
    expect(r.stdout).toMatch(/duplicates +1/);
    expect(r.stdout).toMatch(/rejected +6/);
    expect(r.stdout).toContain('line 4: VALIDATION (MALFORMED_JSON)');
    expect(r.stdout).toContain('line 5: VALIDATION (UNKNOWN_COMMAND) — LaunchRocket imp-5');
    expect(r.stdout).toContain('type: unknown command "LaunchRocket"');
    expect(r.stdout).toContain('line 6: VALIDATION (INVALID_INPUT) — ReportProgress imp-6');
    expect(r.stdout).toContain('data.amount: must not be negative');
    expect(r.stdout).toContain('line 12: ILLEGAL_TRANSITION (MILESTONE_ALREADY_PLANNED)');
    expect(r.stdout).toContain('line 14: NOT_FOUND (PROJECT_NOT_FOUND)');

    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    expect(report).toMatchObject({ read: 12, applied: 5, duplicates: 1, rejected: 6, events: 5 });
    const rejected = report.rejections.map((x: { line: number; code: string; reason: string }) => [
      x.line,
      x.code,
      x.reason,
    ]);
    expect(rejected).toEqual([
      [4, 'VALIDATION', 'MALFORMED_JSON'],
      [5, 'VALIDATION', 'UNKNOWN_COMMAND'],
      [6, 'VALIDATION', 'INVALID_INPUT'],
      [7, 'VALIDATION', 'INVALID_INPUT'],
      [12, 'ILLEGAL_TRANSITION', 'MILESTONE_ALREADY_PLANNED'],
      [14, 'NOT_FOUND', 'PROJECT_NOT_FOUND'],
    ]);
    const fields = (n: number) =>
      report.rejections
        .find((x: { line: number }) => x.line === n)
        .issues.map((i: { field: string }) => i.field)
        .sort();
    expect(fields(6)).toEqual(['data.physicalPercent', 'effectiveAt']);
    expect(fields(7)).toEqual(['data.amount']);

    // Exactly the good lines' events, each stream in file order.
    const store = new PostgresEventStore(db.pool);
    const events = await store.readAll();
    await store.close();
    const written = events.map((e) => [
      e.stream,
      e.revision,
      e.type,
      (e.metadata as { commandId: string }).commandId,
    ]);
    expect(written.sort()).toEqual(
      [
        ['project-IMP1', 0, 'ProjectRegistered', 'imp-1'],
        ['project-IMP1', 1, 'MilestonePlanned', 'imp-3'],
        ['project-IMP1', 2, 'ProgressReported', 'imp-11'],
        ['project-IMP2', 0, 'ProjectRegistered', 'imp-10'],
        ['project-IMP2', 1, 'ProgressReported', 'imp-13'],
      ].sort(),
    );
    expect(events.every((e) => (e.metadata as { source: string }).source === 'import')).toBe(true);
  });

  it('counts every line as a duplicate when the same file is imported again', async () => {
    const file = join(dir, 'again.ndjson');
    await writeFile(
      file,
      [line(register('IMP1', 'imp-1')), line(planMilestone('IMP1', 'm1', 'imp-3'))].join('\n'),
    );
    const r = await tiendo(['import', file, '--json'], { databaseUrl: db.url });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      read: 2,
      applied: 0,
      duplicates: 2,
      rejected: 0,
      events: 0,
    });
  });

  it('keeps each stream in file order while applying many lines concurrently', async () => {
    const lines: string[] = [];
    for (let p = 0; p < 20; p++) lines.push(line(register(`ORD${p}`)));
    for (let k = 0; k < 10; k++)
      for (let p = 0; p < 20; p++) lines.push(line(reportProgress(`ORD${p}`, k * 10)));
    const file = join(dir, 'order.ndjson');
    await writeFile(file, lines.join('\n'));
    const r = await tiendo(['import', file, '--concurrency', '8', '--json'], { databaseUrl: db.url });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ applied: 220, rejected: 0 });
    const store = new PostgresEventStore(db.pool);
    const stream = await store.readStream('project-ORD7');
    await store.close();
    expect(stream.map((e) => (e.data as { physicalPercent?: number }).physicalPercent)).toEqual([
      undefined,
      0,
      10,
      20,
      30,
      40,
      50,
      60,
      70,
      80,
      90,
    ]);
  });

  it('refuses a file it cannot read (exit 2)', async () => {
    const r = await tiendo(['import', join(dir, 'missing.ndjson')], { databaseUrl: db.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error VALIDATION (FILE_UNREADABLE)');
  });
});
