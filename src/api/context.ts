// What every resolver gets: the command handler, the read models, the live feeds (subscriptions), the
// request's logger, and the actor the request speaks for. Until real authentication (issue 6) the
// actor is stated by the client in the `x-tiendo-actor` header as JSON {userId, agencyId, role};
// without it a mutation is FORBIDDEN.
import type { FastifyBaseLogger } from 'fastify';
import type { CommandHandler } from '../commands/handler.js';
import { fieldIssues } from '../domain/catalog.js';
import { type Actor, actorSchema } from '../domain/envelope.js';
import { ForbiddenError } from '../domain/errors.js';
import type { LiveFeeds } from './live.js';
import type { ApiMetrics } from './metrics.js';
import type { ReadModels } from './read-models.js';

export const ACTOR_HEADER = 'x-tiendo-actor';

export interface ApiContext {
  readonly handler: CommandHandler;
  readonly readModels: ReadModels;
  /** The feeds behind the subscriptions. */
  readonly live: LiveFeeds;
  /** What /metrics reports; mutations count their commands in it. */
  readonly metrics: ApiMetrics;
  readonly log: FastifyBaseLogger;
  /** The actor of the request; throws FORBIDDEN when the header is missing or not a valid actor. */
  readonly actor: () => Actor;
}

export function actorFromHeader(header: string | string[] | undefined): Actor {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) {
    throw new ForbiddenError(
      `a mutation needs the acting user: header ${ACTOR_HEADER} with JSON {userId, agencyId, role}`,
      'ACTOR_MISSING',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ForbiddenError(`header ${ACTOR_HEADER} is not JSON`, 'ACTOR_INVALID');
  }
  const parsed = actorSchema.safeParse(value);
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error, ACTOR_HEADER);
    throw new ForbiddenError(
      `header ${ACTOR_HEADER} is not a valid actor: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
      'ACTOR_INVALID',
      { issues },
    );
  }
  return parsed.data;
}
