// Decision replay (docs/TIME-TRAVEL.md): every event of a project in the order it was recorded, with
// the state the decider saw before it and the state after, the field-level difference, who decided it
// under which document and regime, the rule checks of that regime (checks.ts) and, for corrections,
// which event they restate — and for each event the corrections that later restated it. Pure over the
// stream's recorded events.
import { decodeEvent, encodeData } from '../domain/catalog.js';
import type { IsoDate } from '../domain/dates.js';
import type { EventMetadata } from '../domain/envelope.js';
import { type CheckMeta, checksFor, type RuleCheck } from '../domain/project/checks.js';
import type { ProjectEvent } from '../domain/project/events.js';
import { evolveProject, initialProjectState, type ProjectState } from '../domain/project/state.js';
import type { Json, RecordedEvent } from '../store/port.js';
import { diffStates, type FieldChange } from './state-json.js';

export interface ReplayRange {
  /** Business dates, inclusive: only events effective in [from, to] are stepped through. */
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

export interface ReplayStep {
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: Json;
  readonly meta: EventMetadata & { readonly override?: CheckMeta['override'] };
  /** The project state before and after (money as strings of đồng; the fold's history left out). */
  readonly before: Json;
  readonly after: Json;
  readonly changes: readonly FieldChange[];
  readonly checks: readonly RuleCheck[];
  /** For a correction: the event it restates. */
  readonly corrects?: { readonly revision: number; readonly type: string; readonly reason: string };
  /** Revisions of the corrections that later restated this event. */
  readonly correctedBy: readonly number[];
}

const NOT_SHOWN = ['history'];

const shown = (s: ProjectState): Json => {
  if (s.family === 'none') return null;
  const { history: _, ...rest } = s;
  return encodeData(rest) as Json;
};

export function replay(recorded: readonly RecordedEvent[], range: ReplayRange = {}): ReplayStep[] {
  const steps: ReplayStep[] = [];
  const correctedBy = new Map<number, number[]>();
  let state: ProjectState = initialProjectState;
  for (const e of recorded) {
    const event = decodeEvent(e.type, e.schemaVersion, e.data) as ProjectEvent;
    const meta = e.metadata as unknown as ReplayStep['meta'];
    const before = state;
    state = evolveProject(state, event, { effectiveAt: meta.effectiveAt });
    if (event.type === 'EventCorrected') {
      const list = correctedBy.get(event.data.correctedRevision) ?? [];
      list.push(e.revision);
      correctedBy.set(event.data.correctedRevision, list);
    }
    const inRange =
      (range.from === undefined || meta.effectiveAt >= range.from) &&
      (range.to === undefined || meta.effectiveAt <= range.to);
    if (!inRange) continue;
    steps.push({
      revision: e.revision,
      eventId: e.id,
      type: e.type,
      data: e.data,
      meta,
      before: shown(before),
      after: shown(state),
      changes: diffStates(
        before.family === 'none' ? {} : before,
        state.family === 'none' ? {} : state,
        NOT_SHOWN,
      ),
      checks: checksFor(event, before, meta),
      ...(event.type === 'EventCorrected' && {
        corrects: {
          revision: event.data.correctedRevision,
          type: event.data.correctedType,
          reason: event.data.reason,
        },
      }),
      correctedBy: [],
    });
  }
  return steps.map((s) => ({ ...s, correctedBy: correctedBy.get(s.revision) ?? [] }));
}
