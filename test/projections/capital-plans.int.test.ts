// The capital plans read model from a given sequence of capital plan events (through the commands that
// record them): the plan's total, sums and deadline, each project's allocation and disbursement after
// a reallocation, and one audit row per event with who, when, which document and regime, which
// command, the projects it touched and the field-level changes. Applying again changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actors, raw } from '../support/fixtures.js';
import { cmd, type Harness, harness, rowText } from './harness.js';
import { publicPolicyDecided } from './lifecycles.js';

const TY = '000000000';
const plan = { province: '04', year: 2022 };
const finance = { actor: actors.finance };
const DOC = { number: '4596/QĐ-UBND', date: '2022-01-05', issuer: 'UBND tỉnh Cao Bằng' };

let h: Harness;
beforeAll(async () => {
  h = await harness();
  const funded = (id: string) => [
    ...publicPolicyDecided(id),
    cmd('AssignFundingSource', id, '2021-09-01', { source: 'provincial', amount: `50${TY}` }),
  ];
  await h.send(
    ...funded('CP1'),
    ...funded('CP2'),
    raw(
      'AssignAnnualCapitalPlan',
      { ...plan, total: `100${TY}` },
      { ...finance, effectiveAt: '2022-01-05', document: DOC },
    ),
    raw(
      'AllocateCapital',
      { ...plan, projectId: 'CP1', amount: `40${TY}` },
      { ...finance, effectiveAt: '2022-01-10' },
    ),
    raw(
      'AllocateCapital',
      { ...plan, projectId: 'CP2', amount: `20${TY}` },
      { ...finance, effectiveAt: '2022-01-10' },
    ),
    raw(
      'ReallocateCapital',
      { ...plan, fromProjectId: 'CP1', toProjectId: 'CP2', amount: `10${TY}`, reason: 'Giải ngân chậm' },
      { ...finance, effectiveAt: '2022-06-30' },
    ),
    raw(
      'DisburseCapital',
      { ...plan, projectId: 'CP2', amount: `15${TY}`, source: 'provincial', disbursedOn: '2022-08-01' },
      { ...finance, effectiveAt: '2022-08-01' },
    ),
    raw(
      'AdjustAnnualCapitalPlan',
      { ...plan, total: `120${TY}`, reason: 'Bổ sung vốn' },
      { ...finance, effectiveAt: '2022-09-01' },
    ),
    raw(
      'ExtendDisbursementPeriod',
      { ...plan, to: '2023-06-30', reason: 'Chưa giải ngân hết' },
      { ...finance, effectiveAt: '2022-12-20' },
    ),
  );
  await h.runner().runOnce();
});
afterAll(() => h?.close());

describe('capital_plans', () => {
  it("holds the plan's total, sums, deadline and revision after all its events", async () => {
    expect(await rowText(h, 'capital_plans', 'province = $1 AND year = $2', ['04', 2022])).toMatchObject({
      plan_stream: 'capitalplan-04_2022',
      total: `120${TY}`,
      allocated: `60${TY}`,
      disbursed: `15${TY}`,
      disbursement_deadline: '2023-06-30',
      revision: '6',
    });
  });

  it('holds each project’s allocation after the reallocation, and its disbursement', async () => {
    expect(await h.dump('capital_plan_allocations', 'project_id')).toEqual([
      `(capitalplan-04_2022,CP1,30${TY},0)`,
      `(capitalplan-04_2022,CP2,30${TY},15${TY})`,
    ]);
  });
});

describe('capital_plan_audit', () => {
  it('has one row per event, in revision order, with the projects each touched', async () => {
    const { rows } = await h.db.pool.query(
      'SELECT revision, type, project_ids, command_type FROM capital_plan_audit ORDER BY revision',
    );
    expect(rows).toEqual([
      {
        revision: 0,
        type: 'AnnualCapitalPlanAssigned',
        project_ids: [],
        command_type: 'AssignAnnualCapitalPlan',
      },
      { revision: 1, type: 'CapitalAllocated', project_ids: ['CP1'], command_type: 'AllocateCapital' },
      { revision: 2, type: 'CapitalAllocated', project_ids: ['CP2'], command_type: 'AllocateCapital' },
      {
        revision: 3,
        type: 'CapitalReallocated',
        project_ids: ['CP1', 'CP2'],
        command_type: 'ReallocateCapital',
      },
      { revision: 4, type: 'CapitalDisbursed', project_ids: ['CP2'], command_type: 'DisburseCapital' },
      {
        revision: 5,
        type: 'AnnualCapitalPlanAdjusted',
        project_ids: [],
        command_type: 'AdjustAnnualCapitalPlan',
      },
      {
        revision: 6,
        type: 'DisbursementPeriodExtended',
        project_ids: [],
        command_type: 'ExtendDisbursementPeriod',
      },
    ]);
  });

  it('says who decided, when, under which document and regime', async () => {
    expect(await rowText(h, 'capital_plan_audit', 'revision = 0', [])).toMatchObject({
      province: '04',
      year: '2022',
      actor_user_id: actors.finance.userId,
      actor_agency_id: actors.finance.agencyId,
      actor_role: actors.finance.role,
      effective_at: '2022-01-05',
      document_number: '4596/QĐ-UBND',
      document_date: '2022-01-05',
      document_issuer: 'UBND tỉnh Cao Bằng',
      regime: 'LPI2019',
      source: 'cli',
    });
  });

  it('records the field-level changes each event made to the plan', async () => {
    const changes = async (revision: number) =>
      (
        await h.db.pool.query<{ changes: unknown }>(
          'SELECT changes FROM capital_plan_audit WHERE revision = $1',
          [revision],
        )
      ).rows[0]?.changes;
    expect(await changes(3)).toEqual([
      { field: 'allocations.CP1.allocated', before: `40${TY}`, after: `30${TY}` },
      { field: 'allocations.CP2.allocated', before: `20${TY}`, after: `30${TY}` },
    ]);
    expect(await changes(5)).toEqual([{ field: 'total', before: `100${TY}`, after: `120${TY}` }]);
    expect(await changes(6)).toEqual([
      { field: 'disbursementDeadline', before: '2023-01-31', after: '2023-06-30' },
    ]);
  });

  it('changes nothing when the same events are applied again (a rebuild gives the same tables)', async () => {
    const tables = [
      ['capital_plans', 'plan_stream'],
      ['capital_plan_allocations', 'plan_stream, project_id'],
      ['capital_plan_audit', 'plan_stream, revision'],
    ] as const;
    const dump = () => Promise.all(tables.map(([t, order]) => h.dump(t, order)));
    const before = await dump();
    await h.runner().rebuild('capital_plans');
    expect(await dump()).toEqual(before);
  });
});
