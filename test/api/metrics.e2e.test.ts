// GET /metrics in the Prometheus text format, scraped after commands: commands handled and refused (by
// command type and error code), events appended (by type), each projection's lag behind the log in
// events and seconds before and after the runner catches up, listeners per subscription feed, and the
// process defaults. Who may scrape: a role the matrix lets read the metrics (administrator, supervisor);
// any other is FORBIDDEN and recorded, no token is 401; TIENDO_METRICS_PUBLIC opens it to a scraper.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmd } from '../projections/harness.js';
import { actors, registerNonState } from '../support/fixtures.js';
import { type Api, appOn, startApi } from './api.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api?.close();
});

/** A scrape as a supervisor (a role that may read the metrics). */
async function scrape(): Promise<{ contentType: string; text: string }> {
  const authorization = `Bearer ${await api.tokenFor(actors.supervisor)}`;
  const res = await api.app.inject({ method: 'GET', url: '/metrics', headers: { authorization } });
  expect(res.statusCode).toBe(200);
  return { contentType: String(res.headers['content-type']), text: res.body };
}

/** The sample's value, e.g. sample(text, 'tiendo_commands_handled_total', {command: 'RegisterProject'}). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = line.match(/^([a-z_:]+)(?:\{([^}]*)\})? (\S+)$/);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (wanted.length === have.length && wanted.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

const APPROVE = { approvedCapital: '120000000000', durationYears: 50 };

describe('/metrics', () => {
  beforeAll(async () => {
    for (const c of [
      registerNonState('M.01'),
      registerNonState('M.02'),
      cmd('ApproveInvestmentPolicy', 'M.01', '2022-02-15', APPROVE),
    ]) {
      expect((await api.send(c)).errors).toBeUndefined();
    }
    // Refused: an unknown project (NOT_FOUND), a reviewer writing (FORBIDDEN).
    const refused = [
      cmd('ApproveInvestmentPolicy', 'M.404', '2022-02-15', APPROVE),
      cmd('ApproveInvestmentPolicy', 'M.02', '2022-02-15', APPROVE, { actor: actors.reviewer }),
    ];
    for (const c of refused) expect((await api.send(c)).errors).toBeDefined();
  });

  it('is Prometheus text with the commands handled and refused by type and code', async () => {
    const { contentType, text } = await scrape();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('# TYPE tiendo_commands_handled_total counter');
    expect(sample(text, 'tiendo_commands_handled_total', { command: 'RegisterProject' })).toBe(2);
    expect(sample(text, 'tiendo_commands_handled_total', { command: 'ApproveInvestmentPolicy' })).toBe(1);
    expect(
      sample(text, 'tiendo_commands_rejected_total', {
        command: 'ApproveInvestmentPolicy',
        code: 'NOT_FOUND',
      }),
    ).toBe(1);
    expect(
      sample(text, 'tiendo_commands_rejected_total', {
        command: 'ApproveInvestmentPolicy',
        code: 'FORBIDDEN',
      }),
    ).toBe(1);
  });

  it('counts the events appended by type, a repeated command id appending none', async () => {
    const again = cmd(
      'ReportProgress',
      'M.01',
      '2022-03-01',
      { period: '2022-Q1', physicalPercent: 5, delayCauses: [] },
      { commandId: 'metrics-repeat' },
    );
    expect((await api.send(again)).errors).toBeUndefined();
    expect((await api.send(again)).errors).toBeUndefined();
    const { text } = await scrape();
    expect(sample(text, 'tiendo_events_appended_total', { type: 'ProjectRegistered' })).toBe(2);
    expect(sample(text, 'tiendo_events_appended_total', { type: 'ProgressReported' })).toBe(1);
    expect(sample(text, 'tiendo_commands_handled_total', { command: 'ReportProgress' })).toBe(2);
  });

  it("reports each projection's lag in events and seconds, 0 once the runner caught up", async () => {
    const before = (await scrape()).text;
    for (const projection of ['project_status', 'audit_trail']) {
      expect(sample(before, 'tiendo_projection_lag_events', { projection })).toBe(4);
      expect(sample(before, 'tiendo_projection_lag_seconds', { projection })).toBeGreaterThan(0);
    }
    await api.catchUp();
    const after = (await scrape()).text;
    for (const projection of ['project_status', 'audit_trail']) {
      expect(sample(after, 'tiendo_projection_lag_events', { projection })).toBe(0);
      expect(sample(after, 'tiendo_projection_lag_seconds', { projection })).toBe(0);
    }
  });

  it('reports the listeners per subscription feed and the process defaults', async () => {
    const { text } = await scrape();
    expect(sample(text, 'tiendo_subscriptions', { feed: 'projectChanged' })).toBe(0);
    expect(sample(text, 'tiendo_subscriptions', { feed: 'alertOpened' })).toBe(0);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });
});

describe('who may scrape /metrics', () => {
  const get = async (url: string, actor?: (typeof actors)[keyof typeof actors]) =>
    api.app.inject({
      method: 'GET',
      url,
      headers: actor ? { authorization: `Bearer ${await api.tokenFor(actor)}` } : {},
    });

  it('the roles that may read the metrics: administrator and supervisor', async () => {
    for (const actor of [actors.admin, actors.supervisor])
      expect((await get('/metrics', actor)).statusCode).toBe(200);
  });

  it('without a token: 401 UNAUTHENTICATED; health and readiness stay open', async () => {
    const res = await get('/metrics');
    expect(res.statusCode).toBe(401);
    expect(res.json().errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
    expect(res.body).not.toContain('tiendo_');
    for (const url of ['/healthz', '/readyz']) expect((await get(url)).statusCode).toBe(200);
  });

  it('any other role: 403 FORBIDDEN, kept in access_denials, no metrics in the answer', async () => {
    for (const actor of [actors.reviewer, actors.investor]) {
      const res = await get('/metrics', actor);
      expect(res.statusCode).toBe(403);
      expect(res.json().errors[0].extensions).toEqual({
        code: 'FORBIDDEN',
        reason: 'OPERATION_NOT_ALLOWED_FOR_ROLE',
      });
      expect(res.body).not.toContain('tiendo_');
    }
    const { rows } = await api.db.pool.query(
      `SELECT user_id, role, via, operation, reason FROM access_denials WHERE operation = 'GET /metrics' ORDER BY id`,
    );
    expect(rows).toEqual(
      [actors.reviewer, actors.investor].map((a) => ({
        user_id: a.userId,
        role: a.role,
        via: 'jwt',
        operation: 'GET /metrics',
        reason: 'OPERATION_NOT_ALLOWED_FOR_ROLE',
      })),
    );
  });

  it('made public (TIENDO_METRICS_PUBLIC=1), it answers without a token', async () => {
    const app = appOn(api, { metricsPublic: true });
    try {
      const res = await app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('# TYPE tiendo_commands_handled_total counter');
    } finally {
      await app.close();
    }
  });
});
