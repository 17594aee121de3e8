// Every refusal reaches the client as a GraphQL error with a stable `extensions.code` (and `reason`);
// validation errors name each bad field; anything unexpected is masked; a retried command is answered,
// not applied twice.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { readModels } from '../../src/api/read-models.js';
import { CommandHandler } from '../../src/commands/handler.js';
import { NotFoundError } from '../../src/domain/errors.js';
import { InMemoryEventStore } from '../../src/store/memory.js';
import { actors, raw, registerNonState } from '../support/fixtures.js';
import { type Api, startApi, testAuth } from './api.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
  await api.send(registerNonState('HL.002'));
});
afterAll(async () => {
  await api?.close();
});

const extensionsOf = (r: Awaited<ReturnType<Api['send']>>) => {
  expect(r.errors).toHaveLength(1);
  return r.errors![0]!.extensions;
};

describe('VALIDATION', () => {
  it('names every bad field of the data by its path', async () => {
    const command = registerNonState('HL.003');
    const data = { ...(command.data as object), name: '', proposedCapital: '-5' };
    const r = await api.send({ ...command, data });
    expect(r.data).toBeNull();
    expect(extensionsOf(r)).toMatchObject({ code: 'VALIDATION', reason: 'INVALID_INPUT' });
    expect(
      extensionsOf(r)
        ?.issues?.map((i) => i.field)
        .sort(),
    ).toEqual(['data.name', 'data.proposedCapital']);
  });

  it('refuses a date that is not on the calendar', async () => {
    const r = await api.send(
      raw('StartConstruction', { projectId: 'HL.002' }, { effectiveAt: '2022-02-30' }),
    );
    expect(extensionsOf(r)).toMatchObject({ code: 'VALIDATION' });
    expect(r.errors![0]!.message).toContain('input.effectiveAt');
  });

  it('refuses money that is not a string of digits', async () => {
    const r = await api.gql('{ __type(name: "Money") { name } }');
    expect(r.data).toEqual({ __type: { name: 'Money' } });
    const bad = await api.send(raw('PayDeposit', { projectId: 'HL.002', amount: 12.5 }));
    expect(extensionsOf(bad)).toMatchObject({
      code: 'VALIDATION',
      issues: [{ field: 'data.amount', message: 'must be a whole number of đồng (no fractions)' }],
    });
  });
});

