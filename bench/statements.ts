// `tiendo bench --statements`: where PostgreSQL spends an append. Starts a throwaway embedded server
// with pg_stat_statements tracking nested statements, drives the command path as the main benchmark
// does, and prints the time of tiendo_append and of each statement inside it per call.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandHandler } from '../src/commands/handler.js';
import { createDatabase, openDatabase } from '../src/infra/database.js';
import { freePort, startEmbeddedPostgres } from '../src/infra/embedded-postgres.js';
import { migrate } from '../src/infra/migrate.js';
import { PostgresEventStore } from '../src/store/postgres.js';
import { timedPhase } from './timing.js';
import { planMilestone, registerProject, reportProgress } from './workload.js';

export interface StatementsOptions {
  readonly seconds: number;
  readonly projects: number;
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
  readonly print: (text: string) => void;
}

interface StatementRow {
  calls: string;
  us_per_call: string;
  share: string;
  toplevel: boolean;
  query: string;
}

export async function runStatements(o: StatementsOptions): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tiendo-statements-'));
  const flags = ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all'];
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), flags });
  try {
    const db = await openDatabase({
      url: await createDatabase(server.adminUrl, 'statements'),
      maxConnections: 12,
    });
    try {
      await db.pool.query('CREATE EXTENSION pg_stat_statements');
      await migrate(db.pool);
      const store = new PostgresEventStore(db.pool);
      const handler = new CommandHandler({ store });
      o.log(`statements: registering ${o.projects} projects`);
      for (let n = 1; n <= o.projects && !o.signal?.aborted; n++)
        await handler.handle(registerProject(n), 'api');
      await db.pool.query('SELECT pg_stat_statements_reset()');
      const out: string[] = [];
      for (const workers of [1, 8]) {
        await db.pool.query('SELECT pg_stat_statements_reset()');
        o.log(`statements: command path, ${workers} client(s), ${o.seconds} s`);
        const r = await timedPhase(
          { workers, seconds: o.seconds, ...(o.signal && { signal: o.signal }) },
          async (w, i) => {
            const n = 1 + ((i * 7919 + w * 131) % o.projects);
            const c = i % 4 === 3 ? planMilestone(n, 100_000 + i * 8 + w) : reportProgress(n, i);
            return (await handler.handle(c, 'api')).events.length;
          },
        );
        const { rows } = await db.pool.query<StatementRow>(
          `WITH s AS (SELECT * FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()))
           SELECT calls, round((total_exec_time / calls * 1000)::numeric, 1) AS us_per_call,
                  round((100 * total_exec_time / (SELECT sum(total_exec_time) FROM s WHERE toplevel))::numeric) AS share,
                  toplevel, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS query
             FROM s WHERE calls >= $1 ORDER BY toplevel DESC, total_exec_time DESC LIMIT 12`,
          [Math.floor(r.operations / 2)],
        );
        out.push(
          `${workers} client${workers === 1 ? '' : 's'}: ${Math.round(r.opsRate).toLocaleString('en')} commands/s`,
          '',
          '| statement | calls | µs per call | share of top-level time |',
          '|---|---:|---:|---:|',
          ...rows.map(
            (s) =>
              `| ${s.toplevel ? '' : '↳ '}\`${s.query.replaceAll('|', '\\|')}\` | ${s.calls} | ${s.us_per_call} | ${s.share}% |`,
          ),
          '',
        );
      }
      o.print(
        [
          'Executor time (wall clock, commit and network excluded) inside PostgreSQL, from pg_stat_statements',
          '(track = all), on a throwaway embedded server with default durability settings.',
          '',
          ...out,
        ].join('\n'),
      );
      await store.close();
    } finally {
      await db.close();
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
