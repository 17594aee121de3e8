// Checkpoints of a real PostgreSQL log (src/integrity/checkpoint-pg.ts) and the key files they are
// signed with (keys.ts): a checkpoint holds while the log only grows, and shows every stream changed
// before it, even when the forger recomputed the whole chain so that `verify` alone passes.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/integrity/checkpoint.js';
import { checkCheckpoint, takeCheckpoint } from '../../src/integrity/checkpoint-pg.js';
import { generateKeyFiles, readPrivateKey, readPublicKey } from '../../src/integrity/keys.js';
import { verifyLog } from '../../src/integrity/verify-pg.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { appendEvents, event, rechain, tamper } from './tamper.js';

let db: FreshDatabase;
let dir: string;
beforeAll(async () => {
  db = await freshDatabase();
  dir = await mkdtemp(join(tmpdir(), 'tiendo-keys-'));
});
afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('key files', () => {
  it('keep the private key to its owner (mode 600) and never overwrite one', async () => {
    const k = await generateKeyFiles(join(dir, 'op'));
    expect((await stat(k.privateKey)).mode & 0o777).toBe(0o600);
    expect((await readPrivateKey(k.privateKey)).asymmetricKeyType).toBe('ed25519');
    expect((await readPublicKey(k.publicKey)).asymmetricKeyType).toBe('ed25519');
    await expect(generateKeyFiles(join(dir, 'op'))).rejects.toMatchObject({
      code: 'CONFLICT',
      reason: 'KEY_FILE_EXISTS',
    });
  });

  it('refuse a private key others can read, and a key that is not Ed25519', async () => {
    const open = join(dir, 'open.key');
    await writeFile(
      open,
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
      { mode: 0o644 },
    );
    await expect(readPrivateKey(open)).rejects.toMatchObject({
      code: 'VALIDATION',
      reason: 'KEY_FILE_TOO_OPEN',
    });
    const rsa = join(dir, 'rsa.pub');
    await writeFile(
      rsa,
      generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    await expect(readPublicKey(rsa)).rejects.toMatchObject({ code: 'VALIDATION', reason: 'KEY_INVALID' });
    await expect(readPublicKey(join(dir, 'none.pub'))).rejects.toMatchObject({ reason: 'FILE_UNREADABLE' });
  });
});

describe('a checkpoint of the log', () => {
  const operator = generateKeyPairSync('ed25519');
  let checkpoint: Checkpoint;

  beforeAll(async () => {
    for (const s of ['project-A', 'project-B', 'project-C', 'project-D']) await appendEvents(db.pool, s, 4);
    const taken = await takeCheckpoint(db.pool, operator.privateKey, new Date('2026-11-21T08:00:00Z'));
    if (!taken.ok) throw new Error('the fresh log should verify');
    checkpoint = taken.checkpoint;
  });

  it('signs the verified head of every stream, the counts, the log position and the time', async () => {
    const { rows } = await db.pool.query(
      `SELECT stream, last_revision AS revision, encode(last_hash, 'hex') AS hash FROM streams`,
    );
    expect(checkpoint.heads).toEqual(
      Object.fromEntries(rows.map((r) => [r.stream, { revision: r.revision, hash: r.hash }])),
    );
    expect(checkpoint).toMatchObject({
      streams: 4,
      events: 16,
      createdAt: '2026-11-21T08:00:00.000Z',
      position: { pos: '16' },
    });
  });

  it('holds on the same log, and after later appends', async () => {
    expect(await checkCheckpoint(db.pool, checkpoint, operator.publicKey)).toMatchObject({
      ok: true,
      changed: [],
      laterBreaks: [],
    });
    const store = new PostgresEventStore(db.pool);
    await store.append('project-A', [event('project-A', 4)], { expectedRevision: 3 });
    await store.append('project-E', [event('project-E', 0)], { expectedRevision: 'no_stream' });
    await store.close();
    expect(await checkCheckpoint(db.pool, checkpoint, operator.publicKey)).toMatchObject({
      ok: true,
      changed: [],
    });
  });

  it('does not hold for another key', async () => {
    const c = await checkCheckpoint(db.pool, checkpoint, generateKeyPairSync('ed25519').publicKey);
    expect(c).toMatchObject({ ok: false, signature: { valid: false, reason: 'KEY_MISMATCH' }, changed: [] });
  });

  it('shows an event edited before it, with the stream’s first break', async () => {
    await tamper.editData(db.pool, 'project-B', 1);
    const c = await checkCheckpoint(db.pool, checkpoint, operator.publicKey);
    expect(c.ok).toBe(false);
    expect(c.signature.valid).toBe(true);
    expect(c.changed).toEqual([
      expect.objectContaining({
        stream: 'project-B',
        signed: checkpoint.heads['project-B'],
        found: null,
        break: expect.objectContaining({ kind: 'edited', revision: 1 }),
      }),
    ]);
  });

  it('shows a stream rewritten with a recomputed chain, which verify alone cannot see', async () => {
    await tamper.editData(db.pool, 'project-C', 2);
    await rechain(db.pool, 'project-C');
    expect((await verifyLog(db.pool, { stream: 'project-C' })).breaks).toEqual([]);
    const c = await checkCheckpoint(db.pool, checkpoint, operator.publicKey);
    const changed = c.changed.find((h) => h.stream === 'project-C');
    expect(changed).toMatchObject({ signed: checkpoint.heads['project-C'], break: null });
    expect(changed?.found).toMatch(/^[0-9a-f]{64}$/);
    expect(changed?.found).not.toBe(checkpoint.heads['project-C']?.hash);
  });

  it('shows a stream deleted since', async () => {
    await db.pool.query(`DELETE FROM events WHERE stream = 'project-D'`);
    await db.pool.query(`DELETE FROM streams WHERE stream = 'project-D'`);
    const c = await checkCheckpoint(db.pool, checkpoint, operator.publicKey);
    expect(c.changed.map((h) => h.stream)).toEqual(['project-B', 'project-C', 'project-D']);
    expect(c.changed[2]?.message).toContain('project-D no longer exists');
  });

  it('is refused on a log that does not verify: a tampered log is never signed', async () => {
    const taken = await takeCheckpoint(db.pool, operator.privateKey, new Date());
    expect(taken.ok).toBe(false);
    expect(!taken.ok && taken.verification.breaks.map((b) => b.stream)).toEqual(['project-B']);
  });
});