describe('NOT_FOUND, ILLEGAL_TRANSITION, CONFLICT', () => {
  it('a decision on a project nobody registered is NOT_FOUND', async () => {
    const r = await api.send(raw('StartConstruction', { projectId: 'NO.SUCH' }));
    expect(extensionsOf(r)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a decision the phase does not allow is ILLEGAL_TRANSITION', async () => {
    const r = await api.send(raw('StartConstruction', { projectId: 'HL.002' }));
    expect(extensionsOf(r)).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(extensionsOf(r)?.reason).toMatch(/^[A-Z_]+$/);
  });

  it('the revision the client saw is accepted: -1 for a project not registered yet, then 0', async () => {
    const registered = await api.send(registerNonState('HL.004', { expectedRevision: -1 }));
    expect(registered.errors).toBeUndefined();
    const approved = await api.send(
      raw(
        'ApproveInvestmentPolicy',
        { projectId: 'HL.004', approvedCapital: '1000', durationYears: 10 },
        {
          expectedRevision: 0,
          effectiveAt: '2022-02-01',
        },
      ),
    );
    expect(Object.values(approved.data!)[0]).toMatchObject({ revision: 1 });
    const again = await api.send(registerNonState('HL.004', { expectedRevision: -1 }));
    expect(again.errors?.[0]?.extensions?.code).toMatch(/^(CONFLICT|ILLEGAL_TRANSITION)$/);
  });

  it('a stale expectedRevision is a CONFLICT and writes nothing', async () => {
    const r = await api.send(
      raw(
        'ApproveInvestmentPolicy',
        { projectId: 'HL.002', approvedCapital: '1000', durationYears: 10 },
        {
          expectedRevision: 3,
          effectiveAt: '2022-02-01',
        },
      ),
    );
    expect(extensionsOf(r)).toMatchObject({ code: 'CONFLICT', reason: 'WRONG_EXPECTED_REVISION' });
    const p = await api.gql<{ project: { revision: number } }>('{ project(id: "HL.002") { revision } }');
    expect(p.data?.project.revision).toBe(0);
  });
});

describe('FORBIDDEN', () => {
  it('a reviewer may read but not decide', async () => {
    const r = await api.send(raw('StartConstruction', { projectId: 'HL.002' }, { actor: actors.reviewer }));
    expect(extensionsOf(r)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a mutation without a bearer token is refused before GraphQL runs (test/api/auth.e2e.test.ts has the rest)', async () => {
    const { type: _type, actor: _actor, ...input } = raw('StartConstruction', { projectId: 'HL.002' });
    const r = await api.gql(
      'mutation ($input: StartConstructionInput!) { startConstruction(input: $input) { revision } }',
      { input },
      null,
    );
    expect(r.status).toBe(401);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
  });
});

describe('idempotency by commandId', () => {
  it('a retry with the same commandId returns the first result as a duplicate and writes nothing', async () => {
    const command = raw(
      'PlanMilestone',
      {
        projectId: 'HL.002',
        milestoneId: 'KC01',
        kind: 'constructionStart',
        name: 'Khởi công',
        dueDate: '2022-09-01',
      },
      { commandId: 'client-cmd-1', effectiveAt: '2022-01-15' },
    );
    const first = Object.values((await api.send(command)).data!)[0]!;
    const again = Object.values((await api.send(command)).data!)[0]!;
    expect(first).toMatchObject({ commandId: 'client-cmd-1', duplicate: false, revision: 1 });
    expect(again).toMatchObject({ commandId: 'client-cmd-1', duplicate: true, revision: 1 });
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
  });

  it('the same commandId with other content is a CONFLICT', async () => {
    const r = await api.send(
      raw(
        'PlanMilestone',
        {
          projectId: 'HL.002',
          milestoneId: 'KC02',
          kind: 'operation',
          name: 'Vận hành',
          dueDate: '2023-09-01',
        },
        { commandId: 'client-cmd-1', effectiveAt: '2022-01-15' },
      ),
    );
    expect(extensionsOf(r)).toMatchObject({ code: 'CONFLICT', reason: 'COMMAND_ID_REUSED' });
  });
});

describe('unexpected errors', () => {
  /** An app on an in-memory store whose project query fails with `error`, and what it logged. */
  async function failingQuery(error: Error) {
    const logged: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    });
    const store = new InMemoryEventStore();
    const handler = new CommandHandler({ store });
    const auth = await testAuth(handler, store);
    const app = buildApp({
      handler,
      store,
      authenticate: auth.authenticate,
      readModels: { ...readModels({ handler, store }), project: () => Promise.reject(error) },
      logger: { level: 'info', stream },
    });
    const res = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${await auth.tokenFor(actors.reviewer)}` },
      payload: { query: '{ project(id: "X") { id } }' },
    });
    await app.close();
    return { body: res.body, errors: res.json().errors, log: logged.join('') };
  }

  it('are masked for the client and logged with their cause for the operator', async () => {
    const r = await failingQuery(new Error('connection string postgres://secret'));
    expect(r.errors).toEqual([
      expect.objectContaining({
        message: 'Unexpected error.',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      }),
    ]);
    expect(r.body).not.toContain('secret');
    expect(r.log).toContain('postgres://secret');
  });

  it('while an expected refusal keeps its code and is not logged as a failure', async () => {
    const r = await failingQuery(new NotFoundError('project', 'X'));
    expect(r.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'NOT_FOUND', reason: 'NOT_FOUND' } }),
    ]);
    expect(r.log).not.toContain('"level":50');
  });
});
