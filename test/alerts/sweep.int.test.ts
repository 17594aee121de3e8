// The alerts read model on real PostgreSQL: the clock sweep (src/alerts/sweep.ts) over the folded
// states opens an alert when the date passes a condition's start, and closes it ('clock') when the
// same state no longer meets it on the date swept. Closes by events: projection.int.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlertsAt } from '../../src/alerts/sweep.js';
import { asIsoDate } from '../../src/domain/dates.js';
import { cmd, type Harness, harness } from '../projections/harness.js';
import { later, nonStateTo, SUSPEND } from '../projections/lifecycles.js';

let h: Harness;

beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h?.close();
});

const sweep = (today: string) => evaluateAlertsAt(h.db.pool, asIsoDate(today));

async function alerts(projectId: string, ruleId: string) {
  const { rows } = await h.db.pool.query(
    `SELECT key, status, severity, to_char(since, 'YYYY-MM-DD') AS since,
            to_char(opened_at, 'YYYY-MM-DD') AS opened_at, to_char(closed_on, 'YYYY-MM-DD') AS closed_on,
            closed_reason, closed_by_event_id, reason_vi, reason_en
     FROM alerts WHERE project_id = $1 AND rule_id = $2 ORDER BY since`,
    [projectId, ruleId],
  );
  return rows;
}

describe('the clock sweep', () => {
  it('opens MILESTONE_OVERDUE once the clock passes the due date, not the day before, and refreshes it', async () => {
    await h.send(
      ...nonStateTo('al.m', 'certified'),
      cmd('PlanMilestone', 'al.m', '2022-05-01', {
        milestoneId: 'KC01',
        kind: 'constructionStart',
        name: 'Khởi công',
        dueDate: '2022-06-30',
      }),
    );
    await h.runner().runOnce();

    await sweep('2022-06-30');
    expect(await alerts('al.m', 'MILESTONE_OVERDUE')).toEqual([]);

    const opened = await sweep('2022-07-01');
    expect(opened.opened).toBeGreaterThanOrEqual(1);
    expect(await alerts('al.m', 'MILESTONE_OVERDUE')).toEqual([
      expect.objectContaining({
        key: 'KC01',
        status: 'open',
        severity: 'violation',
        since: '2022-07-01',
        opened_at: '2022-07-01',
        closed_on: null,
      }),
    ]);
    // Idempotent: the same date again opens and closes nothing.
    const again = await sweep('2022-07-01');
    expect([again.opened, again.closed]).toEqual([0, 0]);
    // Later, still open, one row; its reason follows the date.
    await sweep('2022-07-10');
    const still = await alerts('al.m', 'MILESTONE_OVERDUE');
    expect(still).toHaveLength(1);
    expect(still[0].reason_en).toMatch(/10 days late/);

    // The event that resolves it closes it as it is projected (projection.int.test.ts): no sweep needed.
    await h.send(
      cmd('StartConstruction', 'al.m', '2022-07-20'),
      cmd('CompleteMilestone', 'al.m', '2022-07-20', { milestoneId: 'KC01' }),
    );
    await h.runner().runOnce();
    expect(await alerts('al.m', 'MILESTONE_OVERDUE')).toMatchObject([
      { status: 'closed', closed_on: '2022-07-20', closed_reason: 'resolved by event' },
    ]);
    expect(await sweep('2022-08-01')).toMatchObject({ opened: 0, closed: 0 });
  });

  it('opens SUSPENDED_TOO_LONG 12 months after the suspension and closes it on resume', async () => {
    await h.send(...nonStateTo('al.s', 'constructed'), later('al.s', 'SuspendProject', SUSPEND));
    await h.runner().runOnce();

    await sweep('2023-11-14');
    expect(await alerts('al.s', 'SUSPENDED_TOO_LONG')).toEqual([]);
    await sweep('2023-11-15');
    expect(await alerts('al.s', 'SUSPENDED_TOO_LONG')).toEqual([
      expect.objectContaining({ key: 'suspension', status: 'open', since: '2023-11-15' }),
    ]);

    await h.send(cmd('ResumeProject', 'al.s', '2023-12-01', { reason: 'Đã khắc phục vi phạm' }));
    await h.runner().runOnce();
    await sweep('2023-12-05');
    expect(await alerts('al.s', 'SUSPENDED_TOO_LONG')).toEqual([
      expect.objectContaining({
        status: 'closed',
        closed_on: '2023-12-01',
        closed_reason: 'resolved by event',
      }),
    ]);
  });

  it("closes with 'clock' when the same state no longer meets the condition on the date swept", async () => {
    await h.send(...nonStateTo('al.c', 'constructed'), later('al.c', 'SuspendProject', SUSPEND));
    await h.runner().runOnce();
    await sweep('2023-11-20');
    expect(await alerts('al.c', 'SUSPENDED_TOO_LONG')).toMatchObject([{ status: 'open' }]);
    // The clock set back (as a what-if): the state did not change, so time closed it.
    await sweep('2023-11-01');
    expect(await alerts('al.c', 'SUSPENDED_TOO_LONG')).toMatchObject([
      { status: 'closed', closed_on: '2023-11-01', closed_reason: 'clock', closed_by_event_id: null },
    ]);
    // Forward again: the same episode (same since) opens again in its row.
    await sweep('2023-11-20');
    expect(await alerts('al.c', 'SUSPENDED_TOO_LONG')).toMatchObject([
      { status: 'open', closed_on: null, closed_reason: null },
    ]);
  });
});
