// Specification of the project_status read model: after the projections catch up, each project's row
// shows what its events say — phase and since when, flags, certificate, capital, funding, progress and
// milestones — with money exact in whole đồng.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { category, PROJECT } from '../../src/domain/streams.js';
import { Memo } from '../../src/projections/memo.js';
import { projectStatusProjection } from '../../src/projections/project-status.js';
import { toProjected } from '../../src/projections/projection.js';
import { actors, raw, registerNonState, registerPublic } from '../support/fixtures.js';
import { cmd, type Harness, harness, rowText } from './harness.js';
import { nonStateTo } from './lifecycles.js';

const TY = '000000000';
const doc = { number: '1234/QĐ-UBND', date: '2022-03-10', issuer: 'UBND tỉnh Cao Bằng' };
const finance = { actor: actors.finance };

describe('project_status', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    await h.send(
      registerNonState('ns.1'),
      cmd('ApproveInvestmentPolicy', 'ns.1', '2022-02-15', {
        approvedCapital: `120${TY}`,
        durationYears: 50,
      }),
      cmd('ApproveInvestor', 'ns.1', '2022-03-01', {
        investor: { name: 'Công ty CP Hoàng Long', id: 'inv-hoang-long', taxCode: '4800123456' },
      }),
      cmd(
        'IssueInvestmentCertificate',
        'ns.1',
        '2022-03-10',
        { certificateNumber: '4538217546', registeredCapital: `125${TY}` },
        { document: doc },
      ),
      cmd('ContributeCapital', 'ns.1', '2022-04-01', { amount: `20${TY}` }),
      cmd('PlanMilestone', 'ns.1', '2022-04-01', {
        milestoneId: 'KC01',
        kind: 'constructionStart',
        name: 'Khởi công',
        dueDate: '2022-06-30',
      }),
      cmd('RescheduleMilestone', 'ns.1', '2022-05-01', {
        milestoneId: 'KC01',
        to: '2022-09-30',
        reason: 'Chậm bàn giao mặt bằng',
        causeKind: 'objective',
      }),
      cmd('StartConstruction', 'ns.1', '2022-09-15'),
      cmd('CompleteMilestone', 'ns.1', '2022-09-15', { milestoneId: 'KC01' }),
      cmd('ReportProgress', 'ns.1', '2022-10-05', {
        period: '2022-Q3',
        physicalPercent: 12.5,
        delayCauses: [],
      }),
      cmd('SuspendProject', 'ns.1', '2023-02-01', {
        ground: 'Luật Đầu tư 2020 Điều 47 khoản 2',
        reason: 'Vi phạm quy định về môi trường',
      }),
      registerPublic('pub.1'),
      cmd('SubmitPolicyProposal', 'pub.1', '2021-06-01', { totalInvestment: `80${TY}`, group: 'B' }),
      cmd('CompleteAppraisal', 'pub.1', '2021-07-01', { conclusion: 'Đủ điều kiện' }),
      cmd('DecideInvestmentPolicy', 'pub.1', '2021-08-01', { totalInvestment: `82${TY}`, group: 'B' }),
      cmd('AssignFundingSource', 'pub.1', '2021-09-01', { source: 'provincial', amount: `30${TY}` }),
      raw(
        'AssignAnnualCapitalPlan',
        { province: '04', year: 2022, total: `100${TY}` },
        {
          ...finance,
          effectiveAt: '2022-01-05',
        },
      ),
      raw(
        'AllocateCapital',
        { province: '04', year: 2022, projectId: 'pub.1', amount: `40${TY}` },
        {
          ...finance,
          effectiveAt: '2022-01-10',
        },
      ),
      raw(
        'DisburseCapital',
        { province: '04', year: 2022, projectId: 'pub.1', amount: `10${TY}`, source: 'provincial' },
        { ...finance, effectiveAt: '2022-03-01' },
      ),
    );
    await h.runner().runOnce();
  });
  afterAll(() => h.close());

  it('shows a non-state project certified, built and then suspended, with its capital and milestones', async () => {
    const row = await rowText(h, 'project_status', 'project_id = $1', ['ns.1']);
    expect(row).toMatchObject({
      family: 'nonState',
      name: 'Nhà máy chế biến nông sản Hoàng Long',
      province: '04',
      admin_unit: 'Thành phố Cao Bằng',
      agency_id: 'so-tai-chinh-cb',
      sector: 'agroProcessing',
      owner_name: 'Công ty CP Hoàng Long',
      owner_id: 'inv-hoang-long',
      owner_tax_code: '4800123456',
      phase: 'underConstruction',
      phase_since: '2022-09-15',
      suspended: 'true',
      suspended_since: '2023-02-01',
      certificate_number: '4538217546',
      certificate_issued_on: '2022-03-10',
      certificate_revoked_on: null,
      proposed_capital: `120${TY}`,
      approved_capital: `120${TY}`,
      registered_capital: `125${TY}`,
      capital_contributed: `20${TY}`,
      capital_allocated: '0',
      progress_period: '2022-Q3',
      progress_percent: '12.50',
      progress_reported_on: '2022-10-05',
      registered_on: '2022-01-10',
      revision: '10',
    });
    expect(JSON.parse(row?.milestones ?? '')).toEqual([
      {
        id: 'KC01',
        kind: 'constructionStart',
        name: 'Khởi công',
        plannedDue: '2022-06-30',
        currentDue: '2022-09-30',
        reschedules: 1,
        completedOn: '2022-09-15',
      },
    ]);
  });

  it('shows a public project with its group, total investment, funding and capital from the annual plan', async () => {
    const row = await rowText(h, 'project_status', 'project_id = $1', ['pub.1']);
    expect(row).toMatchObject({
      family: 'public',
      project_group: 'B',
      phase: 'policyDecided',
      phase_since: '2021-08-01',
      suspended: 'false',
      total_investment: `82${TY}`,
      funding_assigned: 'true',
      funding_amount: `30${TY}`,
      capital_allocated: `40${TY}`,
      capital_disbursed: `10${TY}`,
      certificate_number: null,
      revision: '4',
    });
  });

  it('applies nothing twice: catching up again changes no row', async () => {
    const before = await h.dump('project_status', 'project_id');
    const runner = h.runner();
    const [report] = await runner.runOnce();
    expect(report).toMatchObject({ name: 'project_status', read: 0, applied: 0 });
    expect(await runner.parked()).toEqual([]);
    expect(await h.dump('project_status', 'project_id')).toEqual(before);
  });

  it('gives a row a rebuild wrote and still holds the capital of plan events recorded at the same time', async () => {
    // A rebuild's memo whose flush (it was full) wrote the rows and kept them; then the plan's events,
    // recorded at the same instant as the project's (the harness's clock does not move).
    const events = (await h.store.readAll({ maxCount: 1000 })).map(toProjected);
    const projectEvents = events.filter((e) => category(e.stream) === PROJECT);
    const planEvents = events.filter((e) => category(e.stream) !== PROJECT);
    expect(new Set(events.map((e) => e.meta.recordedAt)).size).toBe(1);
    const tx = await h.db.pool.connect();
    try {
      await tx.query('BEGIN');
      await tx.query('DELETE FROM project_status');
      await tx.query('DELETE FROM project_capital');
      const memo = new Memo(100, true, true);
      await projectStatusProjection.applyBatch!(tx, projectEvents, memo);
      await memo.flush(tx);
      memo.commit(1n);
      await projectStatusProjection.applyBatch!(tx, planEvents, memo);
      await memo.flush(tx);
      const { rows } = await tx.query(
        `SELECT capital_allocated::text AS allocated, capital_disbursed::text AS disbursed
         FROM project_status WHERE project_id = 'pub.1'`,
      );
      expect(rows).toEqual([{ allocated: `40${TY}`, disbursed: `10${TY}` }]);
    } finally {
      await tx.query('ROLLBACK');
      tx.release();
    }
  });

  it('keeps folded states as text, out of project_status’s rows, so the rows portfolio queries scan stay small', async () => {
    const { rows } = await h.db.pool.query(
      `SELECT attrelid::regclass::text AS t, format_type(atttypid, atttypmod) AS type, attstorage
       FROM pg_attribute WHERE attname = 'state'
         AND attrelid IN ('project_status'::regclass, 'audit_project_state'::regclass, 'alert_project_state'::regclass)
       ORDER BY 1`,
    );
    expect(rows).toEqual([
      { t: 'alert_project_state', type: 'text', attstorage: 'x' }, // EXTENDED: compressed
      { t: 'audit_project_state', type: 'text', attstorage: 'x' },
      { t: 'project_status', type: 'text', attstorage: 'e' }, // EXTERNAL: out of line, not compressed
    ]);
    // Even a state under 2 kB goes to the TOAST table (toast_tuple_target), leaving the row narrow.
    await h.send(...nonStateTo('ns.toasted', 'certified'));
    await h.runner().runOnce();
    const { rows: sizes } = await h.db.pool.query(
      `SELECT octet_length(state) AS state,
              (SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE oid = 'project_status'::regclass) AS toast
       FROM project_status WHERE project_id = 'ns.toasted'`,
    );
    expect(sizes[0].state).toBeGreaterThan(500);
    expect(sizes[0].state).toBeLessThan(2000);
    expect(Number(sizes[0].toast)).toBeGreaterThan(0);
  });
});
