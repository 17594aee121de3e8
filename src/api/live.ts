// The live feeds behind the GraphQL subscriptions (served over server-sent events by yoga):
// - projectChanged: every project whose events were appended, by any process, with its new revision,
//   the event types and its status as the fold of its stream gives it;
// - alertOpened: every row inserted open into `alerts`, announced by the database (trigger of
//   migrations/020, 021) so it does not matter which process or path opened it.
// Each feed has one source per process, opened with its first listener and closed with its last:
// a store subscription from the log's head, or a connection LISTENing on the alerts channel.
import type { FastifyBaseLogger } from 'fastify';
import { map, Repeater, SlidingBuffer } from 'graphql-yoga';
import type pg from 'pg';
import { decodeEvent } from '../domain/catalog.js';
import type { IsoDate } from '../domain/dates.js';
import { UnavailableError } from '../domain/errors.js';
import type { ProjectEvent } from '../domain/project/events.js';
import {
  type ExistingProject,
  evolveProject,
  initialProjectState,
  type ProjectState,
} from '../domain/project/state.js';
import { PROJECT, streamId } from '../domain/streams.js';
import { type PortfolioStatus, portfolioStatus } from '../projections/portfolio.js';
import type { EventStore, RecordedEvent } from '../store/port.js';
import type { AlertFilter, AlertView, ProjectView, ReadModels } from './read-models.js';
import { projectView } from './read-models.js';

export const ALERTS_CHANNEL = 'tiendo_alerts';

/** A project after some of its events were appended. */
export interface ProjectChange {
  readonly projectId: string;
  readonly province: string;
  /** The stream's revision after the events. */
  readonly revision: number;
  /** Types of the events appended since the previous change of this project, in order. */
  readonly eventTypes: readonly string[];
  readonly phase: string;
  readonly status: PortfolioStatus;
  readonly suspended: boolean;
  readonly project: ProjectView;
}

export interface ProjectChangeFilter {
  readonly projectId?: string;
  readonly province?: string;
}

export type OpenedAlertFilter = Omit<AlertFilter, 'status'>;

/** An alert just opened, with what its filter needs to know of the project. */
interface OpenedAlert {
  readonly alert: AlertView;
  readonly province: string | null;
  readonly family: string | null;
}

export interface LiveFeedDeps {
  readonly store: EventStore;
  /** Where the log's head and the alerts are; without it the feeds are UNAVAILABLE. */
  readonly pool?: pg.Pool;
  readonly readModels: ReadModels;
  readonly log?: Pick<FastifyBaseLogger, 'warn'>;
}

/** A feed's source: started with a function to hand values to, it returns how to stop it. */
type Source<T> = (emit: (value: T) => void, fail: (error: unknown) => void) => Promise<() => Promise<void>>;

/** Listeners of one feed and its single source, which runs only while someone listens. */
class Feed<T> {
  private readonly listeners = new Map<(value: T) => void, (error: unknown) => void>();
  private readonly ready = new Set<(value: T) => void>();
  private stopSource: (() => Promise<void>) | null = null;
  // Opening and closing the source are serialised so a listener arriving during a close reopens it.
  private transition: Promise<void> = Promise.resolve();

  constructor(private readonly source: Source<T>) {}

  /** Listeners whose source is open: from then on they hear every value. */
  get size(): number {
    return this.ready.size;
  }

  listen(accept: (value: T) => boolean): AsyncIterableIterator<T> {
    // A client that reads slower than the feed loses the oldest values, never the newest.
    return new Repeater<T>(async (push, stop) => {
      const listener = (value: T) => {
        if (accept(value)) push(value).catch(() => {});
      };
      this.listeners.set(listener, (error) => stop(error));
      try {
        await this.sync();
      } catch (error) {
        this.listeners.delete(listener);
        stop(error);
        return;
      }
      this.ready.add(listener);
      await stop;
      this.ready.delete(listener);
      this.listeners.delete(listener);
      await this.sync().catch(() => {});
    }, new SlidingBuffer(1000));
  }

  /** Ends every listener (they see `error`) and the source. */
  async close(error?: unknown): Promise<void> {
    for (const end of [...this.listeners.values()]) end(error);
    this.listeners.clear();
    await this.sync();
  }

  private sync(): Promise<void> {
    const next = this.transition.then(async () => {
      if (this.listeners.size > 0 && !this.stopSource) {
        this.stopSource = await this.source(
          (value) => {
            for (const listener of this.listeners.keys()) listener(value);
          },
          (error) => void this.close(error),
        );
      } else if (this.listeners.size === 0 && this.stopSource) {
        const stop = this.stopSource;
        this.stopSource = null;
        await stop();
      }
    });
    this.transition = next.catch(() => {});
    return next;
  }
}

export class LiveFeeds {
  private readonly projects: Feed<ProjectChange>;
  private readonly alerts: Feed<OpenedAlert>;

  constructor(private readonly deps: LiveFeedDeps) {
    this.projects = new Feed((emit) => this.followProjects(emit));
    this.alerts = new Feed((emit, fail) => this.listenAlerts(emit, fail));
  }

  projectChanges(filter: ProjectChangeFilter): AsyncIterableIterator<ProjectChange> {
    return this.projects.listen(
      (c) =>
        (filter.projectId === undefined || c.projectId === filter.projectId) &&
        (filter.province === undefined || c.province === filter.province),
    );
  }

