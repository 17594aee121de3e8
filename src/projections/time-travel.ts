// Bitemporal time travel over one project's stream (pure; docs/TIME-TRAVEL.md): the project as it
// was in effect on a business date (`asOf`) as the system knew it at an instant (`knownAt`).
// An event counts when it was recorded by `knownAt` and took effect by `asOf`; a correction counts
// when it was recorded by `knownAt` and the event it corrects counts (it restates that event, so it
// acts on the corrected event's business date, not on its own). Events that do not count keep their
// revision's slot in the fold (passOver), so a later correction still finds the revision it names.
import type { IsoDate, IsoInstant } from '../domain/dates.js';
import type { ProjectEvent } from '../domain/project/events.js';
import { evolveProject, initialProjectState, type ProjectState, passOver } from '../domain/project/state.js';

/** A point on both time axes; an absent axis is unbounded (every business date, everything recorded). */
export interface TimePoint {
  readonly asOf?: IsoDate;
  readonly knownAt?: IsoInstant;
}

/** A project event with the two times that decide whether it counts. */
export interface CountableEvent {
  readonly revision: number;
  readonly event: ProjectEvent;
  readonly recordedAt: string;
  readonly effectiveAt: IsoDate;
}

/** An event a reader already knows does not count (time-travel-pg.ts reads no more of it). */
export interface SkippedEvent {
  readonly revision: number;
  readonly skipped: Pick<ProjectEvent, 'type'>;
}

export type TimedEvent = CountableEvent | SkippedEvent;

/** A fold of revisions 0..revision that all counted, with the latest times among them. */
export interface Snapshot {
  readonly revision: number;
  readonly state: ProjectState;
  readonly maxRecordedAt: string;
  readonly maxEffectiveAt: IsoDate;
}

export interface TimeTravelFold {
  readonly state: ProjectState;
  /** The last revision that counted (-1 when none did). */
  readonly revision: number;
  /** Revisions folded that counted. */
  readonly counted: number;
  /** The longest prefix 0..n of the stream in which every revision counted, as a snapshot (or null). */
  readonly prefix: Snapshot | null;
  /** Snapshots inside that prefix after `from`, at every `every`-th revision (see foldAt). */
  readonly checkpoints: readonly Snapshot[];
}

const instant = (s: string): number => Date.parse(s);

/** True when a snapshot holds only revisions that all count at `at`: a fold may start from it. */
export function snapshotUsable(s: Snapshot, at: TimePoint): boolean {
  return (
    (at.knownAt === undefined || instant(s.maxRecordedAt) <= instant(at.knownAt)) &&
    (at.asOf === undefined || s.maxEffectiveAt <= at.asOf)
  );
}

/**
 * Folds `events` (one stream, in revision order, starting right after `from` when given) at `at`.
 * `from` must be usable at `at` (snapshotUsable); the events must continue it without a gap.
 * `every` (default 100) spaces the checkpoints: revisions 99, 199, ... while every one counted.
 */
export function foldAt(
  events: readonly TimedEvent[],
  at: TimePoint,
  from?: Snapshot,
  every = 100,
): TimeTravelFold {
  const known = at.knownAt === undefined ? Number.POSITIVE_INFINITY : instant(at.knownAt);
  const counts: boolean[] = [];
  let state = from?.state ?? initialProjectState;
  let revision = from?.revision ?? -1;
  let counted = 0;
  let prefix: Snapshot | null = from ?? null;
  let prefixOpen = true;
  const checkpoints: Snapshot[] = [];
  // Runs of left-out revisions join the history in one copy, not one copy each.
  let left: Pick<ProjectEvent, 'type'>[] = [];
  for (const e of events) {
    if ('skipped' in e) {
      counts[e.revision] = false;
      left.push(e.skipped);
      prefixOpen = false;
      continue;
    }
    const recorded = instant(e.recordedAt) <= known;
    const ok =
      e.event.type === 'EventCorrected'
        ? recorded && countsAt(e.event.data.correctedRevision, counts, from)
        : recorded && (at.asOf === undefined || e.effectiveAt <= at.asOf);
    counts[e.revision] = ok;
    if (ok) {
      state = evolveProject(passOver(state, left), e.event, { effectiveAt: e.effectiveAt });
      left = [];
      revision = e.revision;
      counted++;
      if (prefixOpen) {
        prefix = extend(prefix, e, state);
        if ((e.revision + 1) % every === 0) checkpoints.push(prefix);
      }
    } else {
      left.push(e.event);
      prefixOpen = false;
    }
  }
  // Left-out revisions after the last that counts are not kept: the state is that of `revision`.
  return { state, revision, counted, prefix, checkpoints };
}

/** Revisions inside the snapshot all counted; later ones as the fold found them. */
const countsAt = (rev: number, counts: readonly boolean[], from?: Snapshot): boolean =>
  from !== undefined && rev <= from.revision ? true : counts[rev] === true;

function extend(prefix: Snapshot | null, e: CountableEvent, state: ProjectState): Snapshot {
  const rec =
    prefix && instant(prefix.maxRecordedAt) > instant(e.recordedAt) ? prefix.maxRecordedAt : e.recordedAt;
  const eff = prefix && prefix.maxEffectiveAt > e.effectiveAt ? prefix.maxEffectiveAt : e.effectiveAt;
  return { revision: e.revision, state, maxRecordedAt: rec, maxEffectiveAt: eff };
}
