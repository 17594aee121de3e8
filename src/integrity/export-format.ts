// The backup format of `tiendo export` / `tiendo restore`: NDJSON, a header line, then every event in
// log order with all its envelope fields, digest and hash, then the recorded command ids. Pure: the
// line schemas, and a checker that verifies each stream's chain line by line as a file is read, so a
// bad file is refused with the line number of each fault. See docs/INTEGRITY.md.
import { z } from 'zod';
import type { FieldIssue } from '../domain/errors.js';
import { chainHash, contentDigest, GENESIS_HASH } from '../store/hash.js';
import type { JsonObject } from '../store/port.js';

export const EXPORT_FORMAT = 'tiendo-export';
export const EXPORT_VERSION = 1;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256');
const digits = z.string().regex(/^\d+$/, 'must be a string of digits');
const count = z.number().int().nonnegative();
const jsonObject = z.record(z.string(), z.json()) as unknown as z.ZodType<JsonObject>;

export const headerSchema = z.strictObject({
  kind: z.literal('header'),
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: z.string(),
  streams: count,
  events: count,
  commands: count,
  /** The last event's position in the exporting database's log; null for an empty log. */
  position: z.strictObject({ tx: digits, pos: digits }).nullable(),
});

export const eventLineSchema = z.strictObject({
  kind: z.literal('event'),
  /** Where it sat in the exporting log; restore appends in file order and renumbers positions. */
  position: z.strictObject({ tx: digits, pos: digits }),
  stream: z.string().regex(/^[^-]+-.+$/, 'must be category-id'),
  revision: count,
  id: z.string().min(1),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  data: jsonObject,
  metadata: jsonObject,
  digest: hex64,
  hash: hex64,
  /** The store's recorded_at, in PostgreSQL's ISO text with microseconds. */
  recordedAt: z.string().min(1),
});

export const commandLineSchema = z.strictObject({
  kind: z.literal('command'),
  commandId: z.string().min(1),
  commandHash: z.string().nullable(),
  stream: z.string().min(1),
  firstRevision: count,
  lastRevision: count,
  recordedAt: z.string().min(1),
});

export type ExportHeader = z.infer<typeof headerSchema>;
export type EventLine = z.infer<typeof eventLineSchema>;
export type CommandLine = z.infer<typeof commandLineSchema>;

/** A fault in an export file: its line (1-based) and what is wrong there. */
export interface LineFault {
  readonly line: number;
  readonly issues: readonly FieldIssue[];
}

export type ParsedLine =
  | { readonly ok: true; readonly line: ExportHeader | EventLine | CommandLine }
  | { readonly ok: false; readonly issues: readonly FieldIssue[] };

export function parseLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      issues: [{ field: '(line)', message: `is not valid JSON: ${(error as Error).message}` }],
    };
  }
  const kind = (value as { kind?: unknown } | null)?.kind;
  const schema =
    kind === 'header'
      ? headerSchema
      : kind === 'event'
        ? eventLineSchema
        : kind === 'command'
          ? commandLineSchema
          : null;
  if (!schema) return { ok: false, issues: [{ field: 'kind', message: 'must be header, event or command' }] };
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, line: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({
      field: i.path.map(String).join('.') || '(line)',
      message: i.message,
    })),
  };
}

interface StreamState {
  revision: number;
  hash: string;
}

/**
 * Follows every stream's chain through the file: each event must come at its stream's next revision,
 * its content must give its digest, and its hash must follow from the previous one.
 */
export class ChainChecker {
  private readonly streams = new Map<string, StreamState>();
  private eventCount = 0;

  /** The issues of this event line; none when it extends its stream's chain. */
  event(e: EventLine): FieldIssue[] {
    this.eventCount++;
    const state = this.streams.get(e.stream) ?? { revision: -1, hash: GENESIS_HASH };
    if (e.revision <= state.revision)
      return [
        {
          field: 'revision',
          message: `is ${e.revision}, expected ${state.revision + 1}: ${e.stream} already has revision ${e.revision} (a repeated or reordered event)`,
        },
      ];
    // Whatever is wrong below, the chain goes on from this line's stated hash: one fault per change.
    this.streams.set(e.stream, { revision: e.revision, hash: e.hash });
    if (e.revision > state.revision + 1)
      return [
        {
          field: 'revision',
          message: `is ${e.revision}, expected ${state.revision + 1}: ${e.stream} revision ${state.revision + 1} is missing before it (deleted or reordered events)`,
        },
      ];
    const content = {
      id: e.id,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      metadata: e.metadata,
    };
    const digest = contentDigest(e.stream, content);
    if (digest !== e.digest)
      return [
        {
          field: 'digest',
          message: `is ${e.digest}, the content digests to ${digest}: the event was edited`,
        },
      ];
    const hash = chainHash(state.hash, digest);
    if (hash !== e.hash)
      return [
        {
          field: 'hash',
          message: `is ${e.hash}, expected ${hash}: it does not follow from ${e.stream} revision ${state.revision}`,
        },
      ];
    return [];
  }

  /** A command must name events the file holds. */
  command(c: CommandLine): FieldIssue[] {
    const state = this.streams.get(c.stream);
    if (!state || c.lastRevision > state.revision || c.firstRevision > c.lastRevision)
      return [
        {
          field: 'lastRevision',
          message: `command ${c.commandId} names ${c.stream} revisions ${c.firstRevision}–${c.lastRevision}, which the file does not hold`,
        },
      ];
    return [];
  }

  get events(): number {
    return this.eventCount;
  }

  /** Each stream's last revision and hash: the `streams` rows to write. */
  heads(): { stream: string; revision: number; hash: string }[] {
    return [...this.streams].map(([stream, s]) => ({ stream, ...s }));
  }
}
