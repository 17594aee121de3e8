// The alert rules as data through the real app — alertRules(asOf, family) — and each alert carrying
// its rule and the event that resolved it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_RULES } from '../../src/alerts/rules.js';
import { cmd } from '../projections/harness.js';
import { nonStateTo } from '../projections/lifecycles.js';
import { type Api, startApi } from './api.js';

let api: Api;

beforeAll(async () => {
  api = await startApi();
  for (const command of [
    ...nonStateTo('AR.01', 'certified'),
    cmd('PlanMilestone', 'AR.01', '2022-05-01', {
      milestoneId: 'M1',
      kind: 'constructionStart',
      name: 'Khởi công',
      dueDate: '2022-06-30',
    }),
    cmd('CompleteMilestone', 'AR.01', '2022-07-20', { milestoneId: 'M1' }),
  ]) {
    const r = await api.send(command);
    expect(r.errors, JSON.stringify(command)).toBeUndefined();
  }
  await api.catchUp();
});
afterAll(async () => {
  await api?.close();
});

const RULES = `query ($asOf: Date, $family: ProjectFamily) {
  alertRules(asOf: $asOf, family: $family) {
    id label { vi en } family severities
    versions { regime regimeTitle { vi en } article validFrom validTo parameters note }
  }
}`;

interface RuleJson {
  id: string;
  label: { vi: string; en: string };
  family: string;
  severities: string[];
  versions: {
    regime: string;
    regimeTitle: { vi: string; en: string };
    article: string;
    validFrom: string;
    validTo: string | null;
    parameters: Record<string, unknown>;
    note: string | null;
  }[];
}

const rules = async (variables: Record<string, unknown> = {}) => {
  const r = await api.gql<{ alertRules: RuleJson[] }>(RULES, variables);
  expect(r.errors).toBeUndefined();
  return r.data?.alertRules ?? [];
};

describe('alertRules', () => {
  it('lists every rule with labels, family, severities and its versions per regime', async () => {
    const all = await rules();
    expect(all.map((r) => r.id)).toEqual(ALERT_RULES.map((r) => r.id));
    expect(all.find((r) => r.id === 'APPRAISAL_OVERDUE')).toMatchObject({
      label: { vi: 'Thẩm định quá thời hạn', en: 'Appraisal overdue' },
      family: 'public',
      severities: ['warning'],
      versions: [
        {
          regime: 'LPI2019',
          regimeTitle: { vi: 'Luật Đầu tư công 2019', en: 'Law on Public Investment 2019' },
          article: 'Law 39/2019 Art. 33; Decree 40/2020',
          validFrom: '2020-01-01',
          validTo: '2024-12-31',
          parameters: { national: 90, A: 60, B: 45, C: 30 },
          note: expect.any(String),
        },
        { regime: 'LPI2024', validFrom: '2025-01-01', validTo: null },
      ],
    });
  });

  it('as of a date shows the versions then in force; by family, the rules judging it', async () => {
    const in2023 = await rules({ asOf: '2023-06-01', family: 'nonState' });
    expect(in2023.every((r) => r.family === 'nonState' || r.family === 'both')).toBe(true);
    expect(in2023.map((r) => r.id)).toContain('IRC_NOT_ISSUED');
    expect(in2023.map((r) => r.id)).not.toContain('UNFUNDED');
    const land = in2023.find((r) => r.id === 'LAND_UNUSED');
    expect(land?.versions.map((v) => v.article)).toEqual(['Land Law 45/2013 Art. 64(1)(i)']);
    // MILESTONE_OVERDUE judges both families: in 2023 one version for each.
    expect(
      (await rules({ asOf: '2023-06-01' })).find((r) => r.id === 'MILESTONE_OVERDUE')?.versions,
    ).toHaveLength(2);
    expect(await rules({ asOf: '2019-06-01' })).toEqual([]);
  });

  it('refuses a date that is not one', async () => {
    const r = await api.gql(RULES, { asOf: '2023-02-30' });
    expect(r.errors?.[0]?.message).toMatch(/2023-02-30/);
  });
});

describe('an alert', () => {
  it('carries its rule and, once resolved, the event that resolved it', async () => {
    const r = await api.gql<{
      alerts: { edges: { node: Record<string, unknown> }[] };
    }>(
      `{ alerts(filter: { projectId: "AR.01", ruleId: MILESTONE_OVERDUE }) { edges { node {
          key episode status since closedOn closedReason closedByEventId
          rule { id label { vi en } versions { regime article } }
      } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const [alert] = r.data?.alerts.edges.map((e) => e.node) ?? [];
    expect(alert).toMatchObject({
      key: 'M1',
      episode: 1,
      status: 'closed',
      since: '2022-07-01',
      closedOn: '2022-07-20',
      closedReason: 'resolved by event',
      rule: { id: 'MILESTONE_OVERDUE', label: { vi: 'Mốc tiến độ quá hạn', en: 'Milestone overdue' } },
    });
    const trail = await api.gql<{ auditTrail: { edges: { node: { eventId: string; type: string } }[] } }>(
      '{ auditTrail(projectId: "AR.01", first: 100) { edges { node { eventId type } } } }',
    );
    const completed = trail.data?.auditTrail.edges.find((e) => e.node.type === 'MilestoneCompleted');
    expect(alert?.closedByEventId).toBe(completed?.node.eventId);
  });
});
