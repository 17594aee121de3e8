// The `alerts` query through the real app: the alerts read model after a clock sweep, with filters
// and Relay pagination.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlertsAt } from '../../src/alerts/sweep.js';
import { asIsoDate } from '../../src/domain/dates.js';
import { cmd } from '../projections/harness.js';
import { later, nonStateTo, SUSPEND } from '../projections/lifecycles.js';
import { type Api, startApi } from './api.js';

let api: Api;

const milestone = (projectId: string, id: string, dueDate: string) =>
  cmd('PlanMilestone', projectId, '2022-05-01', {
    milestoneId: id,
    kind: 'other',
    name: `Mốc ${id}`,
    dueDate,
  });

beforeAll(async () => {
  api = await startApi();
  for (const command of [
    ...nonStateTo('AL.01', 'certified'),
    milestone('AL.01', 'M1', '2022-06-30'),
    milestone('AL.01', 'M2', '2022-07-31'),
    milestone('AL.01', 'M3', '2030-01-01'),
    ...nonStateTo('AL.02', 'constructed'),
    later('AL.02', 'SuspendProject', SUSPEND),
  ]) {
    const r = await api.send(command);
    expect(r.errors, JSON.stringify(command)).toBeUndefined();
  }
  await api.catchUp();
  await evaluateAlertsAt(api.db.pool, asIsoDate('2024-01-01'));
});
afterAll(async () => {
  await api?.close();
});

const QUERY = `query ($filter: AlertFilter, $first: Int, $after: String) {
  alerts(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      project { id name } ruleId ruleLabel { vi en } key status severity regime article since openedAt
      closedOn closedReason reason { vi en }
    } }
  }
}`;

interface AlertsData {
  alerts: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: Record<string, unknown> }[];
  };
}

const query = async (variables: Record<string, unknown>) => {
  const r = await api.gql<AlertsData>(QUERY, variables);
  expect(r.errors).toBeUndefined();
  return r.data?.alerts as AlertsData['alerts'];
};

describe('alerts', () => {
  it('filters by rule and status and shows the rule, its legal basis and the reason', async () => {
    const page = await query({ filter: { ruleId: 'MILESTONE_OVERDUE', status: 'open' } });
    expect(page.totalCount).toBe(2);
    expect(page.edges.map((e) => [e.node.project, e.node.key])).toEqual([
      [{ id: 'AL.01', name: expect.any(String) }, 'M1'],
      [{ id: 'AL.01', name: expect.any(String) }, 'M2'],
    ]);
    expect(page.edges[0]?.node).toMatchObject({
      ruleId: 'MILESTONE_OVERDUE',
      ruleLabel: { vi: 'Mốc tiến độ quá hạn', en: 'Milestone overdue' },
      status: 'open',
      severity: 'violation',
      regime: expect.any(String),
      article: expect.any(String),
      since: '2022-07-01',
      openedAt: '2024-01-01',
      closedOn: null,
      reason: { vi: expect.stringContaining('Mốc M1'), en: expect.stringContaining('M1') },
    });
  });

  it('filters by project, province, severity and family', async () => {
    const suspended = await query({ filter: { projectId: 'AL.02', ruleId: 'SUSPENDED_TOO_LONG' } });
    expect(suspended.edges.map((e) => e.node.key)).toEqual(['suspension']);
    const all = await query({ filter: { projectId: 'AL.01' }, first: 100 });
    const inProvince = await query({ filter: { projectId: 'AL.01', province: '04' }, first: 100 });
    expect(inProvince.totalCount).toBe(all.totalCount);
    expect((await query({ filter: { province: '99' } })).totalCount).toBe(0);
    expect((await query({ filter: { family: 'public' } })).totalCount).toBe(0);
    const violations = await query({ filter: { severity: 'violation' }, first: 100 });
    expect(violations.edges.every((e) => e.node.severity === 'violation')).toBe(true);
    expect(violations.totalCount).toBeGreaterThanOrEqual(3);
  });

  it('pages through all alerts with first/after, in order, without repeats', async () => {
    const all = await query({ first: 100 });
    expect(all.totalCount).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: AlertsData['alerts'] = await query({ first: 2, after });
      seen.push(
        ...page.edges.map((e) => `${(e.node.project as { id: string }).id}/${e.node.ruleId}/${e.node.key}`),
      );
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(
      all.edges.map((e) => `${(e.node.project as { id: string }).id}/${e.node.ruleId}/${e.node.key}`),
    );
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses a cursor of another connection', async () => {
    const projects = await api.gql<{ projects: { pageInfo: { endCursor: string } } }>(
      '{ projects(first: 1) { pageInfo { endCursor } } }',
    );
    const r = await api.gql(QUERY, { after: projects.data?.projects.pageInfo.endCursor });
    expect(r.errors?.[0]?.extensions?.code).toBe('VALIDATION');
  });
});
