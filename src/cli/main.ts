// The `tiendo` command line: migrate, run one command, import an NDJSON file, print a stream, start,
// serve, rebuild the read models, and benchmark. Each action opens the database (DATABASE_URL, else
// the embedded server with its data in .tiendo/), brings the schema up to date, and closes everything
// on exit or on a signal.
import { stat, writeFile } from 'node:fs/promises';
import { Command, type CommanderError, InvalidArgumentError } from 'commander';
import { scheduleSweeps } from '../alerts/schedule.js';
import { evaluateAlertsAt } from '../alerts/sweep.js';
import { limitsFromEnv } from '../api/limits.js';
import { DEFAULT_PORT, startServer } from '../api/server.js';
import { authenticator } from '../auth/authenticate.js';
import { authConfigFromEnv } from '../auth/config.js';
import { jwtVerifier, signJwt } from '../auth/jwt.js';
import { newIdFactory } from '../commands/ids.js';
import { parseCommand } from '../commands/parse.js';
import { DEMO_TOKEN_USERS, demoDirectory } from '../demo/directory.js';
import { generateDemo } from '../demo/generate.js';
import { type IsoDate, type IsoInstant, isValidIsoDate } from '../domain/dates.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { projectStream } from '../domain/streams.js';
import { DEFAULT_DATA_DIR } from '../infra/database.js';
import { PROJECTIONS, ProjectionRunner } from '../projections/index.js';
import { logSize } from '../projections/lag.js';
import { replay } from '../projections/replay.js';
import { describeEventLog } from '../store/select.js';
import { addDirectoryCommands } from './directory.js';
import { EXIT, EXIT_CODES_HELP, exitCodeOf, failureJson, formatFailure, toFailure } from './errors.js';
import { eventJson, formatResult, formatStream, formatSummary, resultJson } from './format.js';
import { fileLines, importCommands, parseJson } from './import.js';
import { addIntegrityCommands, streamName } from './integrity.js';
import { eventsPerSecond, startProgress, startRebuildProgress } from './progress.js';
import { formatReplay, type Lang } from './replay-format.js';
import { Session } from './session.js';

const program = new Command()
  .name('tiendo')
  .description(
    'Event-sourced engine for provincial investment projects (theo dõi tiến độ dự án đầu tư).\n' +
      'Uses the PostgreSQL server in DATABASE_URL, or else an embedded one with its data in ' +
      `${DEFAULT_DATA_DIR} (TIENDO_DATA_DIR, port TIENDO_PG_PORT).`,
  )
  .showHelpAfterError('(tiendo --help lists the commands)')
  .addHelpText('after', `\n${EXIT_CODES_HELP}`)
  // Bad usage is bad input: exit 2, like a validation error. Help and version exit 0.
  .exitOverride((err: CommanderError) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT.VALIDATION);
  });

program
  .command('migrate')
  .description('apply pending database migrations and list them (cập nhật lược đồ CSDL)')
  .action(() =>
    run(false, async (session) => {
      const { applied } = await session.open();
      out(
        applied.length === 0
          ? `database ${where()} is up to date; no migration applied`
          : `database ${where()}: applied ${applied.length} migration${applied.length === 1 ? '' : 's'}\n${applied.map((a) => `  ${a}`).join('\n')}`,
      );
      return EXIT.OK;
    }),
  );

program
  .command('command')
  .alias('append')
  .description('run one command given as JSON text, or "-" to read it from stdin (thực hiện một lệnh)')
  .argument('<json>', 'the command: {type, actor, effectiveAt, data, ...}, or - for stdin')
  .option('--json', 'print the result (or the error) as JSON on stdout')
  .action((json: string, opts: { json?: boolean }) =>
    run(opts.json === true, async (session) => {
      const raw = parseJsonInput(json === '-' ? await readStdin() : json);
      // Reject bad input before starting a database for it.
      parseCommand(raw, {
        recordedAt: new Date().toISOString() as IsoInstant,
        source: 'cli',
        newCommandId: newIdFactory(),
      });
      const { handler } = await session.open();
      const result = await handler.handle(raw, 'cli');
      out(opts.json ? JSON.stringify(resultJson(result)) : formatResult(result));
      return EXIT.OK;
    }),
  );

