// Table-driven specifications shared by both families' lifecycles: each step moves the project from
// one phase to the next, and each lifecycle decision is accepted only in its phases.
import { describe, expect, it } from 'vitest';
import type { ProjectCommandType } from '../../src/domain/project/commands.js';
import type { ProjectEvent } from '../../src/domain/project/events.js';
import { type Dated, projectSpec, TODAY } from '../support/decider.js';
import { sample } from './fixtures.js';

export interface Lifecycle<P extends string> {
  readonly projectId: string;
  /** The project's history up to and including the decision that entered `phase`. */
  readonly upTo: (phase: P) => Dated<ProjectEvent>[];
  /** The phases a live project can be in. */
  readonly phases: readonly P[];
  /** What each command's sample (see fixtures.ts) emits. */
  readonly emits: Partial<Record<ProjectCommandType, ProjectEvent>>;
}

const emitted = (emits: Lifecycle<string>['emits'], type: ProjectCommandType): ProjectEvent => {
  const event = emits[type];
  if (!event) throw new Error(`the spec table names no event for ${type}`);
  return event;
};

/** Rows `[from, command, to]`: from phase `from`, the sample command moves the project to `to`. */
export function specifySteps<P extends string>(
  l: Lifecycle<P>,
  steps: readonly (readonly [P, ProjectCommandType, string])[],
) {
  it.each(steps)('from %s, %s moves the project to %s', (from, type, to) => {
    const state = projectSpec
      .given(l.upTo(from))
      .when(sample(type, l.projectId))
      .thenEmits([emitted(l.emits, type)]);
    expect(state).toMatchObject({ phase: to, phaseSince: TODAY });
  });
}

/**
 * Rows `[command, allowed phases]`: the command is accepted in each allowed phase and refused in every
 * other live phase, with ILLEGAL_PHASE unless `refusedAs` names another reason for that command.
 */
export function specifyPhases<P extends string>(
  l: Lifecycle<P>,
  rows: readonly (readonly [ProjectCommandType, readonly P[]])[],
  refusedAs: Partial<Record<ProjectCommandType, string>> = {},
) {
  describe.each(rows)('%s', (type, allowed) => {
    it.each(l.phases.filter((p) => allowed.includes(p)))('is accepted in phase %s', (phase) => {
      projectSpec
        .given(l.upTo(phase))
        .when(sample(type, l.projectId))
        .thenEmits([emitted(l.emits, type)]);
    });
    it.each(l.phases.filter((p) => !allowed.includes(p)))('is refused in phase %s', (phase) => {
      projectSpec
        .given(l.upTo(phase))
        .when(sample(type, l.projectId))
        .thenThrows({ code: 'ILLEGAL_TRANSITION', reason: refusedAs[type] ?? 'ILLEGAL_PHASE' });
    });
  });
}

/** Every command in `types` is refused on the given history with `reason`. */
export function specifyRefusals(
  history: Dated<ProjectEvent>[],
  projectId: string,
  types: readonly ProjectCommandType[],
  reason: string,
) {
  it.each(types)(`%s is refused with ${reason}`, (type) => {
    projectSpec
      .given(history)
      .when(sample(type, projectId))
      .thenThrows({ code: 'ILLEGAL_TRANSITION', reason });
  });
}
