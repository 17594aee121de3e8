// The capital rules through the alerts projection and the clock sweep on real PostgreSQL: capital
// plan events re-evaluate the projects they move money for, so an extension of the disbursement
// period or a disbursement catching up closes the alert it resolves, by that event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlertsAt } from '../../src/alerts/sweep.js';
import { asIsoDate } from '../../src/domain/dates.js';
import { type Harness, harness } from '../projections/harness.js';
import { publicPolicyDecided } from '../projections/lifecycles.js';
import { actors, raw } from '../support/fixtures.js';

let h: Harness;
const TY = '000000000';
const plan = (type: string, on: string, data: object) =>
  raw(type, { province: '04', year: 2022, ...data }, { actor: actors.finance, effectiveAt: on });

beforeAll(async () => {
  h = await harness();
  await h.send(
    ...publicPolicyDecided('cap.1'),
    ...publicPolicyDecided('cap.2'),
    plan('AssignAnnualCapitalPlan', '2022-01-05', { total: `100${TY}` }),
    plan('AllocateCapital', '2022-01-10', { projectId: 'cap.1', amount: `40${TY}` }),
    plan('AllocateCapital', '2022-01-12', { projectId: 'cap.2', amount: `10${TY}` }),
    plan('DisburseCapital', '2022-03-01', { projectId: 'cap.1', amount: `2${TY}`, source: 'provincial' }),
  );
  await h.runner().runOnce();
});
afterAll(async () => {
  await h?.close();
});

const sweep = (today: string) => evaluateAlertsAt(h.db.pool, asIsoDate(today));
async function alerts(ruleId: string, projectId = 'cap.1') {
  const { rows } = await h.db.pool.query(
    `SELECT a.key, a.status, to_char(a.since, 'YYYY-MM-DD') AS since, to_char(a.closed_on, 'YYYY-MM-DD') AS closed_on,
            a.closed_reason, e.type AS closed_by
     FROM alerts a LEFT JOIN events e ON e.event_id = a.closed_by_event_id
     WHERE a.project_id = $2 AND a.rule_id = $1 ORDER BY a.key, a.episode`,
    [ruleId, projectId],
  );
  return rows;
}

describe('capital alerts', () => {
  it('LOW_DISBURSEMENT opens after the checkpoint and closes with the disbursement that catches up', async () => {
    await sweep('2022-04-01');
    // 2 of 40 tỷ (5%) by 31/3 against 15%.
    expect(await alerts('LOW_DISBURSEMENT')).toMatchObject([
      { key: 'low:2022:03-31', status: 'open', since: '2022-04-01' },
    ]);
    await h.send(
      plan('DisburseCapital', '2022-04-20', { projectId: 'cap.1', amount: `6${TY}`, source: 'provincial' }),
    );
    await h.runner().runOnce();
    expect(await alerts('LOW_DISBURSEMENT')).toMatchObject([
      {
        status: 'closed',
        closed_on: '2022-04-20',
        closed_reason: 'resolved by event',
        closed_by: 'CapitalDisbursed',
      },
    ]);
  });

  it('CAPITAL_NOT_DISBURSED opens the day after 31 January and closes when the period is extended', async () => {
    await sweep('2023-01-31');
    expect(await alerts('CAPITAL_NOT_DISBURSED')).toEqual([]);
    await sweep('2023-02-01');
    expect(await alerts('CAPITAL_NOT_DISBURSED')).toMatchObject([
      { key: 'undisbursed:2022', status: 'open', since: '2023-02-01' },
    ]);
    await h.send(
      plan('ExtendDisbursementPeriod', '2023-02-10', { to: '2023-12-31', reason: 'Dự án chuyển tiếp' }),
    );
    await h.runner().runOnce();
    expect(await alerts('CAPITAL_NOT_DISBURSED')).toMatchObject([
      {
        status: 'closed',
        closed_on: '2023-02-10',
        closed_reason: 'resolved by event',
        closed_by: 'DisbursementPeriodExtended',
      },
    ]);
  });

  it('comes out the same rebuilt by stream as from the log in order: an extension judges every project in its plan', async () => {
    // A row the rebuild's sweep wrote has that moment as updated_at: left out.
    const tables = [
      `(SELECT project_id, rule_id, key, episode, since, status, severity, regime, article, opened_at,
               closed_on, closed_reason, closed_by_event_id, seen_revision, seen_on, reason_vi, reason_en,
               updated_at < '2026-11-21T09:00:00Z' AS by_event
        FROM alerts)`,
      'alert_project_state',
      'alert_capital_plan',
      'alert_project_capital',
    ];
    const dump = () => Promise.all(tables.map((t) => h.dump(t, '1')));
    const inOrder = await h.runner({ rebuildByStream: false }).rebuild('alerts');
    expect(inOrder.byStream).toBeUndefined();
    const reference = await dump();
    const byStream = await h.runner().rebuild('alerts');
    expect(byStream.byStream).toBe(true);
    expect(await dump()).toEqual(reference);
    // cap.2, which the extension moved no money for, had its alert closed by it too.
    expect(await alerts('CAPITAL_NOT_DISBURSED', 'cap.2')).toMatchObject([
      { status: 'closed', closed_on: '2023-02-10', closed_by: 'DisbursementPeriodExtended' },
    ]);
  });
});
