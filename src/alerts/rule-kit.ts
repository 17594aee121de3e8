// What an alert rule is, and the helpers the rule files share: a rule is a value naming its legal
// basis per regime, its parameters with defaults, and a pure `evaluate` over a project's folded state
// and a date chosen by the caller. The rules themselves: rules.ts, approval-land-rules.ts.
import { addDays, type IsoDate } from '../domain/dates.js';
import type { Dong } from '../domain/money.js';
import type {
  ExistingProject,
  NonStateProject,
  ProjectState,
  PublicProject,
} from '../domain/project/state.js';
import { type ProjectFamily, REGIMES, type Regime, type RegimeId, regimeInForce } from '../domain/regimes.js';

export interface Bilingual {
  readonly vi: string;
  readonly en: string;
}

export type RuleFamily = ProjectFamily | 'both';
export type Severity = 'warning' | 'violation';

export interface AlertFinding {
  readonly ruleId: string;
  /** Tells apart several alerts of one rule on one project (a milestone id, a report period...). */
  readonly key: string;
  /** The first day the condition holds. */
  readonly since: IsoDate;
  readonly severity: Severity;
  readonly regime: RegimeId;
  readonly article: string;
  /** The reason on the date judged. */
  readonly reason: Bilingual;
  /** The reason on a later date the finding still holds on unchanged (before its judgement's `until`). */
  reasonOn(today: IsoDate): Bilingual;
}

/** The legal basis of a rule under one regime, with that regime's default parameters. */
export interface RuleVersion<P> {
  readonly regime: RegimeId;
  readonly article: string;
  readonly defaults: P;
  /** Why this version says what it says, when the law is unclear or we chose. */
  readonly note?: string;
  /**
   * Narrower validity than the regime's, when the rule rests on another law that changed meanwhile
   * (the Land Law 2013 and 2024 under one Law on Investment): first and last day, inclusive.
   */
  readonly validFrom?: IsoDate;
  readonly validTo?: IsoDate;
}

export interface AlertRule<P extends object = object> {
  readonly id: string;
  readonly label: Bilingual;
  readonly family: RuleFamily;
  /** The severities its findings may have (most rules have one). */
  readonly severities: readonly Severity[];
  readonly versions: readonly RuleVersion<P>[];
  /**
   * What `evaluate` reads besides the family and the date: the parts of the state, and 'context'
   * for the capital context. Evolve keeps each part it does not change (the same object), so where
   * they are all the same before and after an event the rule finds the same on a date and the
   * projection does not ask it again (test/alerts/reads.unit.test.ts checks the list).
   */
  readonly reads: readonly RuleInput[];
  /**
   * The states (with their capital context) the rule speaks of: on one it does not apply to it finds
   * nothing, on any date, and is not asked (judgeRule). Reads only what `reads` names, like
   * `evaluate`. Most rules apply to a few phases: most states leave most rules silent at no cost.
   */
  readonly appliesTo?: (state: ExistingProject, context: AlertContext) => boolean;
  /** What the rule finds on `today`, for a state it applies to. */
  readonly evaluate: (
    state: ExistingProject,
    today: Today,
    params: P,
    version: RuleVersion<P>,
    context: AlertContext,
  ) => Finding[];
}

/**
 * The date a rule judges on. A rule compares it with other dates only through `reached` and `past`,
 * which remember the first later date where a comparison would come out otherwise: until then
 * (`until`), the same inputs give the same findings, so the projection need not ask again. Reasons are
 * said for a date of their own (Finding.reason), and may change every day.
 */
export class Today {
  /** The first date after `date` on which some comparison made so far changes; none: never. */
  until: IsoDate | undefined;

  constructor(readonly date: IsoDate) {}

  /** Whether `day` has come (date ≥ day). */
  reached(day: IsoDate): boolean {
    if (this.date >= day) return true;
    if (this.until === undefined || day < this.until) this.until = day;
    return false;
  }

  /** Whether `day` is over (date > day). */
  past(day: IsoDate): boolean {
    return this.date > day || this.reached(dayAfter(day));
  }
}

/** Days after, kept: rules ask past() of the same few dates (checkpoints, deadlines) at every judgement. */
const DAYS_AFTER = new Map<IsoDate, IsoDate>();
function dayAfter(day: IsoDate): IsoDate {
  let next = DAYS_AFTER.get(day);
  if (next === undefined) {
    if (DAYS_AFTER.size >= 4096) DAYS_AFTER.clear();
    next = addDays(day, 1);
    DAYS_AFTER.set(day, next);
  }
  return next;
}

/** A part of a project's state a rule may read, or its capital context. */
export type RuleInput = keyof NonStateProject | keyof PublicProject | 'context';

