// Projects walked through their lifecycles with milestones, reschedules, a suspension, land, reports
// and capital: every state they pass through, dates across the years, and a capital context, for
// the specs that judge every rule on all of them (reads.unit.test.ts, horizon.unit.test.ts).
import type { AlertContext, PlanCapital } from '../../src/alerts/rule-kit.js';
import { addDays, type IsoDate } from '../../src/domain/dates.js';
import { TY } from '../../src/domain/money.js';
import {
  type ExistingProject,
  evolveProject,
  initialProjectState,
  type ProjectState,
} from '../../src/domain/project/state.js';
import { milestone, nonStateUpTo, publicUpTo, terminated } from '../domain/fixtures.js';
import { on } from '../support/decider.js';
import type { History } from './support.js';

const reschedule = (date: string, from: string, to: string, causeKind: 'objective' | 'subjective') =>
  on(date, 'MilestoneRescheduled', { milestoneId: 'KC01', from, to, reason: 'Chậm', causeKind });

export const HISTORIES: History[] = [
  terminated(
    [
      ...nonStateUpTo('certified'),
      milestone('KC01', '2023-06-30'),
      on('2022-04-01', 'LandHandedOver', { areaM2: 10_000 }),
      on('2022-04-12', 'PeriodicReportSubmitted', { reportKind: 'quarterly', period: '2022-Q1' }),
      reschedule('2023-06-01', '2023-06-30', '2024-08-31', 'subjective'),
      on('2023-07-01', 'InvestmentPolicyAdjusted', {
        changes: [{ field: 'schedule', from: '2023-06-30', to: '2024-08-31' }],
        trigger: 'Giãn tiến độ quá 12 tháng',
      }),
      reschedule('2024-08-01', '2024-08-31', '2026-10-31', 'subjective'),
      on('2024-09-01', 'ConstructionStarted', {}),
      on('2024-10-01', 'ProgressReported', { period: '2024-09', physicalPercent: 5, delayCauses: [] }),
      on('2025-02-15', 'ProjectSuspended', { ground: 'Art. 47(2)', reason: 'Vi phạm về môi trường' }),
      on('2026-03-01', 'ProjectResumed', { reason: 'Đã khắc phục vi phạm' }),
    ],
    '2026-09-01',
  ),
  [
    ...publicUpTo('underConstruction'),
    milestone('KC01', '2023-06-30'),
    on('2022-10-01', 'ProgressReported', { period: '2022-09', physicalPercent: 10, delayCauses: [] }),
    on('2023-06-01', 'ConstructionCompleted', {}),
    on('2023-07-01', 'WorksHandedOver', { recipient: 'Sở Xây dựng tỉnh Cao Bằng' }),
  ],
];

/** Every state each history passes through (the registration's "before" left out). */
export function states(history: History): ExistingProject[] {
  const out: ExistingProject[] = [];
  let s: ProjectState = initialProjectState;
  for (const e of history) {
    s = evolveProject(s, e, { effectiveAt: e.effectiveAt as IsoDate });
    if (s.family !== 'none') out.push(s);
  }
  return out;
}

/** Every event of every history after the registration, as the states before and after it. */
export const transitions = (): [before: ExistingProject, after: ExistingProject][] =>
  HISTORIES.flatMap((history) => {
    const seen = states(history);
    return seen.slice(1).map((after, i): [ExistingProject, ExistingProject] => [seen[i]!, after]);
  });

export const DATES: IsoDate[] = Array.from({ length: 50 }, (_, i) =>
  addDays('2022-01-01' as IsoDate, i * 38),
);

export const CAPITAL: PlanCapital = {
  plan: 'capitalplan-04_2022',
  year: 2022,
  disbursementDeadline: '2023-01-31' as IsoDate,
  moves: [
    { on: '2022-02-01' as IsoDate, allocated: 10n * TY, disbursed: 0n },
    { on: '2022-10-01' as IsoDate, allocated: 0n, disbursed: 1n * TY },
  ],
};
export const CONTEXT: AlertContext = { capital: [CAPITAL] };
