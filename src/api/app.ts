// The HTTP application: fastify with graphql-yoga mounted as one route (/graphql, GraphiQL served from
// node_modules so it works offline), /healthz (the process answers), /readyz (the database answers)
// and /metrics (Prometheus text, metrics.ts), behind the guard rails of hardening.ts (limits.ts says
// which). Every GraphQL request carries `Authorization: Bearer <JWT or API token>` (src/auth): without
// a valid one it is answered 401 before GraphQL sees it; only the GraphiQL page itself loads without.
// /metrics needs a token of a role that may read it (`metrics` in src/domain/access.ts) unless the
// limits make it public. Authentication comes before the rate limit, which counts per principal.
// buildApp never listens: tests drive it with inject, server.ts puts it on a port.
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { GraphQLError } from 'graphql';
import { createYoga } from 'graphql-yoga';
import type pg from 'pg';
import type { Authenticator, Principal } from '../auth/authenticate.js';
import { recordDenial } from '../auth/denials.js';
import type { CommandHandler } from '../commands/handler.js';
import { mayUse } from '../domain/access.js';
import { ForbiddenError, isTiendoError, UnauthenticatedError } from '../domain/errors.js';
import { PROJECTIONS } from '../projections/index.js';
import type { EventStore } from '../store/port.js';
import type { ApiContext } from './context.js';
import { HTTP_STATUS, maskTiendoError, tiendoExtensions } from './errors.js';
import { flagAlertsLoader } from './flags.js';
import {
  fastifyOptions,
  graphiqlPolicy,
  httpErrorBody,
  registerHttpHardening,
  yogaHardening,
} from './hardening.js';
import { type ApiLimits, DEFAULT_LIMITS } from './limits.js';
import { LiveFeeds } from './live.js';
import { ApiMetrics } from './metrics.js';
import { readModels as defaultReadModels, type ReadModels } from './read-models.js';
import { buildSchema } from './schema/index.js';

export interface AppDeps {
  readonly handler: CommandHandler;
  readonly store: EventStore;
  /** Who a request speaks for, from its bearer token (src/auth/authenticate.ts). */
  readonly authenticate: Authenticator;
  /** A token GraphiQL's default headers carry (the demo's); otherwise a placeholder to replace. */
  readonly graphiqlToken?: string;
  /** Checked by /readyz with `SELECT 1`; without it /readyz asks the store. */
  readonly pool?: pg.Pool;
  /** What the queries read; defaults to readModels(): project(id) live, the lists from the tables in `pool`. */
  readonly readModels?: ReadModels;
  /** The feeds behind the subscriptions; defaults to LiveFeeds over `store`, `pool` and the read models. */
  readonly live?: LiveFeeds;
  /** fastify's logger option (false by default: tests stay quiet); credentials are redacted. */
  readonly logger?: FastifyServerOptions['logger'];
  /** What a client may send and how often (DEFAULT_LIMITS, overridden field by field). */
  readonly limits?: Partial<ApiLimits>;
}

interface ServerContext {
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
  /** Absent only for the GraphiQL page, which runs no operation. */
  readonly principal?: Principal;
}

export const GRAPHQL_PATH = '/graphql';
export const METRICS_PATH = '/metrics';

/** What authentication made of a request: whom it speaks for, or why not. */
type AuthOutcome = { readonly principal: Principal } | { readonly error: unknown };

const TOKEN_PLACEHOLDER = '<a JWT, or an API token from: tiendo token create --user <id>>';
const EXAMPLE_QUERY = `# tiendo: one project, as its events leave it (try CBPUB001 for a public one)
query {
  project(id: "CB0001") {
    name family phase phaseLabel { vi en } registeredCapital capitalContributed suspended revision
    milestones { name currentDue completedOn }
  }
}
`;

