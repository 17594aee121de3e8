// `tiendo keygen` and `tiendo checkpoint` as an operator and an inspector run them: a key pair, a
// signed checkpoint saved to a file, checked later with the public key — holding while the log only
// grows (exit 0), not once an event before it was edited (exit 9).
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents, tamper } from '../integrity/tamper.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { tiendo } from './cli.js';

let db: FreshDatabase;
let dir: string;
const run = (args: string[]) => tiendo(args, { databaseUrl: db.url, cwd: dir });

beforeAll(async () => {
  db = await freshDatabase();
  dir = await mkdtemp(join(tmpdir(), 'tiendo-checkpoint-'));
  await appendEvents(db.pool, 'project-CB1', 3);
  await appendEvents(db.pool, 'project-CB2', 2);
});
afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('tiendo keygen and checkpoint', () => {
  it('keygen writes the private key with mode 600 and the public key, and names the key', async () => {
    const r = await run(['keygen', '--out', 'op']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^key id +[0-9a-f]{64}$/m);
    expect((await stat(join(dir, 'op.key'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'op.pub'), 'utf8')).toContain('BEGIN PUBLIC KEY');
  });

  it('checkpoint signs every stream head and saves it; --verify holds on the same log', async () => {
    const r = await run(['checkpoint', '--key', 'op.key', '--out', 'cp.json']);
    expect(r.code).toBe(0);
    const saved = JSON.parse(await readFile(join(dir, 'cp.json'), 'utf8'));
    expect(JSON.parse(r.stdout)).toEqual(saved);
    expect(saved).toMatchObject({ format: 'tiendo-checkpoint/1', streams: 2, events: 5 });
    expect(r.stderr).toContain(`digest ${saved.digest}`);
    const v = await run(['checkpoint', '--verify', 'cp.json', '--public-key', 'op.pub']);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('signature valid');
    expect(v.stdout).toContain('2 signed stream heads still hold');
  });

  it('--verify exits 9 and names the stream once an event before the checkpoint was edited', async () => {
    await tamper.editData(db.pool, 'project-CB2', 0);
    const v = await run(['checkpoint', '--verify', 'cp.json', '--public-key', 'op.pub']);
    expect(v.code).toBe(9);
    expect(v.stdout).toContain('CHANGED SINCE THE CHECKPOINT (đã thay đổi sau mốc): 1 of 2 streams');
    expect(v.stdout).toContain('project-CB2 revision 0 (event project-CB2.e0): EDITED');
    expect(v.stdout).toContain('CHECKPOINT DOES NOT HOLD');
  });

  it('refuses a private key others can read (exit 2), before touching the database', async () => {
    await chmod(join(dir, 'op.key'), 0o644);
    const r = await run(['checkpoint', '--key', 'op.key']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('KEY_FILE_TOO_OPEN');
    expect(r.stderr).toContain('chmod 600');
  });
});
