// Evaluating every rule against one project on a chosen date, and the difference between two
// evaluations: what a caller opens when a condition starts holding and closes when an event resolves
// it or the clock moves past it.
import { addDays, type IsoDate } from '../domain/dates.js';
import type { ExistingProject } from '../domain/project/state.js';
import { REGIMES, type Regime, type RegimeId, regimeInForce } from '../domain/regimes.js';
import {
  type AlertContext,
  appliesTo,
  type Bilingual,
  type Finding,
  NO_CONTEXT,
  type RuleVersion,
  type Severity,
  Today,
  versionUnder,
} from './rule-kit.js';
import { ALERT_RULES, type AlertFinding, type AlertRule } from './rules.js';

/** Parameters overriding a rule's defaults, by rule id (e.g. `{ UNFUNDED: { months: 9 } }`). */
export type RuleOverrides = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export function evaluateAlerts(
  state: ExistingProject,
  today: IsoDate,
  overrides: RuleOverrides = {},
  rules: readonly AlertRule[] = ALERT_RULES,
  /** The project's capital in the annual plans, for the capital rules (none when absent). */
  context: AlertContext = NO_CONTEXT,
): AlertFinding[] {
  const regime = regimeInForce(state.family, today);
  const out: AlertFinding[] = [];
  for (const rule of rules) out.push(...evaluateRule(rule, state, today, overrides, context, regime));
  return out;
}

/** No findings, shared (read only). */
export const NO_FINDINGS: readonly AlertFinding[] = Object.freeze([]);

/** A rule's judgement of a state it does not apply to: nothing, on any date. */
const SILENT: Judgement = Object.freeze({ findings: NO_FINDINGS, until: undefined });

/** One rule's findings (judgeRule's, without their `until`). */
export const evaluateRule = (...args: Parameters<typeof judgeRule>): readonly AlertFinding[] =>
  judgeRule(...args).findings;

/** A rule's findings on a date, and until when the same inputs give the same findings. */
export interface Judgement {
  readonly findings: readonly AlertFinding[];
  /** The first later date they may differ on (the rule's, or a regime's or version's change); none: never. */
  readonly until: IsoDate | undefined;
}

/** One rule's findings, and the date they hold until; `regime` is the one in force on `today` for the state's family. */
export function judgeRule(
  rule: AlertRule,
  state: ExistingProject,
  today: IsoDate,
  overrides: RuleOverrides,
  context: AlertContext,
  regime: Regime | undefined,
): Judgement {
  if (!appliesTo(rule, state, context)) return SILENT;
  const change = nextChangeOf(rule, today);
  const version = versionUnder(rule, state.family, regime, today);
  if (!version) return { findings: NO_FINDINGS, until: change };
  const on = new Today(today);
  const found = rule.evaluate(state, on, paramsOf(rule.id, version, overrides), version, context);
  const until = on.until === undefined || (change !== undefined && change < on.until) ? change : on.until;
  if (found.length === 0) return { findings: NO_FINDINGS, until };
  const out: AlertFinding[] = [];
  for (const f of found) out.push(new Judged(rule.id, version, f, today));
  return { findings: out, until };
}

/**
 * The dates a rule's version may change on: a regime's first day and the day after its last, and
 * the same for the rule's versions of narrower validity. Sorted, made once per rule.
 */
const changes = new WeakMap<AlertRule, readonly IsoDate[]>();
function nextChangeOf(rule: AlertRule, today: IsoDate): IsoDate | undefined {
  let dates = changes.get(rule);
  if (!dates) {
    const spans = [...Object.values(REGIMES), ...rule.versions];
    const all = spans.flatMap((v) => [
      ...(v.validFrom === undefined ? [] : [v.validFrom]),
      ...(v.validTo === undefined ? [] : [addDays(v.validTo, 1)]),
    ]);
    dates = [...new Set(all)].sort();
    changes.set(rule, dates);
  }
  for (const d of dates) if (d > today) return d;
  return undefined;
}

/**
 * A rule's finding with its legal basis. Its reason is said the first time it is read, then kept (a
 * class: an object literal with a getter costs a runtime call per finding).
 */
class Judged implements AlertFinding {
  readonly regime: RegimeId;
  readonly article: string;
  readonly key: string;
  readonly since: IsoDate;
  readonly severity: Severity;
  readonly #finding: Finding;
  readonly #on: IsoDate;
  /** The last reason said, and its date. */
  #said: Bilingual | undefined;
  #saidOn: IsoDate | undefined;
  #alertKey: string | undefined;

  constructor(
    readonly ruleId: string,
    version: RuleVersion<object>,
    finding: Finding,
    on: IsoDate,
  ) {
    this.regime = version.regime;
    this.article = version.article;
    this.key = finding.key;
    this.since = finding.since;
    this.severity = finding.severity;
    this.#finding = finding;
    this.#on = on;
  }

  /** alertKey(this), made once: a judgement's findings are looked up at each event it answers for. */
  get alertKey(): string {
    if (this.#alertKey === undefined) this.#alertKey = alertKey(this);
    return this.#alertKey;
  }

  get reason(): Bilingual {
    return this.reasonOn(this.#on);
  }

  reasonOn(today: IsoDate): Bilingual {
    if (this.#saidOn !== today || !this.#said) {
      this.#said = this.#finding.reason(today);
      this.#saidOn = today;
    }
    return this.#said;
  }
}

/** A version's defaults with the overrides, made once per (version, overrides) and shared (read only). */
const params = new WeakMap<object, WeakMap<RuleOverrides, object>>();
function paramsOf(ruleId: string, version: RuleVersion<object>, overrides: RuleOverrides): object {
  let byOverrides = params.get(version);
  if (!byOverrides) {
    byOverrides = new WeakMap();
    params.set(version, byOverrides);
  }
  let p = byOverrides.get(overrides);
  if (!p) {
    p = { ...version.defaults, ...overrides[ruleId] };
    byOverrides.set(overrides, p);
  }
  return p;
}

export const alertKey = (f: Pick<AlertFinding, 'ruleId' | 'key'>): string => `${f.ruleId}/${f.key}`;

/** alertKey of a finding, kept by the findings judgeRule makes. */
export const findingKey = (f: AlertFinding): string => (f instanceof Judged ? f.alertKey : alertKey(f));

export interface AlertDiff {
  readonly opened: AlertFinding[];
  readonly closed: AlertFinding[];
}

/** Findings present only after (opened) and only before (closed), matched by rule id and key. */
export function diffAlerts(before: readonly AlertFinding[], after: readonly AlertFinding[]): AlertDiff {
  const was = new Set(before.map(alertKey));
  const is = new Set(after.map(alertKey));
  return {
    opened: after.filter((f) => !was.has(alertKey(f))),
    closed: before.filter((f) => !is.has(alertKey(f))),
  };
}
