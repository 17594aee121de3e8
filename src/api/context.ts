// What every resolver gets: the command handler, the read models, the live feeds (subscriptions), the
// request's logger, and the actor the request speaks for, as its bearer token proved it
// (src/auth/authenticate.ts, checked in app.ts before GraphQL runs): the user's agency and role come
// from the directory, never from the client.
import type DataLoader from 'dataloader';
import type { FastifyBaseLogger } from 'fastify';
import type { Denial } from '../auth/denials.js';
import type { CommandHandler } from '../commands/handler.js';
import type { Actor } from '../domain/envelope.js';
import type { LiveFeeds } from './live.js';
import type { ApiMetrics } from './metrics.js';
import type { OpenAlertBrief, ReadModels } from './read-models.js';

export interface ApiContext {
  readonly handler: CommandHandler;
  readonly readModels: ReadModels;
  /** This request's loader of projects' open flag alerts (flags.ts): one read per list, not per project. */
  readonly flagAlerts: DataLoader<string, readonly OpenAlertBrief[]>;
  /** The feeds behind the subscriptions. */
  readonly live: LiveFeeds;
  /** What /metrics reports; mutations count their commands in it. */
  readonly metrics: ApiMetrics;
  readonly log: FastifyBaseLogger;
  /** The authenticated actor of the request. */
  readonly actor: () => Actor;
  /** The commune or ward the actor's agency answers for, when it is a commune committee's. */
  readonly unit: () => string | undefined;
  /** Keeps a refused attempt (access_denials and the log); never throws. */
  readonly recordDenial: (denial: Omit<Denial, 'principal'>) => Promise<void>;
}
