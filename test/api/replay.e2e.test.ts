// Decision replay through the real app and the real `tiendo replay`: each decision with before →
// after, who and under which document, and the rule checks of its regime — the same kind of capital
// change fails Law 61/2020 Art. 41(3)(c) in 2022, is overridden with a reason by the registration
// authority (the only role the matrix lets override), and is no rule under Law 143/2025 in 2026. A correction and the event it corrects are both kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tiendo } from '../cli/cli.js';
import { cmd } from '../projections/harness.js';
import { nonStateTo } from '../projections/lifecycles.js';
import { actors } from '../support/fixtures.js';
import { type Api, startApi } from './api.js';

let api: Api;
const ID = 'RP.01';
const TY = '000000000';
const CHECK = 'CAPITAL_CHANGE_NEEDS_POLICY_ADJUSTMENT';
const doc = (date: string) => ({ number: '88/QĐ-UBND', date, issuer: 'UBND tỉnh Cao Bằng' });
const adjust = (on: string, to: string, o: Record<string, unknown> = {}) => ({
  ...cmd('AdjustInvestmentCertificate', ID, on, {
    changes: [{ field: 'registeredCapital', to }],
    trigger: 'Nhà đầu tư đề nghị tăng vốn',
  }),
  document: doc(on),
  ...o,
});

beforeAll(async () => {
  api = await startApi();
  for (const c of [
    ...nonStateTo(ID, 'certified'), // policy 120 tỷ, certificate 100 tỷ (2022-04-15), revisions 0..3
    adjust('2022-06-01', `150${TY}`), // 4: 25 % over the policy's 120 tỷ
    adjust('2022-07-01', `200${TY}`, { override: { checks: [CHECK], reason: 'Theo Quyết định 88/QĐ-UBND' } }), // 5
    cmd('ReportProgress', ID, '2022-07-05', { period: '2022-Q2', physicalPercent: 45, delayCauses: [] }), // 6
    cmd('CorrectEvent', ID, '2022-07-20', {
      correctedRevision: 6,
      reason: 'Nhập sai',
      changes: [{ field: 'physicalPercent', to: '40' }],
    }), // 7
    adjust('2026-04-01', `300${TY}`), // 8: under Law 143/2025
  ]) {
    const r = await api.send(c);
    expect(r.errors, JSON.stringify(c)).toBeUndefined();
  }
});
afterAll(async () => {
  await api?.close();
});

const REPLAY = `query ($id: ID!, $from: Date, $to: Date) {
  replay(projectId: $id, from: $from, to: $to) {
    revision type effectiveAt regime actor { userId role } document { number }
    changes { field before after } before after
    checks { id outcome regime article detail override { by { userId } reason } }
    corrects { revision type reason } correctedBy
  }
}`;

type Step = Record<string, unknown> & {
  revision: number;
  checks: { id: string; outcome: string; regime: string; override: unknown }[];
};
const replay = async (variables: Record<string, unknown> = {}) => {
  const r = await api.gql<{ replay: Step[] }>(REPLAY, { id: ID, ...variables }, actors.supervisor);
  expect(r.errors).toBeUndefined();
  return r.data!.replay;
};
const capital = (s: Step | undefined) => s?.checks.find((c) => c.id === CHECK);

describe('replay(projectId, from, to)', () => {
  it('steps through every decision with before → after, who and the document', async () => {
    const steps = await replay();
    expect(steps.map((s) => s.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(steps[4]).toMatchObject({
      type: 'InvestmentCertificateAdjusted',
      effectiveAt: '2022-06-01',
      regime: 'LI2020',
      actor: { userId: actors.registrar.userId },
      document: { number: '88/QĐ-UBND' },
      before: { certificate: { registeredCapital: `100${TY}` } },
      after: { certificate: { registeredCapital: `150${TY}` } },
    });
    expect(steps[4]!.changes).toContainEqual({
      field: 'certificate.registeredCapital',
      before: `100${TY}`,
      after: `150${TY}`,
    });
  });

  it('judges the 2022 capital change under Law 61/2020: failed without a policy adjustment', async () => {
    const steps = await replay();
    expect(capital(steps[4])).toMatchObject({ outcome: 'failed', regime: 'LI2020', override: null });
    expect(steps[4]!.checks.filter((c) => c.id !== CHECK).every((c) => c.outcome === 'passed')).toBe(true);
  });

  it('shows the overridden check, by whom and why', async () => {
    expect(capital((await replay())[5])).toMatchObject({
      outcome: 'overridden',
      override: { by: { userId: actors.registrar.userId }, reason: 'Theo Quyết định 88/QĐ-UBND' },
    });
  });

  it('under Law 143/2025 the rule no longer exists: no such check in 2026', async () => {
    const s = (await replay())[8]!;
    expect(s.regime).toBe('LI2025');
    expect(capital(s)).toBeUndefined();
  });

  it('keeps the corrected event and the correction, linked both ways', async () => {
    const steps = await replay();
    expect(steps[6]).toMatchObject({ type: 'ProgressReported', correctedBy: [7] });
    expect(steps[7]).toMatchObject({
      corrects: { revision: 6, type: 'ProgressReported', reason: 'Nhập sai' },
      changes: [{ field: 'lastProgress.physicalPercent', before: 45, after: 40 }],
    });
  });

  it('keeps to the business dates asked', async () => {
    expect((await replay({ from: '2022-06-01', to: '2022-07-05' })).map((s) => s.revision)).toEqual([
      4, 5, 6,
    ]);
  });

  it('is empty for an unknown project', async () => {
    const r = await api.gql<{ replay: Step[] }>(REPLAY, { id: 'NO.SUCH' }, actors.supervisor);
    expect(r.data?.replay).toEqual([]);
  });

  it('is for supervisors: a reviewer is refused, and the attempt is recorded', async () => {
    const r = await api.gql(REPLAY, { id: ID }, actors.reviewer);
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'OPERATION_NOT_ALLOWED_FOR_ROLE',
    });
    const { rows } = await api.db.pool.query(
      `SELECT role, operation, target, reason FROM access_denials WHERE user_id = $1`,
      [actors.reviewer.userId],
    );
    expect(rows).toEqual([
      { role: 'reviewer', operation: 'query replay', target: ID, reason: 'OPERATION_NOT_ALLOWED_FOR_ROLE' },
    ]);
  });
});

