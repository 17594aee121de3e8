// The rule checks of a decision as data, for decision replay (docs/TIME-TRAVEL.md): given an event,
// the project's state before it and its metadata, which rules applied, under the regime the event was
// decided under, and whether each held. Pure. Two kinds:
// - guards decide applies to every command (dates in order); an event decide wrote passed them;
// - rules of a legal regime that decide does not enforce (yet), e.g. Law 61/2020 Art. 41(3)(c): a
//   capital change of 20 % or more needs the investment policy adjusted first — dropped by Law
//   143/2025. A decision may depart from such a rule knowingly: its command then names the check in
//   `override` with a reason (recorded in the event's metadata), and the check shows as overridden,
//   by the event's actor.
import { localDateOf } from '../dates.js';
import type { CheckOverride, EventMetadata } from '../envelope.js';
import type { RegimeId } from '../regimes.js';
import type { ProjectEvent } from './events.js';
import type { ProjectState } from './state.js';

export interface Bilingual {
  readonly vi: string;
  readonly en: string;
}

export type CheckOutcome = 'passed' | 'failed' | 'overridden';

export interface RuleCheck {
  readonly id: string;
  readonly label: Bilingual;
  /** The regime the check was judged under (the event's). */
  readonly regime: RegimeId;
  /** The legal basis; absent for the engine's own guards. */
  readonly article?: string;
  readonly outcome: CheckOutcome;
  /** The values the check compared. */
  readonly detail: string;
  /** With `overridden`: who departed from the rule, and why. */
  readonly override?: { readonly by: EventMetadata['actor']; readonly reason: string };
}

/** The metadata a check reads (an event's stored metadata has all of it). */
export type CheckMeta = Pick<EventMetadata, 'actor' | 'recordedAt' | 'effectiveAt' | 'legalBasis'> & {
  readonly override?: CheckOverride;
};

interface RegimeRule {
  readonly id: string;
  readonly label: Bilingual;
  readonly versions: Partial<Record<RegimeId, string>>;
  readonly appliesTo: ProjectEvent['type'];
  /** [held, detail] */
  readonly evaluate: (event: ProjectEvent, before: ProjectState) => readonly [boolean, string] | null;
}

const CAPITAL_CHANGE: RegimeRule = {
  id: 'CAPITAL_CHANGE_NEEDS_POLICY_ADJUSTMENT',
  label: {
    vi: 'Thay đổi vốn đầu tư từ 20% trở lên phải điều chỉnh chủ trương đầu tư trước',
    en: 'A change of investment capital of 20% or more needs the investment policy adjusted first',
  },
  versions: { LI2020: 'Luật Đầu tư 61/2020/QH14 Điều 41 khoản 3 điểm c' },
  appliesTo: 'InvestmentCertificateAdjusted',
  evaluate: (event, before) => {
    if (event.type !== 'InvestmentCertificateAdjusted' || before.family !== 'nonState') return null;
    const change = event.data.changes.find((c) => c.field === 'registeredCapital');
    const approved = before.policy?.approvedCapital;
    if (!change || approved === undefined) return null;
    const to = BigInt(change.to);
    const gap = to > approved ? to - approved : approved - to;
    const held = gap * 5n < approved; // under 20 % of the approved policy capital
    return [held, `registeredCapital ${change.from} → ${change.to}; policy approvedCapital ${approved}`];
  },
};

/** The regime rules replay evaluates; each names the regimes it exists under. */
export const REGIME_RULES: readonly RegimeRule[] = [CAPITAL_CHANGE];
/** Check ids a command may override. */
export const OVERRIDABLE_CHECKS = REGIME_RULES.map((r) => r.id);

const guard = (id: string, label: Bilingual, held: boolean, detail: string, regime: RegimeId): RuleCheck => ({
  id,
  label,
  regime,
  outcome: held ? 'passed' : 'failed',
  detail,
});

/** The checks that applied to `event` on `before`, judged under the event's regime. */
export function checksFor(event: ProjectEvent, before: ProjectState, meta: CheckMeta): RuleCheck[] {
  const regime = meta.legalBasis.regime;
  const on = meta.effectiveAt;
  const today = localDateOf(meta.recordedAt);
  const out: RuleCheck[] = [
    guard(
      'EFFECTIVE_NOT_IN_FUTURE',
      { vi: 'Ngày hiệu lực không sau ngày ghi nhận', en: 'Effective no later than the day recorded' },
      on <= today,
      `${on} ≤ ${today}`,
      regime,
    ),
  ];
  const doc = meta.legalBasis.document;
  if (doc)
    out.push(
      guard(
        'DOCUMENT_NOT_AFTER_EFFECT',
        { vi: 'Văn bản không ký sau ngày hiệu lực', en: 'Document not dated after its effect' },
        doc.date <= on,
        `${doc.number} of ${doc.date} ≤ ${on}`,
        regime,
      ),
    );
  if (before.family !== 'none') {
    out.push(
      guard(
        'NOT_BEFORE_REGISTRATION',
        { vi: 'Không trước ngày đăng ký dự án', en: 'Not before the project registration' },
        on >= before.registeredOn,
        `${on} ≥ ${before.registeredOn}`,
        regime,
      ),
    );
  }
  for (const rule of REGIME_RULES) {
    const article = rule.versions[regime];
    if (rule.appliesTo !== event.type || article === undefined) continue;
    const result = rule.evaluate(event, before);
    if (!result) continue;
    const [held, detail] = result;
    const overridden = !held && meta.override?.checks.includes(rule.id);
    out.push({
      id: rule.id,
      label: rule.label,
      regime,
      article,
      outcome: held ? 'passed' : overridden ? 'overridden' : 'failed',
      detail,
      ...(overridden && { override: { by: meta.actor, reason: meta.override!.reason } }),
    });
  }
  return out;
}
