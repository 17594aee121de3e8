// `tiendo bench --time-travel`: on a fresh database of its own, times project(id, asOf, knownAt) on
// one stream of 1,000 events (p50/p95/p99 over many random points in time), split into the store's
// read and the fold, next to the raw PostgreSQL read of the same rows; then the live folds of every
// project of the demo province at a point in time (portfolioSummary and alerts with asOf/knownAt).
import { randomBytes } from 'node:crypto';
import { alertsAt } from '../src/api/time-travel-views.js';
import { importCommands } from '../src/cli/import.js';
import { CommandHandler } from '../src/commands/handler.js';
import { generateDemo } from '../src/demo/generate.js';
import type { IsoDate, IsoInstant } from '../src/domain/dates.js';
import { dropDatabase } from '../src/infra/database.js';
import { migrate } from '../src/infra/migrate.js';
import { portfolioAt } from '../src/projections/portfolio-at.js';
import { foldAt, type TimePoint } from '../src/projections/time-travel.js';
import {
  EVENTS_SQL,
  PostgresTimeTravel,
  SNAPSHOT_SQL,
  SNAPSHOT_VERSION,
} from '../src/projections/time-travel-pg.js';
import { TimeTravel, timed } from '../src/projections/time-travel-read.js';
import { PostgresEventStore } from '../src/store/postgres.js';
import { openFresh } from './run.js';

export interface TimeTravelBenchOptions {
  /** Events in the long stream. */
  readonly events: number;
  /** Timed calls per measurement. */
  readonly samples: number;
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
  readonly print: (text: string) => void;
}

const DAY = 86_400_000;
const START = Date.parse('2021-01-04T02:00:00.000Z');
const registrar = { userId: 'u-dkdt-01', agencyId: 'so-tai-chinh-cb', role: 'registrationAuthority' };
const board = { userId: 'u-bql-07', agencyId: 'ban-qlda-giao-thong-cb', role: 'managementBoard' };

export async function runTimeTravelBench(o: TimeTravelBenchOptions): Promise<void> {
  const name = `tiendo_bench_tt_${randomBytes(4).toString('hex')}`;
  const { db, adminUrl } = await openFresh(name);
  try {
    o.log(`bench: fresh database ${name}`);
    await migrate(db.pool);
    const store = new PostgresEventStore(db.pool);
    let now = START;
    const handler = new CommandHandler({ store, clock: () => new Date(now) });
    const id = 'TT0001';
    o.log(`bench: writing one project stream of ${o.events} events (one command a day from 2021-01-04)`);
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    await handler.handle(longStreamCommand(id, 0, day(now)), 'api');
    for (let i = 1; i < o.events && !o.signal?.aborted; i++) {
      now += DAY;
      // Every 10th report is late: effective 9 days before it was recorded.
      const effective = i % 10 === 0 ? day(now - 9 * DAY) : day(now);
      await handler.handle(longStreamCommand(id, i, effective), 'api');
    }
    const end = now;
    const tt = new TimeTravel(store);
    const pgtt = new PostgresTimeTravel(store, db.pool);
    let seed = 11;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const point = (): TimePoint => {
      const known = START + random() * (end - START);
      const asOf = START + random() * (known - START);
      return { asOf: day(asOf) as IsoDate, knownAt: new Date(known).toISOString() as IsoInstant };
    };
    const stream = `project-${id}`;
    const samples = (f: () => Promise<unknown> | unknown) => sample(o.samples, f);
    o.log('bench: timing');
    await samples(() => tt.project(id, point())); // warm-up
    const raw = await samples(() =>
      db.pool.query('SELECT type, data, metadata FROM events WHERE stream = $1 ORDER BY revision', [stream]),
    );
    const read = await samples(() => store.readStream(stream));
    const recorded = await store.readStream(stream);
    const decode = await samples(() => recorded.map(timed));
    const events = recorded.map(timed);
    const fold = await samples(() => foldAt(events, point()));
    const whole = await samples(() => tt.project(id, point()));
    const latest = await samples(() => tt.project(id, {}));
    // The first call folds the whole stream and writes its snapshots; the samples then use them.
    await pgtt.project(id, {});
    const snapshots = await db.pool.query<{ n: number }>(
      'SELECT count(*)::integer AS n FROM project_snapshots',
    );
    const fast = await samples(() => pgtt.project(id, point()));
    const args = (p: TimePoint) => [p.knownAt ?? 'infinity', p.asOf ?? 'infinity'];
    const snapQuery = await samples(() =>
      db.pool.query(SNAPSHOT_SQL, [id, SNAPSHOT_VERSION, ...args(point())]),
    );
    const eventsQuery = await samples(async () => {
      const p = point();
      const { rows } = await db.pool.query(SNAPSHOT_SQL, [id, SNAPSHOT_VERSION, ...args(p)]);
      const from = rows[0]?.revision ?? -1;
      const t0 = performance.now();
      await db.pool.query(EVENTS_SQL, [stream, from, ...args(p)]);
      return performance.now() - t0;
    });
    const fastLatest = await samples(() => pgtt.project(id, {}));

    o.log('bench: loading the demo province');
    const demo = generateDemo().map((c) => JSON.stringify(c));
    const s = await importCommands(demo, { handler: new CommandHandler({ store }), concurrency: 4 });
    const demoPoint = (): TimePoint => ({ asOf: '2024-06-30' as IsoDate });
    const projects = (await tt.projects(demoPoint())).size;
    const portfolio = await sample(Math.max(5, o.samples / 20), () =>
      portfolioAt(tt, demoPoint(), {}, ['status']),
    );
    const alerts = await sample(Math.max(5, o.samples / 20), () =>
      alertsAt(tt, demoPoint(), {}, { first: 100 }),
    );
    await store.close();

    const ms = (x: number) => x.toFixed(2);
    const row = (work: string, t: Timing) =>
      `| ${work} | ${ms(t.p50)} | ${ms(t.p95)} | ${ms(t.p99)} | ${t.n} |`;
    o.print(
      [
        `Stream: ${o.events} events (ProgressReported, MilestonePlanned/Rescheduled, CorrectEvent); ` +
          `${o.samples} calls per row; random (asOf, knownAt) with asOf ≤ knownAt inside the stream's span.`,
        '',
        '| work | p50 ms | p95 ms | p99 ms | calls |',
        '|---|---:|---:|---:|---:|',
        row(`raw PostgreSQL: SELECT the ${o.events} rows of the stream`, raw),
        row('store.readStream (same rows, decoded to RecordedEvent)', read),
        row('decode data (zod) and times, in memory', decode),
        row('foldAt (select and evolve), in memory', fold),
        row('project(id, asOf, knownAt) through the store port: read + decode + fold, no snapshot', whole),
        row('the same with no time point (everything counts)', latest),
        row(
          `**project(id, asOf, knownAt) on PostgreSQL**: snapshot (${snapshots.rows[0]?.n} of them) + the events that count`,
          fast,
        ),
        row('the same with no time point (latest snapshot + the tail)', fastLatest),
        row('  its snapshot query alone', snapQuery),
        row('  its events query alone (plus the snapshot query)', eventsQuery),
        row(`portfolioSummary(asOf) over the demo (${projects} projects, ${s.events} events)`, portfolio),
        row(`alerts(asOf) over the demo (${projects} projects)`, alerts),
      ].join('\n'),
    );
  } finally {
    await dropDatabase(adminUrl, name).catch((error: unknown) =>
      o.log(`bench: could not drop ${name}: ${String(error)}`),
    );
    await db.close();
  }
}

