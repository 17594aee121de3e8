// The time-travel answers of the queries (docs/TIME-TRAVEL.md): project(id, asOf, knownAt),
// alerts(asOf, knownAt) and the point in time they are asked at. Live folds (time-travel-read.ts),
// never the read-model tables: those only know the present.
import type pg from 'pg';
import { evaluateAlerts } from '../alerts/evaluate.js';
import { type IsoDate, type IsoInstant, localDateOf } from '../domain/dates.js';
import { ValidationError } from '../domain/errors.js';
import { projectStream } from '../domain/streams.js';
import type { PortfolioDimension, PortfolioFilter, PortfolioRow } from '../projections/portfolio.js';
import { portfolioAt } from '../projections/portfolio-at.js';
import { type ReplayRange, type ReplayStep, replay } from '../projections/replay.js';
import type { TimePoint } from '../projections/time-travel.js';
import { PostgresTimeTravel } from '../projections/time-travel-pg.js';
import { TimeTravel } from '../projections/time-travel-read.js';
import type { EventStore } from '../store/port.js';
import { PostgresEventStore } from '../store/postgres.js';
import {
  type AlertFilter,
  type AlertView,
  type Connection,
  decodeCursor,
  encodeCursor,
  type Page,
  type ProjectCapital,
  type ProjectView,
  pageSize,
  projectView,
  RULE_LABELS,
} from './read-models.js';

/** The queries asked at a point in time; ReadModels.timeTravel. */
export interface TimeTravelReads {
  /** The project in effect on `asOf` as known at `knownAt`; null when it did not exist there. */
  project(id: string, at: TimePoint): Promise<ProjectView | null>;
  /** Its capital from the annual plans at the same point. */
  projectCapital(id: string, at: TimePoint): Promise<ProjectCapital>;
  portfolioSummary(
    filter: PortfolioFilter,
    by: readonly PortfolioDimension[],
    at: TimePoint,
  ): Promise<PortfolioRow[]>;
  alerts(filter: AlertFilter, page: Page, at: TimePoint): Promise<Connection<AlertView>>;
  /** Decision replay of the project's stream ([] for an unknown project). */
  replay(projectId: string, range: ReplayRange): Promise<ReplayStep[]>;
}

/** On PostgreSQL (store and pool) with snapshots; on any other store by folding what the port reads. */
export function timeTravelReads(store: EventStore, pool?: pg.Pool): TimeTravelReads {
  const tt =
    pool && store instanceof PostgresEventStore ? new PostgresTimeTravel(store, pool) : new TimeTravel(store);
  return {
    async project(id, at) {
      const p = await tt.project(id, at);
      return p && { ...projectView(p.state, p.revision), at };
    },
    async projectCapital(id, at) {
      return (await tt.capital(at)).get(id) ?? { allocated: 0n, disbursed: 0n };
    },
    portfolioSummary: (filter, by, at) => portfolioAt(tt, at, filter, by),
    alerts: (filter, page, at) => alertsAt(tt, at, filter, page),
    replay: async (projectId, range) => replay(await store.readStream(projectStream(projectId)), range),
  };
}

/** The arguments as GraphQL gives them; null when absent. */
export interface TimeArgs {
  readonly asOf?: string | null;
  readonly knownAt?: string | null;
}

/** The time point of the arguments, or null when neither is given (the present: the usual read path). */
export function timePoint(args: TimeArgs): TimePoint | null {
  const { asOf, knownAt } = args;
  if (asOf == null && knownAt == null) return null;
  if (asOf != null && knownAt != null && asOf > localDateOf(knownAt))
    throw ValidationError.field(
      'asOf',
      `${asOf} is after the day of knownAt (${localDateOf(knownAt)}): nothing recorded by then can take effect later`,
      'AS_OF_AFTER_KNOWN_AT',
    );
  return {
    ...(asOf != null && { asOf: asOf as IsoDate }),
    ...(knownAt != null && { knownAt: knownAt as IsoInstant }),
  };
}

/** The business date alerts are judged on at a time point: asOf, else the day of knownAt (Vietnam time). */
export const alertDay = (at: TimePoint): IsoDate =>
  at.asOf ?? localDateOf(at.knownAt ?? new Date().toISOString());

/**
 * The alerts open at `at`: each project folded at `at` and judged by evaluateAlerts on the alert day
 * with the rule versions in force that day. Every one is open, episode 1; `openedAt` is its `since`.
 */
export async function alertsAt(
  tt: TimeTravel,
  at: TimePoint,
  filter: AlertFilter,
  page: Page,
): Promise<Connection<AlertView>> {
  const first = pageSize(page.first);
  const day = alertDay(at);
  const all: AlertView[] = [];
  for (const { state } of (await tt.projects(at)).values()) {
    if (filter.projectId !== undefined && state.projectId !== filter.projectId) continue;
    if (filter.scopeOwnerId !== undefined && state.owner.id !== filter.scopeOwnerId) continue;
    if (filter.scopeUnit !== undefined && state.adminUnit !== filter.scopeUnit) continue;
    if (filter.province !== undefined && state.province !== filter.province) continue;
    if (filter.family !== undefined && state.family !== filter.family) continue;
    for (const f of evaluateAlerts(state, day)) {
      if (filter.ruleId !== undefined && f.ruleId !== filter.ruleId) continue;
      if (filter.severity !== undefined && f.severity !== filter.severity) continue;
      if (filter.status === 'closed') continue;
      all.push({
        project: { id: state.projectId, name: state.name },
        ruleId: f.ruleId,
        ruleLabel: RULE_LABELS.get(f.ruleId) ?? { vi: f.ruleId, en: f.ruleId },
        key: f.key,
        status: 'open',
        severity: f.severity,
        regime: f.regime,
        article: f.article,
        since: f.since,
        episode: 1,
        openedAt: f.since,
        closedOn: null,
        closedReason: null,
        closedByEventId: null,
        reason: f.reason,
      });
    }
  }
  const sortKey = (a: AlertView) => [a.project.id, a.ruleId, a.key, a.since];
  all.sort((a, b) => compare(sortKey(a), sortKey(b)));
  let start = 0;
  if (page.after != null) {
    const after = parseAlertCursor(decodeCursor<string>('alert', page.after, 'string'));
    start = all.findIndex((a) => compare(sortKey(a), after) > 0);
    if (start < 0) start = all.length;
  }
  const shown = all.slice(start, start + first);
  const edges = shown.map((node) => ({ cursor: encodeCursor('alert', JSON.stringify(sortKey(node))), node }));
  return {
    edges,
    pageInfo: { hasNextPage: start + first < all.length, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: all.length,
  };
}

function parseAlertCursor(key: string): string[] {
  try {
    const parsed: unknown = JSON.parse(key);
    if (Array.isArray(parsed) && parsed.length === 4 && parsed.every((x) => typeof x === 'string'))
      return parsed as string[];
  } catch {
    // falls through
  }
  throw ValidationError.field('after', 'is not a cursor of this connection', 'INVALID_CURSOR');
}

function compare(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    return (a[i] ?? '') < (b[i] ?? '') ? -1 : 1;
  }
  return 0;
}
