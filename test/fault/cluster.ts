// Real `tiendo serve` processes on one database, for the fault tests: start them, wait for what they
// print, kill them; and the checks those tests share: are the read models caught up with the log, and
// are they what a clean rebuild from the log makes of it; and commands sent over HTTP, with what the
// client learnt of each.
import pg from 'pg';
import { mutationName } from '../../src/api/schema/mutations.js';
import { signJwt } from '../../src/auth/jwt.js';
import { CommandHandler } from '../../src/commands/handler.js';
import { localDateOf } from '../../src/domain/dates.js';
import { PROJECTIONS, ProjectionRunner } from '../../src/projections/index.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { mutation } from '../api/api.js';
import { ADMIN } from '../api/directory.js';
import { type CliProcess, startTiendo } from '../cli/cli.js';
import { actors } from '../support/fixtures.js';

/** The served processes verify JWTs with this secret; the specs sign their actors' tokens with it. */
const SIGNER = {
  issuer: 'tiendo-local',
  audience: 'tiendo',
  secret: new TextEncoder().encode('fault-tests-only-secret-0123456789abcdef'),
};

export interface Served {
  readonly process: CliProcess;
  /** The GraphQL endpoint it prints. */
  readonly url: string;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves when the output matches (checked every 50 ms), with the match; rejects after `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** SIGKILL: no handler runs, connections drop as the kernel closes them. */
  kill9(): Promise<void>;
  /** SIGINT, and the exit code. */
  stop(): Promise<number | null>;
}

/** `tiendo serve` on a free port, resolved once it prints where it listens. */
export async function serve(databaseUrl: string, env: Record<string, string> = {}): Promise<Served> {
  const p = startTiendo(['serve', '--port', '0', '--host', '127.0.0.1'], {
    databaseUrl,
    env: { TIENDO_LOG_LEVEL: 'warn', TIENDO_JWT_SECRET: new TextDecoder().decode(SIGNER.secret), ...env },
  });
  const output = () => p.output().stdout + p.output().stderr;
  const waitFor = (pattern: RegExp, ms = 60_000) => until(() => output().match(pattern), ms, output);
  const exited = p.done.then((r) => r.code);
  const [, url] = await Promise.race([
    waitFor(/API on (http:\/\/\S+\/graphql)/),
    exited.then((code) => {
      throw new Error(`tiendo serve exited (${code}) before listening:\n${output()}`);
    }),
  ]);
  await seedDirectory(databaseUrl);
  return {
    process: p,
    url: url as string,
    output,
    waitFor,
    kill9: async () => {
      p.child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      p.child.kill('SIGINT');
      return exited;
    },
  };
}

/** Polls `check` every 50 ms until it returns something truthy; fails after `ms` saying what it waited for. */
export async function until<T>(
  check: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  ms = 60_000,
  why: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${ms} ms ${why()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The projections whose checkpoint is behind the last event of the log (none: caught up). */
export async function lagging(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT p.name FROM unnest($1::text[]) AS p(name)
     LEFT JOIN projection_checkpoints c ON c.name = p.name
     WHERE c.name IS NULL
        OR EXISTS (SELECT 1 FROM events e
                   WHERE (e.transaction_id::text::numeric, e.global_position) > (c.tx, c.pos))`,
    [PROJECTIONS.map((p) => p.name)],
  );
  return rows.map((r) => r.name);
}

/**
 * Tables the clock writes too: the alert sweeps open and close alerts as of the day they run, stamped
 * with the wall clock, so no replay of the log alone reproduces them.
 */
const CLOCK_WRITTEN = new Set(['alerts']);

/** Every row of every projection's tables (those the clock writes too aside), in a stable order. */
export async function readModels(pool: pg.Pool): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const p of PROJECTIONS)
    for (const table of (p.tables ?? []).filter((t) => !CLOCK_WRITTEN.has(t))) {
      const { rows } = await pool.query<{ rows: unknown[] | null }>(
        `SELECT jsonb_agg(to_jsonb(t) ORDER BY to_jsonb(t)::text) AS rows FROM ${table} t`,
      );
      out[table] = rows[0]?.rows ?? [];
    }
  return out;
}

