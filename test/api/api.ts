// Drives the real fastify app (buildApp) on a fresh PostgreSQL database through inject, as a GraphQL
// client does: POST /graphql with the actor in the x-tiendo-actor header.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import { ACTOR_HEADER } from '../../src/api/context.js';
import { mutationName } from '../../src/api/schema/mutations.js';
import { CommandHandler } from '../../src/commands/handler.js';
import { PROJECTIONS, ProjectionRunner } from '../../src/projections/index.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { actors } from '../support/fixtures.js';

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

export async function startApi(): Promise<Api> {
  const db = await freshDatabase();
  const store = new PostgresEventStore(db.pool);
  const app = buildApp({ handler: new CommandHandler({ store }), store, pool: db.pool });
  await app.ready();
  const runner = new ProjectionRunner({ pool: db.pool, store, projections: PROJECTIONS });
  const api: Api = {
    app,
    db,
    async gql(query, variables = {}, actor = actors.registrar) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (actor !== null) headers[ACTOR_HEADER] = typeof actor === 'string' ? actor : JSON.stringify(actor);
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

/** A mutation by name with `$input`, selecting the whole result. */
export const mutation = (
  name: string,
) => `mutation ($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) {
  ${name}(input: $input) {
    commandId stream revision duplicate
    events { id type revision effectiveAt recordedAt data }
  }
}`;
