// The in-memory portfolio (time travel, portfolio-at.ts; the live feed) must sort projects into the
// same statuses as the view portfolio_projects does in SQL: every phase of both families, suspended or not.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NON_STATE_PHASES, PUBLIC_PHASES } from '../../src/domain/project/state.js';
import { portfolioStatus } from '../../src/projections/portfolio.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.drop();
});

it('gives every phase and suspension the status the SQL view gives it', async () => {
  const cases = [
    ...NON_STATE_PHASES.map((phase) => ['nonState', phase] as const),
    ...PUBLIC_PHASES.map((phase) => ['public', phase] as const),
  ].flatMap(([family, phase]) => [false, true].map((suspended) => ({ family, phase, suspended })));
  const rows = cases.map((c, i) => ({
    project_id: `P${i}`,
    family: c.family,
    name: 'x',
    province: '04',
    admin_unit: 'x',
    agency_id: 'x',
    sector: 'x',
    owner_name: 'x',
    phase: c.phase,
    phase_since: '2022-01-01',
    suspended: c.suspended,
    registered_on: '2022-01-01',
    revision: 0,
    updated_at: '2022-01-01T00:00:00Z',
    state: {},
    capital_contributed: 0,
    capital_allocated: 0,
    capital_disbursed: 0,
    funding_assigned: false,
    funding_amount: 0,
    milestones: [],
  }));
  await db.pool.query(
    'INSERT INTO project_status SELECT * FROM jsonb_populate_recordset(NULL::project_status, $1)',
    [JSON.stringify(rows)],
  );
  const { rows: viewed } = await db.pool.query<{ project_id: string; status: string }>(
    'SELECT project_id, status FROM portfolio_projects',
  );
  const sql = new Map(viewed.map((r) => [r.project_id, r.status]));
  expect(sql.size).toBe(cases.length);
  for (const [i, c] of cases.entries())
    expect([c, portfolioStatus(c.phase, c.suspended)]).toEqual([c, sql.get(`P${i}`)]);
});
