// The alerts projection on real PostgreSQL: each project event evaluates the rules on its effective
// date before and after it, so an alert closes with the very event that resolved it, even when
// several events came between two clock sweeps or the alert opened and closed between them.
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
const project = async (...commands: Record<string, unknown>[]) => {
  await h.send(...commands);
  await h.runner().runOnce();
};

async function alerts(projectId: string, ruleId: string) {
  const { rows } = await h.db.pool.query(
    `SELECT a.key, a.episode, a.status, to_char(a.since, 'YYYY-MM-DD') AS since,
            to_char(a.opened_at, 'YYYY-MM-DD') AS opened_at, to_char(a.closed_on, 'YYYY-MM-DD') AS closed_on,
            a.closed_reason, t.type AS closed_by
     FROM alerts a LEFT JOIN audit_trail t ON t.event_id = a.closed_by_event_id
     WHERE a.project_id = $1 AND a.rule_id = $2 ORDER BY a.key, a.episode`,
    [projectId, ruleId],
  );
  return rows;
}

const plan = (projectId: string, id: string, dueDate: string, on = '2022-05-01') =>
  cmd('PlanMilestone', projectId, on, { milestoneId: id, kind: 'other', name: `Mốc ${id}`, dueDate });
const reschedule = (projectId: string, id: string, on: string, to: string) =>
  cmd('RescheduleMilestone', projectId, on, {
    milestoneId: id,
    to,
    reason: 'Chậm giải phóng mặt bằng',
    causeKind: 'objective',
  });

