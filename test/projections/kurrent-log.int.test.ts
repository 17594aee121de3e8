// The projection runner on a KurrentDB log: the read models live in PostgreSQL, the log's positions
// are KurrentDB commit/prepare positions (unsigned 64-bit, here above 2^63 - 1), and each batch moves
// the checkpoint in the same PostgreSQL transaction as its table writes. The log is the adapter on an
// in-memory FAKE of the client (test/store/kurrent-fake.ts), not a server: none can run here.
import type { EventStoreDBClient } from '@eventstore/db-client';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandHandler } from '../../src/commands/handler.js';
import { generateDemo } from '../../src/demo/generate.js';
import { PROJECTIONS } from '../../src/projections/index.js';
import { ProjectionRunner } from '../../src/projections/runner.js';
import { KurrentEventStore } from '../../src/store/kurrent/store.js';
import type { EventStore } from '../../src/store/port.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { FakeKurrentClient } from '../store/kurrent-fake.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { clock } from './harness.js';

const ABOVE_BIGINT = 2n ** 63n + 12_345n;

let dbs: FreshDatabase[] = [];
afterEach(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
  dbs = [];
});

/** A fresh database whose read models are filled from `store` after the demo's commands went through it. */
async function projectDemo(makeStore: (db: FreshDatabase) => EventStore) {
  const db = await freshDatabase();
  dbs.push(db);
  const store = makeStore(db);
  const handler = new CommandHandler({ store, clock });
  for (const c of generateDemo({ nonState: 12, public: 6 })) await handler.handle(c, 'cli');
  const runner = new ProjectionRunner({ pool: db.pool, store, projections: PROJECTIONS, batchSize: 40 });
  const reports = await runner.runOnce();
  const log = await store.readAll();
  await store.close();
  const dump = async (table: string, order: string) =>
    (
      await db.pool.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t ORDER BY ${order}`)
    ).rows.map((r) => r.row);
  return { db, reports, log, dump };
}

describe('projection runner on a KurrentDB log (fake client)', () => {
  it('stores commit/prepare positions above 2^63 as the checkpoint, moved with the batch', async () => {
    const kurrent = await projectDemo(
      () =>
        new KurrentEventStore(
          new FakeKurrentClient({ positionBase: ABOVE_BIGINT }) as unknown as EventStoreDBClient,
        ),
    );
    const last = kurrent.log.at(-1)!.position;
    expect(last.pos).toBeGreaterThan(2n ** 63n - 1n);
    const { rows } = await kurrent.db.pool.query<{ name: string; tx: string; pos: string }>(
      'SELECT name, tx, pos FROM projection_checkpoints ORDER BY name',
    );
    expect(rows).toEqual(
      PROJECTIONS.map((p) => ({ name: p.name, tx: last.tx.toString(), pos: last.pos.toString() })).sort(
        (a, b) => a.name.localeCompare(b.name),
      ),
    );
    expect(kurrent.reports.map((r) => r.read)).toEqual(PROJECTIONS.map(() => kurrent.log.length));
    // The audit trail keeps each event's position as the log gave it.
    const audit = await kurrent.db.pool.query<{ event_id: string; pos: string }>(
      'SELECT event_id, pos::text FROM audit_trail',
    );
    const byId = new Map(kurrent.log.map((e) => [e.id, e.position.pos.toString()]));
    expect(audit.rows.length).toBeGreaterThan(0);
    for (const r of audit.rows) expect(r.pos).toBe(byId.get(r.event_id));
  });

  it('fills the same project_status as the same commands on the PostgreSQL log', async () => {
    const kurrent = await projectDemo(
      () => new KurrentEventStore(new FakeKurrentClient() as unknown as EventStoreDBClient),
    );
    const postgres = await projectDemo((db) => new PostgresEventStore(db.pool));
    expect(await kurrent.dump('project_status', 'project_id')).toEqual(
      await postgres.dump('project_status', 'project_id'),
    );
  });
});
