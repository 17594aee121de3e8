// project(id, asOf, knownAt) on PostgreSQL (snapshots + the events that count, selected in SQL) must
// answer exactly what folding the whole stream read through the store port answers, at any point.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CommandHandler } from '../../src/commands/handler.js';
import type { IsoDate, IsoInstant } from '../../src/domain/dates.js';
import type { TimePoint } from '../../src/projections/time-travel.js';
import { PostgresTimeTravel, SNAPSHOT_EVERY } from '../../src/projections/time-travel-pg.js';
import { TimeTravel } from '../../src/projections/time-travel-read.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { registerPublic } from '../support/fixtures.js';
import { cmd } from './harness.js';

const DAY = 86_400_000;
const START = Date.parse('2021-06-01T02:00:00.000Z');
const EVENTS = 260;
let db: FreshDatabase;
let store: PostgresEventStore;
let end = START;

beforeAll(async () => {
  db = await freshDatabase();
  store = new PostgresEventStore(db.pool);
  let now = START;
  const handler = new CommandHandler({ store, clock: () => new Date(now) });
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  await handler.handle(registerPublic('TTPG', { effectiveAt: '2021-05-04' }), 'api');
  for (let i = 1; i < EVENTS; i++) {
    now += DAY;
    // Every 7th report late (effective 12 days before it is recorded); every 9th event a correction.
    const c =
      i % 9 === 0
        ? cmd('CorrectEvent', 'TTPG', day(now), {
            correctedRevision: i - 1,
            reason: 'Sửa số liệu',
            changes: [{ field: 'physicalPercent', to: String(((i % 100) + 50) % 100) }],
          })
        : cmd('ReportProgress', 'TTPG', day(i % 7 === 0 ? now - 12 * DAY : now), {
            period: '2021-Q3',
            physicalPercent: i % 100,
            delayCauses: [],
          });
    await handler.handle(c, 'api');
  }
  end = now;
});
afterAll(async () => {
  await store?.close();
  await db?.drop();
});

it('answers as the whole-stream fold does, before and after its snapshots exist', async () => {
  const port = new TimeTravel(store);
  const pg = new PostgresTimeTravel(store, db.pool);
  const points: TimePoint[] = [{}];
  for (let k = 0; k < 40; k++) {
    const known = START + (((k * 7919) % 1000) / 1000) * (end - START);
    const asOf = START - 30 * DAY + (((k * 104729) % 1000) / 1000) * (known - START + 30 * DAY);
    points.push(
      {
        asOf: new Date(asOf).toISOString().slice(0, 10) as IsoDate,
        knownAt: new Date(known).toISOString() as IsoInstant,
      },
      { asOf: new Date(asOf).toISOString().slice(0, 10) as IsoDate },
      { knownAt: new Date(known).toISOString() as IsoInstant },
    );
  }
  for (const round of ['no snapshots yet', 'with snapshots'])
    for (const p of points)
      expect([round, p, await pg.project('TTPG', p)]).toEqual([round, p, await port.project('TTPG', p)]);
  const { rows } = await db.pool.query<{ revision: number }>(
    'SELECT revision FROM project_snapshots ORDER BY revision',
  );
  expect(rows.map((r) => r.revision)).toEqual(
    [99, 199].filter((r) => r < EVENTS && (r + 1) % SNAPSHOT_EVERY === 0),
  );
});
