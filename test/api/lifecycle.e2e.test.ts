// A project's life told through the GraphQL API: each decision is a mutation that answers with the new
// revision and the events it wrote, and `project(id)` then shows the project as those events left it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actors, raw, registerNonState, registerPublic } from '../support/fixtures.js';
import { type Api, startApi } from './api.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api?.close();
});

const PROJECT_QUERY = `query ($id: ID!) {
  project(id: $id) {
    id family phase phaseLabel { vi en } phaseSince name province adminUnit agencyId sector group
    owner { name taxCode id } registeredOn
    proposedCapital approvedCapital registeredCapital capitalContributed totalInvestment fundingAssigned
    certificate { number issuedOn registeredCapital adjustments revokedOn }
    milestones { id kind name plannedDue currentDue completedOn reschedules { from to reason causeKind } }
    suspended suspension { since ground reason }
    lastProgress { period physicalPercent reportedOn delayCauses { kind category } }
    revision
  }
}`;

/** Sends the command and returns its result, failing the spec on any error. */
async function ok(command: Record<string, unknown>) {
  const r = await api.send(command);
  expect(r.errors).toBeUndefined();
  return Object.values(r.data ?? {})[0]!;
}

describe('a non-state project from registration to operation', () => {
  const id = 'HL.001';
  const investor = { name: 'Công ty CP Hoàng Long', id: 'inv-hoang-long', taxCode: '4800123456' };
  const steps = [
    registerNonState(id),
    raw(
      'ApproveInvestmentPolicy',
      { projectId: id, approvedCapital: '120000000000', durationYears: 50 },
      { effectiveAt: '2022-02-15' },
    ),
    raw('ApproveInvestor', { projectId: id, investor }, { effectiveAt: '2022-03-01' }),
    raw(
      'IssueInvestmentCertificate',
      {
        projectId: id,
        certificateNumber: '4538217546',
        registeredCapital: '120000000000',
        schedule: [
          { milestoneId: 'KC01', kind: 'constructionStart', name: 'Khởi công', dueDate: '2022-06-30' },
          { milestoneId: 'VH01', kind: 'operation', name: 'Đi vào hoạt động', dueDate: '2023-03-31' },
        ],
      },
      {
        effectiveAt: '2022-03-10',
        document: { number: '4538217546', date: '2022-03-10', issuer: 'Sở Kế hoạch và Đầu tư Cao Bằng' },
      },
    ),
    raw('PayDeposit', { projectId: id, amount: '3600000000' }, { effectiveAt: '2022-03-20' }),
    raw('StartConstruction', { projectId: id }, { effectiveAt: '2022-06-01' }),
    raw(
      'CompleteMilestone',
      { projectId: id, milestoneId: 'KC01', completedOn: '2022-06-01' },
      { effectiveAt: '2022-06-01', actor: actors.investor },
    ),
    raw(
      'ContributeCapital',
      { projectId: id, amount: '20000000000' },
      { effectiveAt: '2022-07-01', actor: actors.investor },
    ),
    raw('CompleteConstruction', { projectId: id }, { effectiveAt: '2022-12-01' }),
    raw('StartOperation', { projectId: id }, { effectiveAt: '2023-01-15' }),
    raw(
      'ReportProgress',
      {
        projectId: id,
        period: '2023-Q1',
        physicalPercent: 100,
        delayCauses: [{ kind: 'objective', category: 'weather' }],
      },
      { effectiveAt: '2023-04-05', actor: actors.investor },
    ),
  ];

  it('each mutation answers with the next revision and the events it wrote', async () => {
    const results = [];
    for (const step of steps) results.push(await ok(step));
    expect(results.map((r) => r.stream)).toEqual(steps.map(() => `project-${id}`));
    // The certificate also plans its schedule's two milestones: three events at once.
    expect(results[3]!.events.map((e) => e.type)).toEqual([
      'InvestmentCertificateIssued',
      'MilestonePlanned',
      'MilestonePlanned',
    ]);
    expect(results.map((r) => r.revision)).toEqual([0, 1, 2, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(results.every((r) => !r.duplicate)).toBe(true);
    expect(results[4]!.events[0]).toMatchObject({
      type: 'DepositPaid',
      revision: 6,
      effectiveAt: '2022-03-20',
      data: { amount: '3600000000' },
    });
  });

  it('project(id) shows the project as its events left it, money exact and phases labelled', async () => {
    const r = await api.gql<{ project: Record<string, unknown> }>(PROJECT_QUERY, { id });
    expect(r.errors).toBeUndefined();
    expect(r.data?.project).toEqual({
      id,
      family: 'nonState',
      phase: 'operating',
      phaseLabel: { vi: 'Đang hoạt động', en: 'In operation' },
      phaseSince: '2023-01-15',
      name: 'Nhà máy chế biến nông sản Hoàng Long',
      province: '04',
      adminUnit: 'Thành phố Cao Bằng',
      agencyId: 'so-tai-chinh-cb',
      sector: 'agroProcessing',
      group: null,
      owner: investor,
      registeredOn: '2022-01-10',
      proposedCapital: '120000000000',
      approvedCapital: '120000000000',
      registeredCapital: '120000000000',
      capitalContributed: '20000000000',
      totalInvestment: null,
      fundingAssigned: null,
      certificate: {
        number: '4538217546',
        issuedOn: '2022-03-10',
        registeredCapital: '120000000000',
        adjustments: 0,
        revokedOn: null,
      },
      milestones: [
        {
          id: 'KC01',
          kind: 'constructionStart',
          name: 'Khởi công',
          plannedDue: '2022-06-30',
          currentDue: '2022-06-30',
          completedOn: '2022-06-01',
          reschedules: [],
        },
        {
          id: 'VH01',
          kind: 'operation',
          name: 'Đi vào hoạt động',
          plannedDue: '2023-03-31',
          currentDue: '2023-03-31',
          completedOn: null,
          reschedules: [],
        },
      ],
      suspended: false,
      suspension: null,
      lastProgress: {
        period: '2023-Q1',
        physicalPercent: 100,
        reportedOn: '2023-04-05',
        delayCauses: [{ kind: 'objective', category: 'weather' }],
      },
      revision: 12,
    });
  });
});

describe('a public project, its funding, the capital plan and a suspension', () => {
  const id = 'DT.204';

  it('runs through policy decision, receives capital and is suspended', async () => {
    await ok(registerPublic(id));
    await ok(
      raw(
        'SubmitPolicyProposal',
        { projectId: id, totalInvestment: '80000000000', group: 'B' },
        { effectiveAt: '2021-06-01' },
      ),
    );
    await ok(
      raw('CompleteAppraisal', { projectId: id, conclusion: 'Đủ điều kiện' }, { effectiveAt: '2021-07-01' }),
    );
    await ok(
      raw(
        'DecideInvestmentPolicy',
        { projectId: id, totalInvestment: '80000000000', group: 'B' },
        { effectiveAt: '2021-08-01', regime: 'LPI2019' },
      ),
    );
    await ok(
      raw(
        'AssignFundingSource',
        { projectId: id, source: 'provincial', amount: '30000000000' },
        { effectiveAt: '2021-09-01' },
      ),
    );
    const plan = await ok(
      raw(
        'AssignAnnualCapitalPlan',
        { province: '04', year: 2022, total: '500000000000' },
        { effectiveAt: '2022-01-05', actor: actors.finance },
      ),
    );
    expect(plan.stream).toBe('capitalplan-04_2022');
    const allocated = await ok(
      raw(
        'AllocateCapital',
        { province: '04', year: 2022, projectId: id, amount: '12000000000' },
        { effectiveAt: '2022-01-20', actor: actors.finance },
      ),
    );
    expect(allocated).toMatchObject({ stream: 'capitalplan-04_2022', revision: 1 });
    await ok(
      raw(
        'SuspendProject',
        { projectId: id, ground: 'Luật Đầu tư công 2019 Điều 43', reason: 'Chưa bố trí đủ vốn' },
        { effectiveAt: '2022-02-01' },
      ),
    );

    const r = await api.gql<{ project: Record<string, unknown> }>(PROJECT_QUERY, { id });
    expect(r.data?.project).toMatchObject({
      family: 'public',
      phase: 'policyDecided',
      phaseLabel: { vi: 'Đã quyết định chủ trương đầu tư', en: 'Investment policy decided' },
      group: 'B',
      totalInvestment: '80000000000',
      fundingAssigned: '30000000000',
      registeredCapital: null,
      suspended: true,
      suspension: {
        since: '2022-02-01',
        ground: 'Luật Đầu tư công 2019 Điều 43',
        reason: 'Chưa bố trí đủ vốn',
      },
      revision: 5,
    });
  });

  it('project(id) is null for a project nobody registered', async () => {
    const r = await api.gql(PROJECT_QUERY, { id: 'NO.SUCH' });
    expect(r).toMatchObject({ status: 200, data: { project: null } });
    expect(r.errors).toBeUndefined();
  });
});