program
  .command('import')
  .description(
    'apply an NDJSON file of commands, one per line, and report rejected lines (nhập lệnh hàng loạt)',
  )
  .argument('<file>', 'NDJSON: one command JSON per line; blank lines are skipped')
  .option('-c, --concurrency <n>', 'commands in flight at once (streams stay in file order)', positiveInt, 8)
  .option('--report <file>', 'also write the summary and the rejected lines as JSON to this file')
  .option('--json', 'print the summary as JSON on stdout')
  .action((file: string, opts: { concurrency: number; report?: string; json?: boolean }) =>
    run(opts.json === true, async (session) => {
      const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
        throw ValidationError.field(
          'file',
          `cannot read ${file}: ${error.code ?? error.message}`,
          'FILE_UNREADABLE',
        );
      });
      if (!info.isFile() && !info.isFIFO()) {
        throw ValidationError.field('file', `${file} is neither a file nor a pipe`, 'FILE_UNREADABLE');
      }
      session.handlesInterrupts();
      const { handler } = await session.open({ maxConnections: opts.concurrency + 2 });
      const progress = await startProgress(file, info.isFile());
      const started = performance.now();
      const summary = await importCommands(fileLines(file), {
        handler,
        concurrency: opts.concurrency,
        signal: session.signal,
        onProgress: (c) => progress.update(c),
      }).finally(() => progress.stop());
      const seconds = (performance.now() - started) / 1000;
      const report = { file, seconds: Number(seconds.toFixed(3)), ...summary };
      if (opts.report) await writeFile(opts.report, `${JSON.stringify(report, null, 2)}\n`);
      out(opts.json ? JSON.stringify(report) : formatSummary(summary, seconds));
      if (summary.stopped?.why === 'interrupted') return EXIT.INTERRUPTED;
      if (summary.stopped?.why === 'unavailable') return EXIT.UNAVAILABLE;
      return summary.rejected > 0 ? EXIT.LINES_REJECTED : EXIT.OK;
    }),
  );

program
  .command('stream')
  .description(
    "print a stream's events: project-<id>, a bare project id, or capitalplan-<province>_<year> (xem luồng sự kiện)",
  )
  .argument('<stream>', 'stream name or project id')
  .option('--json', 'print NDJSON, one event per line')
  .action((name: string, opts: { json?: boolean }) =>
    run(opts.json === true, async (session) => {
      const stream = streamName(name);
      const { store } = await session.open();
      const events = await store.readStream(stream);
      if (events.length === 0) throw new NotFoundError('stream', stream, 'STREAM_NOT_FOUND');
      out(
        opts.json ? events.map((e) => JSON.stringify(eventJson(e))).join('\n') : formatStream(stream, events),
      );
      return EXIT.OK;
    }),
  );

program
  .command('replay')
  .description(
    "a project's decisions as a timeline: before → after, who, document, regime and its rule checks (phát lại quyết định)",
  )
  .argument('<project>', 'project id')
  .option('--lang <lang>', 'vi or en', language, 'vi')
  .option('--from <date>', 'only decisions effective on or after this date (YYYY-MM-DD)', isoDate)
  .option('--to <date>', 'only decisions effective on or before this date (YYYY-MM-DD)', isoDate)
  .option('--json', 'print the steps as NDJSON, one per line')
  .action((id: string, opts: { lang: Lang; from?: IsoDate; to?: IsoDate; json?: boolean }) =>
    run(opts.json === true, async (session) => {
      const { store } = await session.open();
      const recorded = await store.readStream(projectStream(id));
      if (recorded.length === 0) throw new NotFoundError('project', id, 'PROJECT_NOT_FOUND');
      const steps = replay(recorded, {
        ...(opts.from && { from: opts.from }),
        ...(opts.to && { to: opts.to }),
      });
      out(opts.json ? steps.map((s) => JSON.stringify(s)).join('\n') : formatReplay(id, steps, opts.lang));
      return EXIT.OK;
    }),
  );

addIntegrityCommands(program, run, out);

