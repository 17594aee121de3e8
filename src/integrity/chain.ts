// Verifies one stream's hash chain from its stored rows alone, and when it breaks, says where and how:
// an edited event, deleted ones, an inserted (forged) one, or events put out of order. Pure: the rows
// come from PostgreSQL (verify-pg.ts), an export file (restore) or a test. The chain's definition is
// src/store/hash.ts: digest = SHA-256(canonical content), hash = SHA-256(previous hash ‖ digest).
import { chainHash, contentDigest, GENESIS_HASH } from '../store/hash.js';
import type { JsonObject, LogPosition, RecordedEvent, StreamHead } from '../store/port.js';
import { comparePositions } from '../store/port.js';

/** One stored event as the log holds it, with the digest and hash written when it was appended. */
export interface StoredEvent {
  readonly stream: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  /** Hex SHA-256 of the canonical content, as stored. */
  readonly digest: string;
  /** Hex chain hash, as stored. */
  readonly hash: string;
  /** Where it sits in the global log; absent when the source has no positions. */
  readonly position?: LogPosition;
}

/**
 * A recorded event from any adapter of the port, which gives its hash but not its stored digest: the
 * digest is recomputed, so an edit shows as a hash that no longer follows rather than as a digest
 * mismatch.
 */
export const fromRecorded = (e: RecordedEvent): StoredEvent => ({ ...e, digest: contentDigest(e.stream, e) });

export type BreakKind = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'head';

/** The first place a stream's chain does not hold, described precisely. */
export interface ChainBreak {
  readonly kind: BreakKind;
  readonly stream: string;
  /** The revision where the chain stops holding. */
  readonly revision: number;
  /** The event stored at that revision, or null when none is (deleted at the end). */
  readonly eventId: string | null;
  /** The hash the verified chain leads to there (recomputed), and the one stored. */
  readonly expectedHash: string | null;
  readonly foundHash: string | null;
  /** For edits: the digest stored at append time and the digest of the content as it is now. */
  readonly expectedDigest?: string;
  readonly foundDigest?: string;
  /** Revisions concerned: the missing ones (deleted), the intruders (inserted), the misplaced ones. */
  readonly revisions?: readonly number[];
  readonly message: string;
}

export interface StreamVerification {
  readonly stream: string;
  readonly events: number;
  /** The head recomputed from content up to the first break (or the end); null for no verified event. */
  readonly verifiedHead: StreamHead | null;
  /** The chain hash recomputed from content at each revision, up to the first break. */
  readonly hashes: readonly string[];
  readonly break: ChainBreak | null;
}

/**
 * Verifies a stream: `events` in any order (sorted by revision here), `head` the stream's recorded
 * last revision and hash (the `streams` row), null when there is none.
 */
export function verifyStream(
  stream: string,
  events: readonly StoredEvent[],
  head: StreamHead | null,
): StreamVerification {
  const rows = [...events].sort((a, b) => a.revision - b.revision);
  const digests = rows.map((r) => contentDigest(stream, r));
  const hashes: string[] = [];
  const done = (brk: ChainBreak | null): StreamVerification => ({
    stream,
    events: rows.length,
    verifiedHead: hashes.length > 0 ? { revision: hashes.length - 1, hash: hashes.at(-1) as string } : null,
    hashes,
    break: brk,
  });

  let previous = GENESIS_HASH;
  for (let i = 0; i < rows.length; i++) {
    const brk = checkRow(stream, rows, digests, i, previous) ?? outOfLogOrder(stream, rows, i);
    if (brk) return done(brk);
    previous = chainHash(previous, digests[i] as string);
    hashes.push(previous);
  }
  return done(checkHead(stream, rows, previous, head));
}

/** Classifies a break at rows[i], given the verified chain's hash before it; null when it holds. */
function checkRow(
  stream: string,
  rows: readonly StoredEvent[],
  digests: readonly string[],
  i: number,
  previous: string,
): ChainBreak | null {
  const row = rows[i] as StoredEvent;
  const at = { stream, revision: i, eventId: row.id };
  if (row.revision > i) {
    const missing = range(i, row.revision);
    return {
      kind: 'deleted',
      ...at,
      eventId: null,
      expectedHash: chainHash(previous, row.digest),
      foundHash: row.hash,
      revisions: missing,
      message: `${plural(missing.length, 'event')} missing at ${revisionList(missing)}: the next stored event is ${row.id} at revision ${row.revision}`,
    };
  }
  if (row.revision < i) {
    return {
      kind: 'inserted',
      ...at,
      revision: row.revision,
      expectedHash: null,
      foundHash: row.hash,
      revisions: [row.revision],
      message: `a second event ${row.id} claims revision ${row.revision}`,
    };
  }
  const digest = digests[i] as string;
  const expectedHash = chainHash(previous, digest);
  if (digest !== row.digest) {
    // The content no longer matches the digest written at append time.
    return {
      kind: 'edited',
      ...at,
      expectedHash,
      foundHash: row.hash,
      expectedDigest: row.digest,
      foundDigest: digest,
      message: `event ${row.id} at revision ${i} was edited: its content digests to ${digest}, the digest stored when it was appended is ${row.digest}`,
    };
  }
  if (expectedHash === row.hash) return null;
  return classifyLink(stream, rows, digests, i, previous, expectedHash);
}

