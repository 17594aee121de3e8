// Drives the real fastify app (buildApp) on a fresh PostgreSQL database through inject, as a GraphQL
// client does: POST /graphql with the actor in the x-tiendo-actor header. Subscriptions go through a
// real port (listen), as server-sent events.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { ACTOR_HEADER } from '../../src/api/context.js';
import type { ApiLimits } from '../../src/api/limits.js';
import { LiveFeeds } from '../../src/api/live.js';
import { readModels } from '../../src/api/read-models.js';
import { mutationName } from '../../src/api/schema/mutations.js';
import { CommandHandler } from '../../src/commands/handler.js';
import { PROJECTIONS, ProjectionRunner } from '../../src/projections/index.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { actors } from '../support/fixtures.js';
import { type EventSource, openEventSource } from './sse.js';

export type Actor = (typeof actors)[keyof typeof actors];

export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly data?: T | null;
  readonly errors?: readonly {
    message: string;
    path?: string[];
    extensions?: { code?: string; reason?: string; issues?: { field: string; message: string }[] };
  }[];
}

export interface Api {
  readonly app: FastifyInstance;
  readonly db: FreshDatabase;
  /** A GraphQL request; `actor: null` sends no actor header, a string sends it as is. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    actor?: Actor | string | null,
  ): Promise<GraphQLResponse<T>>;
  /** Sends a raw command (test/support/fixtures.ts) as its mutation, with its actor in the header. */
  send(command: Record<string, unknown>): Promise<GraphQLResponse<Record<string, CommandResultJson>>>;
  /** The feeds behind the subscriptions (to see how many clients listen). */
  readonly live: LiveFeeds;
  /**
   * Opens a subscription on the real listening server (started on first use) as server-sent events.
   * `actor: null` sends no actor header.
   */
  subscribe(query: string, variables?: Record<string, unknown>, actor?: Actor | null): Promise<EventSource>;
  /** Catches the read models up with the log (what `tiendo serve`'s runner does every poll). */
  catchUp(): Promise<void>;
  close(): Promise<void>;
}

export interface CommandResultJson {
  readonly commandId: string;
  readonly stream: string;
  readonly revision: number;
  readonly duplicate: boolean;
  readonly events: readonly {
    id: string;
    type: string;
    revision: number;
    effectiveAt: string;
    data: unknown;
  }[];
}

export interface StartApiOptions {
  /** The app's limits (src/api/limits.ts), e.g. `{ rateLimitPerMinute: 0 }` for many requests. */
  readonly limits?: Partial<ApiLimits>;
}

export async function startApi(options: StartApiOptions = {}): Promise<Api> {
  const db = await freshDatabase();
  const store = new PostgresEventStore(db.pool);
  const handler = new CommandHandler({ store });
  const models = readModels({ handler, store, pool: db.pool });
  const live = new LiveFeeds({ store, pool: db.pool, readModels: models });
  const app = buildApp({
    handler,
    store,
    pool: db.pool,
    readModels: models,
    live,
    ...(options.limits && { limits: options.limits }),
  });
  await app.ready();
  let base: Promise<string> | undefined;
  const listen = async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (typeof address !== 'object' || !address) throw new Error('the app is not listening');
    return `http://127.0.0.1:${address.port}`;
  };
  const runner = new ProjectionRunner({ pool: db.pool, store, projections: PROJECTIONS });
  const api: Api = {
    app,
    db,
    live,
    async gql(query, variables = {}, actor = actors.registrar) {
      const headers = headersFor(actor);
      const res = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers,
        payload: { query, variables },
      });
      return { status: res.statusCode, ...res.json() };
    },
    send(command) {
      const { type, actor, ...input } = command as { type: string; actor: Actor };
      const name = mutationName(type);
      return api.gql(mutation(name), { input }, actor);
    },
    async subscribe(query, variables = {}, actor = actors.registrar) {
      base ??= listen();
      return openEventSource(`${await base}/graphql`, { query, variables }, headersFor(actor));
    },
    async catchUp() {
      await runner.runOnce();
    },
    async close() {
      await app.close();
      await store.close();
      await db.drop();
    },
  };
  return api;
}

function headersFor(actor: Actor | string | null): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (actor !== null) headers[ACTOR_HEADER] = typeof actor === 'string' ? actor : JSON.stringify(actor);
  return headers;
}

/** A mutation by name with `$input`, selecting the whole result. */
export const mutation = (
  name: string,
) => `mutation ($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) {
  ${name}(input: $input) {
    commandId stream revision duplicate
    events { id type revision effectiveAt recordedAt data }
  }
}`;
