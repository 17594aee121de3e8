// How capital plan events move the alerts' capital context (pure): per plan stream its year and
// disbursement deadline, per project and plan the dated moves. The alerts projection keeps these in
// alert_capital_plan and alert_project_capital and evaluates the rules before and after each event.
import type { CapitalEvent } from '../domain/capital/plan.js';
import type { IsoDate } from '../domain/dates.js';
import type { AlertContext, CapitalMove, PlanCapital } from './rule-kit.js';

export interface PlanInfo {
  readonly year: number;
  readonly disbursementDeadline: IsoDate;
}

/** Moves per plan stream of one project. */
export type ProjectPlans = ReadonlyMap<string, readonly CapitalMove[]>;

/** The projects whose moves an event changes, each with its move. */
export function capitalMoves(e: CapitalEvent, on: IsoDate): [string, CapitalMove][] {
  switch (e.type) {
    case 'CapitalAllocated':
      return [[e.data.projectId, { on, allocated: e.data.amount, disbursed: 0n }]];
    case 'CapitalReallocated':
      return [
        [e.data.fromProjectId, { on, allocated: -e.data.amount, disbursed: 0n }],
        [e.data.toProjectId, { on, allocated: e.data.amount, disbursed: 0n }],
      ];
    case 'CapitalDisbursed':
      return [[e.data.projectId, { on: e.data.disbursedOn, allocated: 0n, disbursed: e.data.amount }]];
    default:
      return [];
  }
}

/** The plan's year and deadline after the event (undefined before the plan is assigned). */
export function planAfter(plan: PlanInfo | undefined, e: CapitalEvent): PlanInfo | undefined {
  if (e.type === 'AnnualCapitalPlanAssigned')
    return { year: e.data.year, disbursementDeadline: e.data.disbursementDeadline };
  if (e.type === 'DisbursementPeriodExtended' && plan) return { ...plan, disbursementDeadline: e.data.to };
  return plan;
}

/** A project's context from its moves per plan and the plans' year and deadline. */
export function contextOf(
  plans: ProjectPlans | undefined,
  info: ReadonlyMap<string, PlanInfo>,
): AlertContext {
  const capital: PlanCapital[] = [];
  for (const [plan, moves] of plans ?? []) {
    const p = info.get(plan);
    if (p) capital.push({ plan, year: p.year, disbursementDeadline: p.disbursementDeadline, moves });
  }
  return { capital };
}

/** Projects' contexts, each made from the book when first asked and kept until a capital event changes it. */
export interface Contexts {
  now(projectId: string): AlertContext;
  forget(projectId: string): void;
  forgetAll(): void;
}

export function contextsOf(book: {
  readonly capital: ReadonlyMap<string, ProjectPlans>;
  readonly plans: ReadonlyMap<string, PlanInfo>;
}): Contexts {
  const kept = new Map<string, AlertContext>();
  return {
    now(projectId) {
      let c = kept.get(projectId);
      if (!c) {
        c = contextOf(book.capital.get(projectId), book.plans);
        kept.set(projectId, c);
      }
      return c;
    },
    forget: (projectId) => kept.delete(projectId),
    forgetAll: () => kept.clear(),
  };
}
