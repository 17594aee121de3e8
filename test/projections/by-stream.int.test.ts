// A rebuild stream by stream (the alerts projection's) is only a faster way to the same tables: when it
// cannot finish, the runner rebuilds from the log in order, which parks what cannot be applied, and
// says why in its report, having handed back every connection it took; a pool too small for its
// connections rebuilds in order from the start.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { alertsProjection } from '../../src/alerts/projection.js';
import { ProjectionRunner } from '../../src/projections/runner.js';
import { type Harness, harness } from './harness.js';
import { later, nonStateTo, SUSPEND } from './lifecycles.js';

const ALERT_TABLES = [
  ['alerts', 'project_id, rule_id, key, episode'],
  ['alert_project_state', 'project_id'],
  ['alert_capital_plan', 'plan_stream'],
  ['alert_project_capital', 'project_id, plan_stream'],
] as const;
const dumpAlerts = async (h: Harness) => Promise.all(ALERT_TABLES.map(([t, order]) => h.dump(t, order)));

describe('a rebuild stream by stream', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('gives way to the log in order when an event does not decode, which parks it', async () => {
    h = await harness();
    await h.send(...nonStateTo('ns.1', 'underConstruction'), ...nonStateTo('ns.2', 'certified'));
    // A suspension stored with a schema version no reader knows, then a valid event after it.
    await h.store.append(
      'project-ns.1',
      [
        {
          id: 'bad-1',
          type: 'ProjectSuspended',
          schemaVersion: 99,
          data: SUSPEND,
          metadata: { actor: 'tester', effectiveAt: '2022-10-01' },
        },
      ],
      { expectedRevision: 'any' },
    );
    await h.send(later('ns.2', 'SuspendProject', SUSPEND));

    const runner = h.runner({ projections: [alertsProjection] });
    const report = await runner.rebuild('alerts');
    expect(report.byStream).toBeUndefined();
    expect(report.byStreamError).toMatch(/no upcaster for ProjectSuspended v99/);
    expect(report.parked).toBe(1);
    expect((await runner.parked('alerts')).map((p) => [p.stream, p.type])).toEqual([
      ['project-ns.1', 'ProjectSuspended'],
    ]);
    // The tables a rebuild from the log in order makes.
    const fellBack = await dumpAlerts(h);
    expect(fellBack[1]?.length).toBe(2);
    await h.runner({ projections: [alertsProjection], rebuildByStream: false }).rebuild('alerts');
    expect(await dumpAlerts(h)).toEqual(fellBack);
  });

  it('hands back every connection when it fails before the transactions it asked for are open', async () => {
    h = await harness();
    await h.send(...nonStateTo('ns.1', 'certified'));
    // A capital event no reader knows: the rebuild fails reading the capital events, while the
    // transactions for its COPYs are still being opened.
    await h.store.append(
      'capitalplan-04.2024',
      [
        {
          id: 'bad-capital',
          type: 'AnnualCapitalPlanAssigned',
          schemaVersion: 99,
          data: {},
          metadata: { actor: 'tester', effectiveAt: '2024-01-05' },
        },
      ],
      { expectedRevision: 'any' },
    );
    const pool = new pg.Pool({ connectionString: h.db.url, max: 8 });
    try {
      const runner = new ProjectionRunner({ pool, store: h.store, projections: [alertsProjection] });
      const report = await runner.rebuild('alerts');
      expect(report.byStreamError).toMatch(/no upcaster for AnnualCapitalPlanAssigned v99/);
      expect(report.parked).toBe(1);
      expect([pool.totalCount - pool.idleCount, pool.waitingCount]).toEqual([0, 0]);
      const { rows } = await h.db.pool.query(
        "SELECT count(*)::integer AS n FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'",
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('is not tried on a pool too small for its connections', async () => {
    h = await harness();
    await h.send(...nonStateTo('ns.1', 'underConstruction'));
    const small = new pg.Pool({ connectionString: h.db.url, max: 4 });
    try {
      const runner = new ProjectionRunner({ pool: small, store: h.store, projections: [alertsProjection] });
      const report = await runner.rebuild('alerts');
      const { rows } = await h.db.pool.query('SELECT count(*)::integer AS n FROM events');
      expect([report.byStream, report.byStreamError, report.applied]).toEqual([
        undefined,
        undefined,
        rows[0].n,
      ]);
      const reference = await dumpAlerts(h);
      const byStream = await h.runner({ projections: [alertsProjection] }).rebuild('alerts');
      expect(byStream.byStream).toBe(true);
      expect(await dumpAlerts(h)).toEqual(reference);
    } finally {
      await small.end();
    }
  });
});
