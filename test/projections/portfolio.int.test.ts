// Specification of portfolioSummary: the province's report categories (seed 003: completed and
// operating, completed or partly built but stopped, under construction, not started, terminated)
// counted and summed from project_status, filtered and grouped by the dimensions asked for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portfolioStatus, portfolioSummary } from '../../src/projections/portfolio.js';
import { type Harness, harness } from './harness.js';
import { later, nonStateTo, publicPolicyDecided, SUSPEND } from './lifecycles.js';

const TY = 1_000_000_000n;

describe('portfolioSummary', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    await h.send(
      ...nonStateTo('op.1', 'operating'),
      ...nonStateTo('op.2', 'operating'),
      ...nonStateTo('stop.1', 'constructed'),
      later('stop.1', 'SuspendProject', SUSPEND),
      ...nonStateTo('build.1', 'underConstruction'),
      ...nonStateTo('wait.1', 'certified'),
      ...nonStateTo('wait.2', 'policyApproved'),
      later('wait.2', 'SuspendProject', SUSPEND),
      ...nonStateTo('gone.1', 'certified'),
      later('gone.1', 'TerminateProject', { ground: 'notImplemented', reason: 'Không triển khai dự án' }),
      later('gone.1', 'RevokeInvestmentCertificate', { reason: 'Dự án chấm dứt hoạt động' }, 11),
      ...publicPolicyDecided('pub.1'),
    );
    await h.runner().runOnce();
  });
  afterAll(() => h.close());

  it("counts non-state projects in the province report's categories, with their registered capital", async () => {
    const rows = await portfolioSummary(h.db.pool, { family: 'nonState' }, ['status']);
    expect(rows.map((r) => [r.key.status, r.projects, r.suspended, r.registeredCapital])).toEqual([
      ['completedOperating', 2, 0, 200n * TY],
      ['notStarted', 2, 1, 100n * TY],
      ['stopped', 1, 1, 100n * TY],
      ['terminated', 1, 0, 100n * TY],
      ['underConstruction', 1, 0, 100n * TY],
    ]);
  });

  it('groups by several dimensions and filters by year of the current phase (terminated in 2022)', async () => {
    const byFamily = await portfolioSummary(h.db.pool, {}, ['family', 'phase']);
    expect(byFamily.find((r) => r.key.family === 'public')).toMatchObject({
      key: { family: 'public', phase: 'policyDecided' },
      projects: 1,
      totalInvestment: 80n * TY,
    });
    const terminated = await portfolioSummary(h.db.pool, { status: 'terminated', phaseYear: 2022 }, []);
    expect(terminated).toMatchObject([{ key: {}, projects: 1 }]);
  });

  it('portfolioStatus (for states folded in memory) agrees with the view on every project', async () => {
    const { rows } = await h.db.pool.query<{ phase: string; suspended: boolean; status: string }>(
      'SELECT phase, suspended, status FROM portfolio_projects',
    );
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) expect(portfolioStatus(r.phase, r.suspended), JSON.stringify(r)).toBe(r.status);
  });

  it('answers an empty portfolio with no rows (grouped) or zeros (ungrouped)', async () => {
    expect(await portfolioSummary(h.db.pool, { agencyId: 'nobody' }, ['status'])).toEqual([]);
    expect(await portfolioSummary(h.db.pool, { agencyId: 'nobody' }, [])).toMatchObject([
      { projects: 0, registeredCapital: 0n },
    ]);
  });
});
