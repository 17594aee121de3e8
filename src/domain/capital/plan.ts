// The annual public-investment capital plan of one province and year: its events, state and evolve.
// One stream per plan, so the plan total is enforced and a reallocation between two projects is a
// single event: allocations never exceed the plan, disbursements never exceed allocations.
import { z } from 'zod';
import { type IsoDate, isoDateSchema } from '../dates.js';
import type { Dong } from '../money.js';
import { positiveDongSchema } from '../money.js';
import { aggregateIdSchema, provinceCodeSchema, text } from '../schemas.js';

export const CAPITAL_SOURCES = ['central', 'provincial', 'landUseFees', 'lottery', 'oda', 'other'] as const;

const planKey = { province: provinceCodeSchema, year: z.number().int().min(2000).max(2100) };
const projectId = aggregateIdSchema;

export const capitalEventSchemas = {
  AnnualCapitalPlanAssigned: z.strictObject({
    ...planKey,
    total: positiveDongSchema,
    disbursementDeadline: isoDateSchema,
  }),
  AnnualCapitalPlanAdjusted: z.strictObject({
    from: positiveDongSchema,
    to: positiveDongSchema,
    reason: text(2000),
  }),
  CapitalAllocated: z.strictObject({ projectId, amount: positiveDongSchema }),
  CapitalReallocated: z.strictObject({
    fromProjectId: projectId,
    toProjectId: projectId,
    amount: positiveDongSchema,
    reason: text(2000),
  }),
  CapitalDisbursed: z.strictObject({
    projectId,
    amount: positiveDongSchema,
    disbursedOn: isoDateSchema,
    source: z.enum(CAPITAL_SOURCES),
  }),
  DisbursementPeriodExtended: z.strictObject({ from: isoDateSchema, to: isoDateSchema, reason: text(2000) }),
} as const;

export type CapitalEventType = keyof typeof capitalEventSchemas;
export type CapitalEvent = {
  [T in CapitalEventType]: { readonly type: T; readonly data: z.output<(typeof capitalEventSchemas)[T]> };
}[CapitalEventType];
export const CAPITAL_EVENT_TYPES = Object.keys(capitalEventSchemas) as CapitalEventType[];
export const capitalEventVersions: Readonly<Record<CapitalEventType, number>> = Object.fromEntries(
  CAPITAL_EVENT_TYPES.map((t) => [t, 1]),
) as Record<CapitalEventType, number>;

export interface Allocation {
  readonly allocated: Dong;
  readonly disbursed: Dong;
}

export type CapitalPlanState =
  | { readonly status: 'none' }
  | {
      readonly status: 'assigned';
      readonly province: string;
      readonly year: number;
      readonly total: Dong;
      readonly disbursementDeadline: IsoDate;
      readonly allocations: Readonly<Record<string, Allocation>>;
    };
export type AssignedPlan = Extract<CapitalPlanState, { status: 'assigned' }>;

export const initialCapitalPlanState: CapitalPlanState = { status: 'none' };

export const allocatedTotal = (s: AssignedPlan): Dong =>
  Object.values(s.allocations).reduce((sum, a) => sum + a.allocated, 0n);

/** 31 January of the following year: the default end of an annual allocation's disbursement. */
export const defaultDisbursementDeadline = (year: number): IsoDate => `${year + 1}-01-31` as IsoDate;
/** The latest a disbursement period may be extended to: 31 December of the following year. */
export const latestDisbursementDeadline = (year: number): IsoDate => `${year + 1}-12-31` as IsoDate;

export function evolveCapitalPlan(state: CapitalPlanState, event: CapitalEvent): CapitalPlanState {
  if (event.type === 'AnnualCapitalPlanAssigned') {
    const { province, year, total, disbursementDeadline } = event.data;
    return { status: 'assigned', province, year, total, disbursementDeadline, allocations: {} };
  }
  if (state.status === 'none') return state;
  const change = (id: string, f: (a: Allocation) => Allocation): AssignedPlan => ({
    ...state,
    allocations: { ...state.allocations, [id]: f(state.allocations[id] ?? { allocated: 0n, disbursed: 0n }) },
  });
  switch (event.type) {
    case 'AnnualCapitalPlanAdjusted':
      return { ...state, total: event.data.to };
    case 'CapitalAllocated':
      return change(event.data.projectId, (a) => ({ ...a, allocated: a.allocated + event.data.amount }));
    case 'CapitalReallocated': {
      const { fromProjectId, toProjectId, amount } = event.data;
      const taken = change(fromProjectId, (a) => ({ ...a, allocated: a.allocated - amount }));
      const given = taken.allocations[toProjectId] ?? { allocated: 0n, disbursed: 0n };
      return {
        ...taken,
        allocations: {
          ...taken.allocations,
          [toProjectId]: { ...given, allocated: given.allocated + amount },
        },
      };
    }
    case 'CapitalDisbursed':
      return change(event.data.projectId, (a) => ({ ...a, disbursed: a.disbursed + event.data.amount }));
    case 'DisbursementPeriodExtended':
      return { ...state, disbursementDeadline: event.data.to };
    default: {
      const never: never = event;
      return never;
    }
  }
}
