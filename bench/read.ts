// `tiendo bench --read`: the read side on a fresh database of its own. Loads the demo province scaled
// up (through `importCommands`, the code behind `tiendo import`), then in the same run measures the raw
// read rate of the global log (one SQL scan in log order, and store.readAll paging), each projection's
// catch-up from an empty checkpoint (alone, then all together), each projection's rebuild (the
// `tiendo rebuild` path), and GraphQL latency under concurrent clients against a served API.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { evaluateAlertsAt } from '../src/alerts/sweep.js';
import { importCommands } from '../src/cli/import.js';
import { CommandHandler } from '../src/commands/handler.js';
import { generateDemo } from '../src/demo/generate.js';
import { asIsoDate } from '../src/domain/dates.js';
import { dropDatabase } from '../src/infra/database.js';
import { migrate } from '../src/infra/migrate.js';
import {
  alertsProjection,
  PROJECTIONS,
  type Projection,
  ProjectionRunner,
} from '../src/projections/index.js';
import { PostgresEventStore } from '../src/store/postgres.js';
import { type GraphqlResult, graphqlLoad } from './graphql.js';
import { checkpoint, describeServer, openFresh } from './run.js';
import { serverCpuClock } from './server-cpu.js';
import { startMeter } from './timing.js';

export interface ReadBenchOptions {
  /** The demo province times this many (150 non-state and 80 public projects each). */
  readonly scale: number;
  /** Seconds per GraphQL phase. */
  readonly seconds: number;
  /** Concurrent GraphQL clients, one phase each. */
  readonly clients: readonly number[];
  /** Times each log read and catch-up is repeated (the median is reported). */
  readonly repeats: number;
  readonly out?: string;
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
  readonly print: (text: string) => void;
}

export interface Measured {
  readonly label: string;
  readonly events: number;
  readonly seconds: number;
  readonly nodeCpuMs: number;
  readonly serverCpuMs: number | null;
  readonly machineBusy: number;
}

