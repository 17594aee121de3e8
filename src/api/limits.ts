// What the API lets a client do: body size, GraphQL depth/cost/aliases/tokens/directives, requests per
// minute per authenticated principal (or per address without one), whether the schema can be
// introspected, which browser origins may call it, whether /metrics needs a token, and which proxies in
// front are believed about the client's address. Defaults are safe for a public port; `tiendo serve` reads overrides from
// the environment (TIENDO_*), parsed here so that a bad value stops the start with a clear error.
import { isIP } from 'node:net';
import { ValidationError } from '../domain/errors.js';

export interface ApiLimits {
  /** Largest request body accepted, in bytes (413 above). */
  readonly bodyLimitBytes: number;
  /** Deepest selection nesting (introspection excepted). */
  readonly maxDepth: number;
  /** graphql-armor's cost: objects 2, scalars 1, times 1.5 per level. */
  readonly maxCost: number;
  readonly maxAliases: number;
  /** Tokens in a document: bounds the parser's work before anything else runs. */
  readonly maxTokens: number;
  readonly maxDirectives: number;
  /**
   * Requests per minute per authenticated principal (API token, or the JWT's user); per client address
   * for requests that are not authenticated, failed ones included. 0 turns the limit off.
   */
  readonly rateLimitPerMinute: number;
  /** The schema answers __schema/__type queries (and GraphiQL is served, which needs them). */
  readonly introspection: boolean;
  /** Browser origins allowed by CORS; none means same-origin only (no CORS headers). */
  readonly corsOrigins: readonly string[];
  /** /metrics answers without a token (for a scraper on a private network); else it needs a role that may read it. */
  readonly metricsPublic: boolean;
  /**
   * The reverse proxies believed about the client's address (`x-forwarded-for`), by address or CIDR
   * range (or proxy-addr's names `loopback`, `linklocal`, `uniquelocal`); empty: none, the address is
   * the connection's. A hop count is not offered: fastify 5 ignores one, since it cannot tell a proxy
   * from a client that wrote the header itself.
   */
  readonly trustProxy: readonly string[];
}

export const DEFAULT_LIMITS: ApiLimits = {
  bodyLimitBytes: 1024 * 1024,
  maxDepth: 12,
  maxCost: 5000,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 20,
  rateLimitPerMinute: 600,
  introspection: true,
  corsOrigins: [],
  metricsPublic: false,
  trustProxy: [],
};

/** The variables `limitsFromEnv` reads, with what each sets. */
export const LIMIT_VARIABLES = {
  TIENDO_BODY_LIMIT: 'bodyLimitBytes',
  TIENDO_GRAPHQL_MAX_DEPTH: 'maxDepth',
  TIENDO_GRAPHQL_MAX_COST: 'maxCost',
  TIENDO_GRAPHQL_MAX_ALIASES: 'maxAliases',
  TIENDO_GRAPHQL_MAX_TOKENS: 'maxTokens',
  TIENDO_RATE_LIMIT: 'rateLimitPerMinute',
} as const satisfies Record<string, keyof ApiLimits>;

/** DEFAULT_LIMITS with the TIENDO_* overrides set in `env`; a malformed one is a VALIDATION error. */
export function limitsFromEnv(env: Readonly<Record<string, string | undefined>>): ApiLimits {
  const limits: Record<string, unknown> = { ...DEFAULT_LIMITS };
  for (const [name, key] of Object.entries(LIMIT_VARIABLES)) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const n = Number(text);
    const zeroAllowed = key === 'rateLimitPerMinute';
    if (!Number.isSafeInteger(n) || n < (zeroAllowed ? 0 : 1))
      throw ValidationError.field(name, `must be a whole number ≥ ${zeroAllowed ? 0 : 1}`, 'BAD_SETTING');
    limits[key] = n;
  }
  const introspection = env.TIENDO_INTROSPECTION;
  if (introspection !== undefined && introspection !== '') {
    if (!['on', 'off'].includes(introspection))
      throw ValidationError.field('TIENDO_INTROSPECTION', 'must be on or off', 'BAD_SETTING');
    limits.introspection = introspection === 'on';
  }
  const origins = (env.TIENDO_CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {}
    if (!url || url.origin !== origin)
      throw ValidationError.field(
        'TIENDO_CORS_ORIGINS',
        `${origin} is not an origin (scheme://host[:port], comma-separated)`,
        'BAD_SETTING',
      );
  }
  limits.corsOrigins = origins;
  const metricsPublic = env.TIENDO_METRICS_PUBLIC;
  if (metricsPublic !== undefined && metricsPublic !== '') {
    if (!['1', '0'].includes(metricsPublic))
      throw ValidationError.field('TIENDO_METRICS_PUBLIC', 'must be 1 or 0', 'BAD_SETTING');
    limits.metricsPublic = metricsPublic === '1';
  }
  limits.trustProxy = trustProxyFrom(env.TIENDO_TRUST_PROXY ?? '');
  return limits as unknown as ApiLimits;
}

/** TIENDO_TRUST_PROXY: comma-separated proxy addresses, CIDR ranges or proxy-addr's names; empty: none. */
function trustProxyFrom(text: string): readonly string[] {
  const proxies = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const proxy of proxies)
    if (!PROXY_NAMES.has(proxy) && !isAddressOrRange(proxy))
      throw ValidationError.field(
        'TIENDO_TRUST_PROXY',
        `${proxy} is not a proxy address, a CIDR range, loopback, linklocal or uniquelocal`,
        'BAD_SETTING',
      );
  return proxies;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(text: string): boolean {
  const [address = '', bits, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
}
