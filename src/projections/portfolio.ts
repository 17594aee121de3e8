// The portfolio: counts and capital sums over project_status, grouped by the dimensions the province
// reports on. The status categories (view portfolio_projects, migrations/005) follow the Cao Bằng
// report of seed 003:
//   terminated          phase terminated (non-state) or cancelled (public);
//   stopped             suspended while underConstruction, constructed, operating or handedOver
//                       ("hoàn thành hoặc xây dựng dở dang nhưng dừng");
//   completedOperating  operating, handedOver or settled, not suspended ("đã hoàn thành đi vào hoạt động");
//   underConstruction   underConstruction or constructed (built, not yet in operation or handed over);
//   notStarted          every earlier phase, suspended or not ("chưa triển khai"); `suspended` counts them.
// Overdue and unfunded flags need a clock and belong to the alerts read model, not here.
import type pg from 'pg';
import { type SuccessionFilter, successionConditions } from './admin-map.js';

export const PORTFOLIO_STATUSES = [
  'completedOperating',
  'stopped',
  'underConstruction',
  'notStarted',
  'terminated',
] as const;
export type PortfolioStatus = (typeof PORTFOLIO_STATUSES)[number];

/**
 * The status of one project, as the view portfolio_projects derives it in SQL (migrations/005); for
 * states folded in memory (the live subscription feed). A test keeps the two in step.
 */
export function portfolioStatus(phase: string, suspended: boolean): PortfolioStatus {
  if (phase === 'terminated' || phase === 'cancelled') return 'terminated';
  if (suspended && STOPPABLE.has(phase)) return 'stopped';
  if (phase === 'operating' || phase === 'handedOver' || phase === 'settled') return 'completedOperating';
  if (phase === 'underConstruction' || phase === 'constructed') return 'underConstruction';
  return 'notStarted';
}
const STOPPABLE = new Set(['underConstruction', 'constructed', 'operating', 'handedOver']);

/** Dimension → column of portfolio_projects. */
export const DIMENSIONS = {
  status: 'status',
  phase: 'phase',
  family: 'family',
  province: 'province',
  agency: 'agency_id',
  adminUnit: 'admin_unit',
  group: 'project_group',
  sector: 'sector',
  /** Year the project was registered. */
  year: 'registered_year',
  /** Year it entered its current phase (e.g. the year it was terminated). */
  phaseYear: 'phase_year',
} as const;
export type PortfolioDimension = keyof typeof DIMENSIONS;

export interface PortfolioFilter extends SuccessionFilter {
  readonly family?: 'nonState' | 'public';
  readonly province?: string;
  readonly agencyId?: string;
  readonly adminUnit?: string;
  readonly group?: string;
  readonly status?: PortfolioStatus;
  readonly phase?: string;
  readonly year?: number;
  readonly phaseYear?: number;
  /** Read scope (src/api/scope.ts), never from the client: the owner's id, the commune or ward. */
  readonly scopeOwnerId?: string;
  readonly scopeUnit?: string;
}

export interface PortfolioRow {
  /** The group's value on each requested dimension (null where the projects have none, e.g. group). */
  readonly key: Readonly<Partial<Record<PortfolioDimension, string | number | null>>>;
  readonly projects: number;
  readonly suspended: number;
  /** Whole đồng, exact. */
  readonly proposedCapital: bigint;
  readonly approvedCapital: bigint;
  readonly registeredCapital: bigint;
  readonly totalInvestment: bigint;
  readonly capitalContributed: bigint;
  readonly capitalAllocated: bigint;
  readonly capitalDisbursed: bigint;
}

export const FILTER_COLUMNS: Readonly<
  Record<Exclude<keyof PortfolioFilter, keyof SuccessionFilter>, string>
> = {
  family: 'family',
  province: 'province',
  agencyId: 'agency_id',
  adminUnit: 'admin_unit',
  group: 'project_group',
  status: 'status',
  phase: 'phase',
  year: 'registered_year',
  phaseYear: 'phase_year',
  scopeOwnerId: 'owner_id',
  scopeUnit: 'admin_unit',
};

/** One row per combination of the `by` dimensions present in the filtered projects, ordered by them. */
export async function portfolioSummary(
  db: pg.Pool | pg.PoolClient,
  filter: PortfolioFilter = {},
  by: readonly PortfolioDimension[] = ['status'],
): Promise<PortfolioRow[]> {
  const columns = by.map((d) => DIMENSIONS[d]);
  const { unit, agency, mapAsOf, ...plain } = filter;
  const params: unknown[] = [];
  const where = await successionConditions(db, { unit, agency, mapAsOf }, params);
  for (const [key, value] of Object.entries(plain)) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${FILTER_COLUMNS[key as keyof typeof FILTER_COLUMNS]} = $${params.length}`);
  }
  const sum = (c: string) => `COALESCE(sum(${c}), 0)::text AS ${c}`;
  const { rows } = await db.query<Record<string, string | number | null>>(
    `SELECT ${columns.map((c) => `${c},`).join(' ')}
       count(*)::integer AS projects, count(*) FILTER (WHERE suspended)::integer AS suspended,
       ${['proposed_capital', 'approved_capital', 'registered_capital', 'total_investment']
         .concat(['capital_contributed', 'capital_allocated', 'capital_disbursed'])
         .map(sum)
         .join(', ')}
     FROM portfolio_projects
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ${columns.length ? `GROUP BY ${columns.join(', ')} ORDER BY ${columns.join(', ')}` : ''}`,
    params,
  );
  return rows.map((r) => ({
    key: Object.fromEntries(by.map((d) => [d, r[DIMENSIONS[d]] ?? null])),
    projects: Number(r.projects),
    suspended: Number(r.suspended),
    proposedCapital: BigInt(r.proposed_capital as string),
    approvedCapital: BigInt(r.approved_capital as string),
    registeredCapital: BigInt(r.registered_capital as string),
    totalInvestment: BigInt(r.total_investment as string),
    capitalContributed: BigInt(r.capital_contributed as string),
    capitalAllocated: BigInt(r.capital_allocated as string),
    capitalDisbursed: BigInt(r.capital_disbursed as string),
  }));
}
