// Selection of the event log by EVENTSTORE_URL. Constructing a KurrentEventStore opens no connection
// (the client connects on its first call), so this needs no server.
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { KurrentEventStore } from '../../src/store/kurrent/store.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { describeEventLog, eventLogKind, selectEventStore } from '../../src/store/select.js';

const pool = {} as pg.Pool;

describe('selectEventStore', () => {
  it('without EVENTSTORE_URL the log is PostgreSQL', () => {
    expect(eventLogKind({})).toBe('postgres');
    expect(eventLogKind({ EVENTSTORE_URL: '  ' })).toBe('postgres');
    expect(selectEventStore({ pool, env: {} })).toBeInstanceOf(PostgresEventStore);
  });
  it('esdb:// and kurrentdb:// select KurrentDB', async () => {
    for (const url of ['esdb://localhost:2113?tls=false', 'kurrentdb://localhost:2113?tls=false']) {
      expect(eventLogKind({ EVENTSTORE_URL: url })).toBe('kurrentdb');
      const store = selectEventStore({ pool, env: { EVENTSTORE_URL: url } });
      expect(store).toBeInstanceOf(KurrentEventStore);
      await store.close();
    }
  });
  it('another scheme is refused rather than silently ignored', () => {
    expect(() => eventLogKind({ EVENTSTORE_URL: 'postgres://u@h/db' })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        reason: 'EVENTSTORE_URL_INVALID',
        message: expect.stringMatching(/esdb:\/\/ or kurrentdb:\/\//),
      }),
    );
  });
  it('names the log for people without the credentials or options of the connection string', () => {
    expect(describeEventLog({})).toBe('PostgreSQL');
    expect(
      describeEventLog({
        EVENTSTORE_URL: 'esdb+discover://admin:changeit@node1:2113,node2:2113?tls=true&tlsCAFile=/x',
      }),
    ).toBe('KurrentDB at node1:2113,node2:2113');
    expect(describeEventLog({ EVENTSTORE_URL: 'kurrentdb://localhost:2113?tls=false' })).toBe(
      'KurrentDB at localhost:2113',
    );
  });
});
