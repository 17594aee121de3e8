// Checkpoints of the PostgreSQL log: take one (every stream verified first: a tampered log is never
// signed) and check one against the log as it is now. A checkpoint holds when its signature is valid
// and every stream it names, its chain recomputed from the events stored now, reaches the signed hash
// at the signed revision: later appends are fine, any change before is reported.
import type { KeyObject } from 'node:crypto';
import type pg from 'pg';
import type { StreamHead } from '../store/port.js';
import type { ChainBreak } from './chain.js';
import { type Checkpoint, checkSignature, type SignatureCheck, signCheckpoint } from './checkpoint.js';
import { positionJson } from './report.js';
import { type LogVerification, verifyLog } from './verify-pg.js';

export type TakeCheckpoint =
  | { readonly ok: true; readonly checkpoint: Checkpoint }
  | { readonly ok: false; readonly verification: LogVerification };

export async function takeCheckpoint(
  pool: pg.Pool,
  privateKey: KeyObject,
  now: Date,
): Promise<TakeCheckpoint> {
  const heads: Record<string, StreamHead> = {};
  const verification = await verifyLog(pool, {
    onStream: (v) => {
      if (v.verifiedHead) heads[v.stream] = v.verifiedHead;
    },
  });
  if (verification.breaks.length > 0) return { ok: false, verification };
  const { streams, events, position } = verification;
  const checkpoint = signCheckpoint(
    { createdAt: now.toISOString(), position: position && positionJson(position), streams, events, heads },
    privateKey,
  );
  return { ok: true, checkpoint };
}

/** A stream whose signed head no longer holds. */
export interface ChangedHead {
  readonly stream: string;
  readonly signed: StreamHead;
  /** The hash recomputed now at the signed revision; null when the chain cannot reach it. */
  readonly found: string | null;
  /** The stream's first break when it lies at or before the signed revision. */
  readonly break: ChainBreak | null;
  readonly message: string;
}

export interface CheckpointCheck {
  readonly signature: SignatureCheck;
  readonly streams: number;
  readonly changed: readonly ChangedHead[];
  /** Breaks after the signed heads (or in streams created since): not covered, still reported. */
  readonly laterBreaks: readonly ChainBreak[];
  readonly ok: boolean;
}

export async function checkCheckpoint(
  pool: pg.Pool,
  checkpoint: Checkpoint,
  publicKey: KeyObject,
): Promise<CheckpointCheck> {
  const signature = checkSignature(checkpoint, publicKey);
  const found = new Map<string, string | null>();
  const verification = await verifyLog(pool, {
    onStream: (v) => {
      const signed = checkpoint.heads[v.stream];
      if (signed) found.set(v.stream, v.hashes[signed.revision] ?? null);
    },
  });
  const breaks = new Map(verification.breaks.map((b) => [b.stream, b]));
  const changed: ChangedHead[] = [];
  for (const [stream, signed] of Object.entries(checkpoint.heads).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const hash = found.get(stream) ?? null;
    if (hash === signed.hash) continue;
    const b = breaks.get(stream);
    const before = b && b.revision <= signed.revision ? b : null;
    if (before) breaks.delete(stream);
    changed.push({
      stream,
      signed,
      found: hash,
      break: before,
      message: changeMessage(stream, signed, hash, found.has(stream)),
    });
  }
  const laterBreaks = [...breaks.values()];
  return {
    signature,
    streams: Object.keys(checkpoint.heads).length,
    changed,
    laterBreaks,
    ok: signature.valid && changed.length === 0 && laterBreaks.length === 0,
  };
}

function changeMessage(stream: string, signed: StreamHead, hash: string | null, exists: boolean): string {
  if (!exists) return `${stream} no longer exists; the checkpoint signed revision ${signed.revision}`;
  if (hash === null)
    return `${stream} no longer reaches revision ${signed.revision} with an intact chain (events deleted or tampered with before it)`;
  return `${stream} at revision ${signed.revision}: the chain recomputed from the events now gives ${hash}, the checkpoint signed ${signed.hash}`;
}
