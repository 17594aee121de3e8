// A rebuild of the alerts read model replays events only; the alerts that opened because time passed
// come from the clock sweep. The rebuild ends with the last sweep's date swept over the rebuilt
// tables before they are swapped in, so no alert the sweep had opened goes missing meanwhile.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsProjection } from '../../src/alerts/projection.js';
import { evaluateAlertsAt } from '../../src/alerts/sweep.js';
import { generateDemo } from '../../src/demo/generate.js';
import { asIsoDate } from '../../src/domain/dates.js';
import { cmd, type Harness, harness } from '../projections/harness.js';
import { nonStateTo } from '../projections/lifecycles.js';

let h: Harness;

beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h?.close();
});

const sweep = (today: string) => evaluateAlertsAt(h.db.pool, asIsoDate(today));
const rebuild = () => h.runner({ projections: [alertsProjection] }).rebuild('alerts');
/** The alerts, but updated_at (a sweep writes the time it ran). */
const alerts = async () =>
  (
    await h.db.pool.query<{ row: string }>(
      `SELECT concat_ws('|', project_id, rule_id, key, episode, since, status, severity, regime, article,
                        opened_at, closed_on, closed_reason, closed_by_event_id, seen_revision, seen_on,
                        reason_vi, reason_en) AS row
       FROM alerts ORDER BY project_id, rule_id, key, episode`,
    )
  ).rows.map((r) => r.row);
const plan = (projectId: string, dueDate: string) =>
  cmd('PlanMilestone', projectId, '2022-05-01', { milestoneId: 'M1', kind: 'other', name: 'Mốc 1', dueDate });

describe('rebuilding the alerts read model', () => {
  it('writes nothing beyond the events when alerts were never swept', async () => {
    await h.send(...nonStateTo('rb.1', 'certified'), plan('rb.1', '2022-06-30'));
    await h.runner().runOnce();
    const replayed = await alerts();
    expect(replayed.filter((r) => r.startsWith('rb.1|MILESTONE_OVERDUE'))).toEqual([]);
    await rebuild();
    expect(await alerts()).toEqual(replayed);
  });

  it('keeps the alerts the last sweep opened, as that sweep left them', async () => {
    await sweep('2022-08-01');
    const swept = await alerts();
    // No event opened it: the clock did, on 1/8/2022.
    expect(swept.filter((r) => r.startsWith('rb.1|MILESTONE_OVERDUE'))).toEqual([
      expect.stringMatching(/^rb\.1\|MILESTONE_OVERDUE\|M1\|1\|2022-07-01\|open\|.*\|2022-08-01\|/),
    ]);
    await rebuild();
    expect(await alerts()).toEqual(swept);
    // The rebuilt rows are the sweep's: sweeping the same date again changes nothing.
    expect(await sweep('2022-08-01')).toMatchObject({ opened: 0, closed: 0 });
  });

  it('sweeps to the date last swept, a date set back included', async () => {
    await sweep('2023-01-01');
    await sweep('2022-06-01');
    const setBack = (await alerts()).filter((r) => r.startsWith('rb.1|MILESTONE_OVERDUE'));
    expect(setBack).toEqual([expect.stringMatching(/\|closed\|.*\|clock\|/)]);
    await rebuild();
    // The episode the clock closed is not replayed: nothing is open on 1/6/2022.
    expect((await alerts()).filter((r) => r.startsWith('rb.1|MILESTONE_OVERDUE'))).toEqual([]);
    await sweep('2023-01-01');
    await rebuild();
    expect((await alerts()).filter((r) => r.startsWith('rb.1|MILESTONE_OVERDUE'))).toEqual([
      expect.stringMatching(/\|open\|.*\|2023-01-01\|/),
    ]);
  });

  it('sweeps each project as a rebuild by stream ends it: the rows a sweep of the rebuilt tables gives, without that sweep at the swap', async () => {
    // The demo province: capital plans, every rule family, alerts the clock opens and closes.
    await h.send(...generateDemo({ nonState: 12, public: 8, seed: 11 }));
    await h.runner().runOnce();
    await sweep('2024-03-15');
    expect((await alerts()).filter((r) => r.includes('|clock|')).length).toBeGreaterThan(0);
    // Every statement sent meanwhile, to tell a sweep over all the folded states.
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0];
      sent.push(typeof q === 'string' ? q : String((q as { text?: unknown })?.text ?? ''));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    const sweptAll = () =>
      sent.filter((q) => q.includes('FROM alert_project_state ORDER BY project_id')).length;
    try {
      const inOrder = await h
        .runner({ projections: [alertsProjection], rebuildByStream: false })
        .rebuild('alerts');
      expect(inOrder.byStream).toBeUndefined();
      // rb.1's rows say when the sweeps of the earlier tests first saw them open; a rebuild knows only
      // the last sweep's date. The two rebuilds are compared.
      const reference = await alerts();
      expect(sweptAll()).toBe(1);
      sent.length = 0;
      const byStream = await rebuild();
      expect(byStream.byStream).toBe(true);
      expect(await alerts()).toEqual(reference);
      expect(sweptAll()).toBe(0);
    } finally {
      pg.Client.prototype.query = query;
    }
    // The rebuilt rows are the sweep's: sweeping the same date again changes nothing.
    expect(await sweep('2024-03-15')).toMatchObject({ opened: 0, closed: 0 });
  });
});
