// Live time-travel projections (docs/TIME-TRAVEL.md): the streams read through the event store port
// and folded at a point in time with foldAt — one project, every project (for the portfolio and the
// alerts), and the capital the annual plans gave each project. Nothing here writes; no read model
// is involved, so any (asOf, knownAt) can be asked.
import type { CapitalEvent, CapitalPlanState } from '../domain/capital/plan.js';
import { evolveCapitalPlan, initialCapitalPlanState } from '../domain/capital/plan.js';
import { decodeEvent } from '../domain/catalog.js';
import type { IsoDate } from '../domain/dates.js';
import type { ProjectEvent } from '../domain/project/events.js';
import type { ExistingProject } from '../domain/project/state.js';
import { CAPITAL_PLAN, category, PROJECT, projectStream, streamId } from '../domain/streams.js';
import type { EventStore, LogPosition, RecordedEvent } from '../store/port.js';
import { foldAt, type TimedEvent, type TimePoint } from './time-travel.js';

export interface ProjectAt {
  readonly state: ExistingProject;
  /** The last revision that counted. */
  readonly revision: number;
}

export interface CapitalAt {
  readonly allocated: bigint;
  readonly disbursed: bigint;
}

const PAGE = 5_000;

export const timed = (e: RecordedEvent): TimedEvent => {
  const meta = e.metadata as { recordedAt: string; effectiveAt: IsoDate };
  return {
    revision: e.revision,
    event: decodeEvent(e.type, e.schemaVersion, e.data) as ProjectEvent,
    recordedAt: meta.recordedAt,
    effectiveAt: meta.effectiveAt,
  };
};

/** True when an event recorded at `recordedAt`, effective `effectiveAt`, counts at `at` (not for corrections). */
export const countsAt = (at: TimePoint, recordedAt: string, effectiveAt: string): boolean =>
  (at.knownAt === undefined || Date.parse(recordedAt) <= Date.parse(at.knownAt)) &&
  (at.asOf === undefined || effectiveAt <= at.asOf);

export class TimeTravel {
  constructor(private readonly store: EventStore) {}

  /** The project at `at`, or null when it was not registered (or not yet known) there. */
  async project(id: string, at: TimePoint): Promise<ProjectAt | null> {
    const recorded = await this.store.readStream(projectStream(id));
    return projectOf(recorded, at);
  }

  /** Every project that exists at `at`, by id (one read of the log's project and plan categories). */
  async projects(at: TimePoint): Promise<Map<string, ProjectAt>> {
    const streams = await this.readCategory(PROJECT);
    const out = new Map<string, ProjectAt>();
    for (const [stream, events] of streams) {
      const p = projectOf(events, at);
      if (p) out.set(streamId(stream), p);
    }
    return out;
  }

  /** Capital allocated and disbursed per project by every annual plan, at `at`. */
  async capital(at: TimePoint): Promise<Map<string, CapitalAt>> {
    const streams = await this.readCategory(CAPITAL_PLAN);
    const out = new Map<string, CapitalAt>();
    for (const events of streams.values()) {
      let plan: CapitalPlanState = initialCapitalPlanState;
      for (const e of events) {
        const meta = e.metadata as { recordedAt: string; effectiveAt: string };
        if (!countsAt(at, meta.recordedAt, meta.effectiveAt)) continue;
        plan = evolveCapitalPlan(plan, decodeEvent(e.type, e.schemaVersion, e.data) as CapitalEvent);
      }
      if (plan.status === 'none') continue;
      for (const [projectId, a] of Object.entries(plan.allocations)) {
        const sum = out.get(projectId) ?? { allocated: 0n, disbursed: 0n };
        out.set(projectId, {
          allocated: sum.allocated + a.allocated,
          disbursed: sum.disbursed + a.disbursed,
        });
      }
    }
    return out;
  }

  private async readCategory(name: string): Promise<Map<string, RecordedEvent[]>> {
    const streams = new Map<string, RecordedEvent[]>();
    let after: LogPosition | undefined;
    for (;;) {
      const page = await this.store.readAll({ categories: [name], maxCount: PAGE, ...(after && { after }) });
      for (const e of page) {
        if (category(e.stream) !== name) continue;
        const list = streams.get(e.stream) ?? [];
        list.push(e);
        streams.set(e.stream, list);
      }
      if (page.length < PAGE) break;
      after = page.at(-1)!.position;
    }
    // The log is in commit order; a stream's events are in revision order within it already.
    for (const list of streams.values()) list.sort((a, b) => a.revision - b.revision);
    return streams;
  }
}

function projectOf(recorded: readonly RecordedEvent[], at: TimePoint): ProjectAt | null {
  const fold = foldAt(recorded.map(timed), at);
  return fold.state.family === 'none' ? null : { state: fold.state, revision: fold.revision };
}
