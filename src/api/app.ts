// The HTTP application: fastify with graphql-yoga mounted as one route (/graphql, GraphiQL served from
// node_modules so it works offline), /healthz (the process answers), /readyz (the database answers)
// and /metrics (Prometheus text, metrics.ts).
// buildApp never listens: tests drive it with inject, server.ts puts it on a port.
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { createYoga } from 'graphql-yoga';
import type pg from 'pg';
import type { CommandHandler } from '../commands/handler.js';
import { PROJECTIONS } from '../projections/index.js';
import type { EventStore } from '../store/port.js';
import { ACTOR_HEADER, type ApiContext, actorFromHeader } from './context.js';
import { HTTP_STATUS, maskTiendoError } from './errors.js';
import { LiveFeeds } from './live.js';
import { ApiMetrics } from './metrics.js';
import { readModels as defaultReadModels, type ReadModels } from './read-models.js';
import { buildSchema } from './schema/index.js';

export interface AppDeps {
  readonly handler: CommandHandler;
  readonly store: EventStore;
  /** Checked by /readyz with `SELECT 1`; without it /readyz asks the store. */
  readonly pool?: pg.Pool;
  /** What the queries read; defaults to readModels(): project(id) live, the lists from the tables in `pool`. */
  readonly readModels?: ReadModels;
  /** The feeds behind the subscriptions; defaults to LiveFeeds over `store`, `pool` and the read models. */
  readonly live?: LiveFeeds;
  /** fastify's logger option (false by default: tests stay quiet). */
  readonly logger?: FastifyServerOptions['logger'];
}

interface ServerContext {
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
}

export const GRAPHQL_PATH = '/graphql';

const EXAMPLE_ACTOR = { userId: 'u-demo', agencyId: 'so-tai-chinh-cb', role: 'registrationAuthority' };
const EXAMPLE_QUERY = `# tiendo: one project, as its events leave it (try CBPUB001 for a public one)
query {
  project(id: "CB0001") {
    name family phase phaseLabel { vi en } registeredCapital capitalContributed suspended revision
    milestones { name currentDue completedOn }
  }
}
`;

export function buildApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({ logger: deps.logger ?? false });
  const readModels =
    deps.readModels ??
    defaultReadModels({ handler: deps.handler, store: deps.store, ...(deps.pool && { pool: deps.pool }) });
  const log = app.log;
  const live =
    deps.live ?? new LiveFeeds({ store: deps.store, readModels, log, ...(deps.pool && { pool: deps.pool }) });
  // Ends open subscriptions (their clients see the stream end) and releases the feeds' sources.
  app.addHook('preClose', () => live.close());
  const metrics = new ApiMetrics({
    live,
    projections: PROJECTIONS.map((p) => p.name),
    ...(deps.pool && { pool: deps.pool }),
  });

  const yoga = createYoga<ServerContext, ApiContext>({
    schema: buildSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: {
      title: 'tiendo GraphQL',
      // The stated actor (until issue 6 brings authentication), ready to edit.
      headers: JSON.stringify({ [ACTOR_HEADER]: JSON.stringify(EXAMPLE_ACTOR) }, null, 2),
      defaultQuery: EXAMPLE_QUERY,
    },
    renderGraphiQL,
    maskedErrors: { maskError: maskTiendoError },
    landingPage: false,
    logging: {
      debug: (...args) => log.debug(args.length === 1 ? args[0] : args),
      info: (...args) => log.info(args.length === 1 ? args[0] : args),
      warn: (...args) => log.warn(args.length === 1 ? args[0] : args),
      error: (...args) => log.error(args.length === 1 ? args[0] : args),
    },
    context: ({ req }): ApiContext => ({
      handler: deps.handler,
      readModels,
      live,
      metrics,
      log: req.log,
      actor: () => actorFromHeader(req.headers[ACTOR_HEADER]),
    }),
  });

  app.route({
    url: GRAPHQL_PATH,
    method: ['GET', 'POST', 'OPTIONS'],
    handler: async (req, reply) => {
      const response = await yoga.handleNodeRequestAndResponse(req, reply, { req, reply });
      response.headers.forEach((value, key) => {
        reply.header(key, value);
      });
      reply.status(response.status);
      reply.send(response.body);
      return reply;
    },
  });

  app.get('/metrics', async (_req, reply) => {
    const { contentType, body } = await metrics.scrape();
    return reply.header('content-type', contentType).send(body);
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      if (deps.pool) await deps.pool.query('SELECT 1');
      else await deps.store.head('readyz-probe');
      return { status: 'ok', database: 'reachable' };
    } catch (error) {
      app.log.warn({ err: error }, 'readyz: the database does not answer');
      return reply.status(HTTP_STATUS.UNAVAILABLE).send({ status: 'unavailable', database: 'unreachable' });
    }
  });
  return app;
}
