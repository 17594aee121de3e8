// The read queries through the real app: `projects` (filters and Relay pagination over project_status),
// `portfolioSummary`, `auditTrail` (by revision, paged) and `capitalPlan` (live fold of the plan's
// stream). The list queries answer as of the projection runner, so each spec catches it up first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { later, nonStateTo, publicPolicyDecided, SUSPEND } from '../projections/lifecycles.js';
import { actors, raw, registerNonState } from '../support/fixtures.js';
import { type Api, startApi } from './api.js';

let api: Api;

async function ok(...commands: Record<string, unknown>[]) {
  for (const command of commands) {
    const r = await api.send(command);
    expect(r.errors, JSON.stringify(command)).toBeUndefined();
  }
}

const named = (id: string, name: string) => {
  const c = registerNonState(id) as { data: Record<string, unknown> };
  return { ...c, data: { ...c.data, name } };
};

beforeAll(async () => {
  api = await startApi();
  await ok(
    ...nonStateTo('NS.01', 'operating'),
    ...nonStateTo('NS.02', 'operating'),
    ...nonStateTo('NS.03', 'constructed'),
    later('NS.03', 'SuspendProject', SUSPEND),
    ...nonStateTo('NS.04', 'underConstruction'),
    ...nonStateTo('NS.05', 'certified'),
    named('NS.06', 'Thủy điện Bản Rạ'),
    ...publicPolicyDecided('PB.01'),
    raw(
      'AssignAnnualCapitalPlan',
      { province: '04', year: 2022, total: '500000000000' },
      { effectiveAt: '2022-01-05', actor: actors.finance },
    ),
    raw(
      'AllocateCapital',
      { province: '04', year: 2022, projectId: 'PB.01', amount: '12000000000' },
      { effectiveAt: '2022-01-20', actor: actors.finance },
    ),
    raw(
      'DisburseCapital',
      {
        province: '04',
        year: 2022,
        projectId: 'PB.01',
        amount: '3000000000',
        disbursedOn: '2022-03-01',
        source: 'provincial',
      },
      { effectiveAt: '2022-03-01', actor: actors.finance },
    ),
  );
  await api.catchUp();
});
afterAll(async () => {
  await api?.close();
});

