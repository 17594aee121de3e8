// Which event log a process uses, by configuration: EVENTSTORE_URL with an esdb:// or kurrentdb://
// connection string puts the log on a KurrentDB/EventStoreDB server (read models, checkpoints and
// everything else stay in PostgreSQL); without it the log is PostgreSQL's events table.
import type pg from 'pg';
import { KurrentEventStore, type KurrentEventStoreOptions } from './kurrent/store.js';
import { isKurrentUrl } from './kurrent/translate.js';
import type { EventStore } from './port.js';
import { PostgresEventStore } from './postgres.js';

export type EventLogKind = 'kurrentdb' | 'postgres';

/** The kind of log the environment asks for; an EVENTSTORE_URL with another scheme is an error. */
export function eventLogKind(env: Readonly<Record<string, string | undefined>> = process.env): EventLogKind {
  const url = env.EVENTSTORE_URL?.trim();
  if (!url) return 'postgres';
  if (isKurrentUrl(url)) return 'kurrentdb';
  throw new Error(
    `EVENTSTORE_URL must be an esdb:// or kurrentdb:// connection string (got scheme ${(env.EVENTSTORE_URL ?? '').trim().split(':')[0]}); unset it to keep the log in PostgreSQL`,
  );
}

export interface SelectEventStoreOptions {
  readonly pool: pg.Pool;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly kurrent?: KurrentEventStoreOptions;
}

export function selectEventStore(options: SelectEventStoreOptions): EventStore {
  const env = options.env ?? process.env;
  if (eventLogKind(env) === 'kurrentdb')
    return new KurrentEventStore(env.EVENTSTORE_URL!.trim(), options.kurrent);
  return new PostgresEventStore(options.pool);
}
