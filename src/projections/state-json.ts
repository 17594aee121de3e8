// Folded project states kept as JSON text by the projections that fold onto them (text, not jsonb:
// only Node reads them, so PostgreSQL need not parse them on every write; migrations/090, 092), and the
// field-level difference between two states for the audit trail. Money is bigint in the domain:
// stored as {"$dong": "digits"} so it comes back exact and as bigint.
import type { Json } from '../store/port.js';

const DONG = '$dong';

/** A state as JSON text; bigints tagged. */
export function stateToJson(state: unknown): string {
  // A copy then a plain stringify: a replacer function costs more than the copy (BENCHMARKS.md).
  return JSON.stringify(tagged(state));
}

function tagged(value: unknown): unknown {
  if (typeof value === 'bigint') return { [DONG]: value.toString() };
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(tagged);
  const out: Record<string, unknown> = {};
  for (const k in value) out[k] = tagged((value as Record<string, unknown>)[k]);
  return out;
}

/**
 * Rows for jsonb_populate_recordset as one JSON array text, each row's `state` column a JSON string
 * holding stateToJson's text: PostgreSQL reads it as one string into the text column, where a nested
 * object would be parsed into a tree and printed back (most of a batch's write time, BENCHMARKS.md).
 */
export function rowsWithState(rows: readonly { readonly row: object; readonly state: unknown }[]): string {
  return `[${rows.map(({ row, state }) => `${JSON.stringify(row).slice(0, -1)},"state":${JSON.stringify(stateToJson(state))}}`).join(',')}]`;
}

/**
 * A state read back to the one it was written from: from its text (a text column), or already
 * parsed (a jsonb column, which node-postgres parses).
 */
export function stateFromJson<S>(value: unknown): S {
  return revive(typeof value === 'string' ? JSON.parse(value) : value) as S;
}

function revive(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(revive);
  const o = value as Record<string, unknown>;
  const dong = o[DONG];
  if (typeof dong === 'string' && Object.keys(o).length === 1) return BigInt(dong);
  const out: Record<string, unknown> = {};
  for (const k in o) out[k] = revive(o[k]);
  return out;
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
 * Subtrees the two states share (the same object, as evolve leaves what it does not change) are
 * skipped without a look inside: most of a state is shared between one revision and the next.
 */
export function diffStates(before: unknown, after: unknown, ignore: readonly string[] = []): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, '', out, new Set(ignore));
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: FieldChange[], skip?: ReadonlySet<string>): void {
  if (a === b) return;
  const ra = isRecord(a);
  const rb = isRecord(b);
  if (ra || rb) {
    const left = (ra ? a : {}) as Record<string, unknown>;
    const right = (rb ? b : {}) as Record<string, unknown>;
    if (!ra && a !== null && a !== undefined && path)
      out.push({ field: path, before: plain(a), after: null });
    // Only the keys whose values differ, sorted: most keys of a state are shared with the next one.
    const changed: string[] = [];
    for (const k in left) if (left[k] !== right[k] && !skip?.has(k)) changed.push(k);
    for (const k in right) if (!(k in left) && right[k] !== undefined && !skip?.has(k)) changed.push(k);
    changed.sort();
    for (const k of changed) walk(left[k], right[k], path ? `${path}.${k}` : k, out);
    if (!rb && b !== null && b !== undefined && path)
      out.push({ field: path, before: null, after: plain(b) });
    return;
  }
  const before = plain(a);
  const after = plain(b);
  if (before === after) return;
  if (
    typeof before !== 'object' ||
    typeof after !== 'object' ||
    JSON.stringify(before) !== JSON.stringify(after)
  )
    out.push({ field: path, before, after });
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
/** JSON with money as strings of digits (how the API and the event data show it). */
const plain = (v: unknown): Json => {
  switch (typeof v) {
    case 'undefined':
      return null;
    case 'bigint':
      return v.toString();
    case 'object':
      return v === null ? null : plainCopy(v);
    default:
      return v as Json;
  }
};

/** What JSON text of `v` would parse back to, money as strings of digits, without the text. */
function plainCopy(v: object): Json {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : plain(x)));
  const out: Record<string, Json> = {};
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = plain(x);
  }
  return out;
}
