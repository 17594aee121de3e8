// GraphQL latency under concurrent clients for `tiendo bench --read`: starts `tiendo serve` in its own
// process on the benchmark's database (so the clients' work does not share the server's event loop),
// then for each query and client count runs a timed phase of clients that each send the next request
// when the previous answer arrives, over keep-alive connections (Node's fetch).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { signJwt } from '../src/auth/jwt.js';
import { CommandHandler } from '../src/commands/handler.js';
import { freePort } from '../src/infra/embedded-postgres.js';
import { PostgresEventStore } from '../src/store/postgres.js';
import { type PhaseResult, timedPhase } from './timing.js';

export interface GraphqlOptions {
  readonly databaseUrl: string;
  /** To pick the project ids the clients ask for. */
  readonly pool: pg.Pool;
  readonly clients: readonly number[];
  readonly seconds: number;
  readonly serverCpu: (() => Promise<number>) | null;
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
}

export interface GraphqlResult {
  readonly seconds: number;
  readonly phases: readonly { query: string; clients: number; result: PhaseResult }[];
  /** The queries sent, as text for the report. */
  readonly queries: readonly string[];
}

const PROJECT = `query Project($id: ID!) { project(id: $id) {
  id name family phase phaseLabel { vi en } phaseSince owner { name } registeredCapital capitalContributed
  totalInvestment suspended revision milestones { name currentDue completedOn } } }`;
const PORTFOLIO = `query Portfolio { portfolioSummary(by: [status, adminUnit]) {
  key { status adminUnit } projects suspended proposedCapital registeredCapital totalInvestment
  capitalAllocated capitalDisbursed } }`;

const TIENDO = fileURLToPath(new URL('../bin/tiendo.mjs', import.meta.url));

export async function graphqlLoad(o: GraphqlOptions): Promise<GraphqlResult> {
  const { rows } = await o.pool.query<{ project_id: string }>(
    'SELECT project_id FROM project_status ORDER BY project_id',
  );
  const ids = rows.map((r) => r.project_id);
  if (ids.length === 0) throw new Error('no projects to query');
  // The clients read as a reviewer of the directory, with a JWT the served process verifies.
  const secret = randomBytes(32).toString('base64url');
  const signer = { issuer: 'tiendo-local', audience: 'tiendo', secret: new TextEncoder().encode(secret) };
  await addReader(o.pool);
  const authorization = `Bearer ${await signJwt(signer, READER, '1h')}`;
  const server = await serve(o.databaseUrl, secret);
  try {
    const post = async (query: string, variables?: Record<string, unknown>) => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
      if (!response.ok || body.errors) throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body)}`);
      return 1;
    };
    let seed = 11;
    const randomId = () => {
      seed = (seed * 48271) % 2147483647;
      return ids[seed % ids.length] as string;
    };
    const kinds = [
      { query: 'project(id), a random project', send: () => post(PROJECT, { id: randomId() }) },
      { query: 'portfolioSummary(by: [status, adminUnit])', send: () => post(PORTFOLIO) },
    ];
    // Warm-up: compile paths in the server and open connections.
    for (const k of kinds) for (let i = 0; i < 50; i++) await k.send();
    const phases: GraphqlResult['phases'][number][] = [];
    for (const k of kinds)
      for (const clients of o.clients) {
        if (o.signal?.aborted) throw new Error('interrupted');
        o.log(`  ${k.query}, ${clients} client${clients === 1 ? '' : 's'} (${o.seconds} s)`);
        const result = await timedPhase(
          {
            workers: clients,
            seconds: o.seconds,
            serverCpu: o.serverCpu,
            ...(o.signal && { signal: o.signal }),
          },
          () => k.send(),
        );
        o.log(
          `    ${Math.round(result.opsRate)} requests/s, p50 ${result.p50ms.toFixed(1)} ms, p99 ${result.p99ms.toFixed(1)} ms`,
        );
        phases.push({ query: k.query, clients, result });
      }
    return {
      seconds: o.seconds,
      phases,
      queries: [
        `project(id): \`${PROJECT.replace(/\s+/g, ' ')}\` over ${ids.length} projects`,
        `portfolioSummary: \`${PORTFOLIO.replace(/\s+/g, ' ')}\``,
      ],
    };
  } finally {
    await server.stop();
  }
}

/** `tiendo serve` on a free port, once /readyz answers. */
async function serve(
  databaseUrl: string,
  jwtSecret: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [TIENDO, 'serve', '--port', String(port)], {
    // Rate limiting off: with it, the phases would measure the limiter's refusals.
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TIENDO_LOG_LEVEL: 'warn',
      TIENDO_RATE_LIMIT: '0',
      TIENDO_JWT_SECRET: jwtSecret,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.kill('SIGINT');
    await exited;
  };
  const base = `http://localhost:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tiendo serve exited with ${child.exitCode}`);
    const ready = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url: `${base}/graphql`, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error('tiendo serve did not become ready in 120 s');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const READER = 'bench-reader';

/** The benchmark's reader in the directory (stable command ids: a second run writes nothing). */
async function addReader(pool: pg.Pool): Promise<void> {
  const handler = new CommandHandler({ store: new PostgresEventStore(pool) });
  const actor = { userId: 'bench-admin', agencyId: 'bench', role: 'administrator' };
  const run = (type: string, data: Record<string, unknown>) =>
    handler.handle({ type, commandId: `bench-${type}`, actor, effectiveAt: '2020-01-01', data }, 'cli');
  await run('RegisterAgency', { agencyId: 'bench', name: 'Benchmark', kind: 'system' });
  await run('RegisterUser', {
    userId: READER,
    name: 'Benchmark reader',
    agencyId: 'bench',
    role: 'reviewer',
  });
}