program
  .command('start')
  .description('prepare the database, load the demo province once, and show what to try (khởi động)')
  .option('--no-demo', 'do not load the demo province (Cao Bằng)')
  .option('--serve', 'then serve the GraphQL API (as `tiendo serve`) until interrupted')
  .option('-p, --port <n>', 'with --serve: port to listen on', port, DEFAULT_PORT)
  .action((opts: { demo: boolean; serve?: boolean; port: number }) =>
    run(false, async (session) => {
      session.handlesInterrupts();
      const opened = await session.open();
      const { applied, handler } = opened;
      const lines = [
        `tiendo is ready: database ${where()}, schema up to date${applied.length > 0 ? ` (applied ${applied.join(', ')})` : ''}; event log in ${describeEventLog()}.`,
      ];
      if (opts.demo) {
        // Through the import path: every command has a stable id, so a second start writes nothing.
        // The directory (agencies, users) first: the demo's tokens name its users.
        const commands = [...demoDirectory(), ...generateDemo()].map((c) => JSON.stringify(c));
        process.stderr.write(`loading the demo province (Cao Bằng): ${commands.length} commands\n`);
        const s = await importCommands(commands, { handler, signal: session.signal });
        if (s.stopped) {
          out(formatSummary(s, 0));
          return s.stopped.why === 'interrupted' ? EXIT.INTERRUPTED : EXIT.UNAVAILABLE;
        }
        if (s.rejected > 0) throw new Error(`the demo province did not load: ${formatSummary(s, 0)}`);
        lines.push(
          s.applied === 0
            ? `The demo province (Cao Bằng) was already loaded (${s.duplicates} commands).`
            : `Loaded the demo province (Cao Bằng): ${s.applied} commands, ${s.events} events.`,
        );
      }
      if (opts.serve) {
        out(lines.join('\n'));
        return serveUntilInterrupted(
          session,
          opened,
          { port: opts.port, host: 'localhost' },
          EXAMPLE_QUERIES,
          opts.demo,
        );
      }
      lines.push(
        '',
        'Try:',
        '  tiendo serve                              the GraphQL API and GraphiQL on http://localhost:4000/graphql',
        '  tiendo stream CB0001                      a non-state project’s history (CBPUB001: a public one)',
        '  tiendo stream capitalplan-04_2022         the 2022 capital plan of Cao Bằng (province 04)',
        '  tiendo command - < command.json           run one command (JSON; see README.md)',
        '  tiendo import commands.ndjson             apply a file of commands, one per line',
        '  tiendo bench                              measure throughput on a fresh database',
        'tiendo --help lists every command; tiendo <command> --help its options.',
      );
      out(lines.join('\n'));
      return EXIT.OK;
    }),
  );

program
  .command('serve')
  .description('serve the GraphQL API, GraphiQL, /healthz and /readyz until interrupted (máy chủ GraphQL)')
  .option('-p, --port <n>', 'port to listen on', port, DEFAULT_PORT)
  .option('--host <host>', 'interface to listen on (0.0.0.0 for every one)', 'localhost')
  .action((opts: { port: number; host: string }) =>
    run(false, async (session) => {
      session.handlesInterrupts();
      return serveUntilInterrupted(session, await session.open(), opts, [], false);
    }),
  );

program
  .command('rebuild')
  .description(
    'rebuild read models from the event log into fresh tables, then swap them in (dựng lại mô hình đọc)',
  )
  .argument('[name]', `one projection (${PROJECTIONS.map((p) => p.name).join(', ')}); every one when omitted`)
  .action((name: string | undefined) =>
    run(false, async (session) => {
      if (name && !PROJECTIONS.some((p) => p.name === name))
        throw new NotFoundError('projection', name, 'PROJECTION_NOT_FOUND');
      const { db, store } = await session.open();
      const runner = new ProjectionRunner({ pool: db.pool, store, projections: PROJECTIONS });
      // The log's size in PostgreSQL (0 when it lives on KurrentDB: the bar then grows as it reads).
      const total = await logSize(db.pool);
      const names = name ? [name] : PROJECTIONS.map((p) => p.name);
      const started = performance.now();
      let read = 0;
      let parked = 0;
      for (const n of names) {
        const begun = performance.now();
        const progress = startRebuildProgress(n, total);
        const r = await runner
          .rebuild(n, (p) => progress.update(p.read, p.parked))
          .then((done) => {
            progress.finish(done.read, done.parked);
            return done;
          })
          .finally(() => progress.stop());
        read += r.read;
        parked += r.parked;
        out(
          `${n}: rebuilt from ${r.read} events (${r.parked} parked), ${eventsPerSecond(r.read, begun)} events/s`,
        );
      }
      const seconds = (performance.now() - started) / 1000;
      out(
        `rebuilt ${names.length} read model${names.length === 1 ? '' : 's'}: ${read} events read, ${parked} parked, ` +
          `in ${seconds.toFixed(1)} s (${eventsPerSecond(read, started)} events/s)`,
      );
      return EXIT.OK;
    }),
  );