/** What a clean rebuild from the log makes of the read models (rebuilt aside, then swapped in). */
export async function rebuilt(pool: pg.Pool): Promise<Record<string, unknown[]>> {
  const store = new PostgresEventStore(pool);
  try {
    const runner = new ProjectionRunner({ pool, store, projections: PROJECTIONS });
    for (const p of PROJECTIONS) await runner.rebuild(p.name);
  } finally {
    await store.close();
  }
  return readModels(pool);
}

/** Parked events: an event applied twice collides with its own audit_trail row and is parked. */
export async function parkedCount(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM projection_parked');
  return rows[0]?.n ?? 0;
}

/** What a client knows after sending a command: applied (with its events), refused, or nothing. */
export type Outcome =
  | { readonly kind: 'applied'; readonly eventIds: readonly string[]; readonly duplicate: boolean }
  | { readonly kind: 'refused'; readonly code: string }
  | { readonly kind: 'unknown'; readonly why: string };

/** A command as its mutation over HTTP, with its actor (test/support/fixtures.ts actors). */
export async function sendCommand(url: string, command: Record<string, unknown>): Promise<Outcome> {
  const { type, actor, ...input } = command as { type: string; actor: unknown };
  const name = mutationName(type);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await actorHeaders(actor)) },
      body: JSON.stringify({ query: mutation(name), variables: { input } }),
    });
  } catch (error) {
    return { kind: 'unknown', why: `no answer: ${(error as Error).message}` };
  }
  const body = (await res.json().catch(() => null)) as {
    data?: Record<string, { duplicate: boolean; events: { id: string }[] } | null> | null;
    errors?: { extensions?: { code?: string } }[];
  } | null;
  const result = body?.data?.[name];
  if (res.ok && result && !body?.errors)
    return { kind: 'applied', eventIds: result.events.map((e) => e.id), duplicate: result.duplicate };
  const code = body?.errors?.[0]?.extensions?.code;
  // UNAVAILABLE: the database was away; whether the append committed is not known.
  if (!code || code === 'UNAVAILABLE' || code === 'INTERNAL_SERVER_ERROR')
    return { kind: 'unknown', why: `HTTP ${res.status} ${code ?? ''}` };
  return { kind: 'refused', code };
}

/** A bearer JWT for the actor's user (the fixture actors are in the directory: seedDirectory). */
const actorHeaders = async (actor: unknown): Promise<Record<string, string>> => ({
  authorization: `Bearer ${await signJwt(SIGNER, (actor as { userId: string }).userId, '1h')}`,
});

/**
 * Puts the fixture actors in the directory of the database a process serves (after it migrated it),
 * with stable command ids: a second process on the same database writes nothing more.
 */
async function seedDirectory(databaseUrl: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const store = new PostgresEventStore(pool);
  const handler = new CommandHandler({ store });
  const effectiveAt = localDateOf(new Date().toISOString());
  const run = (type: string, id: string, data: Record<string, unknown>) =>
    handler.handle({ type, commandId: `seed-${type}-${id}`, actor: ADMIN, effectiveAt, data }, 'cli');
  try {
    const all = Object.values(actors);
    for (const agencyId of new Set(all.map((a) => a.agencyId)))
      await run('RegisterAgency', agencyId, { agencyId, name: agencyId, kind: 'department' });
    for (const a of all)
      await run('RegisterUser', a.userId, {
        userId: a.userId,
        name: a.userId,
        agencyId: a.agencyId,
        role: a.role,
      });
  } finally {
    await store.close();
    await pool.end();
  }
}

/** The events the log holds for a command id. */
export async function eventsOfCommand(pool: pg.Pool, commandId: string): Promise<string[]> {
  const { rows } = await pool.query<{ event_id: string }>(
    `SELECT event_id FROM events WHERE metadata->>'commandId' = $1 ORDER BY revision`,
    [commandId],
  );
  return rows.map((r) => r.event_id);
}
