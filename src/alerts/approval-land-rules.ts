// Alert rules on the certificate's issue, the land handed over, and the public allocation period
// (DOMAIN.md's Alerts list; docs/ALERTS.md says what each reads and where it is approximate).
import {
  addDays,
  addMonths,
  addWorkingDays,
  daysBetween,
  type IsoDate,
  monthsBetween,
} from '../domain/dates.js';
import type { MILESTONE_KINDS } from '../domain/project/events.js';
import {
  FUNDABLE_PUBLIC_PHASES,
  isTerminal,
  NON_STATE_PHASES,
  type PublicPhase,
} from '../domain/project/state.js';
import { defineRule, type Finding, fmt, investmentLawVersions, type RuleVersion } from './rule-kit.js';

// ---------------------------------------------------------------------------------------------
// The certificate (IRC) not issued within 5 working days of the decision approving the investment
// policy and the investor (Law 61/2020 Art. 38(1)(a)). The 15 days from a complete dossier of
// Art. 38(1)(b) (projects without policy approval) need a "dossier received" event the domain does
// not have: not judged. Public holidays are not counted out of the working days (addWorkingDays).

export const IRC_NOT_ISSUED = defineRule<{ workingDays: number }>({
  id: 'IRC_NOT_ISSUED',
  label: {
    vi: 'Chậm cấp Giấy chứng nhận đăng ký đầu tư',
    en: 'Investment registration certificate not issued in time',
  },
  family: 'nonState',
  severities: ['warning'],
  versions: investmentLawVersions('Art. 38(1)(a)', { workingDays: 5 }, 'certificate issue'),
  reads: ['phase', 'phaseSince'],
  appliesTo: (s) => s.family === 'nonState' && s.phase === 'investorApproved',
  evaluate(s, today, { workingDays }) {
    const due = addWorkingDays(s.phaseSince, workingDays);
    const since = addDays(due, 1);
    if (!today.reached(since)) return [];
    return [
      {
        key: 'certificate',
        since,
        severity: 'warning',
        reason() {
          return {
            vi: `Đã chấp thuận nhà đầu tư ngày ${fmt(s.phaseSince)}, chưa cấp GCNĐKĐT sau ${workingDays} ngày làm việc (hạn ${fmt(due)})`,
            en: `Investor approved on ${s.phaseSince}; no certificate ${workingDays} working days later (due ${due})`,
          };
        },
      },
    ];
  },
});

// ---------------------------------------------------------------------------------------------
// Land handed over for the project and not used for 12 consecutive months, or its use 24 months
// behind the schedule of the investment project: grounds for the State to recover it (Land Law 2013
// Art. 64(1)(i); Land Law 2024 Art. 81(8) from 1/8/2024). "Not used" is read as: construction not
// started (the phase is still before underConstruction) 12 months after the first handover. "Behind
// schedule" is read as: a construction start, completion or operation milestone still open 24 months
// after its current due date. Either holds only while some land handed over is not recovered.

interface LandParams {
  readonly unusedMonths: number;
  readonly behindMonths: number;
}
const landDefaults: LandParams = { unusedMonths: 12, behindMonths: 24 };
const LAND_USE_MILESTONES: readonly (typeof MILESTONE_KINDS)[number][] = [
  'constructionStart',
  'constructionCompletion',
  'operation',
];
const LAND_LAW_2024_FROM = '2024-08-01' as IsoDate;

const landVersions: RuleVersion<LandParams>[] = [
  {
    regime: 'LI2020',
    article: 'Land Law 45/2013 Art. 64(1)(i)',
    defaults: landDefaults,
    validTo: addDays(LAND_LAW_2024_FROM, -1),
    note: 'article to be checked by someone with the text',
  },
  {
    regime: 'LI2020',
    article: 'Land Law 31/2024 Art. 81(8)',
    defaults: landDefaults,
    validFrom: LAND_LAW_2024_FROM,
  },
  { regime: 'LI2025', article: 'Land Law 31/2024 Art. 81(8)', defaults: landDefaults },
];

