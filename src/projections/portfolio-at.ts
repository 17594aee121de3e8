// portfolioSummary at a point in time (docs/TIME-TRAVEL.md): every project and every annual plan
// folded live at (asOf, knownAt), then the same rows, statuses, filters and sums as the SQL over
// project_status (portfolio.ts), computed in memory with portfolioStatus (the CASE of the view
// portfolio_projects; test/projections/portfolio-at.int.test.ts holds the two equal on every phase).
// The administrative-map filters (unit, agency, mapAsOf) are not supported at a point in time yet.
import { ValidationError } from '../domain/errors.js';
import {
  DIMENSIONS,
  FILTER_COLUMNS,
  type PortfolioDimension,
  type PortfolioFilter,
  type PortfolioRow,
  portfolioStatus,
} from './portfolio.js';
import { statusRow } from './project-status.js';
import type { TimePoint } from './time-travel.js';
import type { TimeTravel } from './time-travel-read.js';

type Row = Record<string, unknown>;

const SUMS = {
  proposedCapital: 'proposed_capital',
  approvedCapital: 'approved_capital',
  registeredCapital: 'registered_capital',
  totalInvestment: 'total_investment',
  capitalContributed: 'capital_contributed',
  capitalAllocated: 'capital_allocated',
  capitalDisbursed: 'capital_disbursed',
} as const;

export async function portfolioAt(
  tt: TimeTravel,
  at: TimePoint,
  filter: PortfolioFilter = {},
  by: readonly PortfolioDimension[] = ['status'],
): Promise<PortfolioRow[]> {
  const [projects, capital] = await Promise.all([tt.projects(at), tt.capital(at)]);
  const rows: Row[] = [...projects.values()].map(({ state }) => {
    const r = statusRow(state);
    const c = capital.get(state.projectId);
    return {
      ...r,
      status: portfolioStatus(state.phase, state.suspension !== undefined),
      registered_year: Number(state.registeredOn.slice(0, 4)),
      phase_year: Number(state.phaseSince.slice(0, 4)),
      capital_allocated: (c?.allocated ?? 0n).toString(),
      capital_disbursed: (c?.disbursed ?? 0n).toString(),
    };
  });
  return summarise(rows, filter, by);
}

/** Groups portfolio rows (columns of portfolio_projects) as portfolioSummary does in SQL. */
export function summarise(
  rows: readonly Row[],
  filter: PortfolioFilter,
  by: readonly PortfolioDimension[],
): PortfolioRow[] {
  for (const key of ['unit', 'agency', 'mapAsOf'] as const)
    if (filter[key] !== undefined)
      throw ValidationError.field(
        `filter.${key}`,
        'is not supported with asOf/knownAt yet',
        'FILTER_NOT_SUPPORTED_AT_TIME_POINT',
      );
  const kept = rows.filter((r) =>
    Object.entries(filter).every(
      ([k, v]) => v === undefined || r[FILTER_COLUMNS[k as keyof typeof FILTER_COLUMNS]] === v,
    ),
  );
  const groups = new Map<string, { key: PortfolioRow['key']; rows: Row[] }>();
  for (const r of kept) {
    const key = Object.fromEntries(by.map((d) => [d, (r[DIMENSIONS[d]] ?? null) as string | number | null]));
    const id = JSON.stringify(by.map((d) => key[d]));
    const g = groups.get(id) ?? { key, rows: [] as Row[] };
    g.rows.push(r);
    groups.set(id, g);
  }
  const sum = (rs: Row[], column: string) =>
    rs.reduce((s, r) => s + BigInt((r[column] as string | null) ?? 0), 0n);
  return [...groups.values()]
    .sort((a, b) =>
      compareKeys(
        by.map((d) => a.key[d]),
        by.map((d) => b.key[d]),
      ),
    )
    .map(({ key, rows: rs }) => ({
      key,
      projects: rs.length,
      suspended: rs.filter((r) => r.suspended === true).length,
      ...(Object.fromEntries(Object.entries(SUMS).map(([f, c]) => [f, sum(rs, c)])) as Record<
        keyof typeof SUMS,
        bigint
      >),
    }));
}

/** ORDER BY the dimensions, nulls last (PostgreSQL's default for ascending order). */
function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x as string | number) < (y as string | number) ? -1 : 1;
  }
  return 0;
}
