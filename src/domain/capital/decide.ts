// Commands and decide for an annual capital plan. The projects a command names are looked up by the
// command handler and passed in as context, so decide stays pure.
import { z } from 'zod';
import { isoDateSchema, localDateOf } from '../dates.js';
import type { CommandMeta } from '../envelope.js';
import { IllegalTransitionError, NotFoundError, ValidationError } from '../errors.js';
import { checkCommandDates } from '../guards.js';
import { positiveDongSchema } from '../money.js';
import { FUNDABLE_PUBLIC_PHASES } from '../project/state.js';
import { aggregateIdSchema, provinceCodeSchema, text } from '../schemas.js';
import {
  type AssignedPlan,
  allocatedTotal,
  CAPITAL_SOURCES,
  type CapitalEvent,
  type CapitalPlanState,
  defaultDisbursementDeadline,
  latestDisbursementDeadline,
} from './plan.js';

const planKey = {
  province: provinceCodeSchema,
  year: z.number().int().min(2000, 'must be 2000 or later').max(2100),
};
const projectId = aggregateIdSchema;

export const capitalCommandSchemas = {
  AssignAnnualCapitalPlan: z.strictObject({ ...planKey, total: positiveDongSchema }),
  AdjustAnnualCapitalPlan: z.strictObject({ ...planKey, total: positiveDongSchema, reason: text(2000) }),
  AllocateCapital: z.strictObject({ ...planKey, projectId, amount: positiveDongSchema }),
  ReallocateCapital: z.strictObject({
    ...planKey,
    fromProjectId: projectId,
    toProjectId: projectId,
    amount: positiveDongSchema,
    reason: text(2000),
  }),
  DisburseCapital: z.strictObject({
    ...planKey,
    projectId,
    amount: positiveDongSchema,
    disbursedOn: isoDateSchema.optional(),
    source: z.enum(CAPITAL_SOURCES),
  }),
  ExtendDisbursementPeriod: z.strictObject({ ...planKey, to: isoDateSchema, reason: text(2000) }),
} as const;

export type CapitalCommandType = keyof typeof capitalCommandSchemas;
export type CapitalCommand = {
  [T in CapitalCommandType]: {
    readonly type: T;
    readonly data: z.output<(typeof capitalCommandSchemas)[T]>;
    readonly meta: CommandMeta;
  };
}[CapitalCommandType];
export const CAPITAL_COMMAND_TYPES = Object.keys(capitalCommandSchemas) as CapitalCommandType[];

/** What the handler found about each project a command names. */
export interface ProjectRef {
  readonly family: 'nonState' | 'public';
  readonly phase: string;
}
export interface CapitalPlanContext {
  readonly projects: ReadonlyMap<string, ProjectRef>;
}

/** The project ids a capital command names, for the handler to look up. */
export function referencedProjects(c: CapitalCommand): string[] {
  switch (c.type) {
    case 'AllocateCapital':
    case 'DisburseCapital':
      return [c.data.projectId];
    case 'ReallocateCapital':
      return [c.data.fromProjectId, c.data.toProjectId];
    default:
      return [];
  }
}

