// Subscriptions through the real listening server, as server-sent events: projectChanged after a
// project's events are appended, alertOpened when the alerts read model opens an alert; filters; and
// a client that disconnects leaves no listener (nor, for the last one, the feed's source) behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlertsAt } from '../../src/alerts/sweep.js';
import { asIsoDate } from '../../src/domain/dates.js';
import { cmd } from '../projections/harness.js';
import { nonStateTo } from '../projections/lifecycles.js';
import { actors, registerNonState, registerPublic } from '../support/fixtures.js';
import { type Api, startApi } from './api.js';
import type { EventSource } from './sse.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api?.close();
});

/** Waits (generously) for a condition the server reaches on its own, e.g. after a disconnect. */
async function until(what: string, holds: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await holds()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never: ${what}`);
}

async function send(...commands: Record<string, unknown>[]) {
  for (const c of commands) {
    const r = await api.send(c);
    expect(r.errors, JSON.stringify(c)).toBeUndefined();
  }
}

const PROJECT_CHANGED = `subscription ($projectId: ID, $province: String) {
  projectChanged(projectId: $projectId, province: $province) {
    projectId province revision eventTypes phase phaseLabel { vi en } status statusLabel { vi en } suspended
    project { id name revision }
  }
}`;

interface Change {
  projectChanged: {
    projectId: string;
    province: string;
    revision: number;
    eventTypes: string[];
    phase: string;
    status: string;
    statusLabel: { vi: string; en: string };
    suspended: boolean;
    project: { id: string; revision: number };
  };
}

describe('projectChanged', () => {
  it('sends each change of the project asked for, with revision, event types and status', async () => {
    const sub = await api.subscribe(PROJECT_CHANGED, { projectId: 'SUB.01' });
    expect(sub.status).toBe(200);
    expect(sub.contentType).toMatch(/^text\/event-stream/);
    await until('the feed listens', () => api.live.listeners().projectChanged === 1);

    await send(registerPublic('SUB.OTHER'), registerNonState('SUB.01'));
    await send(
      cmd('ApproveInvestmentPolicy', 'SUB.01', '2022-02-15', {
        approvedCapital: '120000000000',
        durationYears: 50,
      }),
    );

    // Events appended close together may come as one change: collect until revision 1.
    const changes: Change['projectChanged'][] = [];
    while (changes.at(-1)?.revision !== 1) {
      const next = await sub.next<Change>();
      expect(next.errors).toBeUndefined();
      changes.push(next.data!.projectChanged);
    }
    expect(changes.every((c) => c.projectId === 'SUB.01')).toBe(true);
    expect(changes.flatMap((c) => c.eventTypes)).toEqual(['ProjectRegistered', 'InvestmentPolicyApproved']);
    expect(changes[0]).toMatchObject({
      projectId: 'SUB.01',
      province: '04',
      status: 'notStarted',
      statusLabel: { vi: 'Chưa triển khai', en: 'Not started' },
      suspended: false,
    });
    expect(changes.at(-1)).toMatchObject({
      revision: 1,
      phase: 'policyApproved',
      project: { id: 'SUB.01', revision: 1 },
    });
    sub.close();
    await until('the disconnected client is forgotten', () => api.live.listeners().projectChanged === 0);
  });

  it('filters by province, and starts again after the last listener left', async () => {
    const elsewhere = await api.subscribe(PROJECT_CHANGED, { province: '99' });
    const here = await api.subscribe(PROJECT_CHANGED, { province: '04' });
    await until('both listen', () => api.live.listeners().projectChanged === 2);
    await send(registerNonState('SUB.02'));
    const change = await here.next<Change>();
    expect(change.data?.projectChanged).toMatchObject({ projectId: 'SUB.02', province: '04', revision: 0 });
    elsewhere.close();
    here.close();
    await until('no listener is left', () => api.live.listeners().projectChanged === 0);
  });

  it("sends an investor only its own projects' changes, as the role matrix scopes its reads", async () => {
    const sub = await api.subscribe(PROJECT_CHANGED, {}, actors.investor);
    await until('the feed listens', () => api.live.listeners().projectChanged === 1);
    await send(registerPublic('SUB.NOTMINE'));
    await send(registerNonState('SUB.MINE'));
    const first = await sub.next<Change>();
    expect(first.data?.projectChanged).toMatchObject({ projectId: 'SUB.MINE', revision: 0 });
    sub.close();
    await until('the disconnected client is forgotten', () => api.live.listeners().projectChanged === 0);
  });

  it('a subscription needs a bearer token like any request: without one it is refused, 401', async () => {
    const sub = await api.subscribe(PROJECT_CHANGED, { projectId: 'SUB.03' }, null);
    expect(sub.status).toBe(401);
    sub.close();
    expect(api.live.listeners().projectChanged).toBe(0);
  });
});

const ALERT_OPENED = `subscription ($filter: OpenedAlertFilter) {
  alertOpened(filter: $filter) { project { id name } ruleId ruleLabel { vi en } key status severity since }
}`;

interface Opened {
  alertOpened: { project: { id: string; name: string }; ruleId: string; key: string; status: string };
}

const listening = async () => {
  const { rows } = await api.db.pool.query<{ n: number }>(
    `SELECT count(*)::integer AS n FROM pg_stat_activity
     WHERE datname = current_database() AND query = 'LISTEN tiendo_alerts'`,
  );
  return rows[0]!.n;
};

describe('alertOpened', () => {
  let all: EventSource;
  let second: EventSource;
  beforeAll(async () => {
    const overdueMilestone = (projectId: string) =>
      cmd('PlanMilestone', projectId, '2022-05-01', {
        milestoneId: 'M1',
        kind: 'other',
        name: 'Mốc 1',
        dueDate: '2022-06-30',
      });
    await send(...nonStateTo('AL.A', 'certified'), overdueMilestone('AL.A'));
    await send(...nonStateTo('AL.B', 'certified'), overdueMilestone('AL.B'));
    await api.catchUp();
    all = await api.subscribe(ALERT_OPENED, {});
    second = await api.subscribe(ALERT_OPENED, {
      filter: { projectId: 'AL.B', ruleId: 'MILESTONE_OVERDUE' },
    });
    await until('the feed listens', () => api.live.listeners().alertOpened === 2);
    expect(await listening()).toBe(1);
    const sweep = await evaluateAlertsAt(api.db.pool, asIsoDate('2024-01-01'));
    expect(sweep.opened).toBeGreaterThan(1);
  });

  it('sends every alert the sweep opens, with its project and rule', async () => {
    const first = await all.next<Opened>();
    expect(first.errors).toBeUndefined();
    expect(first.data?.alertOpened).toMatchObject({
      project: { id: 'AL.A', name: expect.any(String) },
      status: 'open',
    });
  });

  it('sends only the alerts the filter matches', async () => {
    const opened = await second.next<Opened>();
    expect(opened.data?.alertOpened).toMatchObject({
      project: { id: 'AL.B' },
      ruleId: 'MILESTONE_OVERDUE',
      key: 'M1',
    });
  });

  it('releases the listening connection when the last client disconnects', async () => {
    all.close();
    await until('one client is left', () => api.live.listeners().alertOpened === 1);
    expect(await listening()).toBe(1);
    second.close();
    await until('no client is left', () => api.live.listeners().alertOpened === 0);
    await until('nothing listens on tiendo_alerts', async () => (await listening()) === 0);
  });
});
