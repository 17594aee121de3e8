// Development aid (not part of `tiendo bench`): loads the demo province scaled (once, into a
// persistent embedded PostgreSQL under $AF_DIR) and rebuilds one projection through
// ProjectionRunner.rebuild, printing events/s, Node and PostgreSQL CPU per event and the statements
// sent per kind. Run with `node --cpu-prof --import tsx bench/alerts-profile.ts [projection] [scale]`.
import pg from 'pg';
import { importCommands } from '../src/cli/import.js';
import { CommandHandler } from '../src/commands/handler.js';
import { generateDemo } from '../src/demo/generate.js';
import { createDatabase, openDatabase } from '../src/infra/database.js';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres.js';
import { migrate } from '../src/infra/migrate.js';
import { PROJECTIONS, ProjectionRunner } from '../src/projections/index.js';
import { PostgresEventStore } from '../src/store/postgres.js';
import { serverCpuClock } from './server-cpu.js';
import { startMeter } from './timing.js';

const name = process.argv[2] ?? 'alerts';
const scale = Number(process.argv[3] ?? 4);
const dir = process.env.AF_DIR ?? '/tmp/af/pg';
const server = await startEmbeddedPostgres({
  dataDir: dir,
  port: Number(process.env.AF_PORT ?? 55991),
  flags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
});
const dbName = `prof_x${scale}`;
const admin = new pg.Client({ connectionString: server.adminUrl });
await admin.connect();
const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount;
await admin.end();
const url = exists
  ? server.adminUrl.replace(/\/postgres$/, `/${dbName}`)
  : await createDatabase(server.adminUrl, dbName);
const db = await openDatabase({ url, maxConnections: 6 });
await migrate(db.pool);
const store = new PostgresEventStore(db.pool);
if (!exists) {
  const commands = generateDemo({ nonState: 150 * scale, public: 80 * scale });
  const r = await importCommands(
    commands.map((c) => JSON.stringify(c)),
    { handler: new CommandHandler({ store }), concurrency: 8 },
  );
  if (r.rejected > 0) throw new Error(JSON.stringify(r.rejections[0]));
  await db.pool.query('VACUUM ANALYZE events');
}
const counts = new Map<string, number>();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const q = args[0];
  const text = typeof q === 'string' ? q : ((q as { text?: string })?.text ?? '?');
  const k = text.replace(/\s+/g, ' ').trim().slice(0, 70);
  counts.set(k, (counts.get(k) ?? 0) + 1);
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;
const p = PROJECTIONS.find((x) => x.name === name);
if (!p) throw new Error(`no projection ${name}`);
// AF_SQL runs first, e.g. DELETE FROM alert_sweeps: a rebuild then has no afterRebuild sweep.
if (process.env.AF_SQL) await db.pool.query(process.env.AF_SQL);
const repeats = Number(process.env.AF_REPEATS ?? 1);
for (let i = 0; i < repeats; i++) {
  counts.clear();
  const meter = await startMeter(await serverCpuClock(db.pool));
  const marks = [performance.now()];
  const { read, applied } = await new ProjectionRunner({
    pool: db.pool,
    store,
    projections: [p],
    rebuildBatchSize: Number(process.env.AF_BATCH ?? 20_000),
  }).rebuild(name, () => marks.push(performance.now()));
  const m = await meter.stop(read, read);
  console.log(
    `${name} ×${scale}: ${read} events (${applied} applied) in ${m.seconds.toFixed(2)} s = ${Math.round(m.rate)} events/s; ` +
      `Node ${(m.nodeCpuMsPerOp * 1000).toFixed(1)} µs/event, PG ${m.serverCpuMsPerOp === null ? '?' : (m.serverCpuMsPerOp * 1000).toFixed(1)} µs/event`,
  );
  marks.push(performance.now());
  console.log(
    `  batches end at ${marks.map((t) => ((t - (marks[0] as number)) / 1000).toFixed(2)).join(', ')} s (last: after the swap)`,
  );
}
for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(String(n).padStart(8), k);
const digest = async (label: string) => {
  const { rows } = await db.pool.query(
    `SELECT md5(string_agg(a::text, '|' ORDER BY project_id, rule_id, key, episode)) AS h, count(*) AS n
     FROM (SELECT project_id, rule_id, key, episode, since, status, severity, regime, article, opened_at,
                  closed_on, closed_reason, closed_by_event_id, seen_revision, seen_on, reason_vi, reason_en,
                  CASE WHEN updated_at < now() - interval '1 minute' THEN updated_at END AS updated_at
           FROM alerts) a`,
  );
  console.log(label, rows[0]);
};
if (process.env.AF_DUMP) {
  await digest('alerts table');
  // Sweeps forth and back (updated_at left out where a sweep wrote it), then the events again.
  for (const on of (process.env.AF_SWEEPS ?? '').split(',').filter(Boolean)) {
    const { evaluateAlertsAt } = await import('../src/alerts/sweep.js');
    const t0 = performance.now();
    const report = await evaluateAlertsAt(db.pool, on as never);
    console.log(on, report, `${(performance.now() - t0).toFixed(0)} ms`);
    await digest(`after sweep ${on}`);
  }
}
await db.close();
await server.stop();
