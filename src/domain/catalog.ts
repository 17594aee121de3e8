// The catalogue of every command and event tiendo knows, across aggregates: which aggregate a command
// goes to, the schema of its data, and how event data is encoded for storage and decoded back.
import type { z } from 'zod';
import {
  type AdminMapCommandType,
  type AdminMapEventType,
  adminMapCommandSchemas,
  adminMapEventSchemas,
  adminMapEventVersions,
} from './adminmap/map.js';
import { type CapitalCommandType, capitalCommandSchemas } from './capital/decide.js';
import { type CapitalEventType, capitalEventSchemas, capitalEventVersions } from './capital/plan.js';
import { type DirectoryCommandType, directoryCommandSchemas } from './directory/decide.js';
import {
  type DirectoryEventType,
  directoryEventSchemas,
  directoryEventVersions,
} from './directory/events.js';
import { ValidationError } from './errors.js';
import { type ProjectCommandType, projectCommandSchemas } from './project/commands.js';
import { type ProjectEventType, projectEventSchemas, projectEventVersions } from './project/events.js';
import { compileStoredReader, type StoredReader } from './stored-data.js';

export type Aggregate = 'project' | 'capitalPlan' | 'adminMap' | 'directory';
export type CommandType =
  | ProjectCommandType
  | CapitalCommandType
  | AdminMapCommandType
  | DirectoryCommandType;
export type EventType = ProjectEventType | CapitalEventType | AdminMapEventType | DirectoryEventType;

interface CommandEntry {
  readonly aggregate: Aggregate;
  readonly schema: z.ZodType;
}

const entries = (schemas: Record<string, z.ZodType>, aggregate: Aggregate) =>
  Object.fromEntries(Object.entries(schemas).map(([t, schema]) => [t, { aggregate, schema }])) as Record<
    string,
    CommandEntry
  >;

export const COMMANDS = {
  ...entries(projectCommandSchemas, 'project'),
  ...entries(capitalCommandSchemas, 'capitalPlan'),
  ...entries(adminMapCommandSchemas, 'adminMap'),
  ...entries(directoryCommandSchemas, 'directory'),
} as Readonly<Record<CommandType, CommandEntry>>;

const EVENT_SCHEMAS: Readonly<Record<EventType, z.ZodType>> = {
  ...projectEventSchemas,
  ...capitalEventSchemas,
  ...adminMapEventSchemas,
  ...directoryEventSchemas,
};
export const EVENT_VERSIONS: Readonly<Record<EventType, number>> = {
  ...projectEventVersions,
  ...capitalEventVersions,
  ...adminMapEventVersions,
  ...directoryEventVersions,
};

/** The schema of an event type's data (its current version). */
export const eventSchemaOf = (type: EventType): z.ZodType => EVENT_SCHEMAS[type];

export const isCommandType = (t: unknown): t is CommandType =>
  typeof t === 'string' && Object.hasOwn(COMMANDS, t);
export const isEventType = (t: unknown): t is EventType =>
  typeof t === 'string' && Object.hasOwn(EVENT_SCHEMAS, t);

/** zod issues → our field issues, paths prefixed (e.g. `data.amount`); an unknown key names itself. */
export function fieldIssues(error: z.ZodError, prefix: string): { field: string; message: string }[] {
  const field = (path: readonly PropertyKey[]) =>
    [prefix, ...path.map(String)].filter(Boolean).join('.') || prefix || '(root)';
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ field: field([...i.path, key]), message: 'is not a known field' }))
      : [{ field: field(i.path), message: i.message }],
  );
}

/** Parses a command's data against its schema; throws ValidationError naming each bad field. */
export function parseCommandData(type: CommandType, data: unknown): unknown {
  const r = COMMANDS[type].schema.safeParse(data);
  if (!r.success) throw new ValidationError(fieldIssues(r.error, 'data'));
  return r.data;
}

/** Event data as stored: JSON with bigint amounts as strings of digits. */
export function encodeData(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(encodeData);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encodeData(v);
    return out;
  }
  return value;
}

/** Stored event data back to the domain's types, checked against the schema of its version. */
export function decodeEvent(
  type: string,
  schemaVersion: number,
  data: unknown,
): { type: EventType; data: unknown } {
  if (!isEventType(type)) throw new Error(`unknown event type ${type}`);
  if (schemaVersion !== EVENT_VERSIONS[type]) throw new Error(`no upcaster for ${type} v${schemaVersion}`);
  return { type, data: EVENT_SCHEMAS[type].parse(data) };
}

/** Readers of stored data compiled from each event type's schema; null where the schema needs zod. */
const STORED_READERS = new Map<string, StoredReader | null>();

/**
 * Stored event data back to the domain's types as decodeEvent does, without re-checking what the
 * domain checked when it decided the event (stored-data.ts): for reading the log in bulk.
 */
export function decodeStoredEvent(
  type: string,
  schemaVersion: number,
  data: unknown,
): { type: EventType; data: unknown } {
  let reader = STORED_READERS.get(type);
  if (reader === undefined) {
    reader = isEventType(type) ? (compileStoredReader(EVENT_SCHEMAS[type]) ?? null) : null;
    STORED_READERS.set(type, reader);
  }
  // A reader was compiled only for a known event type.
  if (reader === null || schemaVersion !== EVENT_VERSIONS[type as EventType])
    return decodeEvent(type, schemaVersion, data);
  return { type: type as EventType, data: reader(data) };
}

export type Command =
  | import('./project/commands.js').ProjectCommand
  | import('./capital/decide.js').CapitalCommand
  | import('./adminmap/map.js').AdminMapCommand
  | import('./directory/decide.js').DirectoryCommand;
