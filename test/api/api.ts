// Drives the real fastify app (buildApp) on a fresh PostgreSQL database through inject, as a GraphQL
// client does: POST /graphql with `Authorization: Bearer <JWT>`. The JWT is signed for the actor's
// user id with this API's own secret, and the actor's agency and role are put in the directory first
// (as an administrator would), so a spec names an actor object and gets exactly that actor.
// Subscriptions go through a real port (listen), as server-sent events.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type AppDeps, buildApp } from '../../src/api/app.js';
import type { ApiLimits } from '../../src/api/limits.js';
import { LiveFeeds } from '../../src/api/live.js';
import { type ReadModels, readModels } from '../../src/api/read-models.js';
import { mutationName } from '../../src/api/schema/mutations.js';
import { type Authenticator, authenticator } from '../../src/auth/authenticate.js';
import { jwtVerifier, signJwt } from '../../src/auth/jwt.js';
import { CommandHandler } from '../../src/commands/handler.js';
import { PROJECTIONS, ProjectionRunner } from '../../src/projections/index.js';
import type { EventStore } from '../../src/store/port.js';
import { PostgresEventStore } from '../../src/store/postgres.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';
import { actors } from '../support/fixtures.js';
import { Directory } from './directory.js';
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
  /**
   * A GraphQL request as `actor` (a bearer JWT for its user, the directory set to its agency and role);
   * `actor: null` sends no Authorization header, a string is sent as the Authorization header as is.
   */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    actor?: Actor | string | null,
  ): Promise<GraphQLResponse<T>>;
  /** A JWT for the actor's user, valid for an hour, after putting the actor in the directory. */
  tokenFor(actor: Actor): Promise<string>;
  /** The JWT signing configuration this API verifies against (to sign tokens a spec tampers with). */
  readonly signer: TestAuth['signer'];
  /** What the app authenticates with, for specs that build another app on the same database. */
  readonly authenticate: Authenticator;
  /** Sends a raw command (test/support/fixtures.ts) as its mutation, as its actor. */
  send(command: Record<string, unknown>): Promise<GraphQLResponse<Record<string, CommandResultJson>>>;
  /** The feeds behind the subscriptions (to see how many clients listen). */
  readonly live: LiveFeeds;
  /**
   * Opens a subscription on the real listening server (started on first use) as server-sent events.
   * `actor: null` sends no Authorization header.
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
  /** Wraps the read models the app queries (e.g. to count the reads a query makes). */
  readonly wrapReadModels?: (models: ReadModels) => ReadModels;
}

export async function startApi(options: StartApiOptions = {}): Promise<Api> {
  const db = await freshDatabase();
  const store = new PostgresEventStore(db.pool);
  const handler = new CommandHandler({ store });
  const plain = readModels({ handler, store, pool: db.pool });
  const models = options.wrapReadModels?.(plain) ?? plain;
  const live = new LiveFeeds({ store, pool: db.pool, readModels: models });
  const { authenticate, signer, tokenFor } = await testAuth(handler, store);
  const app = buildApp({
    handler,
    store,
    pool: db.pool,
    readModels: models,
    live,
    authenticate,
    ...(options.limits && { limits: options.limits }),
  });
  /** `actor: null` sends no Authorization header, a string is sent as that header as is. */
  const headersFor = async (actor: Actor | string | null): Promise<Record<string, string>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (typeof actor === 'string') headers.authorization = actor;
    else if (actor !== null) headers.authorization = `Bearer ${await tokenFor(actor)}`;
    return headers;
  };
  await app.ready();
  let base: Promise<string> | undefined;
  const listen = async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (typeof address !== 'object' || !address) throw new Error('the app is not listening');
    return `http://127.0.0.1:${address.port}`;
  };
  const runner = new ProjectionRunner({ pool: db.pool, store, projections: PROJECTIONS });
  // The directory's fixture users are projected before a spec starts: its log begins with its own events.
  await runner.runOnce();
  const api: Api = {
    app,
    db,
    live,
    signer,
    authenticate,
    tokenFor,
    async gql(query, variables = {}, actor = actors.registrar) {
      const headers = await headersFor(actor);
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
      return openEventSource(`${await base}/graphql`, { query, variables }, await headersFor(actor));
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

export interface TestAuth {
  readonly authenticate: Authenticator;
  readonly signer: { readonly issuer: string; readonly audience: string; readonly secret: Uint8Array };
  /** A JWT for the actor's user, valid for an hour, after putting the actor in the directory. */
  tokenFor(actor: { userId: string; agencyId: string; role: string }): Promise<string>;
}

/** Real authentication on `store` with a fresh secret, the fixture actors already in the directory. */
export async function testAuth(handler: CommandHandler, store: EventStore): Promise<TestAuth> {
  const signer = { issuer: 'tiendo-test', audience: 'tiendo', secret: new Uint8Array(randomBytes(32)) };
  const directory = new Directory(handler);
  await directory.seed(Object.values(actors));
  const tokens = new Map<string, Promise<string>>();
  return {
    authenticate: authenticator({ store, verifyJwt: jwtVerifier(signer) }),
    signer,
    async tokenFor(actor) {
      await directory.ensure(actor);
      const token = tokens.get(actor.userId) ?? signJwt(signer, actor.userId, '1h');
      tokens.set(actor.userId, token);
      return token;
    },
  };
}

/** Another app on the same database as `api`, with its own limits (and authentication, logger...). */
export function appOn(
  api: Api,
  limits: Partial<ApiLimits> = {},
  more: Partial<AppDeps> = {},
): FastifyInstance {
  const store = new PostgresEventStore(api.db.pool);
  return buildApp({
    handler: new CommandHandler({ store }),
    store,
    pool: api.db.pool,
    authenticate: api.authenticate,
    limits,
    ...more,
  });
}
