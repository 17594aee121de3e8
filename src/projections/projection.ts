// What a projection is: a value naming the event types it handles and how one event changes the
// tables it owns (STYLE 7). The runner (runner.ts) feeds it from the global log, one batch and the
// checkpoint per transaction; `apply` must write only through the client it is given.
import type pg from 'pg';
import type { CapitalEvent } from '../domain/capital/plan.js';
import { decodeStoredEvent } from '../domain/catalog.js';
import type { EventMetadata } from '../domain/envelope.js';
import type { ProjectEvent } from '../domain/project/events.js';
import type { RecordedEvent } from '../store/port.js';
import type { Memo } from './memo.js';

export type DomainEvent = ProjectEvent | CapitalEvent;

/** A stored event with its data decoded to the domain's types (bigint money) and typed metadata. */
export interface ProjectedEvent extends RecordedEvent {
  readonly domain: DomainEvent;
  readonly meta: EventMetadata;
}

export interface Projection {
  /** Stable name: the key of its checkpoint and parked events. */
  readonly name: string;
  /** Bump when apply or the tables change meaning: the runner then rebuilds from the log's start. */
  readonly version: number;
  /** Event types it reads; the others only move its checkpoint. */
  readonly handles: readonly string[];
  /** Tables it owns and fills alone: emptied when it is rebuilt. */
  readonly tables?: readonly string[];
  /** Must be idempotent: applying an event it already applied leaves its tables unchanged. */
  apply(tx: pg.PoolClient, event: ProjectedEvent): Promise<void>;
  /**
   * Optional: the effect of `apply` on each event in order, in fewer round trips. The runner uses it
   * for whole batches and falls back to `apply` event by event to find and park an event that throws.
   * `memo` holds what this runner's earlier batches wrote (memo.ts): what it remembers need not be
   * read back; what the batch writes is remembered if it commits.
   */
  applyBatch?(tx: pg.PoolClient, events: readonly ProjectedEvent[], memo?: Memo): Promise<void>;
  /**
   * Optional: what the tables need beyond the log after a rebuild (the alerts' clock sweep). Called
   * in the transaction that swaps the rebuilt tables in, holding the live checkpoint, just before the
   * swap, with the rebuilt tables first on the search path; must write only those.
   */
  afterRebuild?(tx: pg.PoolClient): Promise<void>;
  /**
   * Optional: fills the projection's fresh (empty) tables from `source` with what applying each of its
   * events in log order would write, for a rebuild (docs/PROJECTIONS.md, "Rebuilding stream by
   * stream"). If it throws, the rebuild starts again from the log in order, which parks what fails.
   */
  rebuildByStream?(target: StreamwiseTarget, source: StreamwiseSource): Promise<void>;
}

/** A projected event with only some fields of its metadata: what a rebuild reads of it. */
export type LeanEvent<K extends keyof EventMetadata> = Omit<ProjectedEvent, 'meta'> & {
  readonly meta: Pick<EventMetadata, K>;
};

/**
 * The log up to a rebuild's end, for a projection that rebuilds one stream at a time: events of the
 * given types only, decoded, with the metadata fields named (all of them when none are): most of an
 * event's bytes are its metadata, which most projections read one or two fields of.
 */
export interface StreamwiseSource {
  /** The events of a category's streams, in log order. */
  inLogOrder<K extends keyof EventMetadata = keyof EventMetadata>(
    category: string,
    types: readonly string[],
    metadata?: readonly K[],
  ): AsyncIterable<LeanEvent<K>>;
  /**
   * Each stream of a category with its events in order (none of a stream without any), one after
   * another; reading starts at the call.
   */
  byStream<K extends keyof EventMetadata = keyof EventMetadata>(
    category: string,
    types: readonly string[],
    metadata?: readonly K[],
  ): AsyncIterable<readonly LeanEvent<K>[]>;
}

/** Where a rebuild stream by stream writes: transactions on the fresh tables, committed together. */
export interface StreamwiseTarget {
  readonly tx: pg.PoolClient;
  /** Another transaction on the fresh tables, for a COPY running beside one on `tx`. */
  another(): Promise<pg.PoolClient>;
}

/**
 * Decodes a stored event for projections, without re-checking each field the domain checked when it
 * decided the event (domain/stored-data.ts); throws on an unknown type or schema version, and on
 * money that is not whole đồng.
 */
export function toProjected(event: RecordedEvent): ProjectedEvent {
  const domain = decodeStoredEvent(event.type, event.schemaVersion, event.data) as DomainEvent;
  // Field by field, not `{ ...event, domain, meta }`: V8 copies a spread of an object of a shape it
  // has seen many of on a slow path, and its copies are slower for all that reads them after. That
  // spread cost a rebuild of alerts about an eighth of its instructions (docs/BENCHMARKS.md).
  return {
    id: event.id,
    stream: event.stream,
    revision: event.revision,
    position: event.position,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    hash: event.hash,
    domain,
    meta: event.metadata as unknown as EventMetadata,
  };
}