export function decideCapitalPlan(
  c: CapitalCommand,
  state: CapitalPlanState,
  ctx: CapitalPlanContext,
): CapitalEvent[] {
  checkCommandDates(c.meta);
  if (c.type === 'AssignAnnualCapitalPlan') {
    if (state.status !== 'none') {
      throw new IllegalTransitionError(
        'PLAN_ALREADY_ASSIGNED',
        `the ${c.data.year} plan of province ${c.data.province} is already assigned`,
      );
    }
    const { province, year, total } = c.data;
    return [
      {
        type: 'AnnualCapitalPlanAssigned',
        data: { province, year, total, disbursementDeadline: defaultDisbursementDeadline(year) },
      },
    ];
  }
  if (state.status === 'none') {
    throw new NotFoundError('capital plan', `${c.data.province}/${c.data.year}`, 'PLAN_NOT_FOUND');
  }
  switch (c.type) {
    case 'AdjustAnnualCapitalPlan': {
      const allocated = allocatedTotal(state);
      if (c.data.total === state.total)
        throw ValidationError.field('data.total', `is already ${state.total}`, 'NO_CHANGE');
      if (c.data.total < allocated) {
        throw new IllegalTransitionError(
          'PLAN_BELOW_ALLOCATIONS',
          `${allocated} đồng is already allocated; the plan cannot go below it`,
          {
            allocated: allocated.toString(),
          },
        );
      }
      return [
        {
          type: 'AnnualCapitalPlanAdjusted',
          data: { from: state.total, to: c.data.total, reason: c.data.reason },
        },
      ];
    }
    case 'AllocateCapital': {
      openPeriod(state, c.meta.effectiveAt);
      fundable(ctx, c.data.projectId, 'data.projectId');
      const allocated = allocatedTotal(state);
      if (allocated + c.data.amount > state.total) {
        throw new IllegalTransitionError(
          'CAPITAL_EXCEEDS_PLAN',
          `allocating ${c.data.amount} would exceed the plan: ${state.total - allocated} đồng of ${state.total} remain`,
          { remaining: (state.total - allocated).toString() },
        );
      }
      return [{ type: 'CapitalAllocated', data: { projectId: c.data.projectId, amount: c.data.amount } }];
    }
    case 'ReallocateCapital': {
      openPeriod(state, c.meta.effectiveAt);
      const { fromProjectId, toProjectId, amount, reason } = c.data;
      if (fromProjectId === toProjectId)
        throw ValidationError.field('data.toProjectId', 'must differ from data.fromProjectId');
      const from = state.allocations[fromProjectId];
      if (!from)
        throw new IllegalTransitionError(
          'PROJECT_UNFUNDED',
          `project ${fromProjectId} has no allocation in this plan`,
        );
      fundable(ctx, toProjectId, 'data.toProjectId');
      const unused = from.allocated - from.disbursed;
      if (amount > unused) {
        throw new IllegalTransitionError(
          'REALLOCATION_EXCEEDS_UNUSED',
          `project ${fromProjectId} has only ${unused} đồng allocated and not disbursed`,
          {
            unused: unused.toString(),
          },
        );
      }
      return [{ type: 'CapitalReallocated', data: { fromProjectId, toProjectId, amount, reason } }];
    }
    case 'DisburseCapital': {
      const { projectId: id, amount, source } = c.data;
      const disbursedOn = c.data.disbursedOn ?? c.meta.effectiveAt;
      if (disbursedOn < `${state.year}-01-01`) {
        throw ValidationError.field(
          'data.disbursedOn',
          `${disbursedOn} is before the plan year ${state.year}`,
          'DATE_OUT_OF_ORDER',
        );
      }
      if (disbursedOn > localDateOf(c.meta.recordedAt))
        throw ValidationError.field('data.disbursedOn', `${disbursedOn} is in the future`, 'DATE_IN_FUTURE');
      if (disbursedOn > state.disbursementDeadline) {
        throw new IllegalTransitionError(
          'DISBURSEMENT_PERIOD_ENDED',
          `the ${state.year} plan could be disbursed until ${state.disbursementDeadline}`,
        );
      }
      const a = state.allocations[id];
      if (!a || a.allocated === 0n) {
        if (!ctx.projects.has(id)) throw new NotFoundError('project', id, 'PROJECT_NOT_FOUND');
        throw new IllegalTransitionError(
          'PROJECT_UNFUNDED',
          `project ${id} has no capital allocated in the ${state.year} plan`,
        );
      }
      live(ctx, id);
      if (a.disbursed + amount > a.allocated) {
        throw new IllegalTransitionError(
          'DISBURSEMENT_EXCEEDS_ALLOCATION',
          `only ${a.allocated - a.disbursed} đồng of the allocation is left`,
          {
            remaining: (a.allocated - a.disbursed).toString(),
          },
        );
      }
      return [{ type: 'CapitalDisbursed', data: { projectId: id, amount, disbursedOn, source } }];
    }
    case 'ExtendDisbursementPeriod': {
      const latest = latestDisbursementDeadline(state.year);
      if (c.data.to <= state.disbursementDeadline) {
        throw ValidationError.field(
          'data.to',
          `must be after the current deadline ${state.disbursementDeadline}`,
          'DATE_OUT_OF_ORDER',
        );
      }
      if (c.data.to > latest) {
        throw new IllegalTransitionError(
          'EXTENSION_TOO_LONG',
          `an annual plan may be disbursed until ${latest} at the latest`,
        );
      }
      return [
        {
          type: 'DisbursementPeriodExtended',
          data: { from: state.disbursementDeadline, to: c.data.to, reason: c.data.reason },
        },
      ];
    }
    default: {
      const never: never = c;
      return never;
    }
  }
}

function openPeriod(s: AssignedPlan, on: string): void {
  if (on > s.disbursementDeadline) {
    throw new IllegalTransitionError(
      'DISBURSEMENT_PERIOD_ENDED',
      `the ${s.year} plan closed on ${s.disbursementDeadline}`,
    );
  }
}

const FUNDABLE_PHASES: ReadonlySet<string> = new Set(FUNDABLE_PUBLIC_PHASES);

/** Capital goes only to public investment projects that exist, have a policy decision and are still live. */
function fundable(ctx: CapitalPlanContext, id: string, field: string): void {
  const p = live(ctx, id);
  if (p.family !== 'public')
    throw ValidationError.field(field, `project ${id} is not a public investment project`, 'WRONG_FAMILY');
  if (!FUNDABLE_PHASES.has(p.phase)) {
    throw new IllegalTransitionError(
      'PROJECT_NOT_DECIDED',
      `project ${id} is in phase ${p.phase}: capital needs an investment policy decision first`,
    );
  }
}

/** The project must exist and be neither cancelled nor settled. */
function live(ctx: CapitalPlanContext, id: string): ProjectRef {
  const p = ctx.projects.get(id);
  if (!p) throw new NotFoundError('project', id, 'PROJECT_NOT_FOUND');
  if (p.phase === 'cancelled' || p.phase === 'settled') {
    throw new IllegalTransitionError(
      p.phase === 'cancelled' ? 'PROJECT_CANCELLED' : 'PROJECT_SETTLED',
      `project ${id} is ${p.phase}`,
    );
  }
  return p;
}
