// `verifyLog` on real PostgreSQL rows: an intact log verifies, and rows tampered with by plain SQL
// (edited, deleted, inserted, reordered) are reported at the right stream, revision and event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLog } from '../../src/integrity/verify-pg.js';
import { chainHash, contentDigest, GENESIS_HASH } from '../../src/store/hash.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { appendEvents, event, tamper } from './tamper.js';

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('an untouched log', () => {
  it('verifies every stream and event, up to the last position', async () => {
    await appendEvents(db.pool, 'project-ok1', 4);
    await appendEvents(db.pool, 'capitalplan-04_2022', 3);
    const v = await verifyLog(db.pool, { pageSize: 3 });
    expect(v).toMatchObject({ streams: 2, events: 7, breaks: [] });
    expect(v.position?.pos).toBe(7n);
  });

  it('gives each stream its recomputed head, equal to the stored one', async () => {
    const heads = new Map<string, string | undefined>();
    await verifyLog(db.pool, { onStream: (s) => heads.set(s.stream, s.verifiedHead?.hash) });
    const { rows } = await db.pool.query(`SELECT stream, encode(last_hash, 'hex') AS hash FROM streams`);
    expect(heads).toEqual(new Map(rows.map((r) => [r.stream, r.hash])));
  });
});

describe('tampered rows', () => {
  it('an UPDATE of an event’s data is reported as edited at its revision', async () => {
    const s = 'project-edit';
    const hashes = await appendEvents(db.pool, s, 5);
    await tamper.editData(db.pool, s, 2);
    const v = await verifyLog(db.pool, { stream: s });
    expect(v.breaks).toEqual([
      expect.objectContaining({
        kind: 'edited',
        stream: s,
        revision: 2,
        eventId: `${s}.e2`,
        foundHash: hashes[2],
      }),
    ]);
    const edited = { ...event(s, 2), data: { ...event(s, 2).data, physicalPercent: 95 } };
    expect(v.breaks[0]?.foundDigest).toBe(contentDigest(s, edited));
    expect(v.breaks[0]?.expectedDigest).toBe(contentDigest(s, event(s, 2)));
    expect(v.breaks[0]?.expectedHash).toBe(chainHash(hashes[1] as string, contentDigest(s, edited)));
  });

  it('a DELETE of an event in the middle is reported as deleted at its revision', async () => {
    const s = 'project-del';
    await appendEvents(db.pool, s, 5);
    await tamper.delete(db.pool, s, 3);
    const v = await verifyLog(db.pool, { stream: s });
    expect(v.breaks).toEqual([
      expect.objectContaining({ kind: 'deleted', stream: s, revision: 3, eventId: null, revisions: [3] }),
    ]);
  });

  it('a DELETE of the last event is reported against the stream head', async () => {
    const s = 'project-deltail';
    const hashes = await appendEvents(db.pool, s, 3);
    await tamper.delete(db.pool, s, 2);
    expect((await verifyLog(db.pool, { stream: s })).breaks).toEqual([
      expect.objectContaining({
        kind: 'deleted',
        revision: 2,
        expectedHash: hashes[2],
        foundHash: hashes[1],
      }),
    ]);
  });

  it('an INSERT of a correctly chained forged event after the last is reported as inserted', async () => {
    const s = 'project-ins';
    const hashes = await appendEvents(db.pool, s, 3);
    const id = await tamper.insert(db.pool, s, 3, hashes[2] as string);
    expect((await verifyLog(db.pool, { stream: s })).breaks).toEqual([
      expect.objectContaining({ kind: 'inserted', revision: 3, eventId: id, revisions: [3] }),
    ]);
  });

  it('an INSERT in the middle, the later events renumbered, names the forged event', async () => {
    const s = 'project-insmid';
    const hashes = await appendEvents(db.pool, s, 5);
    await tamper.shiftUp(db.pool, s, 2);
    const id = await tamper.insert(db.pool, s, 2, hashes[1] as string);
    await db.pool.query('UPDATE streams SET last_revision = 5 WHERE stream = $1', [s]);
    expect((await verifyLog(db.pool, { stream: s })).breaks).toEqual([
      expect.objectContaining({ kind: 'inserted', stream: s, revision: 2, eventId: id, revisions: [2] }),
    ]);
  });

  it('an INSERT at revision 0 of a new chain names the forged first event', async () => {
    const s = 'project-insfirst';
    await appendEvents(db.pool, s, 2);
    await tamper.shiftUp(db.pool, s, 0);
    const id = await tamper.insert(db.pool, s, 0, GENESIS_HASH);
    await db.pool.query('UPDATE streams SET last_revision = 2 WHERE stream = $1', [s]);
    expect((await verifyLog(db.pool, { stream: s })).breaks).toEqual([
      expect.objectContaining({ kind: 'inserted', revision: 0, eventId: id }),
    ]);
  });

  it('swapped revisions are reported as reordered where the first misplaced event sits', async () => {
    const s = 'project-swap';
    const hashes = await appendEvents(db.pool, s, 5);
    await tamper.swap(db.pool, s, 1, 3);
    expect((await verifyLog(db.pool, { stream: s })).breaks).toEqual([
      expect.objectContaining({
        kind: 'reordered',
        revision: 1,
        eventId: `${s}.e3`,
        revisions: [1, 3],
        foundHash: hashes[3],
      }),
    ]);
  });

  it('a whole-log run lists the first break of every tampered stream, in stream order', async () => {
    const v = await verifyLog(db.pool);
    expect(v.breaks.map((b) => [b.stream, b.kind])).toEqual([
      ['project-del', 'deleted'],
      ['project-deltail', 'deleted'],
      ['project-edit', 'edited'],
      ['project-ins', 'inserted'],
      ['project-insfirst', 'inserted'],
      ['project-insmid', 'inserted'],
      ['project-swap', 'reordered'],
    ]);
    expect(v.streams).toBe(9);
  });
});
