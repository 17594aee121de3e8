// Folded project states kept in jsonb by the projections that fold onto them, and the field-level
// difference between two states for the audit trail. Money is bigint in the domain: stored as
// {"$dong": "digits"} so it comes back exact and as bigint.
import type { Json } from '../store/port.js';

const DONG = '$dong';

/** A state as JSON text for a jsonb parameter; bigints tagged. */
export function stateToJson(state: unknown): string {
  return JSON.stringify(state, (_key, value) =>
    typeof value === 'bigint' ? { [DONG]: value.toString() } : value,
  );
}

/** A jsonb value read back (node-postgres parses it) to the state it was written from. */
export function stateFromJson<S>(value: unknown): S {
  return revive(value) as S;
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]?.[0] === DONG) return BigInt(entries[0][1] as string);
  return Object.fromEntries(entries.map(([k, v]) => [k, revive(v)]));
}

export interface FieldChange {
  /** Dotted path into the state, e.g. `phase`, `certificate.registeredCapital`, `milestones.KC01.currentDue`. */
  readonly field: string;
  /** null when the field did not exist before (or no longer exists after). */
  readonly before: Json;
  readonly after: Json;
}

/**
 * The fields whose values differ between two states, walking nested objects; arrays are compared
 * whole (a list that grew shows as one change). Keys in `ignore` at the top level are skipped.
 */
export function diffStates(before: unknown, after: unknown, ignore: readonly string[] = []): FieldChange[] {
  const out: FieldChange[] = [];
  const skip = new Set(ignore);
  // Left out before copying: `history` grows with every revision and would dominate the cost.
  const kept = (v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).filter(([k]) => !skip.has(k)))
      : v;
  walk(plain(kept(before)), plain(kept(after)), '', out);
  return out;
}

function walk(a: Json, b: Json, path: string, out: FieldChange[]): void {
  if (isRecord(a) || isRecord(b)) {
    const left = isRecord(a) ? a : {};
    const right = isRecord(b) ? b : {};
    if (!isRecord(a) && a !== null && path) out.push({ field: path, before: a, after: null });
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    for (const k of keys) walk(left[k] ?? null, right[k] ?? null, path ? `${path}.${k}` : k, out);
    if (!isRecord(b) && b !== null && path) out.push({ field: path, before: null, after: b });
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ field: path, before: a, after: b });
}

const isRecord = (v: Json): v is { [key: string]: Json } =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON with money as strings of digits (how the API and the event data show it). */
const plain = (v: unknown): Json =>
  v === undefined
    ? null
    : (JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))) as Json);