program
  .command('bench')
  .description('measure raw PostgreSQL, the command path and the import on a fresh database (đo hiệu năng)')
  .option('--out <file>', 'also write the results as markdown to this file')
  .option('--seconds <n>', 'duration of each timed phase', positiveNumber, 8)
  .option('--import-lines <n>', 'commands in the generated import file', positiveInt, 20_000)
  .option('--projects <n>', 'projects registered before the command-path runs', positiveInt, 2_000)
  .option('--statements', 'instead: time each statement inside the append function (pg_stat_statements)')
  .option('--read', 'instead: the read side (log reads, projection catch-up and rebuild, GraphQL latency)')
  .option('--scale <n>', 'with --read: the demo province times n (about 3,200 events each)', positiveInt, 16)
  .option('--clients <list>', 'with --read: concurrent GraphQL clients per phase', clientList, [1, 8, 32])
  .option(
    '--repeats <n>',
    'with --read: runs of each log read, catch-up and rebuild (median kept)',
    positiveInt,
    3,
  )
  .option('--time-travel', 'instead: time project(asOf, knownAt) on a 1,000-event stream and the live folds')
  .action(
    (opts: {
      out?: string;
      seconds: number;
      importLines: number;
      projects: number;
      statements?: boolean;
      read?: boolean;
      scale: number;
      clients: number[];
      repeats: number;
      timeTravel?: boolean;
    }) =>
      run(false, async (session) => {
        session.handlesInterrupts();
        const log = (line: string) => process.stderr.write(`${line}\n`);
        if (opts.read) {
          const { runReadBench } = await import('../../bench/read.js');
          await runReadBench({ ...opts, signal: session.signal, log, print: out });
        } else if (opts.timeTravel) {
          const { runTimeTravelBench } = await import('../../bench/time-travel.js');
          await runTimeTravelBench({ events: 1_000, samples: 300, signal: session.signal, log, print: out });
        } else if (opts.statements) {
          const { runStatements } = await import('../../bench/statements.js');
          await runStatements({ ...opts, signal: session.signal, log, print: out });
        } else {
          const { runBench } = await import('../../bench/run.js');
          await runBench({ ...opts, signal: session.signal, log, print: out });
        }
        return session.signal.aborted ? EXIT.INTERRUPTED : EXIT.OK;
      }),
  );

addDirectoryCommands(program, run, out);

const EXAMPLE_QUERIES = [
  '{ project(id: "CB0001") { name phase phaseLabel { vi en } registeredCapital capitalContributed milestones { name currentDue completedOn } } }',
  '{ project(id: "CBPUB001") { name group phase phaseLabel { vi en } totalInvestment fundingAssigned suspended } }',
  '{ project(id: "CB0004") { name phase owner { name } lastProgress { period physicalPercent } revision } }',
];

/**
 * Serves the GraphQL API with the projection runner following the log (read models caught up first),
 * until SIGINT or SIGTERM; then stops both.
 */
