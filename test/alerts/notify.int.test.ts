// The announcements behind the alertOpened subscription (migrations 020, 021): each alert inserted
// open is announced on channel tiendo_alerts with its key and episode, whoever opens it (the
// projection per event, the clock sweep); a rebuild that swaps the alerts read model in announces
// nothing, since the rows it copies opened before.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlertsAt } from '../../src/alerts/sweep.js';
import { asIsoDate } from '../../src/domain/dates.js';
import { cmd, type Harness, harness } from '../projections/harness.js';
import { nonStateTo } from '../projections/lifecycles.js';

let h: Harness;
let listener: pg.PoolClient;
let heard: string[] = [];

beforeAll(async () => {
  h = await harness();
  listener = await h.db.pool.connect();
  listener.on('notification', (m) => heard.push(m.payload ?? ''));
  await listener.query('LISTEN tiendo_alerts');
});
afterAll(async () => {
  listener?.release(true);
  await h?.close();
});

/** What was announced up to now: a marker sent last arrives after everything committed before it. */
async function announced(): Promise<Record<string, unknown>[]> {
  const marker = `marker-${Math.random()}`;
  await h.db.pool.query(`SELECT pg_notify('tiendo_alerts', $1)`, [marker]);
  for (let i = 0; i < 600 && !heard.includes(marker); i++) await new Promise((r) => setTimeout(r, 50));
  const before = heard.slice(0, heard.indexOf(marker));
  heard = [];
  return before.map((p) => JSON.parse(p) as Record<string, unknown>);
}

const plan = (projectId: string, dueDate: string) =>
  cmd('PlanMilestone', projectId, '2022-05-01', { milestoneId: 'M1', kind: 'other', name: 'Mốc 1', dueDate });
const progress = (projectId: string, on: string) =>
  cmd('ReportProgress', projectId, on, { period: on.slice(0, 7), physicalPercent: 5, delayCauses: [] });

describe('alert announcements', () => {
  it('announces an alert the projection opens at an event, by key and episode', async () => {
    await h.send(...nonStateTo('n.1', 'certified'), plan('n.1', '2022-06-30'), progress('n.1', '2022-10-01'));
    await h.runner().runOnce();
    expect(await announced()).toContainEqual({
      projectId: 'n.1',
      ruleId: 'MILESTONE_OVERDUE',
      key: 'M1',
      episode: 1,
    });
  });

  it('announces the alerts a clock sweep opens', async () => {
    await h.send(...nonStateTo('n.2', 'certified'), plan('n.2', '2022-06-30'));
    await h.runner().runOnce();
    await announced();
    await evaluateAlertsAt(h.db.pool, asIsoDate('2023-01-01'));
    expect(await announced()).toContainEqual(
      expect.objectContaining({ projectId: 'n.2', ruleId: 'MILESTONE_OVERDUE', key: 'M1' }),
    );
  });

  it('announces nothing when a rebuild swaps the alerts read model in', async () => {
    await announced();
    const { rows } = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM alerts WHERE status = 'open'`,
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
    await h.runner().rebuild('alerts');
    expect(await announced()).toEqual([]);
  });
});
