// `tiendo export`, `restore`, `rebuild` and `checksums` as an operator runs them to move a province's
// log to a new database: the restored log verifies and rebuilds to read models with the same
// checksums; a restore into a used store, or of a damaged file, is refused and writes nothing.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelTables } from '../../src/integrity/checksums.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { planMilestone, register, reportProgress, tiendo } from './cli.js';

let source: FreshDatabase;
let target: FreshDatabase;
let dir: string;
const on = (db: FreshDatabase, args: string[]) => tiendo(args, { databaseUrl: db.url, cwd: dir });

beforeAll(async () => {
  [source, target] = await Promise.all([freshDatabase(), freshDatabase()]);
  dir = await mkdtemp(join(tmpdir(), 'tiendo-backup-'));
  const commands = [
    register('BK.1', 'c1'),
    planMilestone('BK.1', 'm1', 'c2'),
    reportProgress('BK.1', 40, 'c3'),
    register('BK.2', 'c4'),
  ];
  await writeFile(join(dir, 'commands.ndjson'), commands.map((c) => JSON.stringify(c)).join('\n'));
  expect((await on(source, ['import', 'commands.ndjson'])).code).toBe(0);
  expect((await on(source, ['rebuild'])).code).toBe(0);
});
afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('tiendo export → restore → verify → rebuild', () => {
  it('gives read models with the same checksums as the originals', async () => {
    const exported = await on(source, ['export', 'backup.ndjson']);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain('exported 4 events of 2 streams and 4 command ids to backup.ndjson');
    const header = JSON.parse((await readFile(join(dir, 'backup.ndjson'), 'utf8')).split('\n')[0] as string);
    expect(header).toMatchObject({ kind: 'header', format: 'tiendo-export', version: 1, events: 4 });

    const restored = await on(target, ['restore', 'backup.ndjson']);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('restored 4 events of 2 streams and 4 command ids from backup.ndjson');
    // restore verified the chains from the tables it wrote, before committing
    expect(restored.stdout).toMatch(
      /^verified 2 streams, 4 events up to log position \d+\/4: every hash chain is intact/m,
    );
    expect((await on(target, ['rebuild'])).code).toBe(0);

    const [a, b] = await Promise.all([
      on(source, ['checksums', '--json']),
      on(target, ['checksums', '--json']),
    ]);
    const sums = JSON.parse(a.stdout) as { table: string; rows: number; checksum: string }[];
    expect(sums.map((t) => t.table)).toEqual(readModelTables());
    expect(readModelTables()).toEqual(expect.arrayContaining(['project_status', 'audit_trail', 'alerts']));
    expect(sums.find((t) => t.table === 'audit_trail')?.rows).toBe(4);
    expect(JSON.parse(b.stdout)).toEqual(sums);
  }, 300_000); // six CLI processes, one after another, on a machine that may be busy

  it('refuses to restore into a store that is not empty (exit 5)', async () => {
    const r = await on(target, ['restore', 'backup.ndjson']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('error CONFLICT (STORE_NOT_EMPTY)');
  });

  it('refuses a damaged file with its line numbers (exit 2), and writes nothing', async () => {
    const lines = (await readFile(join(dir, 'backup.ndjson'), 'utf8')).trimEnd().split('\n');
    const edited = JSON.parse(lines[2] as string);
    edited.data.name = 'Dự án đã sửa';
    await writeFile(
      join(dir, 'damaged.ndjson'),
      [...lines.slice(0, 2), JSON.stringify(edited), ...lines.slice(3)].join('\n'),
    );
    const empty = await freshDatabase();
    try {
      const r = await on(empty, ['restore', 'damaged.ndjson']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('error VALIDATION (EXPORT_INVALID):');
      expect(r.stderr).toMatch(
        /line 3: digest: is [0-9a-f]{64}, the content digests to [0-9a-f]{64}: the event was edited/,
      );
      expect(r.stderr).toContain('(restore): nothing was restored');
      expect((await empty.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(0);
    } finally {
      await empty.drop();
    }
  });

  it('tiendo dossier writes a project’s dossier as JSON and HTML', async () => {
    const r = await on(source, ['dossier', 'BK.1', '--out', 'BK.1.json', '--html', 'BK.1.html']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('dossier of BK.1: 3 events');
    expect(r.stderr).toContain('chain intact');
    const dossier = JSON.parse(await readFile(join(dir, 'BK.1.json'), 'utf8'));
    expect(dossier.events.map((e: { type: string }) => e.type)).toEqual([
      'ProjectRegistered',
      'MilestonePlanned',
      'ProgressReported',
    ]);
    expect(await readFile(join(dir, 'BK.1.html'), 'utf8')).toContain('Hồ sơ thanh tra dự án');
  });

  it('never writes an export over an existing file (exit 2)', async () => {
    const r = await on(source, ['export', 'backup.ndjson']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('FILE_EXISTS');
  });
});
