// Which event log a process uses, by configuration: EVENTSTORE_URL with an esdb:// or kurrentdb://
// connection string puts the log on a KurrentDB/EventStoreDB server (read models, checkpoints and
// everything else stay in PostgreSQL); without it the log is PostgreSQL's events table.
import type pg from 'pg';
import { ValidationError } from '../domain/errors.js';
import { KurrentEventStore, type KurrentEventStoreOptions } from './kurrent/store.js';
import { isKurrentUrl } from './kurrent/translate.js';
import type { EventStore } from './port.js';
import { PostgresEventStore } from './postgres.js';

export type EventLogKind = 'kurrentdb' | 'postgres';

type Env = Readonly<Record<string, string | undefined>>;

/** The kind of log the environment asks for; an EVENTSTORE_URL with another scheme is refused. */
export function eventLogKind(env: Env = process.env): EventLogKind {
  const url = env.EVENTSTORE_URL?.trim();
  if (!url) return 'postgres';
  if (isKurrentUrl(url)) return 'kurrentdb';
  throw ValidationError.field(
    'EVENTSTORE_URL',
    `must be an esdb:// or kurrentdb:// connection string (got scheme ${(env.EVENTSTORE_URL ?? '').trim().split(':')[0]}); unset it to keep the log in PostgreSQL`,
    'EVENTSTORE_URL_INVALID',
  );
}

/**
 * Where the log is, for people: "PostgreSQL" or "KurrentDB at host:port[,host:port]" (never the
 * credentials or options of the connection string).
 */
export function describeEventLog(env: Env = process.env): string {
  if (eventLogKind(env) === 'postgres') return 'PostgreSQL';
  const rest = (env.EVENTSTORE_URL ?? '').trim().replace(/^[a-z+]+:\/\//i, '');
  const hosts = rest.split(/[/?]/)[0]?.replace(/^.*@/, '') ?? '';
  return `KurrentDB at ${hosts}`;
}

export interface SelectEventStoreOptions {
  readonly pool: pg.Pool;
  readonly env?: Env;
  readonly kurrent?: KurrentEventStoreOptions;
}

export function selectEventStore(options: SelectEventStoreOptions): EventStore {
  const env = options.env ?? process.env;
  if (eventLogKind(env) === 'kurrentdb')
    return new KurrentEventStore(env.EVENTSTORE_URL!.trim(), options.kurrent);
  return new PostgresEventStore(options.pool);
}