/** rows[i] is intact in itself but does not follow from the chain before it: find out why. */
function classifyLink(
  stream: string,
  rows: readonly StoredEvent[],
  digests: readonly string[],
  i: number,
  previous: string,
  expectedHash: string,
): ChainBreak {
  const row = rows[i] as StoredEvent;
  const at = { stream, revision: i, eventId: row.id, expectedHash, foundHash: row.hash };
  const chainsFrom = (j: number, before: string) =>
    chainHash(before, digests[j] as string) === (rows[j] as StoredEvent).hash;
  // What this row was appended after: the chain's start (-1), a stored row whose hash links to this
  // row's, or nothing stored (null).
  const found = rows.findIndex((_, j) => j !== i && chainsFrom(i, (rows[j] as StoredEvent).hash));
  const predecessor = chainsFrom(i, GENESIS_HASH) ? -1 : found >= 0 ? found : null;
  if (predecessor !== null && predecessor > i) {
    const after = rows[predecessor] as StoredEvent;
    // The event that does follow from the verified chain is the one displaced from revision i.
    const displaced = rows.findIndex((_, j) => j > i && chainsFrom(j, previous));
    const other =
      displaced >= 0
        ? `; event ${(rows[displaced] as StoredEvent).id}, stored at revision ${displaced}, belongs at revision ${i}`
        : '';
    return {
      kind: 'reordered',
      ...at,
      revisions: [i, displaced >= 0 ? displaced : predecessor],
      message: `event ${row.id} at revision ${i} was appended after event ${after.id}, which is stored at revision ${predecessor}${other}: events were put out of order`,
    };
  }
  if (predecessor !== null && predecessor < i - 1) {
    const intruders = range(predecessor + 1, i);
    const after = predecessor < 0 ? 'first in the stream' : `right after revision ${predecessor}`;
    return {
      kind: 'inserted',
      ...at,
      revision: predecessor + 1,
      eventId: (rows[predecessor + 1] as StoredEvent).id,
      revisions: intruders,
      message: `${plural(intruders.length, 'event')} at ${revisionList(intruders)} ${intruders.length === 1 ? 'is' : 'are'} not part of the chain: event ${row.id} was appended ${after}`,
    };
  }
  // No stored row leads to it. If the next row follows from the verified chain instead, this row was
  // slipped in; otherwise it was rewritten (content and digest, or its hash).
  const next = rows[i + 1];
  if (next && chainsFrom(i + 1, previous)) {
    return {
      kind: 'inserted',
      ...at,
      revisions: [i],
      message: `event ${row.id} at revision ${i} is not part of the chain: the event after it follows directly from revision ${i - 1}`,
    };
  }
  return {
    kind: 'edited',
    ...at,
    message: `event ${row.id} at revision ${i} does not follow from revision ${i - 1}: expected hash ${expectedHash}, found ${row.hash} (the event was rewritten with a new digest or hash, or events before it were removed and the rest renumbered)`,
  };
}

/** Within a stream, the global log must hold the events in revision order. */
function outOfLogOrder(stream: string, rows: readonly StoredEvent[], i: number): ChainBreak | null {
  const row = rows[i] as StoredEvent;
  const before = rows[i - 1];
  if (!before?.position || !row.position || comparePositions(before.position, row.position) < 0) return null;
  return {
    kind: 'reordered',
    stream,
    revision: i,
    eventId: row.id,
    expectedHash: null,
    foundHash: null,
    revisions: [i - 1, i],
    message: `event ${row.id} at revision ${i} comes before revision ${i - 1} in the global log (position ${fmt(row.position)} < ${fmt(before.position)})`,
  };
}

function checkHead(
  stream: string,
  rows: readonly StoredEvent[],
  last: string,
  head: StreamHead | null,
): ChainBreak | null {
  const lastRevision = rows.length - 1;
  const headBreak = (foundHash: string | null, message: string): ChainBreak => ({
    kind: 'head',
    stream,
    revision: lastRevision,
    eventId: (rows.at(-1) as StoredEvent).id,
    expectedHash: last,
    foundHash,
    message,
  });
  if (head === null) {
    if (rows.length === 0) return null;
    return headBreak(
      null,
      `the stream has ${plural(rows.length, 'event')} but no head record (streams row deleted)`,
    );
  }
  if (head.revision > lastRevision) {
    const missing = range(lastRevision + 1, head.revision + 1);
    return {
      kind: 'deleted',
      stream,
      revision: lastRevision + 1,
      eventId: null,
      expectedHash: head.hash,
      foundHash: rows.length > 0 ? last : null,
      revisions: missing,
      message: `${plural(missing.length, 'event')} missing at the end (${revisionList(missing)}): the stream's head is at revision ${head.revision}`,
    };
  }
  if (head.revision < lastRevision) {
    const extra = range(head.revision + 1, lastRevision + 1);
    const first = rows[head.revision + 1] as StoredEvent;
    return {
      kind: 'inserted',
      stream,
      revision: head.revision + 1,
      eventId: first.id,
      expectedHash: head.hash,
      foundHash: (rows[head.revision] as StoredEvent | undefined)?.hash ?? null,
      revisions: extra,
      message: `${plural(extra.length, 'event')} at ${revisionList(extra)} lie beyond the stream's head (revision ${head.revision}): written outside the store`,
    };
  }
  return head.hash === last
    ? null
    : headBreak(head.hash, `the stream's head hash ${head.hash} differs from the chain's ${last}`);
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const revisionList = (rs: readonly number[]) =>
  rs.length === 1 ? `revision ${rs[0]}` : `revisions ${rs[0]}–${rs.at(-1)}`;
const fmt = (p: LogPosition) => `${p.tx}/${p.pos}`;