interface Timing {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

async function sample(n: number, f: () => Promise<unknown> | unknown): Promise<Timing> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { n, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/** The i-th command of the long stream: registration, then mostly progress reports with milestones and corrections. */
export function longStreamCommand(
  projectId: string,
  i: number,
  effectiveAt: string,
): Record<string, unknown> {
  if (i === 0)
    return {
      type: 'RegisterProject',
      actor: registrar,
      effectiveAt,
      data: {
        projectId,
        family: 'public',
        name: 'Đường tỉnh 208 (một luồng 1.000 sự kiện)',
        province: '04',
        adminUnit: 'Huyện Hòa An',
        agencyId: 'ban-qlda-giao-thong-cb',
        sector: 'transport',
        group: 'B',
        owner: { name: 'Ban QLDA giao thông Cao Bằng', id: 'ban-qlda-giao-thong-cb' },
      },
    };
  const k = Math.floor(i / 20);
  if (i % 20 === 1)
    return {
      type: 'PlanMilestone',
      actor: board,
      effectiveAt,
      data: { projectId, milestoneId: `m${k}`, kind: 'other', name: `Hạng mục ${k}`, dueDate: '2030-12-31' },
    };
  if (i % 20 === 7)
    return {
      type: 'RescheduleMilestone',
      actor: board,
      effectiveAt,
      data: {
        projectId,
        milestoneId: `m${k}`,
        to: '2031-06-30',
        reason: 'Vướng giải phóng mặt bằng',
        causeKind: 'objective',
      },
    };
  if (i % 20 === 13)
    return {
      type: 'CorrectEvent',
      // The role matrix gives corrections to the registration authority (src/domain/access.ts).
      actor: registrar,
      effectiveAt,
      data: {
        projectId,
        correctedRevision: i - 1,
        reason: 'Số liệu nhập sai',
        changes: [{ field: 'physicalPercent', to: String((((i - 1) % 100) + 50) % 100) }],
      },
    };
  return {
    type: 'ReportProgress',
    actor: board,
    effectiveAt,
    data: {
      projectId,
      period: `${effectiveAt.slice(0, 7)}`,
      physicalPercent: i % 100,
      delayCauses: [{ kind: 'objective', category: 'siteClearance', description: 'Chưa bàn giao mặt bằng' }],
      note: 'Báo cáo định kỳ của ban quản lý dự án',
    },
  };
}