/** Whether `rule` applies to the state (and context): without `appliesTo`, to every state. */
export const appliesTo = (rule: AlertRule, state: ExistingProject, context: AlertContext): boolean =>
  rule.appliesTo === undefined || rule.appliesTo(state, context);

/**
 * Whether `rule` finds the same in `a` and `b` on any one date: it applies to neither, or it sees the
 * same inputs in both (sameInputs).
 */
export function findsTheSame(
  rule: AlertRule,
  a: ProjectState,
  aContext: AlertContext,
  b: ProjectState,
  bContext: AlertContext,
): boolean {
  if (sameInputs(rule, a, aContext, b, bContext)) return true;
  return silent(rule, a, aContext) && silent(rule, b, bContext);
}

/** A project not registered yet, or a state the rule does not apply to. */
const silent = (rule: AlertRule, s: ProjectState, context: AlertContext): boolean =>
  s.family === 'none' || !appliesTo(rule, s, context);

/** Whether `rule` sees the same inputs in `a` and `b` (then it finds the same on any one date). */
export function sameInputs(
  rule: AlertRule,
  a: ProjectState,
  aContext: AlertContext,
  b: ProjectState,
  bContext: AlertContext,
): boolean {
  if (a.family !== b.family) return false;
  for (const input of rule.reads) {
    if (input === 'context') {
      if (aContext !== bContext) return false;
    } else if (
      (a as Readonly<Record<string, unknown>>)[input] !== (b as Readonly<Record<string, unknown>>)[input]
    )
      return false;
  }
  return true;
}

/** Money moved for a project by one capital plan event, on its date (a reallocation away is negative). */
export interface CapitalMove {
  readonly on: IsoDate;
  readonly allocated: Dong;
  readonly disbursed: Dong;
}

/** One annual capital plan's money for one project, dated, as the alerts projection keeps it. */
export interface PlanCapital {
  /** The plan's stream. */
  readonly plan: string;
  readonly year: number;
  readonly disbursementDeadline: IsoDate;
  readonly moves: readonly CapitalMove[];
}

/** What a rule may read beside the project's state: its capital in the annual plans (public projects). */
export interface AlertContext {
  readonly capital: readonly PlanCapital[];
}

export const NO_CONTEXT: AlertContext = { capital: [] };

/**
 * What `evaluate` returns; the rule id, regime and article are added by the caller. The reason is
 * said only when asked: a projection evaluates many findings it never writes, and the texts cost
 * more than the judgement.
 */
export type Finding = Omit<AlertFinding, 'ruleId' | 'regime' | 'article' | 'reason' | 'reasonOn'> & {
  /** The reason as said on `today` (a date from the judgement's to its `until`). */
  readonly reason: (today: IsoDate) => Bilingual;
};

/** The regimes a rule is written for, with their validity, for documentation and the API. */
export const ruleRegimes = (rule: AlertRule): readonly Regime[] =>
  rule.versions.map((v) => REGIMES[v.regime]);

/** The version of `rule` in force on `today` for `family`, if any. */
export function versionInForce<P extends object>(
  rule: AlertRule<P>,
  family: ProjectFamily,
  today: IsoDate,
): RuleVersion<P> | undefined {
  return versionUnder(rule, family, regimeInForce(family, today), today);
}

/** versionInForce when the caller knows the regime in force on `today` (one lookup for all rules). */
export function versionUnder<P extends object>(
  rule: AlertRule<P>,
  family: ProjectFamily,
  regime: Regime | undefined,
  today: IsoDate,
): RuleVersion<P> | undefined {
  if (rule.family !== 'both' && rule.family !== family) return undefined;
  if (!regime) return undefined;
  for (const v of rule.versions) // a loop: asked for every rule at every evaluation
    if (
      v.regime === regime.id &&
      (v.validFrom === undefined || today >= v.validFrom) &&
      (v.validTo === undefined || today <= v.validTo)
    )
      return v;
  return undefined;
}

export const defineRule = <P extends object>(rule: AlertRule<P>): AlertRule<P> => rule;

/**
 * A rule written for Law 61/2020 and carried into Law 143/2025 with the same parameters: we have not
 * verified the new law's article or thresholds (its known change is dropping the 20%-capital trigger).
 */
export const investmentLawVersions = <P>(article: string, defaults: P, topic: string): RuleVersion<P>[] => [
  { regime: 'LI2020', article: `Law 61/2020 ${article}`, defaults },
  {
    regime: 'LI2025',
    article: `Law 143/2025 (${topic})`,
    defaults,
    note: `${topic} under Law 143/2025 not verified; the Law 61/2020 parameters are kept`,
  },
];

/** A date as Vietnamese documents write it (dd/mm/yyyy). */
export const fmt = (d: IsoDate): string => {
  const [y, m, day] = d.split('-');
  return `${day}/${m}/${y}`;
};
