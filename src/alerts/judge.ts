// The alerts projection's judgements within one batch: each rule's findings for a project's state and
// capital context on a date, evaluated once and only when asked. The steps of one event ask for the
// same states on the same dates (before and after, at the event's date and where its open alerts
// were last seen), and the next event of a project starts from the state the last one ended with.
import type { IsoDate } from '../domain/dates.js';
import type { ProjectState } from '../domain/project/state.js';
import { type Regime, regimeInForce } from '../domain/regimes.js';
import { evaluateRule, NO_FINDINGS, type RuleOverrides } from './evaluate.js';
import type { AlertContext } from './rule-kit.js';
import { ALERT_RULES, type AlertFinding, type AlertRule } from './rules.js';

/** A project as a rule sees it: its folded state and its capital context. */
export interface Subject {
  readonly state: ProjectState;
  readonly context: AlertContext;
}

interface Verdicts {
  readonly context: AlertContext;
  readonly on: IsoDate;
  readonly regime: Regime | undefined;
  /** By rule index; absent until asked. */
  readonly byRule: (readonly AlertFinding[] | undefined)[];
}

export class Judge {
  readonly rules: readonly AlertRule[] = ALERT_RULES;
  private readonly index = new Map(this.rules.map((r, i) => [r.id, i]));
  /** Per state, its verdicts by context and date: a few each, searched in order. */
  private readonly memo = new WeakMap<ProjectState, Verdicts[]>();
  /** The last verdicts asked for, and their state: one event asks for the same many times in a row. */
  private lastState: ProjectState | undefined;
  private lastVerdicts: Verdicts | undefined;

  constructor(private readonly overrides: RuleOverrides) {}

  /** The index of the rule `ruleId` in `rules`, if it is one of them. */
  ruleIndex(ruleId: string): number | undefined {
    return this.index.get(ruleId);
  }

  /** The findings of `rules[i]` for the subject on `on`. */
  findings({ state, context }: Subject, on: IsoDate, i: number): readonly AlertFinding[] {
    if (state.family === 'none') return NO_FINDINGS;
    const verdicts = this.verdicts(state, context, on);
    let found = verdicts.byRule[i];
    if (!found) {
      found = evaluateRule(this.rules[i]!, state, on, this.overrides, context, verdicts.regime);
      verdicts.byRule[i] = found;
    }
    return found;
  }

  /** A state the fold has moved past: its findings go, so that they die young. */
  forget(state: ProjectState): void {
    this.memo.delete(state);
    if (this.lastState === state) this.lastState = undefined;
  }

  private verdicts(
    state: ProjectState & { family: 'nonState' | 'public' },
    context: AlertContext,
    on: IsoDate,
  ): Verdicts {
    const last = this.lastVerdicts;
    if (this.lastState === state && last && last.context === context && last.on === on) return last;
    let known = this.memo.get(state);
    if (!known) {
      known = [];
      this.memo.set(state, known);
    }
    let verdicts: Verdicts | undefined;
    for (const v of known) if (v.context === context && v.on === on) verdicts = v;
    if (!verdicts) {
      const byRule = new Array<readonly AlertFinding[] | undefined>(this.rules.length).fill(undefined);
      verdicts = { context, on, regime: regimeInForce(state.family, on), byRule };
      known.push(verdicts);
    }
    this.lastState = state;
    this.lastVerdicts = verdicts;
    return verdicts;
  }
}
