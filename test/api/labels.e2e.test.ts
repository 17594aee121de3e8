// Labels beside the enum values through the real app: a project's family, group, portfolio status and
// flags (suspended from its state; overdue and unfunded from its open alerts) in Vietnamese and
// English, and the portfolio's keys grouped by family and group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlertsAt } from '../../src/alerts/sweep.js';
import { asIsoDate } from '../../src/domain/dates.js';
import { cmd } from '../projections/harness.js';
import { later, nonStateTo, publicPolicyDecided, SUSPEND } from '../projections/lifecycles.js';
import { type Api, startApi } from './api.js';

let api: Api;
/** The project ids of each read of open flag alerts. */
const flagReads: (readonly string[])[] = [];
beforeAll(async () => {
  api = await startApi({
    wrapReadModels: (models) => ({
      ...models,
      openAlertsOf: (ids, rules) => {
        flagReads.push(ids);
        return models.openAlertsOf(ids, rules);
      },
    }),
  });
  for (const c of [
    ...nonStateTo('LB.01', 'underConstruction'),
    cmd('PlanMilestone', 'LB.01', '2022-05-01', {
      milestoneId: 'M1',
      kind: 'other',
      name: 'Mốc 1',
      dueDate: '2022-06-30',
    }),
    later('LB.01', 'SuspendProject', SUSPEND),
    ...publicPolicyDecided('LB.02'),
  ]) {
    const r = await api.send(c);
    expect(r.errors, JSON.stringify(c)).toBeUndefined();
  }
  await api.catchUp();
  await evaluateAlertsAt(api.db.pool, asIsoDate('2024-01-01'));
});
afterAll(async () => {
  await api?.close();
});

const PROJECT = `query ($id: ID!) { project(id: $id) {
  family familyLabel { vi en } group groupLabel { vi en } status statusLabel { vi en }
  flags { flag label { vi en } since }
} }`;

describe('labels in the API', () => {
  it("names a non-state project's family, its status and its flags", async () => {
    const r = await api.gql<{ project: Record<string, unknown> }>(PROJECT, { id: 'LB.01' });
    expect(r.errors).toBeUndefined();
    expect(r.data?.project).toEqual({
      family: 'nonState',
      familyLabel: { vi: 'Dự án đầu tư ngoài ngân sách nhà nước', en: 'Non-state-budget investment project' },
      group: null,
      groupLabel: null,
      status: 'stopped',
      statusLabel: {
        vi: 'Hoàn thành hoặc xây dựng dở dang nhưng dừng hoạt động',
        en: 'Completed or partly built, but stopped',
      },
      flags: [
        { flag: 'suspended', label: { vi: 'Ngừng hoạt động', en: 'Suspended' }, since: '2022-11-15' },
        { flag: 'overdue', label: { vi: 'Chậm tiến độ', en: 'Overdue' }, since: expect.any(String) },
      ],
    });
  });

  it("names a public project's group and flags it unfunded", async () => {
    const r = await api.gql<{ project: Record<string, unknown> }>(PROJECT, { id: 'LB.02' });
    expect(r.data?.project).toMatchObject({
      family: 'public',
      familyLabel: { vi: 'Dự án đầu tư công', en: 'Public investment project' },
      group: 'B',
      groupLabel: { vi: 'Dự án nhóm B', en: 'Group B project' },
      status: 'notStarted',
      statusLabel: { vi: 'Chưa triển khai', en: 'Not started' },
      flags: [
        { flag: 'unfunded', label: { vi: 'Chưa được bố trí vốn', en: 'Unfunded' }, since: '2022-02-01' },
      ],
    });
  });

  it('reads the flags of a whole page of projects at once, not project by project', async () => {
    flagReads.length = 0;
    const r = await api.gql<{ projects: { edges: { node: { id: string; flags: { flag: string }[] } }[] } }>(
      '{ projects(first: 10) { edges { node { id flags { flag } } } } }',
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.projects.edges.map((e) => [e.node.id, e.node.flags.map((f) => f.flag)])).toEqual([
      ['LB.01', ['suspended', 'overdue']],
      ['LB.02', ['unfunded']],
    ]);
    expect(flagReads).toEqual([['LB.01', 'LB.02']]);
  });

  it('labels the portfolio keys by family and group', async () => {
    const r = await api.gql<{ portfolioSummary: { key: Record<string, unknown>; projects: number }[] }>(
      '{ portfolioSummary(by: [family, group]) { key { family familyLabel { en } group groupLabel { vi } } projects } }',
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.portfolioSummary).toEqual([
      {
        key: {
          family: 'nonState',
          familyLabel: { en: 'Non-state-budget investment project' },
          group: null,
          groupLabel: null,
        },
        projects: 1,
      },
      {
        key: {
          family: 'public',
          familyLabel: { en: 'Public investment project' },
          group: 'B',
          groupLabel: { vi: 'Dự án nhóm B' },
        },
        projects: 1,
      },
    ]);
  });
});
