// Time travel through the real app on PostgreSQL: project, portfolioSummary and alerts asked at a
// business date (asOf) as known at an instant (knownAt) — before and after a correction was recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmd } from '../projections/harness.js';
import { nonStateTo } from '../projections/lifecycles.js';
import { type Api, startApi } from './api.js';

let api: Api;
const ID = 'TT.01';
/** Instants the mutations reported: before anything, and when the Q2 report was recorded. */
let beforeAnything: string;
let reportRecordedAt: string;
let reportRevision: number;

beforeAll(async () => {
  api = await startApi();
  beforeAnything = new Date(Date.now() - 1000).toISOString();
  const send = async (command: Record<string, unknown>) => {
    const r = await api.send(command);
    expect(r.errors, JSON.stringify(command)).toBeUndefined();
    return Object.values(r.data ?? {})[0]!;
  };
  for (const c of nonStateTo(ID, 'certified')) await send(c); // certified on 2022-04-15
  await send(
    cmd('PlanMilestone', ID, '2022-04-20', {
      milestoneId: 'M1',
      kind: 'other',
      name: 'Mốc 1',
      dueDate: '2022-06-30',
    }),
  );
  await send(cmd('StartConstruction', ID, '2022-06-01'));
  const report = await send(
    cmd('ReportProgress', ID, '2022-06-30', { period: '2022-Q2', physicalPercent: 45, delayCauses: [] }),
  );
  reportRevision = report.revision;
  reportRecordedAt = (report.events[0] as unknown as { recordedAt: string }).recordedAt;
  await send(cmd('CompleteMilestone', ID, '2022-07-05', { milestoneId: 'M1' }));
  // Wait for the clock to pass the report's instant, so that the correction is recorded after it.
  while (Date.now() <= Date.parse(reportRecordedAt)) await new Promise((r) => setTimeout(r, 2));
  await send(
    cmd('CorrectEvent', ID, '2022-07-20', {
      correctedRevision: reportRevision,
      reason: 'Số liệu quý 2 nhập sai',
      changes: [{ field: 'physicalPercent', to: '40' }],
    }),
  );
  await api.catchUp();
});
afterAll(async () => {
  await api?.close();
});

const PROJECT = `query ($id: ID!, $asOf: Date, $knownAt: DateTime) {
  project(id: $id, asOf: $asOf, knownAt: $knownAt) {
    phase revision lastProgress { period physicalPercent } milestones { id completedOn }
  }
}`;

interface ProjectData {
  project: {
    phase: string;
    revision: number;
    lastProgress: { period: string; physicalPercent: number } | null;
    milestones: { id: string; completedOn: string | null }[];
  } | null;
}

const project = async (variables: Record<string, unknown>) => {
  const r = await api.gql<ProjectData>(PROJECT, { id: ID, ...variables });
  expect(r.errors).toBeUndefined();
  return r.data!.project;
};

describe('project(id, asOf, knownAt)', () => {
  it('shows the phase in effect on the business date', async () => {
    expect(await project({ asOf: '2022-05-31' })).toMatchObject({ phase: 'certified', lastProgress: null });
    expect(await project({ asOf: '2022-06-01' })).toMatchObject({ phase: 'underConstruction' });
  });

  it('shows the old truth as known before the correction was recorded', async () => {
    const p = await project({ asOf: '2022-06-30', knownAt: reportRecordedAt });
    expect(p).toMatchObject({
      revision: reportRevision,
      lastProgress: { period: '2022-Q2', physicalPercent: 45 },
    });
  });

  it('shows the corrected truth for the same business date once the correction is known', async () => {
    const p = await project({ asOf: '2022-06-30' });
    expect(p?.lastProgress).toEqual({ period: '2022-Q2', physicalPercent: 40 });
  });

  it('and without a time point answers from the live stream as before', async () => {
    const p = await project({});
    expect(p).toMatchObject({ revision: reportRevision + 2, lastProgress: { physicalPercent: 40 } });
    expect(p?.milestones).toEqual([{ id: 'M1', completedOn: '2022-07-05' }]);
  });

  it('is null before the project was registered, on either axis', async () => {
    expect(await project({ asOf: '2022-01-14' })).toBeNull();
    expect(await project({ knownAt: beforeAnything })).toBeNull();
  });

  it('refuses a business date after the day of knownAt', async () => {
    const r = await api.gql(PROJECT, { id: ID, asOf: '2022-06-30', knownAt: '2022-06-01T00:00:00.000Z' });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', reason: 'AS_OF_AFTER_KNOWN_AT' });
  });
});

describe('the audit trail keeps both the corrected event and the correction', () => {
  it('lists the report with 45 % and the correction changing it to 40 %', async () => {
    const r = await api.gql<{ auditTrail: { edges: { node: Record<string, unknown> }[] } }>(
      `query ($id: ID!) { auditTrail(projectId: $id, first: 100) { edges { node {
         revision type changes { field before after } } } } }`,
      { id: ID },
    );
    const entries = r.data!.auditTrail.edges.map((e) => e.node);
    expect(entries.find((e) => e.revision === reportRevision)).toMatchObject({ type: 'ProgressReported' });
    expect(entries.at(-1)).toMatchObject({
      type: 'EventCorrected',
      changes: expect.arrayContaining([{ field: 'lastProgress.physicalPercent', before: 45, after: 40 }]),
    });
  });
});

const PORTFOLIO = `query ($asOf: Date, $knownAt: DateTime) {
  portfolioSummary(by: [status], asOf: $asOf, knownAt: $knownAt) { key { status } projects registeredCapital }
}`;

describe('portfolioSummary(asOf, knownAt)', () => {
  it('counts the project in the status it had on the date', async () => {
    const at = async (asOf: string) =>
      (await api.gql<{ portfolioSummary: unknown[] }>(PORTFOLIO, { asOf })).data;
    expect((await at('2022-05-31'))?.portfolioSummary).toEqual([
      { key: { status: 'notStarted' }, projects: 1, registeredCapital: '100000000000' },
    ]);
    expect((await at('2022-06-30'))?.portfolioSummary).toEqual([
      { key: { status: 'underConstruction' }, projects: 1, registeredCapital: '100000000000' },
    ]);
  });

  it('folded live at the present, agrees with the read model', async () => {
    const live = await api.gql(PORTFOLIO, { knownAt: new Date().toISOString() });
    const table = await api.gql(PORTFOLIO, {});
    expect(live.data).toEqual(table.data);
  });
});

const ALERTS = `query ($asOf: Date, $knownAt: DateTime) {
  alerts(asOf: $asOf, knownAt: $knownAt, filter: { projectId: "${ID}" }) {
    totalCount edges { node { ruleId key status since openedAt regime } }
  }
}`;

describe('alerts(asOf, knownAt)', () => {
  it('shows the milestone overdue between its due date and its completion, under the regime then in force', async () => {
    const at = async (asOf: string) =>
      (await api.gql<{ alerts: { totalCount: number; edges: { node: unknown }[] } }>(ALERTS, { asOf })).data!
        .alerts;
    expect((await at('2022-06-30')).totalCount).toBe(0);
    expect((await at('2022-07-02')).edges.map((e) => e.node)).toEqual([
      {
        ruleId: 'MILESTONE_OVERDUE',
        key: 'M1',
        status: 'open',
        since: '2022-07-01',
        openedAt: '2022-07-01',
        regime: 'LI2020',
      },
    ]);
    expect((await at('2022-07-05')).totalCount).toBe(0);
  });
});
