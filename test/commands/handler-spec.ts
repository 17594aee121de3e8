// The command path's specification, run against every event store adapter: what a command writes,
// how retries and repeats behave, who may act, and that a refused command writes nothing.
import { describe, expect, it } from 'vitest';
import { CommandHandler } from '../../src/commands/handler.js';
import type { TiendoError } from '../../src/domain/errors.js';
import type { EventStore } from '../../src/store/port.js';
import { actors, raw, registerNonState, registerPublic } from '../support/fixtures.js';

export interface StoreFixture {
  readonly store: EventStore;
  /** A second store on the same data, as another process would have. */
  readonly other?: EventStore;
  close(): Promise<void>;
}

const clock = () => new Date('2026-11-21T08:00:00.000Z');

async function rejection(p: Promise<unknown>): Promise<TiendoError> {
  try {
    await p;
  } catch (e) {
    return e as TiendoError;
  }
  throw new Error('expected the command to be rejected');
}

export function commandHandlerSpec(name: string, open: () => Promise<StoreFixture>) {
  describe(`command path on ${name}`, () => {
    const setup = async () => {
      const fx = await open();
      return { fx, handler: new CommandHandler({ store: fx.store, clock }) };
    };

    it('stores every event with who, when, which document and which legal regime', async () => {
      const { fx, handler } = await setup();
      const doc = { number: '234/QĐ-UBND', date: '2022-01-10', issuer: 'UBND tỉnh Cao Bằng' };
      const r = await handler.handle(
        registerNonState('p1', { commandId: 'cmd-reg-p1', document: doc }),
        'cli',
      );
      expect(r.duplicate).toBe(false);
      expect(r.stream).toBe('project-p1');
      expect(r.nextExpectedRevision).toBe(0);
      const [e] = await fx.store.readStream('project-p1');
      expect(e?.type).toBe('ProjectRegistered');
      expect(e?.data.proposedCapital).toBe('120000000000');
      expect(e?.metadata).toEqual({
        actor: actors.registrar,
        commandId: 'cmd-reg-p1',
        commandType: 'RegisterProject',
        correlationId: 'cmd-reg-p1',
        causationId: 'cmd-reg-p1',
        recordedAt: '2026-11-21T08:00:00.000Z',
        effectiveAt: '2022-01-10',
        legalBasis: { regime: 'LI2020', document: doc },
        source: 'cli',
      });
      await fx.close();
    });

    it('chooses the regime in force on the effective date, per family', async () => {
      const { fx, handler } = await setup();
      await handler.handle(registerNonState('old', { effectiveAt: '2019-06-01' }));
      await handler.handle(registerNonState('new', { effectiveAt: '2026-04-01' }));
      await handler.handle(registerPublic('pub', { effectiveAt: '2024-12-31' }));
      const regime = async (s: string) =>
        ((await fx.store.readStream(s))[0]?.metadata.legalBasis as { regime?: string } | undefined)?.regime;
      expect([await regime('project-old'), await regime('project-new'), await regime('project-pub')]).toEqual(
        ['LI2014', 'LI2025', 'LPI2019'],
      );
      await fx.close();
    });

    it('refuses a stated regime of the other family, writing nothing', async () => {
      const { fx, handler } = await setup();
      const err = await rejection(handler.handle(registerNonState('p1', { regime: 'LPI2019' })));
      expect([err.code, err.reason]).toEqual(['VALIDATION', 'REGIME_NOT_APPLICABLE']);
      expect(await fx.store.readStream('project-p1')).toEqual([]);
      await fx.close();
    });

    it('answers a repeated command id with the first result and writes nothing more', async () => {
      const { fx, handler } = await setup();
      await handler.handle(registerNonState('p1'));
      const plan = raw(
        'PlanMilestone',
        {
          projectId: 'p1',
          milestoneId: 'm1',
          kind: 'constructionStart',
          name: 'Khởi công',
          dueDate: '2023-06-30',
        },
        { commandId: 'cmd-plan-1' },
      );
      const first = await handler.handle(plan);
      const again = await handler.handle(plan);
      expect(again.duplicate).toBe(true);
      expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
      expect(await fx.store.readStream('project-p1')).toHaveLength(2);
      await fx.close();
    });

    it('answers a retried command that the state would now refuse with its first result', async () => {
      const { fx, handler } = await setup();
      await handler.handle(registerNonState('p1'));
      await handler.handle(
        raw('PlanMilestone', {
          projectId: 'p1',
          milestoneId: 'm1',
          kind: 'operation',
          name: 'Vận hành',
          dueDate: '2024-01-01',
        }),
      );
      const complete = raw(
        'CompleteMilestone',
        { projectId: 'p1', milestoneId: 'm1', completedOn: '2023-12-20' },
        { commandId: 'cmd-done-1', effectiveAt: '2023-12-20' },
      );
      const first = await handler.handle(complete);
      const fresh = new CommandHandler({ store: fx.store, clock }); // another process, no cache
      const again = await fresh.handle(complete);
      expect(again).toMatchObject({ duplicate: true, nextExpectedRevision: first.nextExpectedRevision });
      expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
      await fx.close();
    });

    it('keeps an idempotency record only for command ids the client chose', async () => {
      const { fx, handler } = await setup();
      const chosen = await handler.handle(registerNonState('p1', { commandId: 'client-chosen' }));
      const generated = await handler.handle(registerNonState('p2'));
      expect(await fx.store.findCommand(chosen.commandId)).toMatchObject({ stream: 'project-p1' });
      expect(await fx.store.findCommand(generated.commandId)).toBeNull();
      expect((await fx.store.readStream('project-p2'))[0]?.metadata.commandId).toBe(generated.commandId);
      await fx.close();
    });

    it('refuses a command id reused for a different command', async () => {
      const { fx, handler } = await setup();
      await handler.handle(registerNonState('p1', { commandId: 'same-id' }));
      const err = await rejection(handler.handle(registerNonState('p2', { commandId: 'same-id' })));
      expect([err.code, err.reason]).toEqual(['CONFLICT', 'COMMAND_ID_REUSED']);
      expect(await fx.store.readStream('project-p2')).toEqual([]);
      await fx.close();
    });

    it('rejects a stale expected revision stated by the client, writing nothing', async () => {
      const { fx, handler } = await setup();
      await handler.handle(registerNonState('p1'));
      await handler.handle(
        raw('ReportProgress', { projectId: 'p1', period: '2022-Q1', physicalPercent: 5, delayCauses: [] }),
      );
      const stale = raw(
        'ReportProgress',
        { projectId: 'p1', period: '2022-Q2', physicalPercent: 9, delayCauses: [] },
        { expectedRevision: 0 },
      );
      const err = await rejection(handler.handle(stale));
      expect([err.code, err.reason]).toEqual(['CONFLICT', 'WRONG_EXPECTED_REVISION']);
      expect(await fx.store.readStream('project-p1')).toHaveLength(2);
      await fx.close();
    });

    it('retries on a version conflict when another process wrote first (stale cache)', async () => {
      const { fx, handler } = await setup();
      const other = new CommandHandler({ store: fx.other ?? fx.store, clock });
      await handler.handle(registerNonState('p1'));
      const report = (period: string) =>
        raw('ReportProgress', { projectId: 'p1', period, physicalPercent: 10, delayCauses: [] });
      await other.handle(report('2022-Q1')); // handler's cached state is now one revision behind
      const r = await handler.handle(report('2022-Q2'));
      expect(r.nextExpectedRevision).toBe(2);
      const revisions = (await fx.store.readStream('project-p1')).map((e) => e.revision);
      expect(revisions).toEqual([0, 1, 2]);
      await fx.close();
    });

    it('lets concurrent commands on one project all land, in contiguous revisions', async () => {
      const { fx } = await setup();
      const a = new CommandHandler({ store: fx.store, clock, maxRetries: 20 });
      const b = new CommandHandler({ store: fx.other ?? fx.store, clock, maxRetries: 20 });
      await a.handle(registerNonState('p1'));
      const plans = Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? a : b).handle(
          raw('PlanMilestone', {
            projectId: 'p1',
            milestoneId: `m${i}`,
            kind: 'other',
            name: `Mốc ${i}`,
            dueDate: '2023-01-01',
          }),
        ),
      );
      await Promise.all(plans);
      const events = await fx.store.readStream('project-p1');
      expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 13 }, (_, i) => i));
      await fx.close();
    });

    it('refuses commands from read-only roles before deciding, writing nothing', async () => {
      const { fx, handler } = await setup();
      await handler.handle(registerNonState('p1'));
      const err = await rejection(
        handler.handle(
          raw(
            'SuspendProject',
            { projectId: 'p1', ground: 'Art. 47', reason: 'x' },
            { actor: actors.reviewer },
          ),
        ),
      );
      expect([err.code, err.reason]).toEqual(['FORBIDDEN', 'READ_ONLY_ROLE']);
      expect(await fx.store.readStream('project-p1')).toHaveLength(1);
      await fx.close();
    });

    it('lets an investor report on its own project only', async () => {
      const { fx, handler } = await setup();
      await handler.handle(registerNonState('p1'));
      const report = (actor: (typeof actors)[keyof typeof actors]) =>
        raw(
          'ReportProgress',
          { projectId: 'p1', period: '2022-Q1', physicalPercent: 12.5, delayCauses: [] },
          { actor },
        );
      await handler.handle(report(actors.investor));
      const err = await rejection(handler.handle(report(actors.otherInvestor)));
      expect([err.code, err.reason]).toEqual(['FORBIDDEN', 'NOT_OWN_PROJECT']);
      const denied = await rejection(
        handler.handle(
          raw(
            'TerminateProject',
            { projectId: 'p1', ground: 'investorDecision', reason: 'x' },
            { actor: actors.investor },
          ),
        ),
      );
      expect(denied.reason).toBe('COMMAND_NOT_ALLOWED_FOR_ROLE');
      expect(await fx.store.readStream('project-p1')).toHaveLength(2);
      await fx.close();
    });

    it('answers a command on an unknown project with NOT_FOUND and writes nothing', async () => {
      const { fx, handler } = await setup();
      const err = await rejection(handler.handle(raw('StartConstruction', { projectId: 'ghost' })));
      expect([err.code, err.reason]).toEqual(['NOT_FOUND', 'PROJECT_NOT_FOUND']);
      expect(await fx.store.readAll()).toEqual([]);
      await fx.close();
    });

    it('runs a capital plan against the projects it names', async () => {
      const { fx, handler } = await setup();
      const f = { actor: actors.finance, effectiveAt: '2022-01-15' };
      await handler.handle(registerPublic('road'));
      const notDecided = await rejection(
        handler.handle(
          raw('AllocateCapital', { province: '04', year: 2022, projectId: 'road', amount: '1' }, f),
        ),
      );
      expect(notDecided.reason).toBe('PLAN_NOT_FOUND');
      const step = (type: string, data: object, effectiveAt: string) =>
        handler.handle(raw(type, { projectId: 'road', ...data }, { effectiveAt }));
      await step('SubmitPolicyProposal', { totalInvestment: '300000000000', group: 'B' }, '2021-06-01');
      await step('CompleteAppraisal', { conclusion: 'Đủ điều kiện' }, '2021-07-15');
      await step('DecideInvestmentPolicy', { totalInvestment: '300000000000', group: 'B' }, '2021-08-20');
      await handler.handle(registerNonState('factory'));
      await handler.handle(
        raw('AssignAnnualCapitalPlan', { province: '04', year: 2022, total: '500000000000' }, f),
      );
      const unknown = await rejection(
        handler.handle(
          raw('AllocateCapital', { province: '04', year: 2022, projectId: 'ghost', amount: '1' }, f),
        ),
      );
      expect(unknown.code).toBe('NOT_FOUND');
      const nonState = await rejection(
        handler.handle(
          raw('AllocateCapital', { province: '04', year: 2022, projectId: 'factory', amount: '1' }, f),
        ),
      );
      expect([nonState.code, nonState.reason]).toEqual(['VALIDATION', 'WRONG_FAMILY']);
      await handler.handle(
        raw('AllocateCapital', { province: '04', year: 2022, projectId: 'road', amount: '80000000000' }, f),
      );
      await handler.handle(
        raw(
          'DisburseCapital',
          {
            province: '04',
            year: 2022,
            projectId: 'road',
            amount: '21000000000',
            disbursedOn: '2022-08-31',
            source: 'provincial',
          },
          { ...f, effectiveAt: '2022-08-31' },
        ),
      );
      const over = await rejection(
        handler.handle(
          raw(
            'DisburseCapital',
            { province: '04', year: 2022, projectId: 'road', amount: '60000000000', source: 'provincial' },
            { ...f, effectiveAt: '2022-09-30' },
          ),
        ),
      );
      expect([over.code, over.reason]).toEqual(['ILLEGAL_TRANSITION', 'DISBURSEMENT_EXCEEDS_ALLOCATION']);
      const plan = await fx.store.readStream('capitalplan-04_2022');
      expect(plan.map((e) => e.type)).toEqual([
        'AnnualCapitalPlanAssigned',
        'CapitalAllocated',
        'CapitalDisbursed',
      ]);
      expect((plan[0]?.metadata.legalBasis as { regime?: string } | undefined)?.regime).toBe('LPI2019');
      await fx.close();
    });
  });
}