export function buildApp(deps: AppDeps): FastifyInstance {
  const limits: ApiLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  const app = Fastify(fastifyOptions(limits, deps.logger));
  // Authentication runs first, before the rate limit (a route hook, after this one), so that the limit
  // counts per verified principal; its outcome is answered by the route: a refused request still counts.
  const authenticated = new WeakMap<FastifyRequest, AuthOutcome>();
  app.addHook('onRequest', async (req) => {
    if (!needsToken(req)) return;
    try {
      authenticated.set(req, { principal: await deps.authenticate(req.headers.authorization) });
    } catch (error) {
      authenticated.set(req, { error });
    }
  });
  registerHttpHardening(app, limits, (req) => {
    const outcome = authenticated.get(req);
    return outcome && 'principal' in outcome ? outcome.principal : undefined;
  });
  // Errors masked as unexpected, with what was thrown: logged with the request's id once answered.
  const unexpected = new WeakMap<object, unknown>();
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
    graphiql: limits.introspection && {
      title: 'tiendo GraphQL',
      // How to pass a token, with a ready-to-use one when the demo gave it.
      headers: JSON.stringify(
        { Authorization: `Bearer ${deps.graphiqlToken ?? TOKEN_PLACEHOLDER}` },
        null,
        2,
      ),
      defaultQuery: EXAMPLE_QUERY,
    },
    renderGraphiQL,
    // isDev false: yoga would otherwise add the original error and its stack when NODE_ENV=development.
    maskedErrors: {
      isDev: false,
      maskError: (error, message) => {
        const masked = maskTiendoError(error, message, false);
        if (masked !== error && (masked as GraphQLError).extensions?.unexpected)
          unexpected.set(masked, error);
        return masked;
      },
    },
    plugins: yogaHardening<ServerContext>(limits, unexpected),
    // CORS is fastify's (@fastify/cors, configured origins only); yoga's would allow every origin.
    cors: false,
    landingPage: false,
    logging: {
      debug: (...args) => log.debug(args.length === 1 ? args[0] : args),
      info: (...args) => log.info(args.length === 1 ? args[0] : args),
      warn: (...args) => log.warn(args.length === 1 ? args[0] : args),
      // yoga logs at this level only the errors it masks, which hardening.ts logs with the request id.
      error: (...args) => log.debug(args.length === 1 ? args[0] : args),
    },
    context: ({ req, principal }): ApiContext => ({
      handler: deps.handler,
      readModels,
      flagAlerts: flagAlertsLoader(readModels),
      live,
      metrics,
      log: req.log,
      actor: () => {
        if (!principal) throw new UnauthenticatedError('no bearer token was checked', 'TOKEN_MISSING');
        return principal.actor;
      },
      unit: () => principal?.unit,
      recordDenial: (denial) =>
        principal ? recordDenial(deps.pool, req.log, { principal, ...denial }) : Promise.resolve(),
    }),
  });

  const policy = graphiqlPolicy();
  // In a plugin registered after the hardening ones, so that their hooks apply to these routes.
  app.register(async (api) => {
    api.route({
      url: GRAPHQL_PATH,
      method: ['GET', 'POST'],
      handler: async (req, reply) => {
        const outcome = authenticated.get(req);
        if (outcome && 'error' in outcome) return refuse(req, reply, outcome.error);
        const principal = outcome?.principal;
        const response = await yoga.handleNodeRequestAndResponse(req, reply, { req, reply, principal });
        response.headers.forEach((value, key) => {
          reply.header(key, value);
        });
        reply.status(response.status);
        if (response.headers.get('content-type')?.startsWith('text/html')) {
          const html = await response.text();
          reply.header('content-security-policy', policy(html));
          return reply.send(html);
        }
        // yoga refuses some requests (e.g. an unknown media type) with an empty body: say why, with a code.
        if (response.body === null && response.status >= 400)
          return reply
            .header('content-type', 'application/json; charset=utf-8')
            .send(httpErrorBody(response.status, `refused with HTTP ${response.status}`));
        reply.send(response.body);
        return reply;
      },
    });
    routes(api);
  });
  return app;

  /** The GraphiQL page: a browser's GET for HTML with no query; its own requests carry the token. */
  function isGraphiQLPage(req: FastifyRequest): boolean {
    const query = (req.query ?? {}) as Record<string, unknown>;
    return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html') && !query.query;
  }

  /** Every GraphQL request but GraphiQL's page, and /metrics unless it is public, needs a bearer token. */
  function needsToken(req: FastifyRequest): boolean {
    const route = req.routeOptions.url;
    if (route === GRAPHQL_PATH) return !isGraphiQLPage(req);
    return route === METRICS_PATH && !limits.metricsPublic;
  }

  /** A request whose authentication failed: 401 with the reason; the store unreachable is 503. */
  function refuse(req: FastifyRequest, reply: FastifyReply, error: unknown) {
    if (!isTiendoError(error)) throw error;
    if (error.code === 'UNAUTHENTICATED') {
      req.log.warn({ denied: { reason: error.reason, ip: req.ip } }, `unauthenticated: ${error.message}`);
      reply.header('www-authenticate', `Bearer error="invalid_token", error_description="${error.reason}"`);
    }
    return reply
      .status(HTTP_STATUS[error.code])
      .send({ errors: [{ message: error.message, extensions: tiendoExtensions(error) }] });
  }

  function routes(api: FastifyInstance): void {
    // Needs a role that may read the metrics, unless configured public (a scraper on a private network).
    api.get(METRICS_PATH, async (req, reply) => {
      const outcome = authenticated.get(req);
      if (outcome && 'error' in outcome) return refuse(req, reply, outcome.error);
      if (outcome && !mayUse(outcome.principal.actor, 'metrics')) {
        const { role } = outcome.principal.actor;
        const error = new ForbiddenError(
          `role ${role} may not read the metrics`,
          'OPERATION_NOT_ALLOWED_FOR_ROLE',
          {
            role,
          },
        );
        await recordDenial(deps.pool, req.log, {
          principal: outcome.principal,
          operation: `GET ${METRICS_PATH}`,
          reason: error.reason,
          message: error.message,
        });
        return reply
          .status(HTTP_STATUS.FORBIDDEN)
          .send({ errors: [{ message: error.message, extensions: tiendoExtensions(error) }] });
      }
      const { contentType, body } = await metrics.scrape();
      return reply.header('content-type', contentType).send(body);
    });
    api.get('/healthz', { config: { rateLimit: false } }, async () => ({ status: 'ok' }));
    api.get('/readyz', { config: { rateLimit: false } }, async (_req, reply) => {
      try {
        const probe = deps.pool ? deps.pool.query('SELECT 1') : deps.store.head('readyz-probe');
        // A database that takes connections but does not answer must not hang the probe.
        await Promise.race([probe, rejectAfter(READY_TIMEOUT_MS)]);
        return { status: 'ok', database: 'reachable' };
      } catch (error) {
        app.log.warn({ err: error }, 'readyz: the database does not answer');
        return reply.status(HTTP_STATUS.UNAVAILABLE).send({ status: 'unavailable', database: 'unreachable' });
      }
    });
  }
}

/** How long /readyz waits for the database before answering 503. */
const READY_TIMEOUT_MS = 2_000;

const rejectAfter = (ms: number) =>
  new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref();
  });
