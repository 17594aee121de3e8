// The chain verifier (src/integrity/chain.ts): an intact stream verifies, and each way of tampering
// with stored rows is found at the right revision and named for what it is.
import { describe, expect, it } from 'vitest';
import { fromRecorded, type StoredEvent, verifyStream } from '../../src/integrity/chain.js';
import { chainHash, contentDigest, GENESIS_HASH } from '../../src/store/hash.js';
import type { StreamHead } from '../../src/store/port.js';

const STREAM = 'project-CB0001';

/** Rows as the store appends them: digest of the content, hash chained from the previous row. */
function appended(count: number, stream = STREAM): StoredEvent[] {
  const rows: StoredEvent[] = [];
  let previous = GENESIS_HASH;
  for (let revision = 0; revision < count; revision++)
    rows.push(forge(stream, revision, `e${revision}`, previous));
  return rows;

  function forge(s: string, revision: number, id: string, before: string): StoredEvent {
    const content = {
      id,
      type: 'ProgressReported',
      schemaVersion: 1,
      data: { n: revision },
      metadata: { by: 'u1' },
    };
    const digest = contentDigest(s, content);
    previous = chainHash(before, digest);
    return {
      ...content,
      stream: s,
      revision,
      digest,
      hash: previous,
      position: { tx: 100n + BigInt(revision), pos: BigInt(revision + 1) },
    };
  }
}

/** A row a forger computes correctly, chained after `before`. */
function forged(revision: number, before: string, id = 'forged'): StoredEvent {
  const content = { id, type: 'ProgressReported', schemaVersion: 1, data: { n: 99 }, metadata: { by: 'x' } };
  const digest = contentDigest(STREAM, content);
  return { ...content, stream: STREAM, revision, digest, hash: chainHash(before, digest) };
}

const headOf = (rows: readonly StoredEvent[]): StreamHead => ({
  revision: rows.length - 1,
  hash: (rows.at(-1) as StoredEvent).hash,
});
const renumber = (rows: readonly StoredEvent[]) => rows.map((r, revision) => ({ ...r, revision }));

describe('an intact stream', () => {
  it('verifies, and its recomputed head is the stored head', () => {
    const rows = appended(5);
    const v = verifyStream(STREAM, rows, headOf(rows));
    expect(v.break).toBeNull();
    expect(v.events).toBe(5);
    expect(v.verifiedHead).toEqual(headOf(rows));
    expect(v.hashes).toEqual(rows.map((r) => r.hash));
  });

  it('verifies whatever order the rows are given in', () => {
    const rows = appended(4);
    expect(verifyStream(STREAM, [...rows].reverse(), headOf(rows)).break).toBeNull();
  });

  it('with no events and no head is empty, not broken', () => {
    const v = verifyStream(STREAM, [], null);
    expect(v).toMatchObject({ events: 0, verifiedHead: null, break: null });
  });
});

describe('an edited event', () => {
  it('is found by its content no longer matching the digest stored at append', () => {
    const rows = appended(5);
    const edited = rows.map((r) => (r.revision === 2 ? { ...r, data: { n: 2, amount: '1' } } : r));
    const { break: b, verifiedHead } = verifyStream(STREAM, edited, headOf(rows));
    expect(b).toMatchObject({
      kind: 'edited',
      stream: STREAM,
      revision: 2,
      eventId: 'e2',
      foundHash: rows[2]?.hash,
    });
    expect(b?.expectedDigest).toBe(rows[2]?.digest);
    expect(b?.foundDigest).toBe(contentDigest(STREAM, edited[2] as StoredEvent));
    expect(b?.expectedHash).toBe(chainHash(rows[1]?.hash as string, b?.foundDigest as string));
    expect(verifiedHead).toEqual({ revision: 1, hash: rows[1]?.hash });
  });

  it('is found when the forger also rewrote the digest: the hash no longer follows', () => {
    const rows = appended(5);
    const data = { n: 2, amount: '1' };
    const digest = contentDigest(STREAM, { ...(rows[2] as StoredEvent), data });
    const edited = rows.map((r) => (r.revision === 2 ? { ...r, data, digest } : r));
    expect(verifyStream(STREAM, edited, headOf(rows)).break).toMatchObject({
      kind: 'edited',
      revision: 2,
      eventId: 'e2',
      expectedHash: chainHash(rows[1]?.hash as string, digest),
      foundHash: rows[2]?.hash,
    });
  });

  it('is found when only its stored hash was changed', () => {
    const rows = appended(4);
    const edited = rows.map((r) => (r.revision === 1 ? { ...r, hash: 'ab'.repeat(32) } : r));
    expect(verifyStream(STREAM, edited, headOf(rows)).break).toMatchObject({
      kind: 'edited',
      revision: 1,
      expectedHash: rows[1]?.hash,
      foundHash: 'ab'.repeat(32),
    });
  });
});