  alertsOpened(filter: OpenedAlertFilter): AsyncIterable<AlertView> {
    const opened = this.alerts.listen(
      ({ alert: a, province, family }) =>
        (filter.ruleId === undefined || a.ruleId === filter.ruleId) &&
        (filter.projectId === undefined || a.project.id === filter.projectId) &&
        (filter.severity === undefined || a.severity === filter.severity) &&
        (filter.province === undefined || province === filter.province) &&
        (filter.family === undefined || family === filter.family),
    );
    return map((o: OpenedAlert) => o.alert)(opened);
  }

  /** Clients listening now, per feed (what /metrics reports and tests check after disconnects). */
  listeners(): { readonly projectChanged: number; readonly alertOpened: number } {
    return { projectChanged: this.projects.size, alertOpened: this.alerts.size };
  }

  async close(): Promise<void> {
    await Promise.all([this.projects.close(), this.alerts.close()]);
  }

  private pool(): pg.Pool {
    if (!this.deps.pool)
      throw new UnavailableError('subscriptions need the database pool', 'SUBSCRIPTIONS_UNAVAILABLE');
    return this.deps.pool;
  }

  private async followProjects(emit: (c: ProjectChange) => void): Promise<() => Promise<void>> {
    const after = await this.deps.store.logEnd();
    const subscription = this.deps.store.subscribe({
      after,
      categories: [PROJECT],
      onEvents: async (events) => {
        for (const change of await this.changes(events)) emit(change);
      },
      onError: (error) => this.deps.log?.warn({ err: error }, 'projectChanged feed: reading the log failed'),
    });
    return () => subscription.close();
  }

  /** One change per project of the batch, its state folded up to the batch's last event of it. */
  private async changes(events: readonly RecordedEvent[]): Promise<ProjectChange[]> {
    const byStream = new Map<string, RecordedEvent[]>();
    for (const e of events) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);
    const changes: ProjectChange[] = [];
    for (const [stream, own] of byStream) {
      const revision = own[own.length - 1]!.revision;
      const recorded = await this.deps.store.readStream(stream, { maxCount: revision + 1 });
      let state: ProjectState = initialProjectState;
      for (const e of recorded)
        state = evolveProject(state, decodeEvent(e.type, e.schemaVersion, e.data) as ProjectEvent, {
          effectiveAt: (e.metadata as { effectiveAt: IsoDate }).effectiveAt,
        });
      if (state.family === 'none') continue;
      const p: ExistingProject = state;
      const suspended = p.suspension !== undefined;
      changes.push({
        projectId: streamId(stream),
        province: p.province,
        revision,
        eventTypes: own.map((e) => e.type),
        phase: p.phase,
        status: portfolioStatus(p.phase, suspended),
        suspended,
        project: projectView(p, revision),
      });
    }
    return changes;
  }

  private async listenAlerts(
    emit: (a: OpenedAlert) => void,
    fail: (error: unknown) => void,
  ): Promise<() => Promise<void>> {
    const pool = this.pool();
    const client = await pool.connect();
    let pending: AlertKey[] = [];
    let flushing: Promise<void> | null = null;
    // Notifications of one sweep arrive together: their alerts are read per project, once.
    const flush = async () => {
      while (pending.length > 0) {
        const keys = pending;
        pending = [];
        for (const alert of await this.openedAlerts(keys)) emit(alert);
      }
    };
    client.on('notification', (message) => {
      if (!message.payload) return;
      pending.push(JSON.parse(message.payload) as AlertKey);
      flushing ??= flush()
        .catch((error) => this.deps.log?.warn({ err: error }, 'alertOpened feed: reading alerts failed'))
        .finally(() => {
          flushing = null;
        });
    });
    let released = false;
    const release = (error?: Error) => {
      if (released) return;
      released = true;
      // Destroyed rather than pooled: it still listens and carries our handlers.
      client.release(error ?? true);
    };
    client.on('error', (error) => {
      release(error);
      fail(new UnavailableError('the alerts feed lost its database connection', 'SUBSCRIPTION_LOST'));
    });
    try {
      await client.query(`LISTEN ${ALERTS_CHANNEL}`);
    } catch (error) {
      release(error instanceof Error ? error : undefined);
      throw error;
    }
    return async () => {
      await flushing;
      release();
    };
  }

  private async openedAlerts(keys: readonly AlertKey[]): Promise<OpenedAlert[]> {
    const ids = [...new Set(keys.map((k) => k.projectId))];
    const { rows } = await this.pool().query<{ project_id: string; province: string; family: string }>(
      'SELECT project_id, province, family FROM project_status WHERE project_id = ANY($1)',
      [ids],
    );
    const projects = new Map(rows.map((r) => [r.project_id, r]));
    const found: OpenedAlert[] = [];
    for (const projectId of ids) {
      const page = await this.deps.readModels.alerts({ projectId, status: 'open' }, { first: 100 });
      const p = projects.get(projectId);
      for (const { node } of page.edges)
        if (keys.some((k) => k.projectId === projectId && sameAlert(k, node)))
          found.push({ alert: node, province: p?.province ?? null, family: p?.family ?? null });
    }
    return found;
  }
}

/** What the trigger of migrations/020 (021) sends for each alert inserted open. */
interface AlertKey {
  readonly projectId: string;
  readonly ruleId: string;
  readonly key: string;
  readonly episode: number;
}

const sameAlert = (k: AlertKey, a: AlertView) =>
  a.ruleId === k.ruleId && a.key === k.key && a.episode === k.episode;
