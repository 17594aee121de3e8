// The API's guard rails (issue 6, item 3), kept apart from the routes: request ids and log redaction,
// the body limit, security headers, CORS, rate limits per principal (per address unauthenticated),
// GraphQL depth/cost/alias/token limits, introspection on or off, and answers that always carry a code
// and never a stack or an internal message. buildApp (app.ts) wires these in; docs/SECURITY.md says what each one stops.
import { createHash, randomUUID } from 'node:crypto';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import { type ExecutionResult, GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Principal } from '../auth/authenticate.js';
import type { ApiLimits } from './limits.js';

/** A client's request id is kept when it is this plain; otherwise the server makes one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
export const REQUEST_ID_HEADER = 'x-request-id';

/** Never written to a log line, whatever logs the request. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-tiendo-actor"]',
  'headers.authorization',
  'headers.cookie',
];

/**
 * fastify's own options: body limit, request ids, a logger that redacts credentials, and the proxies
 * believed about the client's address (`req.ip`, which the rate limit counts by).
 */
export function fastifyOptions(
  limits: ApiLimits,
  logger: FastifyServerOptions['logger'] = false,
): FastifyServerOptions {
  return {
    bodyLimit: limits.bodyLimitBytes,
    ...(limits.trustProxy.length > 0 && { trustProxy: [...limits.trustProxy] }),
    genReqId: (req) => {
      const given = req.headers[REQUEST_ID_HEADER];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    logger:
      logger === false
        ? false
        : {
            ...(typeof logger === 'object' ? logger : {}),
            redact: { paths: REDACTED, censor: '[redacted]' },
          },
  };
}

/** What an HTTP-level refusal is called, by status (its fastify code goes in `reason`). */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** An HTTP-level error in the shape GraphQL clients already read: `errors[].extensions.code`. */
export function httpErrorBody(status: number, message: string, reason?: string) {
  const code = status >= 500 ? 'INTERNAL_SERVER_ERROR' : (CODE_BY_STATUS[status] ?? 'BAD_REQUEST');
  return { errors: [{ message, extensions: { code, ...(reason && { reason }), http: { status } } }] };
}

/**
 * The rate-limit key: the principal authentication verified (the API token's id, or the JWT's user),
 * else the client's address. A request whose token was not accepted counts against its address, so a
 * client making up a new token per request gets no new budget with it.
 */
export function rateLimitKey(req: FastifyRequest, principal: Principal | undefined): string {
  if (!principal) return `ip:${req.ip}`;
  return principal.tokenId !== undefined ? `token:${principal.tokenId}` : `user:${principal.actor.userId}`;
}

/**
 * Registers headers, CORS, the rate limit and the error answers on the app. The plugins load in order
 * when the app starts: routes must be registered after them (in a plugin of their own) to get them.
 * `principalOf` says whom a request was authenticated as (by an onRequest hook, before the limit).
 */
export function registerHttpHardening(
  app: FastifyInstance,
  limits: ApiLimits,
  principalOf: (req: FastifyRequest) => Principal | undefined,
): void {
  app.addHook('onRequest', async (req, reply) => {
    reply.header(REQUEST_ID_HEADER, req.id);
  });
  app.register(helmet, {
    // JSON answers load nothing; GraphiQL's page gets its own policy (graphiqlPolicy).
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"] },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.register(cors, {
    origin: limits.corsOrigins.length > 0 ? [...limits.corsOrigins] : false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'authorization', 'x-tiendo-actor', REQUEST_ID_HEADER],
    exposedHeaders: [REQUEST_ID_HEADER],
    maxAge: 600,
  });
  if (limits.rateLimitPerMinute > 0) {
    app.register(rateLimit, {
      max: limits.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (req) => rateLimitKey(req, principalOf(req)),
      errorResponseBuilder: (_req, context) => ({
        statusCode: 429,
        code: 'FST_ERR_RATE_LIMITED',
        message: `too many requests: at most ${context.max} per minute; retry in ${Math.ceil(context.ttl / 1000)} s`,
      }),
    });
  }
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      req.log.error({ err: error }, 'unexpected error');
      return reply.status(status).send(httpErrorBody(status, 'Unexpected error.'));
    }
    return reply.status(status).send(httpErrorBody(status, error.message, error.code));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send(httpErrorBody(404, `no route ${req.method} ${req.url.split('?')[0]}`)),
  );
}