describe('an override', () => {
  const revision = async () =>
    (await api.gql<{ project: { revision: number } }>(`{ project(id: "${ID}") { revision } }`)).data!.project
      .revision;

  it('must cite a document, and nothing is written without one', async () => {
    const before = await revision();
    const r = await api.send({
      ...adjust('2026-05-01', `310${TY}`, { override: { checks: [CHECK], reason: 'x' } }),
      document: undefined,
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION',
      reason: 'OVERRIDE_NEEDS_DOCUMENT',
    });
    expect(await revision()).toBe(before);
  });

  it("is the registration authority's alone: an investor overriding on its own project is FORBIDDEN, writes nothing, and is recorded", async () => {
    const before = await revision();
    const denials = async () =>
      (
        await api.db.pool.query(
          `SELECT role, via, operation, command_type, target, reason FROM access_denials WHERE user_id = $1`,
          [actors.investor.userId],
        )
      ).rows;
    expect(await denials()).toEqual([]);
    const report = (o: Record<string, unknown>) => ({
      ...cmd('ReportProgress', ID, '2026-05-02', { period: '2026-Q1', physicalPercent: 60, delayCauses: [] }),
      actor: actors.investor,
      document: doc('2026-05-02'),
      ...o,
    });
    const r = await api.send(report({ override: { checks: [CHECK], reason: 'Chúng tôi tự quyết' } }));
    expect(r.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'OVERRIDE_NOT_ALLOWED_FOR_ROLE',
    });
    expect(await revision()).toBe(before);
    expect(await denials()).toEqual([
      {
        role: 'investor',
        via: 'jwt',
        operation: 'mutation reportProgress',
        command_type: 'ReportProgress',
        target: ID,
        reason: 'OVERRIDE_NOT_ALLOWED_FOR_ROLE',
      },
    ]);
    // The same report without the override is the investor's to send.
    const plain = await api.send(report({}));
    expect(plain.errors).toBeUndefined();
    expect(await revision()).toBe(before + 1);
  });

  it('may only name checks that can be overridden', async () => {
    const r = await api.send(
      adjust('2026-05-01', `310${TY}`, { override: { checks: ['PHASE'], reason: 'x' } }),
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', reason: 'CHECK_NOT_OVERRIDABLE' });
  });
});

describe('tiendo replay', () => {
  it('prints the timeline in English with the checks and the override', async () => {
    const r = await tiendo(['replay', ID, '--lang', 'en', '--from', '2022-06-01', '--to', '2022-07-20'], {
      databaseUrl: api.db.url,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Project ${ID} — 4 events, in the order recorded`);
    expect(r.stdout).toContain('#4  2022-06-01  InvestmentCertificateAdjusted');
    expect(r.stdout).toContain('✗ A change of investment capital of 20% or more');
    expect(r.stdout).toContain(`knowingly overridden by ${actors.registrar.userId}`);
    expect(r.stdout).toContain('corrects event #6 (ProgressReported): Nhập sai');
  });

  it('prints it in Vietnamese by default, and NOT_FOUND for an unknown project', async () => {
    const vi = await tiendo(['replay', ID, '--to', '2022-01-31'], { databaseUrl: api.db.url });
    expect(vi.stdout).toContain(`Dự án ${ID} — 1 sự kiện`);
    expect(vi.stdout).toContain('người quyết định');
    const missing = await tiendo(['replay', 'NO.SUCH'], { databaseUrl: api.db.url });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('NOT_FOUND');
  });
});