interface Conn<N> {
  edges: { cursor: string; node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

const PROJECTS = `query ($filter: ProjectFilter, $first: Int, $after: String) {
  projects(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id family phase suspended registeredCapital name revision } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

async function projects(variables: Record<string, unknown>) {
  const r = await api.gql<{ projects: Conn<{ id: string; [k: string]: unknown }> }>(PROJECTS, variables);
  expect(r.errors).toBeUndefined();
  return r.data!.projects;
}
const ids = (c: Conn<{ id: string }>) => c.edges.map((e) => e.node.id);

describe('projects', () => {
  it('lists every project by id, with the fields of Project', async () => {
    const c = await projects({});
    expect(ids(c)).toEqual(['NS.01', 'NS.02', 'NS.03', 'NS.04', 'NS.05', 'NS.06', 'PB.01']);
    expect(c.totalCount).toBe(7);
    expect(c.pageInfo.hasNextPage).toBe(false);
    expect(c.edges[0]!.node).toMatchObject({
      family: 'nonState',
      phase: 'operating',
      suspended: false,
      registeredCapital: '100000000000',
      revision: 6,
    });
  });

  it('pages with first/after until hasNextPage is false, each item once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const c: Conn<{ id: string }> = await projects({ first: 3, after });
      pages += 1;
      expect(c.totalCount).toBe(7);
      seen.push(...ids(c));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
      expect(after).toBe(c.edges.at(-1)!.cursor);
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['NS.01', 'NS.02', 'NS.03', 'NS.04', 'NS.05', 'NS.06', 'PB.01']);
  });

  it('filters by family, phase, portfolio status, suspension, group, dates and text', async () => {
    expect(ids(await projects({ filter: { family: 'public' } }))).toEqual(['PB.01']);
    expect(ids(await projects({ filter: { phase: 'operating' } }))).toEqual(['NS.01', 'NS.02']);
    expect(ids(await projects({ filter: { status: 'stopped' } }))).toEqual(['NS.03']);
    expect(ids(await projects({ filter: { suspended: true } }))).toEqual(['NS.03']);
    expect(ids(await projects({ filter: { group: 'B', province: '04' } }))).toEqual(['PB.01']);
    expect(ids(await projects({ filter: { registeredTo: '2021-12-31' } }))).toEqual(['PB.01']);
    expect(ids(await projects({ filter: { registeredFrom: '2022-01-01', text: 'bản rạ' } }))).toEqual([
      'NS.06',
    ]);
    expect(ids(await projects({ filter: { text: '%' } }))).toEqual([]);
    const filtered = await projects({
      filter: { family: 'nonState', status: 'completedOperating' },
      first: 1,
    });
    expect(filtered).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
  });

  it('refuses a page larger than 100, a negative one and a foreign cursor with VALIDATION naming the field', async () => {
    for (const [variables, field] of [
      [{ first: 101 }, 'first'],
      [{ first: -1 }, 'first'],
      [{ after: 'bm90LWEtY3Vyc29y' }, 'after'],
    ] as const) {
      const r = await api.gql(PROJECTS, variables);
      expect(r.data).toBeNull();
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', issues: [{ field }] });
    }
  });

  it('shows what the runner has projected: a project registered since appears after catch-up', async () => {
    await ok(named('NS.07', 'Khu du lịch Thác Bản Giốc'));
    const live = await api.gql<{ project: { id: string } | null }>('{ project(id: "NS.07") { id } }');
    expect(live.data?.project).toEqual({ id: 'NS.07' });
    await api.catchUp();
    expect(ids(await projects({ filter: { text: 'giốc' } }))).toEqual(['NS.07']);
  });
});

describe("a project's capital from the plans", () => {
  const CAPITAL = '{ allocated disbursed disbursementRate }';

  it('shows in projects and in project(id), from project_status', async () => {
    const list = await api.gql<{ projects: Conn<{ id: string; capital: unknown }> }>(
      `{ projects(filter: { family: public }) { edges { node { id capital ${CAPITAL} } } } }`,
    );
    const expected = { allocated: '12000000000', disbursed: '3000000000', disbursementRate: 0.25 };
    expect(list.data!.projects.edges.map((e) => e.node)).toEqual([{ id: 'PB.01', capital: expected }]);
    const one = await api.gql(
      `{ project(id: "PB.01") { capital ${CAPITAL} } nope: project(id: "NO.SUCH") { id } }`,
    );
    expect(one.data).toEqual({ project: { capital: expected }, nope: null });
  });
});

describe('portfolioSummary', () => {
  const QUERY = `query ($filter: PortfolioFilter, $by: [PortfolioDimension!]) {
    portfolioSummary(filter: $filter, by: $by) {
      key { status statusLabel { vi en } family phase year } projects suspended registeredCapital totalInvestment capitalAllocated
    }
  }`;

  it("counts non-state projects in the province report's categories with exact capital", async () => {
    const r = await api.gql<{ portfolioSummary: Record<string, unknown>[] }>(QUERY, {
      filter: { family: 'nonState', year: 2022 },
      by: ['status'],
    });
    expect(r.errors).toBeUndefined();
    expect(
      r.data!.portfolioSummary.map((row) => [(row.key as { status: string }).status, row.projects]),
    ).toEqual([
      ['completedOperating', 2],
      ['notStarted', 3],
      ['stopped', 1],
      ['underConstruction', 1],
    ]);
    expect(r.data!.portfolioSummary.find((row) => row.suspended === 1)).toMatchObject({
      key: {
        status: 'stopped',
        statusLabel: { vi: 'Hoàn thành hoặc xây dựng dở dang nhưng dừng hoạt động' },
        family: null,
      },
      registeredCapital: '100000000000',
    });
  });

  it('sums public capital by family with the allocation, and one row for all with by: []', async () => {
    const r = await api.gql<{ portfolioSummary: Record<string, unknown>[] }>(QUERY, {
      filter: { family: 'public' },
      by: ['family', 'phase'],
    });
    expect(r.data!.portfolioSummary).toEqual([
      {
        key: { status: null, statusLabel: null, family: 'public', phase: 'policyDecided', year: null },
        projects: 1,
        suspended: 0,
        registeredCapital: '0',
        totalInvestment: '80000000000',
        capitalAllocated: '12000000000',
      },
    ]);
    const all = await api.gql<{ portfolioSummary: { projects: number }[] }>(QUERY, { by: [] });
    expect(all.data!.portfolioSummary).toMatchObject([{ projects: 8 }]);
  });
});

describe('auditTrail', () => {
  const QUERY = `query ($id: ID!, $first: Int, $after: String) {
    auditTrail(projectId: $id, first: $first, after: $after) {
      edges { cursor node {
        revision type actor { userId agencyId role } recordedAt effectiveAt
        document { number date issuer } regime commandId commandType source
        changes { field before after }
      } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }`;
  type Entry = {
    revision: number;
    type: string;
    changes: { field: string; before: unknown; after: unknown }[];
  };

  it("pages through a project's events by revision with who, when and what changed", async () => {
    const first = await api.gql<{ auditTrail: Conn<Entry & Record<string, unknown>> }>(QUERY, {
      id: 'NS.01',
      first: 4,
    });
    expect(first.errors).toBeUndefined();
    const page1 = first.data!.auditTrail;
    expect(page1).toMatchObject({ totalCount: 7, pageInfo: { hasNextPage: true } });
    expect(page1.edges.map((e) => e.node.revision)).toEqual([0, 1, 2, 3]);
    expect(page1.edges[0]!.node).toMatchObject({
      type: 'ProjectRegistered',
      actor: actors.registrar,
      effectiveAt: '2022-01-15',
      commandType: 'RegisterProject',
      source: 'api',
      document: null,
    });
    expect(page1.edges[0]!.node.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(page1.edges[1]!.node.changes).toContainEqual({
      field: 'phase',
      before: 'registered',
      after: 'policyApproved',
    });
    const second = await api.gql<{ auditTrail: Conn<Entry> }>(QUERY, {
      id: 'NS.01',
      first: 4,
      after: page1.pageInfo.endCursor,
    });
    const page2 = second.data!.auditTrail;
    expect(page2.edges.map((e) => e.node.revision)).toEqual([4, 5, 6]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('is empty for an unknown project and refuses a cursor of another connection', async () => {
    const none = await api.gql<{ auditTrail: Conn<Entry> }>(QUERY, { id: 'NO.SUCH' });
    expect(none.data!.auditTrail).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
      totalCount: 0,
    });
    const c = await projects({ first: 1 });
    const r = await api.gql(QUERY, { id: 'NS.01', after: c.pageInfo.endCursor });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', reason: 'INVALID_CURSOR' });
    const big = await api.gql(QUERY, { id: 'NS.01', first: 1000 });
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', issues: [{ field: 'first' }] });
  });
});

describe('capitalPlan', () => {
  const QUERY = `query ($province: String!, $year: Int!) {
    capitalPlan(province: $province, year: $year) {
      province year total allocated disbursed unallocated allocationRate disbursementRate disbursementDeadline
      allocations { projectId allocated disbursed disbursementRate } revision
    }
  }`;

  it('shows the live plan: totals, rates, deadline and allocations per project', async () => {
    const r = await api.gql(QUERY, { province: '04', year: 2022 });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      capitalPlan: {
        province: '04',
        year: 2022,
        total: '500000000000',
        allocated: '12000000000',
        disbursed: '3000000000',
        unallocated: '488000000000',
        allocationRate: 0.024,
        disbursementRate: 0.25,
        disbursementDeadline: '2023-01-31',
        allocations: [
          { projectId: 'PB.01', allocated: '12000000000', disbursed: '3000000000', disbursementRate: 0.25 },
        ],
        revision: 2,
      },
    });
  });

  it('is null for a year without a plan', async () => {
    const r = await api.gql(QUERY, { province: '04', year: 2031 });
    expect(r).toMatchObject({ status: 200, data: { capitalPlan: null } });
  });
});
