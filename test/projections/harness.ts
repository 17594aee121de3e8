// A fresh database with the command path and the projection runner on it: specs send raw commands
// (as any client would), run the projections, and read the tables.
import { CommandHandler } from '../../src/commands/handler.js';
import { PROJECTIONS } from '../../src/projections/index.js';
import type { Projection } from '../../src/projections/projection.js';
import { ProjectionRunner, type ProjectionRunnerOptions } from '../../src/projections/runner.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { type RawOptions, raw } from '../support/fixtures.js';

export interface Harness {
  readonly db: FreshDatabase;
  readonly store: PostgresEventStore;
  readonly handler: CommandHandler;
  /** A runner over `projections` (default: every projection of the read side). */
  runner(options?: Partial<Omit<ProjectionRunnerOptions, 'pool' | 'store'>>): ProjectionRunner;
  /** Sends raw commands in order; each must be accepted. */
  send(...commands: Record<string, unknown>[]): Promise<void>;
  /** A table's rows as text, in a stable order: equal dumps mean equal tables. */
  dump(table: string, orderBy: string): Promise<string[]>;
  close(): Promise<void>;
}

export const clock = () => new Date('2026-11-21T08:00:00.000Z');

export async function harness(): Promise<Harness> {
  const db = await freshDatabase();
  const store = new PostgresEventStore(db.pool);
  const handler = new CommandHandler({ store, clock });
  return {
    db,
    store,
    handler,
    runner: (options = {}) =>
      new ProjectionRunner({ pool: db.pool, store, projections: PROJECTIONS, ...options }),
    async send(...commands) {
      for (const c of commands) await handler.handle(c, 'cli');
    },
    async dump(table, orderBy) {
      const { rows } = await db.pool.query<{ row: string }>(
        `SELECT t::text AS row FROM ${table} t ORDER BY ${orderBy}`,
      );
      return rows.map((r) => r.row);
    },
    async close() {
      await store.close();
      await db.drop();
    },
  };
}

/** A project command dated `on`, by the registration authority. */
export const cmd = (type: string, projectId: string, on: string, data: object = {}, o: RawOptions = {}) =>
  raw(type, { projectId, ...data }, { effectiveAt: on, ...o });

/** The tables every projection owns, with a stable order, for comparing whole read models. */
export const READ_MODEL_TABLES: readonly (readonly [string, string])[] = [
  ['project_status', 'project_id'],
  ['project_capital', 'project_id, plan_stream'],
  ['audit_trail', 'event_id'],
  ['audit_project_state', 'project_id'],
  ['alerts', 'project_id, rule_id, key, episode'],
  ['alert_project_state', 'project_id'],
  ['admin_map_entries', 'kind, id'],
  ['succession_edges', 'kind, from_id, to_id'],
  ['project_units', 'project_id, unit_id'],
  ['directory_agencies', 'agency_id'],
  ['directory_users', 'user_id'],
  ['directory_api_tokens', 'token_id'],
  ['capital_plans', 'plan_stream'],
  ['capital_plan_allocations', 'plan_stream, project_id'],
  ['capital_plan_audit', 'event_id'],
];

export type { Projection };

/** One row of a table as PostgreSQL prints each column (exact numerics, ISO dates), or undefined. */
export async function rowText(
  h: Harness,
  table: string,
  where: string,
  params: unknown[],
): Promise<Record<string, string | null> | undefined> {
  const { rows } = await h.db.pool.query<{ key: string; value: string | null }>(
    `SELECT (jsonb_each_text(to_jsonb(t) - 'state')).* FROM ${table} t WHERE ${where}`,
    params,
  );
  return rows.length ? Object.fromEntries(rows.map((r) => [r.key, r.value])) : undefined;
}
