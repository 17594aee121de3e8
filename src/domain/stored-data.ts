// Event data read back from the log, converted without re-validating it. Every stored event was
// decided by the domain and encoded by encodeData, and the log's hash chain shows it unchanged since
// (docs/INTEGRITY.md), so a projection rebuilding from the log need not check each field again. A
// reader is compiled once per schema from the schema itself: it builds the same value zod's parse
// would (keys in the schema's order, money as bigint, absent optional keys left out) and nothing
// more. A schema holding a part it does not know (a transform other than money's and dates', a
// record, a tuple…) gets no reader: its events go through zod as before.
import type { z } from 'zod';
import { isoDateSchema, isoInstantSchema } from './dates.js';
import { dongSchema } from './money.js';

/** A compiled reader: stored JSON in, the schema's output out; throws on a value it cannot convert. */
export type StoredReader = (value: unknown) => unknown;

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The transforms that only brand a checked string (dates): the stored string is the value. */
const BRANDS = new Set([defOf(isoDateSchema).out, defOf(isoInstantSchema).out]);
/** The transform of money (dongSchema and its refinements): a string of digits to bigint. */
const MONEY = defOf(dongSchema).out;

const same: StoredReader = (v) => v;

/** Stored money back to bigint: a string of digits (encodeData) or a safe integer. */
const money: StoredReader = (v) => {
  if (typeof v === 'bigint') return v;
  if ((typeof v === 'string' && DIGITS.test(v)) || (typeof v === 'number' && Number.isSafeInteger(v)))
    return BigInt(v);
  throw new TypeError(`stored amount ${JSON.stringify(v)} is not whole đồng`);
};
/** As dongSchema reads them: no sign, no leading zero. */
const DIGITS = /^(0|[1-9][0-9]*)$/;

/** The reader of a schema's values, or undefined when the schema holds a part this cannot read. */
export function compileStoredReader(schema: z.ZodType): StoredReader | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'enum':
    case 'literal':
    case 'bigint':
      return same;
    case 'optional':
    case 'nullable': {
      const inner = compileStoredReader(def.innerType as z.ZodType);
      if (!inner) return undefined;
      return inner === same ? same : (v) => (v === undefined || v === null ? v : inner(v));
    }
    case 'array': {
      const element = compileStoredReader(def.element as z.ZodType);
      if (!element) return undefined;
      return (v) => {
        if (!Array.isArray(v)) throw new TypeError('stored value is not an array');
        return element === same ? v.slice() : v.map(element);
      };
    }
    case 'pipe':
      if (def.out === MONEY) return money;
      if (BRANDS.has(def.out)) return same;
      return undefined;
    case 'union':
      // The only unions in event schemas are money's input (string | number | bigint), read by 'pipe'.
      return undefined;
    case 'object': {
      const fields: [string, StoredReader][] = [];
      for (const [key, field] of Object.entries(def.shape ?? {})) {
        const reader = compileStoredReader(field);
        if (!reader) return undefined;
        fields.push([key, reader]);
      }
      return (v) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v))
          throw new TypeError('stored value is not an object');
        const from = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const [key, read] of fields) {
          const x = from[key];
          if (x !== undefined) out[key] = read(x);
        }
        return out;
      };
    }
    default:
      return undefined;
  }
}