describe('deleted events', () => {
  it('in the middle leave a gap in the revisions', () => {
    const rows = appended(6);
    const b = verifyStream(
      STREAM,
      rows.filter((r) => r.revision !== 2 && r.revision !== 3),
      headOf(rows),
    ).break;
    expect(b).toMatchObject({ kind: 'deleted', revision: 2, eventId: null, revisions: [2, 3] });
    expect(b?.message).toContain('e4 at revision 4');
  });

  it('at the end fall short of the stream head', () => {
    const rows = appended(5);
    const b = verifyStream(STREAM, rows.slice(0, 3), headOf(rows)).break;
    expect(b).toMatchObject({
      kind: 'deleted',
      revision: 3,
      revisions: [3, 4],
      expectedHash: rows[4]?.hash,
      foundHash: rows[2]?.hash,
    });
  });

  it('all of them leave the head alone', () => {
    const rows = appended(2);
    expect(verifyStream(STREAM, [], headOf(rows)).break).toMatchObject({
      kind: 'deleted',
      revision: 0,
      revisions: [0, 1],
    });
  });

  it('then renumbered break the chain at the first renumbered event', () => {
    const rows = appended(5);
    const b = verifyStream(STREAM, renumber(rows.filter((r) => r.revision !== 1)), {
      revision: 3,
      hash: rows[4]?.hash as string,
    }).break;
    expect(b).toMatchObject({
      kind: 'edited',
      revision: 1,
      eventId: 'e2',
      expectedHash: chainHash(rows[0]?.hash as string, rows[2]?.digest as string),
      foundHash: rows[2]?.hash,
    });
    expect(b?.message).toContain('removed and the rest renumbered');
  });
});

describe('an inserted event', () => {
  it('after the last one lies beyond the stream head, even when chained correctly', () => {
    const rows = appended(3);
    const b = verifyStream(STREAM, [...rows, forged(3, rows[2]?.hash as string)], headOf(rows)).break;
    expect(b).toMatchObject({ kind: 'inserted', revision: 3, eventId: 'forged', revisions: [3] });
  });

  it('in the middle, chained correctly and the rest renumbered, is named as the intruder', () => {
    const rows = appended(5);
    const tampered = renumber([...rows.slice(0, 2), forged(2, rows[1]?.hash as string), ...rows.slice(2)]);
    const b = verifyStream(STREAM, tampered, { revision: 5, hash: rows[4]?.hash as string }).break;
    expect(b).toMatchObject({ kind: 'inserted', revision: 2, eventId: 'forged', revisions: [2] });
  });

  it('in the middle, not chained, is named as the intruder', () => {
    const rows = appended(5);
    const tampered = renumber([...rows.slice(0, 2), forged(2, 'cd'.repeat(32)), ...rows.slice(2)]);
    const b = verifyStream(STREAM, tampered, { revision: 5, hash: rows[4]?.hash as string }).break;
    expect(b).toMatchObject({ kind: 'inserted', revision: 2, eventId: 'forged', revisions: [2] });
  });

  it('at the very start is named as the intruder', () => {
    const rows = appended(3);
    const tampered = renumber([forged(0, GENESIS_HASH), ...rows]);
    const b = verifyStream(STREAM, tampered, { revision: 3, hash: rows[2]?.hash as string }).break;
    expect(b).toMatchObject({ kind: 'inserted', revision: 0, eventId: 'forged', revisions: [0] });
    expect(b?.message).toContain('first in the stream');
  });

  it('claiming a revision another event holds is refused', () => {
    const rows = appended(3);
    const b = verifyStream(STREAM, [...rows, { ...forged(1, rows[0]?.hash as string) }], headOf(rows)).break;
    expect(b).toMatchObject({ kind: 'inserted', revision: 1, revisions: [1] });
  });
});

describe('reordered events', () => {
  it('with swapped revisions are found where the first misplaced one sits', () => {
    const rows = appended(5);
    const swapped = rows.map((r) =>
      r.revision === 2 ? { ...r, revision: 3 } : r.revision === 3 ? { ...r, revision: 2 } : r,
    );
    const b = verifyStream(STREAM, swapped, headOf(rows)).break;
    expect(b).toMatchObject({
      kind: 'reordered',
      revision: 2,
      eventId: 'e3',
      revisions: [2, 3],
      foundHash: rows[3]?.hash,
      expectedHash: chainHash(rows[1]?.hash as string, rows[3]?.digest as string),
    });
  });

  it('out of revision order in the global log are found', () => {
    const rows = appended(4);
    const moved = rows.map((r) => (r.revision === 3 ? { ...r, position: { tx: 1n, pos: 9n } } : r));
    expect(verifyStream(STREAM, moved, headOf(rows)).break).toMatchObject({
      kind: 'reordered',
      revision: 3,
      eventId: 'e3',
      revisions: [2, 3],
    });
  });
});

describe('events read through the port (no stored digest)', () => {
  const recorded = (rows: readonly StoredEvent[]) =>
    rows.map(({ digest: _, ...r }) => ({ ...r, position: r.position ?? { tx: 0n, pos: 0n } }));

  it('verify with their digests recomputed', () => {
    const rows = appended(3);
    expect(verifyStream(STREAM, recorded(rows).map(fromRecorded), headOf(rows)).break).toBeNull();
  });

  it('show an edit as a hash that no longer follows', () => {
    const rows = appended(3);
    const edited = recorded(rows).map((r) => (r.revision === 1 ? { ...r, data: { n: 7 } } : r));
    expect(verifyStream(STREAM, edited.map(fromRecorded), headOf(rows)).break).toMatchObject({
      kind: 'edited',
      revision: 1,
      foundHash: rows[1]?.hash,
    });
  });
});

describe('the stream head', () => {
  it('that disagrees with the chain is reported', () => {
    const rows = appended(3);
    expect(verifyStream(STREAM, rows, { revision: 2, hash: 'ef'.repeat(32) }).break).toMatchObject({
      kind: 'head',
      revision: 2,
      expectedHash: rows[2]?.hash,
      foundHash: 'ef'.repeat(32),
    });
  });

  it('that is missing while events exist is reported', () => {
    expect(verifyStream(STREAM, appended(2), null).break).toMatchObject({
      kind: 'head',
      revision: 1,
      foundHash: null,
    });
  });
});