describe('the alerts projection', () => {
  it('names the event that resolved an alert when several events came between two sweeps', async () => {
    await project(...nonStateTo('ap.1', 'certified'), plan('ap.1', 'KC01', '2022-06-30'));
    await sweep('2022-07-05');
    expect(await alerts('ap.1', 'MILESTONE_OVERDUE')).toMatchObject([
      { status: 'open', since: '2022-07-01' },
    ]);

    await project(
      cmd('ReportProgress', 'ap.1', '2022-07-10', { period: '2022-07', physicalPercent: 5, delayCauses: [] }),
      cmd('CompleteMilestone', 'ap.1', '2022-07-20', { milestoneId: 'KC01' }),
      cmd('RecordInspection', 'ap.1', '2022-07-25', {
        inspectionKind: 'inspection',
        result: 'compliant',
        findings: 'Không có vi phạm',
      }),
    );
    expect(await alerts('ap.1', 'MILESTONE_OVERDUE')).toMatchObject([
      {
        key: 'KC01',
        status: 'closed',
        opened_at: '2022-07-05',
        closed_on: '2022-07-20',
        closed_reason: 'resolved by event',
        closed_by: 'MilestoneCompleted',
      },
    ]);
    // The sweep after it finds nothing more to do.
    expect(await sweep('2022-08-01')).toMatchObject({ opened: 0, closed: 0 });
  });

  it('records an alert that opened and closed between two sweeps', async () => {
    await project(
      ...nonStateTo('ap.2', 'certified'),
      plan('ap.2', 'M1', '2022-06-30'),
      cmd('CompleteMilestone', 'ap.2', '2022-07-12', { milestoneId: 'M1' }),
    );
    expect(await alerts('ap.2', 'MILESTONE_OVERDUE')).toMatchObject([
      {
        key: 'M1',
        status: 'closed',
        since: '2022-07-01',
        opened_at: '2022-07-12',
        closed_on: '2022-07-12',
        closed_by: 'MilestoneCompleted',
      },
    ]);
  });

  it('opens an alert an event starts at once, and closes it with the event that ends it', async () => {
    await project(
      ...nonStateTo('ap.3', 'constructed'),
      later('ap.3', 'SuspendProject', SUSPEND),
      // Recorded 13 months after the suspension: the alert held from 15/11/2023 on.
      cmd('RecordInspection', 'ap.3', '2023-12-20', {
        inspectionKind: 'inspection',
        result: 'violationsFound',
        findings: 'Chưa khắc phục',
      }),
    );
    expect(await alerts('ap.3', 'SUSPENDED_TOO_LONG')).toMatchObject([
      { status: 'open', since: '2023-11-15', opened_at: '2023-12-20' },
    ]);
    await project(cmd('ResumeProject', 'ap.3', '2024-01-10', { reason: 'Đã khắc phục vi phạm' }));
    expect(await alerts('ap.3', 'SUSPENDED_TOO_LONG')).toMatchObject([
      { status: 'closed', closed_on: '2024-01-10', closed_by: 'ProjectResumed' },
    ]);
  });

  it("keeps episodes apart when an open alert's since moves onto a closed episode's date", async () => {
    await project(...nonStateTo('ap.4', 'certified'), plan('ap.4', 'M1', '2022-06-30'));
    await sweep('2022-07-10');
    await project(reschedule('ap.4', 'M1', '2022-07-15', '2022-07-31'));
    await sweep('2022-08-05');
    // Rescheduled back to the first date: the open episode's since becomes the closed one's.
    await project(reschedule('ap.4', 'M1', '2022-08-10', '2022-06-30'));
    expect(await alerts('ap.4', 'MILESTONE_OVERDUE')).toMatchObject([
      {
        episode: 1,
        since: '2022-07-01',
        status: 'closed',
        closed_on: '2022-07-15',
        closed_by: 'MilestoneRescheduled',
      },
      { episode: 2, since: '2022-07-01', status: 'open', opened_at: '2022-08-05' },
    ]);
  });

  it('closes with a back-dated event an alert it shows never held', async () => {
    await project(...nonStateTo('ap.5', 'certified'), plan('ap.5', 'M1', '2022-06-30'));
    await sweep('2022-08-01');
    // Completed on 20/6, before the due date, and recorded only after the sweep.
    await project(cmd('CompleteMilestone', 'ap.5', '2022-06-20', { milestoneId: 'M1' }));
    expect(await alerts('ap.5', 'MILESTONE_OVERDUE')).toMatchObject([
      { status: 'closed', closed_on: '2022-06-20', closed_by: 'MilestoneCompleted' },
    ]);
  });

  it('records the certificate issued late as an alert closed by InvestmentCertificateIssued', async () => {
    // Investor approved on 15/3/2022 (a Tuesday), certificate on 15/4/2022: due 22/3.
    await project(...nonStateTo('ap.7', 'certified'));
    expect(await alerts('ap.7', 'IRC_NOT_ISSUED')).toMatchObject([
      {
        key: 'certificate',
        since: '2022-03-23',
        status: 'closed',
        closed_on: '2022-04-15',
        closed_by: 'InvestmentCertificateIssued',
      },
    ]);
  });

  it('writes the same rows when rebuilt from the log', async () => {
    // Only rows events explain: this project is not swept.
    const dump = async () =>
      (
        await h.db.pool.query(
          "SELECT a::text AS row FROM alerts a WHERE project_id = 'ap.6' ORDER BY rule_id, key, episode",
        )
      ).rows.map((r) => r.row);
    await project(
      ...nonStateTo('ap.6', 'certified'),
      plan('ap.6', 'M1', '2022-06-30'),
      plan('ap.6', 'M2', '2022-07-31'),
      reschedule('ap.6', 'M1', '2022-07-20', '2022-09-30'),
      cmd('CompleteMilestone', 'ap.6', '2022-08-20', { milestoneId: 'M2' }),
    );
    const before = await dump();
    // The certificate late (closed by its issue), M1 and M2 overdue (closed by the reschedule and the
    // completion), the 2022-Q2 report missing.
    expect(before).toHaveLength(4);
    // Nor swept by the rebuild (it sweeps to the last sweep's date, rebuild-sweep.int.test.ts).
    await h.db.pool.query('DELETE FROM alert_sweeps');
    await h.runner().rebuild('alerts');
    expect(await dump()).toEqual(before);
  });
});
