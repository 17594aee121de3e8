// The capital plan through the real app: capitalPlan shows a mutation's result at once and the same
// plan after the runner caught up; capitalPlanAuditTrail lists the plan's events (as of the runner)
// with who, when, document, regime, command, the projects moved and the changes, paged and by project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicPolicyDecided } from '../projections/lifecycles.js';
import { actors, raw } from '../support/fixtures.js';
import { type Api, startApi } from './api.js';

const plan = { province: '04', year: 2022 };
const by = (effectiveAt: string) => ({ actor: actors.finance, effectiveAt });
const DOC = { number: '4596/QĐ-UBND', date: '2022-01-05', issuer: 'UBND tỉnh Cao Bằng' };

let api: Api;
beforeAll(async () => {
  api = await startApi();
  for (const c of [
    ...publicPolicyDecided('KV.01'),
    ...publicPolicyDecided('KV.02'),
    raw(
      'AssignAnnualCapitalPlan',
      { ...plan, total: '100000000000' },
      { ...by('2022-01-05'), document: DOC },
    ),
    raw('AllocateCapital', { ...plan, projectId: 'KV.01', amount: '40000000000' }, by('2022-01-10')),
    raw(
      'ReallocateCapital',
      {
        ...plan,
        fromProjectId: 'KV.01',
        toProjectId: 'KV.02',
        amount: '15000000000',
        reason: 'Chậm giải ngân',
      },
      by('2022-06-30'),
    ),
  ]) {
    const r = await api.send(c);
    expect(r.errors, JSON.stringify(c)).toBeUndefined();
  }
});
afterAll(async () => {
  await api?.close();
});

const PLAN = `query { capitalPlan(province: "04", year: 2022) {
  total allocated disbursed revision allocations { projectId allocated disbursed }
} }`;

const AUDIT = `query ($projectId: ID, $first: Int, $after: String) {
  capitalPlanAuditTrail(province: "04", year: 2022, projectId: $projectId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node {
      province year revision type projectIds actor { userId agencyId role } effectiveAt
      document { number date issuer } regime commandType changes { field before after }
    } }
  }
}`;

interface AuditData {
  capitalPlanAuditTrail: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: Record<string, unknown> }[];
  };
}

describe('capitalPlan and its audit trail', () => {
  let beforeCatchUp: unknown;

  it("shows a mutation's result at once, before the runner has projected it", async () => {
    const sent = await api.send(
      raw(
        'DisburseCapital',
        { ...plan, projectId: 'KV.02', amount: '5000000000', source: 'provincial' },
        by('2022-08-01'),
      ),
    );
    const revision = Object.values(sent.data ?? {})[0]?.revision;
    const r = await api.gql<{ capitalPlan: Record<string, unknown> }>(PLAN);
    expect(r.data?.capitalPlan).toEqual({
      total: '100000000000',
      allocated: '40000000000',
      disbursed: '5000000000',
      revision,
      allocations: [
        { projectId: 'KV.01', allocated: '25000000000', disbursed: '0' },
        { projectId: 'KV.02', allocated: '15000000000', disbursed: '5000000000' },
      ],
    });
    beforeCatchUp = r.data;
    const audit = await api.gql<AuditData>(AUDIT);
    expect(audit.data?.capitalPlanAuditTrail.totalCount).toBe(0);
  });

  it('answers the same plan once the runner has caught up', async () => {
    await api.catchUp();
    expect((await api.gql(PLAN)).data).toEqual(beforeCatchUp);
  });

  it('lists every event of the plan with who, when, document, regime, command and changes', async () => {
    const r = await api.gql<AuditData>(AUDIT);
    expect(r.errors).toBeUndefined();
    const nodes = r.data!.capitalPlanAuditTrail.edges.map((e) => e.node);
    expect(nodes.map((n) => [n.revision, n.type, n.projectIds])).toEqual([
      [0, 'AnnualCapitalPlanAssigned', []],
      [1, 'CapitalAllocated', ['KV.01']],
      [2, 'CapitalReallocated', ['KV.01', 'KV.02']],
      [3, 'CapitalDisbursed', ['KV.02']],
    ]);
    expect(nodes[0]).toMatchObject({
      province: '04',
      year: 2022,
      actor: actors.finance,
      effectiveAt: '2022-01-05',
      document: DOC,
      regime: 'LPI2019',
      commandType: 'AssignAnnualCapitalPlan',
    });
    expect(nodes[2]?.changes).toEqual([
      { field: 'allocations.KV.01.allocated', before: '40000000000', after: '25000000000' },
      { field: 'allocations.KV.02.allocated', before: null, after: '15000000000' },
      { field: 'allocations.KV.02.disbursed', before: null, after: '0' },
    ]);
  });

  it("pages by revision and narrows to one project's money", async () => {
    const page1 = await api.gql<AuditData>(AUDIT, { first: 3 });
    expect(page1.data?.capitalPlanAuditTrail).toMatchObject({
      totalCount: 4,
      pageInfo: { hasNextPage: true },
    });
    const page2 = await api.gql<AuditData>(AUDIT, {
      first: 3,
      after: page1.data?.capitalPlanAuditTrail.pageInfo.endCursor,
    });
    expect(page2.data?.capitalPlanAuditTrail.edges.map((e) => e.node.revision)).toEqual([3]);
    const kv1 = await api.gql<AuditData>(AUDIT, { projectId: 'KV.01' });
    expect(kv1.data?.capitalPlanAuditTrail.edges.map((e) => e.node.type)).toEqual([
      'CapitalAllocated',
      'CapitalReallocated',
    ]);
  });

  it('refuses a cursor of another connection', async () => {
    const r = await api.gql(AUDIT, {
      after: Buffer.from(JSON.stringify(['audit', 1])).toString('base64url'),
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', reason: 'INVALID_CURSOR' });
  });

  it("is province-wide: an investor may not read the plan's audit trail", async () => {
    const r = await api.gql(AUDIT, {}, actors.investor);
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'READ_NOT_ALLOWED_FOR_ROLE',
    });
    expect(r.data ?? null).toBeNull();
  });
});