export const LAND_UNUSED = defineRule<LandParams>({
  id: 'LAND_UNUSED',
  label: { vi: 'Đất được giao, cho thuê chậm đưa vào sử dụng', en: 'Land handed over and not used' },
  family: 'nonState',
  severities: ['violation'],
  versions: landVersions,
  reads: ['phase', 'land', 'milestones'],
  // Land handed over and not all recovered.
  appliesTo: (s) =>
    s.family === 'nonState' &&
    !isTerminal(s) &&
    s.land.firstHandedOverOn !== undefined &&
    s.land.handedOverM2 > s.land.recoveredM2,
  evaluate(s, today, p) {
    if (s.family !== 'nonState') return [];
    const handedOn = s.land.firstHandedOverOn;
    if (!handedOn) return [];
    const out: Finding[] = [];
    const notStarted = NON_STATE_PHASES.indexOf(s.phase) < NON_STATE_PHASES.indexOf('underConstruction');
    const unusedSince = addMonths(handedOn, p.unusedMonths);
    if (notStarted && today.reached(unusedSince))
      out.push({
        key: 'unused',
        since: unusedSince,
        severity: 'violation' as const,
        reason(on) {
          return {
            vi: `Đất bàn giao ngày ${fmt(handedOn)}, quá ${p.unusedMonths} tháng chưa khởi công (${monthsBetween(handedOn, on)} tháng)`,
            en: `Land handed over on ${handedOn}, construction not started after ${p.unusedMonths} months (${monthsBetween(handedOn, on)} months)`,
          };
        },
      });
    for (const m of Object.values(s.milestones)) {
      if (m.completedOn !== undefined || !LAND_USE_MILESTONES.includes(m.kind)) continue;
      const since = addMonths(addDays(m.currentDue, 1), p.behindMonths);
      if (!today.reached(since)) continue;
      out.push({
        key: `behind:${m.id}`,
        since,
        severity: 'violation' as const,
        reason(on) {
          return {
            vi: `Mốc "${m.name}" hạn ${fmt(m.currentDue)} chưa hoàn thành, chậm tiến độ sử dụng đất ${daysBetween(m.currentDue, on)} ngày (ngưỡng ${p.behindMonths} tháng)`,
            en: `Milestone "${m.name}" due ${m.currentDue} is not met: land use ${daysBetween(m.currentDue, on)} days behind (limit ${p.behindMonths} months)`,
          };
        },
      });
    }
    return out;
  },
});

// ---------------------------------------------------------------------------------------------
// The allocation period of a public project: capital may be allocated to a group A project for at
// most 6 years, B 4, C 3 (Law 39/2019 Art. 52(2)). The law counts from the year allocation starts;
// we count from the investment decision date (investmentDecidedOn), the nearest date state keeps.
// A national project has no such limit; the alert holds until the final settlement.

type AllocationParams = Readonly<Record<'A' | 'B' | 'C', number>>;
const allocationDefaults: AllocationParams = { A: 6, B: 4, C: 3 };
const ALLOCATING_PHASES: readonly PublicPhase[] = FUNDABLE_PUBLIC_PHASES.filter((p) => p !== 'policyDecided');

export const ALLOCATION_PERIOD_EXCEEDED = defineRule<AllocationParams>({
  id: 'ALLOCATION_PERIOD_EXCEEDED',
  label: { vi: 'Quá thời gian bố trí vốn', en: 'Allocation period exceeded' },
  family: 'public',
  severities: ['warning'],
  versions: [
    {
      regime: 'LPI2019',
      article: 'Law 39/2019 Art. 52(2)',
      defaults: allocationDefaults,
      note: 'counted from the investment decision, not from the first year of allocation',
    },
    { regime: 'LPI2024', article: 'Law 58/2024', defaults: allocationDefaults, note: 'article not checked' },
  ],
  reads: ['phase', 'group', 'investmentDecidedOn'],
  appliesTo: (s) =>
    s.family === 'public' &&
    s.investmentDecidedOn !== undefined &&
    s.group !== undefined &&
    s.group !== 'national' &&
    ALLOCATING_PHASES.includes(s.phase),
  evaluate(s, today, years) {
    if (s.family !== 'public' || !s.investmentDecidedOn || !s.group || s.group === 'national') return [];
    const { investmentDecidedOn: decided, group } = s;
    const limit = years[group];
    const since = addDays(addMonths(decided, limit * 12), 1);
    if (!today.reached(since)) return [];
    return [
      {
        key: 'allocationPeriod',
        since,
        severity: 'warning',
        reason() {
          return {
            vi: `Quyết định đầu tư ngày ${fmt(decided)}, quá ${limit} năm bố trí vốn (nhóm ${group}) chưa quyết toán`,
            en: `Investment decided on ${decided}: more than ${limit} years of allocation (group ${group}) without settlement`,
          };
        },
      },
    ];
  },
});