export async function runReadBench(o: ReadBenchOptions): Promise<void> {
  const name = `tiendo_bench_${randomBytes(4).toString('hex')}`;
  const { db, adminUrl } = await openFresh(name);
  try {
    o.log(`bench --read: fresh database ${name}`);
    await migrate(db.pool);
    const store = new PostgresEventStore(db.pool);
    const server = await describeServer(db);
    const serverCpu = await serverCpuClock(db.pool);
    const load = [loadavg()[0]!];
    const aborted = () => {
      if (o.signal?.aborted) throw new Error('interrupted');
    };

    const commands = generateDemo({ nonState: 150 * o.scale, public: 80 * o.scale });
    o.log(`bench --read: loading the demo province ×${o.scale}: ${commands.length} commands`);
    const seeded = await importCommands(
      commands.map((c) => JSON.stringify(c)),
      { handler: new CommandHandler({ store }), concurrency: 8, ...(o.signal && { signal: o.signal }) },
    );
    if (seeded.rejected > 0)
      throw new Error(`the demo did not load: first rejection ${JSON.stringify(seeded.rejections[0])}`);
    await db.pool.query('VACUUM ANALYZE events');
    const total = await countEvents(db.pool);
    o.log(`  ${total} events`);

    // Each measurement runs `repeats` times; the median by rate is kept.
    const measure = async (
      label: string,
      run: () => Promise<number | { events: number; note: string }>,
      before?: () => Promise<void>,
    ) => {
      const runs: Measured[] = [];
      for (let i = 0; i < o.repeats; i++) {
        aborted();
        await before?.();
        await checkpoint(db);
        const meter = await startMeter(serverCpu);
        const done = await run();
        const events = typeof done === 'number' ? done : done.events;
        const m = await meter.stop(1, events);
        runs.push({
          label: typeof done === 'number' ? label : `${label} (${done.note})`,
          events,
          seconds: m.seconds,
          nodeCpuMs: m.nodeCpuMsPerOp,
          serverCpuMs: m.serverCpuMsPerOp,
          machineBusy: m.machineBusy,
        });
      }
      runs.sort((a, b) => a.events / a.seconds - b.events / b.seconds);
      const median = runs[Math.floor(runs.length / 2)] as Measured;
      o.log(`  ${label}: ${num(median.events / median.seconds)} events/s`);
      return median;
    };

    o.log('bench --read: raw reads of the global log');
    const rawScan = await measure('raw SQL: one scan in (transaction id, position) order', () =>
      rawScanAll(db.pool),
    );
    const readAll500 = await measure('store.readAll, pages of 500', () => readAllPaged(store, 500));
    const readAll5000 = await measure('store.readAll, pages of 5,000', () => readAllPaged(store, 5000));

    o.log('bench --read: projections');
    // Batch by batch: how a runner catches up when behind (its checkpoint past the log's start). From
    // the log's start, a long log is caught up as a rebuild (rebuildFromStartAt, 20,000 events).
    const runner = (projections: readonly Projection[], batchByBatch = false) =>
      new ProjectionRunner({
        pool: db.pool,
        store,
        projections,
        ...(batchByBatch && { rebuildFromStartAt: Number.POSITIVE_INFINITY }),
      });
    const allNames = `all ${PROJECTIONS.length} (${PROJECTIONS.map((p) => p.name).join(', ')})`;
    const catchUps: Measured[] = [];
    for (const batchByBatch of [false, true]) {
      const how = batchByBatch ? 'catch-up from empty, batch by batch' : 'catch-up from empty';
      for (const p of PROJECTIONS)
        catchUps.push(
          await measure(
            `${how}: ${p.name}`,
            // Every rate counts the whole log: a rebuild by stream reads only its categories.
            async () => ((await runner([p], batchByBatch).runOnce())[0] ? total : 0),
            () => reset(db.pool, [p]),
          ),
        );
      catchUps.push(
        await measure(
          `${how}: ${allNames}`,
          async () => {
            // One runner feeds them one after another; each reads the whole log.
            const reports = await runner(PROJECTIONS, batchByBatch).runOnce();
            return reports.length > 0 ? total : 0;
          },
          () => reset(db.pool, PROJECTIONS),
        ),
      );
    }
    const rebuild = (p: Projection, label: string) =>
      measure(label, async () => {
        // After the last batch: the rows held back written, the swap into the live tables (and a
        // catch-up with nothing to do).
        let lastBatch = 0;
        const { byStream } = await runner([p]).rebuild(p.name, () => {
          lastBatch = performance.now();
        });
        return {
          events: total,
          note: byStream
            ? `by stream; indexes and swap ${((performance.now() - lastBatch) / 1000).toFixed(2)} s`
            : `flush and swap ${((performance.now() - lastBatch) / 1000).toFixed(2)} s`,
        };
      });
    const rebuilds: Measured[] = [];
    for (const p of PROJECTIONS) rebuilds.push(await rebuild(p, `rebuild (tiendo rebuild): ${p.name}`));
    // A served database's alerts are swept every day: its rebuild ends swept to the last sweep's date.
    const today = asIsoDate(new Date().toISOString().slice(0, 10));
    o.log(`bench --read: sweeping the alerts to ${today}`);
    await evaluateAlertsAt(db.pool, today);
    rebuilds.push(await rebuild(alertsProjection, `rebuild (tiendo rebuild): alerts, swept to ${today}`));
    load.push(loadavg()[0]!);

    aborted();
    o.log('bench --read: GraphQL under concurrent clients');
    const graphql = await graphqlLoad({
      databaseUrl: db.url,
      pool: db.pool,
      clients: o.clients,
      seconds: o.seconds,
      serverCpu,
      log: o.log,
      ...(o.signal && { signal: o.signal }),
    });
    load.push(loadavg()[0]!);

    const markdown = report({
      server,
      load,
      options: o,
      commands: commands.length,
      total,
      reads: [rawScan, readAll500, readAll5000],
      catchUps,
      allCount: PROJECTIONS.length,
      rebuilds,
      graphql,
    });
    o.print(markdown);
    if (o.out) await writeFile(o.out, `${markdown}\n`);
    await store.close();
  } finally {
    await dropDatabase(adminUrl, name).catch((error: unknown) =>
      o.log(`bench: could not drop ${name}: ${String(error)}`),
    );
    await db.close();
  }
}

