// Pure translation between the event store port and KurrentDB/EventStoreDB (@eventstore/db-client):
// envelopes <-> event data, deterministic event ids, expected revisions, log positions, the $all
// filter for the product's streams, and the classification of client errors into the port's errors.
// Nothing here talks to a server, so all of it is unit-tested (test/store/kurrent-translate.unit.test.ts).
import { createHash } from 'node:crypto';
import { NotFoundError, UnavailableError } from '../../domain/errors.js';
import { category } from '../../domain/streams.js';
import { wrongExpectedRevision } from '../expected.js';
import type { ExpectedRevision, JsonObject, LogPosition, NewEvent, RecordedEvent } from '../port.js';

/** Streams holding the adapter's command records (claim + completion); never part of the product log. */
export const COMMAND_CATEGORY = 'tiendocommand';
export const commandStream = (commandId: string): string => `${COMMAND_CATEGORY}-${commandId}`;

/** A fixed namespace for tiendo's name-based UUIDs: changing it changes every derived event id. */
export const TIENDO_NAMESPACE = '2f1c3a52-8d0e-5b7a-9c61-4e2f7d8a1b90';

/** RFC 4122 version-5 UUID (SHA-1 of namespace ‖ name), with node:crypto only. */
export function uuidV5(name: string, namespace = TIENDO_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The server's event id. With a command id it depends only on (commandId, index), so a command
 * retried with freshly decided events (new tiendo ids) still carries the same server ids and the
 * server's idempotent-write check recognises them; without one it is derived from the tiendo id.
 */
export function serverEventId(event: NewEvent, index: number, commandId?: string): string {
  return commandId === undefined ? uuidV5(`event:${event.id}`) : uuidV5(`command:${commandId}:${index}`);
}

/** What the adapter keeps in each server event's metadata next to the caller's metadata. */
export interface StoredMetadata {
  readonly id: string;
  readonly schemaVersion: number;
  readonly digest: string;
  readonly hash: string;
  readonly commandId?: string;
  readonly commandHash?: string | null;
  /** Copied from commandId so KurrentDB's own tooling (UI, projections) groups a command's events. */
  readonly $correlationId?: string;
  readonly metadata: JsonObject;
}

export interface ServerEventData {
  readonly id: string;
  readonly contentType: 'application/json';
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: StoredMetadata;
}

export interface ChainedEvent {
  readonly event: NewEvent;
  readonly digest: string;
  readonly hash: string;
}

/** The event data appended for one envelope (the shape jsonEvent() builds). */
export function toEventData(
  chained: ChainedEvent,
  index: number,
  command: { commandId?: string; commandHash?: string } = {},
): ServerEventData {
  const { event, digest, hash } = chained;
  const metadata: StoredMetadata = {
    id: event.id,
    schemaVersion: event.schemaVersion,
    digest,
    hash,
    ...(command.commandId === undefined
      ? {}
      : {
          commandId: command.commandId,
          commandHash: command.commandHash ?? null,
          $correlationId: command.commandId,
        }),
    metadata: event.metadata,
  };
  return {
    id: serverEventId(event, index, command.commandId),
    contentType: 'application/json',
    type: event.type,
    data: event.data,
    metadata,
  };
}

/** The fields of a recorded server event this module reads (a subset of the client's type). */
export interface ServerRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: { readonly commit: bigint; readonly prepare: bigint } | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/**
 * The port's event for a server event, or null for one tiendo did not write (system events, link
 * events, events of other applications sharing the database). Positions come from the event itself
 * (servers >= 22.6) or from the resolved event's commit position.
 */
export function fromRecorded(recorded: ServerRecordedEvent, commitPosition?: bigint): RecordedEvent | null {
  const meta = recorded.metadata;
  if (!recorded.isJson || !isObject(meta) || !isObject(recorded.data)) return null;
  const { id, schemaVersion, hash, metadata } = meta;
  if (typeof id !== 'string' || typeof schemaVersion !== 'number' || typeof hash !== 'string') return null;
  const position = recorded.position
    ? toLogPosition(recorded.position)
    : { tx: commitPosition ?? -1n, pos: commitPosition ?? -1n };
  return {
    id,
    type: recorded.type,
    schemaVersion,
    data: recorded.data as JsonObject,
    metadata: isObject(metadata) ? (metadata as JsonObject) : {},
    stream: recorded.streamId,
    revision: Number(recorded.revision),
    position,
    hash,
  };
}

/** The command id and hash stored with a server event, if any. */
export function commandOf(metadata: unknown): { commandId: string; commandHash: string | null } | null {
  if (!isObject(metadata) || typeof metadata.commandId !== 'string') return null;
  const hash = metadata.commandHash;
  return { commandId: metadata.commandId, commandHash: typeof hash === 'string' ? hash : null };
}

// --- expected revisions ------------------------------------------------------------------------

export type ServerExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** The client's expected-revision state for the port's (ANY, NO_STREAM, STREAM_EXISTS, a BigInt). */
export function toServerExpected(expected: ExpectedRevision): ServerExpectedRevision {
  return typeof expected === 'number' ? BigInt(expected) : expected;
}

/**
 * The exact state an append is sent with once the adapter has read the stream's head (`last`, -1
 * when empty): the chain needs the previous hash, so every append is pinned to the revision whose
 * hash it extends, whatever the caller allowed.
 */
export const pinnedExpected = (last: number): ServerExpectedRevision =>
  last < 0 ? 'no_stream' : BigInt(last);

/** The client's current revision ('no_stream' or a bigint) as the port's -1-based number. */
export function fromServerRevision(current: unknown): number {
  if (typeof current === 'bigint') return Number(current);
  if (typeof current === 'number') return current;
  return -1;
}

// --- positions ---------------------------------------------------------------------------------

export const toLogPosition = (p: { readonly commit: bigint; readonly prepare: bigint }): LogPosition => ({
  tx: p.commit,
  pos: p.prepare,
});

/** The client's position for `fromPosition`; LOG_START (0, 0) reads from the start. */
export const toServerPosition = (p: LogPosition): { commit: bigint; prepare: bigint } | 'start' =>
  p.tx === 0n && p.pos === 0n ? 'start' : { commit: p.tx, prepare: p.pos };

// --- the $all filter ---------------------------------------------------------------------------

/**
 * The server-side filter for $all: stream-name prefixes `<category>-` for the categories asked for,
 * or, with none, a regex that excludes system streams (`$...`) and the adapter's command streams.
 */
export function allFilter(categories?: readonly string[]): { prefixes: string[] } | { regex: string } {
  if (categories?.length) return { prefixes: categories.map((c) => `${c}-`) };
  return { regex: `^(?!\\$|${COMMAND_CATEGORY}-)` };
}

/** The same decision in JS, applied again to whatever a read returns. */
export function inProductLog(stream: string, categories?: readonly string[]): boolean {
  if (stream.startsWith('$')) return false;
  const c = category(stream);
  if (categories?.length) return categories.includes(c);
  return c !== COMMAND_CATEGORY;
}

// --- errors ------------------------------------------------------------------------------------

/** gRPC status codes (from @grpc/grpc-js `status`), the ones classified here. */
export const GrpcStatus = {
  CANCELLED: 1,
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export type Classified =
  | { readonly kind: 'conflict'; readonly actual: number }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'unavailable'; readonly retryable: true; readonly reason: string }
  | { readonly kind: 'not_leader' }
  | { readonly kind: 'denied' }
  | { readonly kind: 'other' };

/**
 * Classifies a client error by its `type` (the client's ErrorType) and, failing that, its gRPC
 * `code`. Duck-typed so it works on the client's classes and on plain gRPC ServiceErrors alike.
 */
export function classify(error: unknown): Classified {
  if (!isObject(error)) return { kind: 'other' };
  switch (error.type) {
    case 'wrong-expected-version':
      return { kind: 'conflict', actual: fromServerRevision(error.actualVersion) };
    case 'stream-not-found':
    case 'no-stream':
    case 'not-found':
      return { kind: 'not_found' };
    case 'not-leader':
      return { kind: 'not_leader' };
    case 'unavailable':
    case 'deadline-exceeded':
    case 'timeout':
    case 'cancelled':
      return { kind: 'unavailable', retryable: true, reason: String(error.type) };
    case 'access-denied':
      return { kind: 'denied' };
  }
  switch (error.code) {
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.DEADLINE_EXCEEDED:
    case GrpcStatus.CANCELLED:
    case GrpcStatus.RESOURCE_EXHAUSTED:
    case GrpcStatus.ABORTED:
      return { kind: 'unavailable', retryable: true, reason: `grpc-${String(error.code)}` };
    case GrpcStatus.NOT_FOUND:
      return { kind: 'not_found' };
    case GrpcStatus.PERMISSION_DENIED:
    case GrpcStatus.UNAUTHENTICATED:
      return { kind: 'denied' };
  }
  return { kind: 'other' };
}

/**
 * The port's error for a client error on `stream` (appending with `expected`), or the error itself
 * when it is none of the port's kinds. Not-found is mapped for completeness; reads turn it into [].
 */
export function toPortError(error: unknown, stream: string, expected: ExpectedRevision = 'any'): unknown {
  const c = classify(error);
  const cause = error instanceof Error ? error.message : String(error);
  switch (c.kind) {
    case 'conflict':
      return wrongExpectedRevision(stream, expected, c.actual);
    case 'unavailable':
      return new UnavailableError(`KurrentDB unavailable: ${cause}`, 'STORE_UNAVAILABLE', {
        store: 'kurrentdb',
        cause: c.reason,
      });
    case 'not_leader':
      // The client follows the leader on its next call (nodePreference=leader); retry is safe.
      return new UnavailableError(`KurrentDB node is not the leader: ${cause}`, 'STORE_NOT_LEADER', {
        store: 'kurrentdb',
      });
    case 'not_found':
      return new NotFoundError('stream', stream);
    case 'denied':
      return new UnavailableError(`KurrentDB refused access: ${cause}`, 'STORE_ACCESS_DENIED', {
        store: 'kurrentdb',
      });
    default:
      return error;
  }
}

export const isRetryable = (error: unknown): boolean => {
  const k = classify(error).kind;
  return k === 'unavailable' || k === 'not_leader';
};

// --- connection strings -----------------------------------------------------------------------

/**
 * `kurrentdb://` and `kurrent://` (with or without `+discover`) become the `esdb://` scheme the 6.x
 * client parses; `esdb://` strings pass unchanged; hosts and options (tls, nodePreference...) are kept.
 */
export function toEsdbConnectionString(url: string): string {
  const m = /^(kurrentdb|kurrent)(\+discover)?:\/\//i.exec(url);
  if (!m) return url;
  return `esdb${m[2] ?? ''}://${url.slice(m[0].length)}`;
}

export const isKurrentUrl = (url: string | undefined): url is string =>
  !!url && /^(esdb|kurrentdb|kurrent)(\+discover)?:\/\//i.test(url);
