// Specification of decision replay: each event with the state before and after, the field-level
// difference, who decided under which regime, and the rule checks of that regime — the same capital
// change fails Law 61/2020 Art. 41(3)(c) in 2022, is overridden with a reason, and is not a rule at
// all under Law 143/2025; a correction names the event it restates and that event lists it.
import { describe, expect, it } from 'vitest';
import { encodeData } from '../../src/domain/catalog.js';
import type { ProjectEvent } from '../../src/domain/project/events.js';
import type { RegimeId } from '../../src/domain/regimes.js';
import { replay } from '../../src/projections/replay.js';
import type { JsonObject, RecordedEvent } from '../../src/store/port.js';
import { nonStateUpTo } from '../domain/fixtures.js';
import { type Dated, on } from '../support/decider.js';

const ACTOR = { userId: 'u-dkdt-01', agencyId: 'so-tai-chinh-cb', role: 'registrationAuthority' };
const CHIEF = { userId: 'u-ubnd-01', agencyId: 'ubnd-cb', role: 'administrator' };

interface Extra {
  regime?: RegimeId;
  actor?: typeof ACTOR;
  override?: { checks: string[]; reason: string };
}

function recorded(events: readonly (Dated<ProjectEvent> & { extra?: Extra })[]): RecordedEvent[] {
  return events.map((e, revision) => ({
    id: `E${revision}`,
    stream: 'project-RP',
    revision,
    position: { tx: 1n, pos: BigInt(revision) },
    type: e.type,
    schemaVersion: 1,
    hash: '',
    data: encodeData(e.data) as JsonObject,
    metadata: encodeData({
      actor: e.extra?.actor ?? ACTOR,
      commandId: `C${revision}`,
      commandType: 'X',
      correlationId: `C${revision}`,
      causationId: `C${revision}`,
      recordedAt: `${e.effectiveAt}T03:00:00.000Z`,
      effectiveAt: e.effectiveAt,
      legalBasis: {
        regime: e.extra?.regime ?? 'LI2020',
        document: { number: `${revision}/QĐ-UBND`, date: e.effectiveAt, issuer: 'UBND tỉnh Cao Bằng' },
      },
      source: 'api',
      ...(e.extra?.override && { override: e.extra.override }),
    }) as JsonObject,
  }));
}

const adjust = (date: string, from: string, to: string, extra: Extra = {}) => ({
  ...on(date, 'InvestmentCertificateAdjusted', {
    changes: [{ field: 'registeredCapital', from, to }],
    trigger: 'Nhà đầu tư đề nghị',
  }),
  extra,
});

const history = [
  ...nonStateUpTo('certified'), // policy approved at 120 tỷ, certificate 120 tỷ, revisions 0..3
  adjust('2022-05-10', '120000000000', '150000000000'), // 4: +25 %, no policy adjustment
  adjust('2022-06-10', '150000000000', '190000000000', {
    actor: CHIEF,
    override: { checks: ['CAPITAL_CHANGE_NEEDS_POLICY_ADJUSTMENT'], reason: 'Theo Quyết định của UBND tỉnh' },
  }), // 5
  on('2022-07-01', 'ProgressReported', { period: '2022-Q2', physicalPercent: 45, delayCauses: [] }), // 6
  on('2022-07-20', 'EventCorrected', {
    correctedRevision: 6,
    correctedType: 'ProgressReported',
    reason: 'Nhập sai',
    changes: [{ field: 'physicalPercent', from: '45', to: '40' }],
  }), // 7
  adjust('2026-04-01', '190000000000', '260000000000', { regime: 'LI2025' }), // 8
];
const steps = replay(recorded(history));
const capitalCheck = (rev: number) =>
  steps[rev]!.checks.find((c) => c.id === 'CAPITAL_CHANGE_NEEDS_POLICY_ADJUSTMENT');

describe('replay', () => {
  it('steps through every event with who, when, document and regime', () => {
    expect(steps.map((s) => s.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(steps[4]).toMatchObject({
      type: 'InvestmentCertificateAdjusted',
      meta: {
        actor: ACTOR,
        effectiveAt: '2022-05-10',
        legalBasis: { regime: 'LI2020', document: { number: '4/QĐ-UBND' } },
      },
    });
  });

  it('shows the state before and after and the fields that changed', () => {
    expect(steps[4]!.changes).toEqual([
      { field: 'certificate.adjustments', before: 0, after: 1 },
      { field: 'certificate.registeredCapital', before: '120000000000', after: '150000000000' },
    ]);
    expect(steps[4]!.before).toMatchObject({
      phase: 'certified',
      certificate: { registeredCapital: '120000000000' },
    });
    expect(steps[4]!.after).toMatchObject({ certificate: { registeredCapital: '150000000000' } });
    expect(steps[0]!.before).toBeNull();
  });

  it('judges a 25 % capital change without a policy adjustment as failing Law 61/2020 Art. 41(3)(c)', () => {
    expect(capitalCheck(4)).toMatchObject({
      outcome: 'failed',
      regime: 'LI2020',
      article: expect.stringContaining('Điều 41 khoản 3 điểm c'),
    });
  });

  it('shows a knowing departure as overridden, by whom and why', () => {
    expect(capitalCheck(5)).toMatchObject({
      outcome: 'overridden',
      override: { by: CHIEF, reason: 'Theo Quyết định của UBND tỉnh' },
    });
  });

  it('does not apply the rule under Law 143/2025, which dropped it', () => {
    expect(steps[8]!.meta.legalBasis.regime).toBe('LI2025');
    expect(capitalCheck(8)).toBeUndefined();
    expect(steps[8]!.checks.map((c) => c.outcome)).toEqual(['passed', 'passed', 'passed']);
  });

  it('passes a change under 20 % of the approved capital', () => {
    const small = replay(
      recorded([...nonStateUpTo('certified'), adjust('2022-05-10', '120000000000', '140000000000')]),
    );
    expect(small[4]!.checks.find((c) => c.id === 'CAPITAL_CHANGE_NEEDS_POLICY_ADJUSTMENT')?.outcome).toBe(
      'passed',
    );
  });

  it('links a correction and the event it restates, both kept', () => {
    expect(steps[7]).toMatchObject({
      corrects: { revision: 6, type: 'ProgressReported', reason: 'Nhập sai' },
      changes: [{ field: 'lastProgress.physicalPercent', before: 45, after: 40 }],
    });
    expect(steps[6]!.correctedBy).toEqual([7]);
    expect(steps[6]!.after).toMatchObject({ lastProgress: { physicalPercent: 45 } });
  });

  it('keeps to the business dates asked, with the states the decider saw', () => {
    const june = replay(recorded(history), { from: '2022-06-01' as never, to: '2022-06-30' as never });
    expect(june.map((s) => s.revision)).toEqual([5]);
    expect(june[0]!.before).toMatchObject({ certificate: { registeredCapital: '150000000000' } });
  });
});