async function serveUntilInterrupted(
  session: Session,
  { db, store, handler }: Awaited<ReturnType<Session['open']>>,
  listen: { port: number; host: string },
  examples: readonly string[],
  demoTokens: boolean,
): Promise<number> {
  const intervalMs = sweepIntervalMs(process.env.TIENDO_ALERT_SWEEP_MINUTES);
  // Read first: a malformed TIENDO_* limit stops the start before anything runs.
  const limits = limitsFromEnv(process.env);
  // One process leads each projection; the others follow only when it is gone (leadership.ts).
  const leads = (leading: readonly string[]) =>
    process.stderr.write(
      leading.length > 0
        ? `projections: leading ${[...leading].sort().join(', ')}\n`
        : 'projections: following (another process leads them, or the database is away)\n',
    );
  const auth = await authConfigFromEnv();
  // The demo's users get ready-to-use tokens, signed with the local secret (never with a JWKS).
  const tokens =
    demoTokens && auth.signer
      ? await Promise.all(
          DEMO_TOKEN_USERS.map(async (u) => ({ ...u, token: await signJwt(auth.signer!, u.userId, '30d') })),
        )
      : [];
  const runner = new ProjectionRunner({
    pool: db.pool,
    store,
    projections: PROJECTIONS,
    leadership: true,
    onLeadership: leads,
    onError: (error) =>
      process.stderr.write(`projections: ${error instanceof Error ? error.message : String(error)}\n`),
  });
  await runner.runAsLeader();
  if (runner.leading().length === 0) leads([]);
  // Alerts as of today (Vietnam time): a clock sweep at start, then at each Vietnam midnight and every
  // TIENDO_ALERT_SWEEP_MINUTES if set (src/alerts/schedule.ts); events open and close theirs as projected.
  const sweeps = scheduleSweeps({
    sweep: (today) => evaluateAlertsAt(db.pool, today),
    intervalMs,
    onError: (error) =>
      process.stderr.write(`alerts sweep: ${error instanceof Error ? error.message : String(error)}\n`),
  });
  await sweeps.started.catch(async (error: unknown) => {
    await sweeps.stop();
    throw error;
  });
  runner.start();
  const server = await startServer(
    {
      handler,
      store,
      pool: db.pool,
      limits,
      logger: { level: process.env.TIENDO_LOG_LEVEL ?? 'warn' },
      authenticate: authenticator({ store, verifyJwt: jwtVerifier(auth.jwt) }),
      ...(tokens[0] && { graphiqlToken: tokens[0].token }),
    },
    listen,
  );
  out(
    `tiendo GraphQL API on ${server.url} (GraphiQL: open it in a browser); database ${where()}, event log in ${describeEventLog()}`,
  );
  out(
    `every request needs the header Authorization: Bearer <token>: a JWT (verified against ${auth.source}) ` +
      'or an API token (tiendo token create --user <id>); Ctrl-C stops',
  );
  if (tokens.length > 0)
    out(
      [
        '',
        'Demo tokens (valid 30 days; GraphiQL already carries the first):',
        ...tokens.map((t) => `  ${t.role} ${t.userId} (${t.note}): ${t.token}`),
        `e.g. curl -s ${server.url} -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"query":"{ projects(first: 3) { totalCount } }"}'`,
      ].join('\n'),
    );
  if (examples.length > 0) out(['', 'Example queries:', ...examples.map((q) => `  ${q}`)].join('\n'));
  if (!session.signal.aborted)
    await new Promise<void>((resolve) => session.signal.addEventListener('abort', () => resolve()));
  await server.close();
  await sweeps.stop();
  await runner.stop();
  return EXIT.OK;
}

/** TIENDO_ALERT_SWEEP_MINUTES as milliseconds; unset means midnights only. */
function sweepIntervalMs(minutes: string | undefined): number | undefined {
  if (minutes === undefined || minutes === '') return undefined;
  const n = Number(minutes);
  if (!Number.isFinite(n) || n <= 0)
    throw ValidationError.field(
      'TIENDO_ALERT_SWEEP_MINUTES',
      `must be a positive number of minutes, got ${minutes}`,
      'INVALID_SETTING',
    );
  return n * 60_000;
}

/** Runs an action in a session, reports its failure, closes everything and exits with its code. */
async function run(json: boolean, action: (session: Session) => Promise<number>): Promise<void> {
  const session = new Session();
  let code: number;
  try {
    code = await action(session);
  } catch (error) {
    const f = toFailure(error);
    if (json) out(JSON.stringify({ error: failureJson(f) }));
    else process.stderr.write(`${formatFailure(f)}\n`);
    if (f.code === 'UNEXPECTED' && process.env.TIENDO_DEBUG && error instanceof Error) {
      process.stderr.write(`${error.stack}\n`);
    }
    code = exitCodeOf(f);
  }
  await session.exit(code);
}

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

function where(): string {
  const url = process.env.DATABASE_URL;
  if (!url) return `embedded (${process.env.TIENDO_DATA_DIR ?? DEFAULT_DATA_DIR})`;
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'from DATABASE_URL';
  }
}

function parseJsonInput(text: string): unknown {
  const raw = parseJson(text, '(input)');
  if (raw instanceof ValidationError) throw raw;
  return raw;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function language(value: string): Lang {
  if (value !== 'vi' && value !== 'en') throw new InvalidArgumentError('must be vi or en');
  return value;
}

function isoDate(value: string): IsoDate {
  if (!isValidIsoDate(value)) throw new InvalidArgumentError('must be a calendar date as YYYY-MM-DD');
  return value as IsoDate;
}

function positiveInt(value: string): number {
  return positive(value, true);
}

/** A comma-separated list of whole numbers ≥ 1, e.g. `1,8,32`. */
function clientList(value: string): number[] {
  return value.split(',').map((v) => positive(v.trim(), true));
}

function positiveNumber(value: string): number {
  return positive(value, false);
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  }
  return n;
}

function positive(value: string, whole: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n))) {
    throw new InvalidArgumentError(whole ? 'must be a whole number ≥ 1' : 'must be a number > 0');
  }
  return n;
}

await program.parseAsync(process.argv);
