// Alert rules as data. Each rule is a value naming its legal basis per regime, its parameters with
// defaults, and a pure `evaluate` over a project's folded state and a date chosen by the caller
// ("today" never comes from the system clock here). The version of a rule in force is the one whose
// regime is in force on `today` for the project's family; a rule with no version for that regime does
// not apply. One rule may open several alerts on one project, told apart by `key`.
import { addDays, addMonths, daysBetween, type IsoDate, maxDate, monthsBetween } from '../domain/dates.js';
import {
  type ExistingProject,
  FUNDABLE_PUBLIC_PHASES,
  isTerminal,
  type Milestone,
  NON_STATE_PHASES,
  type NonStateProject,
  type ProjectGroup,
  reportKey,
} from '../domain/project/state.js';
import { ALLOCATION_PERIOD_EXCEEDED, IRC_NOT_ISSUED, LAND_UNUSED } from './approval-land-rules.js';
import { CAPITAL_NOT_DISBURSED, LOW_DISBURSEMENT } from './capital-rules.js';
import { type AlertRule, defineRule, type Finding, fmt, investmentLawVersions } from './rule-kit.js';

export {
  type AlertFinding,
  type AlertRule,
  type Bilingual,
  type Finding,
  type RuleFamily,
  type RuleVersion,
  ruleRegimes,
  type Severity,
  versionInForce,
} from './rule-kit.js';

// ---------------------------------------------------------------------------------------------
// (a) A planned milestone past its current due date with no completion.

export const MILESTONE_OVERDUE = defineRule<{ graceDays: number }>({
  id: 'MILESTONE_OVERDUE',
  label: { vi: 'Mốc tiến độ quá hạn', en: 'Milestone overdue' },
  family: 'both',
  severities: ['violation'],
  versions: [
    ...investmentLawVersions('Art. 40(2)(h), 48(2)', { graceDays: 0 }, 'schedule obligations'),
    { regime: 'LPI2019', article: 'Law 39/2019 Art. 43, 83', defaults: { graceDays: 0 } },
    { regime: 'LPI2024', article: 'Law 58/2024', defaults: { graceDays: 0 }, note: 'article not checked' },
  ],
  reads: ['phase', 'milestones'],
  appliesTo: (s) => !isTerminal(s) && hasOpenMilestone(s),
  evaluate(s, today, { graceDays }) {
    return openMilestones(s).flatMap((m) => {
      const since = addDays(m.currentDue, graceDays + 1);
      if (!today.reached(since)) return [];
      return [
        {
          key: m.id,
          since,
          severity: 'violation' as const,
          reason(on) {
            const late = daysBetween(m.currentDue, on);
            return {
              vi: `Mốc "${m.name}" đến hạn ${fmt(m.currentDue)} chưa hoàn thành, chậm ${late} ngày`,
              en: `Milestone "${m.name}" was due ${m.currentDue} and is not completed: ${late} days late`,
            };
          },
        },
      ];
    });
  },
});

const openMilestones = (s: ExistingProject): Milestone[] =>
  Object.values(s.milestones).filter((m) => m.completedOn === undefined);

