// The API's limits from the environment: defaults when unset, each TIENDO_* variable overriding its
// field, and a malformed value refused by name (so that `tiendo serve` stops instead of guessing).
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, limitsFromEnv } from '../../src/api/limits.js';
import { expectError } from '../support/decider.js';

describe('limitsFromEnv', () => {
  it('is the defaults when nothing is set', () => {
    expect(limitsFromEnv({})).toEqual(DEFAULT_LIMITS);
  });

  it('reads every variable', () => {
    expect(
      limitsFromEnv({
        TIENDO_BODY_LIMIT: '2048',
        TIENDO_GRAPHQL_MAX_DEPTH: '5',
        TIENDO_GRAPHQL_MAX_COST: '900',
        TIENDO_GRAPHQL_MAX_ALIASES: '3',
        TIENDO_GRAPHQL_MAX_TOKENS: '400',
        TIENDO_RATE_LIMIT: '0',
        TIENDO_INTROSPECTION: 'off',
        TIENDO_CORS_ORIGINS: 'https://a.gov.vn, http://localhost:5173',
        TIENDO_METRICS_PUBLIC: '1',
        TIENDO_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1, ::1, fd00::/8, loopback',
      }),
    ).toEqual({
      ...DEFAULT_LIMITS,
      bodyLimitBytes: 2048,
      maxDepth: 5,
      maxCost: 900,
      maxAliases: 3,
      maxTokens: 400,
      rateLimitPerMinute: 0,
      introspection: false,
      corsOrigins: ['https://a.gov.vn', 'http://localhost:5173'],
      metricsPublic: true,
      trustProxy: ['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8', 'loopback'],
    });
  });

  it.each([
    ['TIENDO_BODY_LIMIT', '0'],
    ['TIENDO_GRAPHQL_MAX_DEPTH', 'ten'],
    ['TIENDO_RATE_LIMIT', '-1'],
    ['TIENDO_GRAPHQL_MAX_COST', '1.5'],
    ['TIENDO_INTROSPECTION', 'yes'],
    ['TIENDO_CORS_ORIGINS', 'https://a.gov.vn/path'],
    ['TIENDO_CORS_ORIGINS', '*'],
    ['TIENDO_METRICS_PUBLIC', 'yes'],
    ['TIENDO_TRUST_PROXY', 'true'],
    ['TIENDO_TRUST_PROXY', '1'],
    ['TIENDO_TRUST_PROXY', '10.0.0.0/33'],
    ['TIENDO_TRUST_PROXY', 'proxy.internal'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expectError(() => limitsFromEnv({ [name]: value }), {
      code: 'VALIDATION',
      reason: 'BAD_SETTING',
      field: name,
    });
  });
});