/**
 * The yoga plugins: graphql-armor's limits, introspection off when configured, and the answer check:
 * every error leaves with a code, none with an original error or a stack, and an unexpected one is
 * logged with the request's id (yoga's own log line has none).
 */
export function yogaHardening<C extends { req: FastifyRequest }>(
  limits: ApiLimits,
  unexpected: WeakMap<object, unknown>,
): Plugin<object, C>[] {
  const plugins: Plugin<object, C>[] = [
    EnvelopArmorPlugin({
      maxDepth: { n: limits.maxDepth, onReject: [coded('MAX_DEPTH')] },
      costLimit: { maxCost: limits.maxCost, onReject: [coded('MAX_COST')] },
      maxAliases: { n: limits.maxAliases, onReject: [coded('MAX_ALIASES')] },
      maxTokens: { n: limits.maxTokens, onReject: [coded('MAX_TOKENS')] },
      maxDirectives: { n: limits.maxDirectives, onReject: [coded('MAX_DIRECTIVES')] },
      // Suggestions name fields a client did not ask for; with introspection off they would leak them.
      blockFieldSuggestion: { enabled: !limits.introspection },
    }) as Plugin<object, C>,
    {
      // yoga parses a GET's `variables` and `extensions` with JSON.parse and lets a SyntaxError through
      // as unexpected (HTTP 500): it is the client's malformed request.
      onRequestParse({ requestParser, setRequestParser }) {
        if (!requestParser) return;
        setRequestParser(async (request) => {
          try {
            return await requestParser(request);
          } catch (error) {
            if (!(error instanceof SyntaxError)) throw error;
            throw new GraphQLError(`the request's JSON is malformed: ${error.message}`, {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
        });
      },
      onResultProcess({ result, setResult, serverContext }) {
        if (Array.isArray(result)) setResult(result.map((r) => answer(r, serverContext.req, unexpected)));
        else if (!(Symbol.asyncIterator in result)) setResult(answer(result, serverContext.req, unexpected));
      },
    },
  ];
  if (!limits.introspection)
    plugins.push({
      onValidate({ addValidationRule }) {
        addValidationRule(NoSchemaIntrospectionCustomRule);
      },
    });
  return plugins;
}

/** graphql-armor's refusals come without a code: one code for all, the limit hit as the reason. */
const coded =
  (reason: string) =>
  (_context: unknown, error: GraphQLError): void => {
    Object.assign(error.extensions, { code: 'QUERY_TOO_COMPLEX', reason });
  };

function answer<R extends ExecutionResult>(
  result: R,
  req: FastifyRequest,
  unexpected: WeakMap<object, unknown>,
): R {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((e) => {
    const original = unexpected.get(e);
    if (original !== undefined) req.log.error({ err: original }, 'unexpected error (masked in the answer)');
    const { originalError: _o, stack: _s, ...kept } = e.extensions ?? {};
    return new GraphQLError(e.message, {
      ...(e.nodes && { nodes: e.nodes }),
      ...(e.source && { source: e.source }),
      ...(e.positions && { positions: e.positions }),
      ...(e.path && { path: e.path }),
      // Errors graphql-js raises while coercing variables carry no code; they are the client's input.
      extensions: { ...kept, code: typeof kept.code === 'string' ? kept.code : 'BAD_USER_INPUT' },
    });
  });
  return { ...result, errors };
}

/**
 * The Content-Security-Policy of GraphiQL's page: its one inline script allowed by hash (the page is
 * built from fixed options, so the hash is computed once), workers from blobs, styles inline.
 */
export function graphiqlPolicy(): (html: string) => string {
  let last: { html: string; policy: string } | undefined;
  return (html) => {
    if (last?.html === html) return last.policy;
    const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
      (m) =>
        `'sha256-${createHash('sha256')
          .update(m[1] ?? '')
          .digest('base64')}'`,
    );
    const policy = [
      "default-src 'none'",
      `script-src ${hashes.join(' ') || "'none'"}`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "worker-src 'self' blob:",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; ');
    last = { html, policy };
    return policy;
  };
}