function hasOpenMilestone(s: ExistingProject): boolean {
  for (const id in s.milestones) if (s.milestones[id]?.completedOn === undefined) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// (b) Cumulative reschedule of a milestone beyond 12 months (needs a policy adjustment: warning) or
// beyond 24 months (not allowed) against the milestone's first planned due date, non-state only.
//
// Law 61/2020 Art. 41: extending the schedule by more than 12 months over the first approval needs
// an adjustment of the investment policy; more than 24 months is not allowed except for force
// majeure, late land handover by the State, state requests and the like. State keeps a cause kind per
// reschedule (objective/subjective), not the legal exception, so by default the 24-month cap counts
// only subjective reschedules (`exemptObjective`), an approximation of those exceptions.
// The warning closes with an InvestmentPolicyAdjusted recorded after the milestone's last reschedule
// (state does not say which fields an adjustment changed).
// Law 143/2025: we have not verified whether the 12/24-month thresholds changed; kept the same.

interface RescheduleParams {
  readonly warnMonths: number;
  readonly capMonths: number;
  readonly exemptObjective: boolean;
}
const rescheduleDefaults: RescheduleParams = { warnMonths: 12, capMonths: 24, exemptObjective: true };

export const RESCHEDULE_OVER_LIMIT = defineRule<RescheduleParams>({
  id: 'RESCHEDULE_OVER_LIMIT',
  label: { vi: 'Giãn tiến độ vượt giới hạn', en: 'Schedule extended beyond the limit' },
  family: 'nonState',
  severities: ['warning', 'violation'],
  versions: investmentLawVersions('Art. 41', rescheduleDefaults, 'schedule adjustment'),
  reads: ['phase', 'milestones', 'history'],
  appliesTo: (s) => s.family === 'nonState' && !isTerminal(s) && hasRescheduled(s),
  evaluate(s, _today, p) {
    if (s.family !== 'nonState') return [];
    let adjusted: boolean | undefined; // read from the history only when a milestone needs it
    return Object.values(s.milestones).flatMap((m): Finding[] => {
      if (m.reschedules.length === 0) return [];
      const counted = p.exemptObjective
        ? m.reschedules.filter((r) => r.causeKind === 'subjective')
        : m.reschedules;
      const countedDays = counted.reduce((sum, r) => sum + daysBetween(r.from, r.to), 0);
      const cappedDue = addDays(m.plannedDue, countedDays);
      if (cappedDue > addMonths(m.plannedDue, p.capMonths)) {
        return [
          {
            key: `${m.id}:cap`,
            since: crossingFrom(m, p.capMonths),
            severity: 'violation',
            reason() {
              return {
                vi: `Mốc "${m.name}" bị giãn từ ${fmt(m.plannedDue)} đến ${fmt(cappedDue)} do nguyên nhân chủ quan, quá ${p.capMonths} tháng`,
                en: `Milestone "${m.name}" moved from ${m.plannedDue} to ${cappedDue} for subjective causes, beyond ${p.capMonths} months`,
              };
            },
          },
        ];
      }
      if (m.currentDue <= addMonths(m.plannedDue, p.warnMonths)) return [];
      adjusted ??= policyAdjustedAfterLastReschedule(s);
      if (!adjusted) {
        return [
          {
            key: `${m.id}:warn`,
            since: crossingFrom(m, p.warnMonths),
            severity: 'warning',
            reason() {
              const totalMonths = monthsBetween(m.plannedDue, m.currentDue);
              return {
                vi: `Mốc "${m.name}" bị giãn ${totalMonths} tháng (${fmt(m.plannedDue)} → ${fmt(m.currentDue)}), quá ${p.warnMonths} tháng mà chưa điều chỉnh chủ trương`,
                en: `Milestone "${m.name}" extended by ${totalMonths} months (${m.plannedDue} → ${m.currentDue}), beyond ${p.warnMonths} months without a policy adjustment`,
              };
            },
          },
        ];
      }
      return [];
    });
  },
});

/**
 * State keeps no effective date for a reschedule, so `since` is the due date replaced by the reschedule
 * that crossed the limit: the day the old schedule would have been missed. A caller that has the
 * event's effective date should prefer it.
 */
function crossingFrom(m: Milestone, months: number): IsoDate {
  const limit = addMonths(m.plannedDue, months);
  return (m.reschedules.find((r) => r.to > limit) ?? m.reschedules[m.reschedules.length - 1]!).from;
}

function hasRescheduled(s: ExistingProject): boolean {
  for (const id in s.milestones) if (s.milestones[id]?.reschedules.length) return true;
  return false;
}

function policyAdjustedAfterLastReschedule(s: NonStateProject): boolean {
  const types = s.history.map((h) => h.type);
  return types.lastIndexOf('InvestmentPolicyAdjusted') > types.lastIndexOf('MilestoneRescheduled');
}

// ---------------------------------------------------------------------------------------------
// (c) Suspended with no resumption for 12 months (Art. 48(2) ground for termination).

export const SUSPENDED_TOO_LONG = defineRule<{ months: number }>({
  id: 'SUSPENDED_TOO_LONG',
  label: { vi: 'Ngừng hoạt động quá thời hạn', en: 'Suspended too long' },
  family: 'nonState',
  severities: ['violation'],
  versions: investmentLawVersions('Art. 47, 48(2)', { months: 12 }, 'termination grounds'),
  reads: ['phase', 'suspension'],
  appliesTo: (s) => s.suspension !== undefined && !isTerminal(s),
  evaluate(s, today, { months }) {
    const { suspension } = s;
    if (!suspension) return [];
    const since = addMonths(suspension.since, months);
    if (!today.reached(since)) return [];
    return [
      {
        key: 'suspension',
        since,
        severity: 'violation',
        reason() {
          return {
            vi: `Ngừng hoạt động từ ${fmt(suspension.since)}, quá ${months} tháng chưa hoạt động trở lại`,
            en: `Suspended since ${suspension.since}, more than ${months} months without resumption`,
          };
        },
      },
    ];
  },
});

// ---------------------------------------------------------------------------------------------
// (d) Investor periodic reports (Law 61/2020 Art. 72, Decree 31/2021 Art. 102): quarterly by the 10th
// of the quarter's first month for the previous quarter; annual by 31 March for the previous year.
// Owed from the quarter/year the certificate was issued, while certified..operating.

interface ReportParams {
  readonly quarterlyDueDay: number;
  readonly annualDueMonthDay: string;
  readonly graceDays: number;
}
const reportDefaults: ReportParams = { quarterlyDueDay: 10, annualDueMonthDay: '03-31', graceDays: 0 };
const REPORTING_PHASES = NON_STATE_PHASES.slice(
  NON_STATE_PHASES.indexOf('certified'),
  NON_STATE_PHASES.indexOf('operating') + 1,
);

export const PERIODIC_REPORT_MISSING = defineRule<ReportParams>({
  id: 'PERIODIC_REPORT_MISSING',
  label: { vi: 'Chưa nộp báo cáo định kỳ', en: 'Periodic report missing' },
  family: 'nonState',
  severities: ['violation'],
  versions: investmentLawVersions('Art. 72; Decree 31/2021 Art. 102', reportDefaults, 'investor reporting'),
  reads: ['phase', 'certificate', 'periodicReports'],
  appliesTo: (s) =>
    s.family === 'nonState' && s.certificate !== undefined && REPORTING_PHASES.includes(s.phase),
  evaluate(s, today, p) {
    if (s.family !== 'nonState' || !s.certificate) return [];
    const from = s.certificate.issuedOn;
    const out: Finding[] = [];
    const [fy, fm] = from.split('-').map(Number) as [number, number];
    // Quarterly: each quarter from the issue quarter whose deadline has passed.
    for (let n = fy * 4 + Math.ceil(fm / 3) - 1; ; n++) {
      const r = reportPeriod(p, 'quarterly', n);
      if (!today.reached(r.since)) break;
      if (!s.periodicReports.includes(r.key)) out.push(missing('quarterly', r));
    }
    for (let y = fy; ; y++) {
      const r = reportPeriod(p, 'annual', y);
      if (!today.reached(r.since)) break;
      if (!s.periodicReports.includes(r.key)) out.push(missing('annual', r));
    }
    return out;
  },
});

interface ReportPeriod {
  readonly period: string;
  readonly key: string;
  readonly due: IsoDate;
  readonly since: IsoDate;
}

/**
 * A report period's name, key and dates: quarter `n` counted as year × 4 + quarter − 1, or a year.
 * Made once per parameters and kept, since the rule walks every period since the certificate at
 * each evaluation.
 */
const reportPeriods = new WeakMap<ReportParams, Record<'quarterly' | 'annual', Map<number, ReportPeriod>>>();
function reportPeriod(p: ReportParams, kind: 'quarterly' | 'annual', n: number): ReportPeriod {
  let known = reportPeriods.get(p);
  if (!known) {
    known = { quarterly: new Map(), annual: new Map() };
    reportPeriods.set(p, known);
  }
  let r = known[kind].get(n);
  if (!r) {
    const [y, q] = [Math.floor(n / 4), (n % 4) + 1];
    const period = kind === 'quarterly' ? `${y}-Q${q}` : String(n);
    const due =
      kind === 'quarterly'
        ? quarterDue(y, q, p.quarterlyDueDay)
        : (`${n + 1}-${p.annualDueMonthDay}` as IsoDate);
    r = { period, key: reportKey(kind, period), due, since: addDays(due, p.graceDays + 1) };
    known[kind].set(n, r);
  }
  return r;
}

function quarterDue(year: number, quarter: number, day: number): IsoDate {
  const next = quarter === 4 ? { y: year + 1, m: 1 } : { y: year, m: quarter * 3 + 1 };
  return `${next.y}-${String(next.m).padStart(2, '0')}-${String(day).padStart(2, '0')}` as IsoDate;
}

function missing(kind: 'quarterly' | 'annual', { period, key, due, since }: ReportPeriod): Finding {
  return {
    key,
    since,
    severity: 'violation' as const,
    reason(on) {
      const late = daysBetween(due, on);
      const vi = kind === 'quarterly' ? 'quý' : 'năm';
      return {
        vi: `Chưa nộp báo cáo ${vi} ${period}, hạn ${fmt(due)}, chậm ${late} ngày`,
        en: `The ${kind} report for ${period} was due ${due} and is missing: ${late} days late`,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// (e) Public project decided in principle with no funding source for N months, counted from the
// policy decision (policyDecidedOn; phaseSince for a state folded before that field existed).

export const UNFUNDED = defineRule<{ months: number }>({
  id: 'UNFUNDED',
  label: { vi: 'Dự án chưa được bố trí nguồn vốn', en: 'Approved but unfunded' },
  family: 'public',
  severities: ['warning'],
  versions: [
    {
      regime: 'LPI2019',
      article: 'Law 39/2019 Art. 51',
      defaults: { months: 6 },
      note: 'N is a provincial choice (DOMAIN.md), not a statutory period',
    },
    { regime: 'LPI2024', article: 'Law 58/2024', defaults: { months: 6 }, note: 'article not checked' },
  ],
  reads: ['phase', 'funding', 'policyDecidedOn', 'phaseSince'],
  appliesTo: (s) =>
    s.family === 'public' && s.funding.length === 0 && FUNDABLE_PUBLIC_PHASES.includes(s.phase),
  evaluate(s, today, { months }) {
    if (s.family !== 'public') return [];
    const decided = s.policyDecidedOn ?? s.phaseSince;
    const since = addMonths(decided, months);
    if (!today.reached(since)) return [];
    return [
      {
        key: 'funding',
        since,
        severity: 'warning',
        reason(on) {
          return {
            vi: `Chưa có nguồn vốn sau ${monthsBetween(decided, on)} tháng kể từ quyết định chủ trương ngày ${fmt(decided)} (ngưỡng ${months} tháng)`,
            en: `No funding source ${monthsBetween(decided, on)} months after the policy decision of ${decided} (limit ${months} months)`,
          };
        },
      },
    ];
  },
});

// ---------------------------------------------------------------------------------------------
// (f) Appraisal over its limit while the proposal is pending (phase 'proposed').
// DOMAIN.md gives 60/45/30 days for groups A/B/C; the law gives national-level projects a longer
// period: we take 90 days for 'national' (an assumption). A project with no group is not judged.

type AppraisalParams = Readonly<Record<ProjectGroup, number>>;
const appraisalDefaults: AppraisalParams = { national: 90, A: 60, B: 45, C: 30 };

export const APPRAISAL_OVERDUE = defineRule<AppraisalParams>({
  id: 'APPRAISAL_OVERDUE',
  label: { vi: 'Thẩm định quá thời hạn', en: 'Appraisal overdue' },
  family: 'public',
  severities: ['warning'],
  versions: [
    {
      regime: 'LPI2019',
      article: 'Law 39/2019 Art. 33; Decree 40/2020',
      defaults: appraisalDefaults,
      note: 'limits from DOMAIN.md; national 90 days assumed',
    },
    {
      regime: 'LPI2024',
      article: 'Law 58/2024',
      defaults: appraisalDefaults,
      note: 'limits not re-verified',
    },
  ],
  reads: ['phase', 'group', 'phaseSince'],
  appliesTo: (s) => s.family === 'public' && s.phase === 'proposed' && s.group !== undefined,
  evaluate(s, today, limits) {
    if (s.family !== 'public' || !s.group) return [];
    const limit = limits[s.group];
    const since = addDays(s.phaseSince, limit + 1);
    if (!today.reached(since)) return [];
    return [
      {
        key: 'appraisal',
        since,
        severity: 'warning',
        reason(on) {
          const days = daysBetween(s.phaseSince, on);
          return {
            vi: `Hồ sơ nộp ${fmt(s.phaseSince)} đã ${days} ngày chưa có kết quả thẩm định (nhóm ${s.group}: ${limit} ngày)`,
            en: `Proposal submitted ${s.phaseSince}, ${days} days without appraisal (group ${s.group}: ${limit} days)`,
          };
        },
      },
    ];
  },
});

// ---------------------------------------------------------------------------------------------
// (g) Progress not reported for N months while under construction (either family).

export const PROGRESS_NOT_REPORTED = defineRule<{ months: number }>({
  id: 'PROGRESS_NOT_REPORTED',
  label: { vi: 'Chưa báo cáo tiến độ', en: 'Progress not reported' },
  family: 'both',
  severities: ['warning'],
  versions: (['LI2020', 'LI2025', 'LPI2019', 'LPI2024'] as const).map((regime) => ({
    regime,
    article: 'provincial reporting rule',
    defaults: { months: 3 },
    note: 'the frequency is set by the province (DOMAIN.md), not by the law',
  })),
  reads: ['phase', 'lastProgress', 'phaseSince'],
  appliesTo: (s) => s.phase === 'underConstruction',
  evaluate(s, today, { months }) {
    const last = s.lastProgress ? maxDate(s.lastProgress.reportedOn, s.phaseSince) : s.phaseSince;
    const since = addMonths(last, months);
    if (!today.reached(since)) return [];
    return [
      {
        key: 'progress',
        since,
        severity: 'warning',
        reason() {
          return {
            vi: `Không có báo cáo tiến độ từ ${fmt(last)} (quá ${months} tháng)`,
            en: `No progress report since ${last} (more than ${months} months)`,
          };
        },
      },
    ];
  },
});

export const ALERT_RULES: readonly AlertRule[] = [
  MILESTONE_OVERDUE,
  RESCHEDULE_OVER_LIMIT,
  SUSPENDED_TOO_LONG,
  PERIODIC_REPORT_MISSING,
  UNFUNDED,
  APPRAISAL_OVERDUE,
  PROGRESS_NOT_REPORTED,
  IRC_NOT_ISSUED,
  LAND_UNUSED,
  ALLOCATION_PERIOD_EXCEEDED,
  CAPITAL_NOT_DISBURSED,
  LOW_DISBURSEMENT,
] as unknown as readonly AlertRule[];