/** The same columns the store selects, in log order, in one statement: the read side's ceiling. */
async function rawScanAll(pool: import('pg').Pool): Promise<number> {
  const { rowCount } = await pool.query(
    `SELECT transaction_id::text AS tx, global_position AS pos, event_id, stream, revision, type,
            schema_version, data, metadata, encode(hash, 'hex') AS hash
       FROM events ORDER BY transaction_id, global_position`,
  );
  return rowCount ?? 0;
}

async function readAllPaged(store: PostgresEventStore, maxCount: number): Promise<number> {
  let read = 0;
  let after: Awaited<ReturnType<typeof store.readAll>>[number]['position'] | undefined;
  for (;;) {
    const events = await store.readAll({ maxCount, ...(after && { after }) });
    if (events.length === 0) return read;
    read += events.length;
    after = events[events.length - 1]?.position;
  }
}

async function countEvents(pool: import('pg').Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
  return Number(rows[0]?.n ?? 0);
}

/** Empties the projections' tables, checkpoints and parked events: the next catch-up starts at the log's start. */
async function reset(pool: import('pg').Pool, projections: readonly Projection[]): Promise<void> {
  const tables = projections.flatMap((p) => p.tables ?? []);
  if (tables.length > 0) await pool.query(`TRUNCATE ${tables.join(', ')}`);
  const names = projections.map((p) => p.name);
  await pool.query('DELETE FROM projection_checkpoints WHERE name = ANY($1)', [names]);
  await pool.query('DELETE FROM projection_parked WHERE name = ANY($1)', [names]);
}

const num = (n: number) => Math.round(n).toLocaleString('en');

interface Results {
  readonly server: Awaited<ReturnType<typeof describeServer>>;
  readonly load: readonly number[];
  readonly options: ReadBenchOptions;
  readonly commands: number;
  readonly total: number;
  readonly reads: readonly Measured[];
  readonly catchUps: readonly Measured[];
  readonly allCount: number;
  readonly rebuilds: readonly Measured[];
  readonly graphql: GraphqlResult;
}

function report(r: Results): string {
  const cpu = cpus();
  // The fastest raw read is the ceiling each rate is compared with.
  const rawRate = Math.max(...r.reads.map((m) => m.events / m.seconds));
  const ms = (x: number | null, m: Measured) => (x === null ? '?' : (x / Math.max(1, m.events)).toFixed(3));
  const row = (m: Measured) => {
    const rate = m.events / m.seconds;
    return `| ${m.label} | ${num(m.events)} | ${m.seconds.toFixed(2)} s | **${num(rate)}** | ${Math.round((100 * rate) / rawRate)}% | ${ms(m.nodeCpuMs, m)} / ${ms(m.serverCpuMs, m)} ms | ${Math.round(100 * m.machineBusy)}% |`;
  };
  const g = r.graphql;
  return [
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; ` +
      `PostgreSQL ${r.server.version} on ${r.server.where} (${r.server.settings}).`,
    `Log: the demo province ×${r.options.scale} (${num(r.commands)} commands, ${num(r.total)} events), ` +
      `loaded through importCommands. Each read, catch-up and rebuild: median of ${r.options.repeats} runs.`,
    '',
    `Load average (1 min) at the start / after the projections / at the end: ${r.load.map((l) => l.toFixed(2)).join(' / ')}.`,
    '',
    '| work | events | time | events/s | vs fastest raw read | CPU per event: Node / PostgreSQL | machine CPU busy |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.reads.map(row),
    ...r.catchUps.map(row),
    ...r.rebuilds.map(row),
    '',
    `The "all ${r.allCount}" catch-up counts each log event once, though every projection reads the whole log.`,
    '',
    `GraphQL: \`tiendo serve\` in its own process on this database (projections caught up), ${g.seconds} s per phase; ` +
      'each client sends its next request when the previous answer arrives (HTTP keep-alive).',
    '',
    '| query | clients | requests/s | p50 | p95 | p99 | errors | machine CPU busy |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...g.phases.map(
      (p) =>
        `| ${p.query} | ${p.clients} | ${num(p.result.opsRate)} | ${p.result.p50ms.toFixed(1)} ms | ${p.result.p95ms.toFixed(1)} ms | ${p.result.p99ms.toFixed(1)} ms | ${p.result.errors} | ${Math.round(100 * p.result.machineBusy)}% |`,
    ),
    '',
    ...g.queries.map((q) => `- ${q}`),
  ].join('\n');
}
