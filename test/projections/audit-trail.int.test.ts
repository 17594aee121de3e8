// Specification of the audit_trail read model: one entry per project event saying who acted (user,
// agency, role), when (recorded and effective), under which document and legal regime, by which
// command, and which fields of the project's state it changed, from what to what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../src/demo/generate.js';
import { auditTrailProjection } from '../../src/projections/audit-trail.js';
import { actors } from '../support/fixtures.js';
import { cmd, type Harness, harness, rowText } from './harness.js';
import { later, nonStateTo, SUSPEND } from './lifecycles.js';

const doc = { number: '4596/QĐ-UBND', date: '2022-04-15', issuer: 'UBND tỉnh Cao Bằng' };

describe('audit_trail', () => {
  let h: Harness;
  const changes = async (revision: number) => {
    const row = await rowText(h, 'audit_trail', 'project_id = $1 AND revision = $2', ['ns.1', revision]);
    return JSON.parse(row?.changes ?? 'null');
  };
  beforeAll(async () => {
    h = await harness();
    await h.send(
      ...nonStateTo('ns.1', 'certified'),
      cmd('ContributeCapital', 'ns.1', '2022-05-20', { amount: '20000000000' }, { actor: actors.investor }),
      later('ns.1', 'SuspendProject', SUSPEND),
      cmd(
        'AdjustInvestmentCertificate',
        'ns.1',
        '2022-11-20',
        { changes: [{ field: 'registeredCapital', to: '150000000000' }], trigger: 'Tăng vốn' },
        { document: doc },
      ),
    );
    await h.runner().runOnce();
  });
  afterAll(() => h.close());

  it('has one entry per event, in revision order', async () => {
    const { rows } = await h.db.pool.query('SELECT revision, type FROM audit_trail ORDER BY revision');
    expect(rows.map((r) => r.type)).toEqual([
      'ProjectRegistered',
      'InvestmentPolicyApproved',
      'InvestorApproved',
      'InvestmentCertificateIssued',
      'CapitalContributed',
      'ProjectSuspended',
      'InvestmentCertificateAdjusted',
    ]);
  });

  it('says who acted, when, under which document and regime, by which command', async () => {
    const row = await rowText(h, 'audit_trail', 'project_id = $1 AND revision = $2', ['ns.1', 6]);
    expect(row).toMatchObject({
      type: 'InvestmentCertificateAdjusted',
      actor_user_id: actors.registrar.userId,
      actor_agency_id: actors.registrar.agencyId,
      actor_role: 'registrationAuthority',
      effective_at: '2022-11-20',
      document_number: '4596/QĐ-UBND',
      document_date: '2022-04-15',
      document_issuer: 'UBND tỉnh Cao Bằng',
      regime: 'LI2020',
      transitional: 'false',
      command_type: 'AdjustInvestmentCertificate',
      source: 'cli',
    });
    expect(new Date(row?.recorded_at ?? '').toISOString()).toBe('2026-11-21T08:00:00.000Z');
    expect((await rowText(h, 'audit_trail', 'revision = $1', [4]))?.actor_role).toBe('investor');
  });

  it('records the fields an event changed, before and after, money as whole đồng', async () => {
    expect(await changes(4)).toEqual([{ field: 'capitalContributed', before: '0', after: '20000000000' }]);
    expect(await changes(6)).toEqual([
      { field: 'certificate.adjustments', before: 0, after: 1 },
      { field: 'certificate.registeredCapital', before: '100000000000', after: '150000000000' },
    ]);
  });

  it('shows a new sub-record field by field, each from null', async () => {
    expect(await changes(5)).toEqual([
      { field: 'suspension.ground', before: null, after: SUSPEND.ground },
      { field: 'suspension.reason', before: null, after: SUSPEND.reason },
      { field: 'suspension.since', before: null, after: '2022-11-15' },
    ]);
  });

  it('shows a phase change with the date it took effect', async () => {
    expect(await changes(3)).toEqual(
      expect.arrayContaining([
        { field: 'phase', before: 'investorApproved', after: 'certified' },
        { field: 'phaseSince', before: '2022-03-15', after: '2022-04-15' },
        { field: 'certificate.number', before: null, after: '4538217546' },
      ]),
    );
  });

  it('starts a project from nothing: registration sets each field from null', async () => {
    expect(await changes(0)).toEqual(
      expect.arrayContaining([
        { field: 'phase', before: null, after: 'registered' },
        { field: 'name', before: null, after: 'Nhà máy chế biến nông sản Hoàng Long' },
      ]),
    );
  });
});

describe('audit_trail rebuilt', () => {
  it('has the same entries and states stream by stream as from the log in order, and as caught up', async () => {
    const h = await harness();
    try {
      await h.send(...generateDemo({ nonState: 10, public: 6, seed: 5 }));
      const projections = [auditTrailProjection];
      await h.runner({ projections, batchSize: 50 }).runOnce();
      const dump = () =>
        Promise.all([h.dump('audit_trail', 'event_id'), h.dump('audit_project_state', 'project_id')]);
      const caughtUp = await dump();
      expect(caughtUp[0]?.length).toBeGreaterThan(100);
      const inOrder = await h.runner({ projections, rebuildByStream: false }).rebuild('audit_trail');
      expect(inOrder.byStream).toBeUndefined();
      expect(await dump()).toEqual(caughtUp);
      const byStream = await h.runner({ projections }).rebuild('audit_trail');
      expect(byStream.byStream).toBe(true);
      expect(await dump()).toEqual(caughtUp);
    } finally {
      await h.close();
    }
  });
});
