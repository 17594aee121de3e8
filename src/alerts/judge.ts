// The alerts projection's judgements within one batch: each rule's findings for a project's state and
// capital context on a date, evaluated only when asked and only when no judgement at hand answers.
// A judgement answers for the same project while the rule's inputs are the same objects (sameInputs)
// and the date is within its window: from the date judged to the first date a comparison the rule made
// comes out otherwise, or its version may change (judgeRule's `until`). Most events leave most rules
// their inputs, and an event a few days after the last seldom crosses a rule's next date: those rules
// are not asked again. Two judgements are kept per project and rule: an event asks for the state
// before it and the state after it.
import type { IsoDate } from '../domain/dates.js';
import type { ProjectState } from '../domain/project/state.js';
import { regimeInForce } from '../domain/regimes.js';
import { judgeRule, NO_FINDINGS, type RuleOverrides } from './evaluate.js';
import { type AlertContext, appliesTo, sameInputs } from './rule-kit.js';
import { ALERT_RULES, type AlertFinding, type AlertRule } from './rules.js';

/** A project as a rule sees it: its folded state and its capital context. */
export interface Subject {
  readonly state: ProjectState;
  readonly context: AlertContext;
}

/** One judgement of one rule: what it found, on which inputs, for which dates. */
interface Window {
  readonly state: ProjectState;
  readonly context: AlertContext;
  readonly from: IsoDate;
  readonly until: IsoDate | undefined;
  readonly findings: readonly AlertFinding[];
}

export class Judge {
  readonly rules: readonly AlertRule[] = ALERT_RULES;
  private readonly index = new Map(this.rules.map((r, i) => [r.id, i]));
  /** Per project: two windows per rule (at 2i and 2i + 1), the one at `latest` the last made. */
  private readonly windows = new Map<string, { readonly slots: (Window | undefined)[]; latest: number[] }>();

  constructor(private readonly overrides: RuleOverrides) {}

  /** The index of the rule `ruleId` in `rules`, if it is one of them. */
  ruleIndex(ruleId: string): number | undefined {
    return this.index.get(ruleId);
  }

  /** Drops what was judged of a project that has no later events. */
  forget(projectId: string): void {
    this.windows.delete(projectId);
  }

  /** The findings of `rules[i]` for the subject on `on`. */
  findings({ state, context }: Subject, on: IsoDate, i: number): readonly AlertFinding[] {
    if (state.family === 'none') return NO_FINDINGS;
    const rule = this.rules[i] as AlertRule;
    if (!appliesTo(rule, state, context)) return NO_FINDINGS;
    let project = this.windows.get(state.projectId);
    if (!project) {
      project = { slots: new Array(this.rules.length * 2).fill(undefined), latest: [] };
      this.windows.set(state.projectId, project);
    }
    for (let k = 2 * i; k < 2 * i + 2; k++) {
      const w = project.slots[k];
      if (
        w &&
        w.from <= on &&
        (w.until === undefined || on < w.until) &&
        ((w.state === state && w.context === context) || sameInputs(rule, w.state, w.context, state, context))
      )
        return w.findings;
    }
    const judged = judgeRule(rule, state, on, this.overrides, context, regimeInForce(state.family, on));
    // The other slot than the last made: the two kept are the last two judged.
    const slot = 2 * i + (project.latest[i] === 2 * i ? 1 : 0);
    project.slots[slot] = { state, context, from: on, until: judged.until, findings: judged.findings };
    project.latest[i] = slot;
    return judged.findings;
  }
}
