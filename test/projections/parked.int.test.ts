// Specification of parked events and the order of a stream: an event a projection cannot apply is
// parked, and so is every later event of the same stream (a fold cannot skip a revision), while other
// streams go on. A retry applies them in log order; one that fails again keeps the rest of its
// stream waiting. Afterwards the tables are those of a clean rebuild.
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECTIONS, projectStatusProjection } from '../../src/projections/index.js';
import type { Projection } from '../../src/projections/projection.js';
import { type Harness, harness, rowText } from './harness.js';
import { later, nonStateTo, SUSPEND } from './lifecycles.js';

/** project_status, but unable to apply a suspension while `failing.on`. */
const flaky = (failing: { on: boolean }): Projection => ({
  ...projectStatusProjection,
  applyBatch: async (tx, events, memo) => {
    if (failing.on && events.some((e) => e.type === 'ProjectSuspended')) throw new Error('cannot suspend');
    await projectStatusProjection.applyBatch?.(tx, events, memo);
  },
  apply: async (tx, e) => {
    if (failing.on && e.type === 'ProjectSuspended') throw new Error('cannot suspend');
    await projectStatusProjection.apply(tx, e);
  },
});

const progress = (month: number) =>
  later(
    'ns.1',
    'ReportProgress',
    { period: `2022-Q${month - 8}`, physicalPercent: 5 * month, delayCauses: [] },
    month,
  );

const history = async (h: Harness, projectId: string): Promise<string[]> => {
  const { rows } = await h.db.pool.query<{ state: string }>(
    'SELECT state FROM project_status WHERE project_id = $1',
    [projectId],
  );
  return JSON.parse(rows[0]?.state ?? '{"history":[]}').history.map((e: { type: string }) => e.type);
};

describe('parked events and stream order', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('holds back the later events of the stream, in this batch and the next, and lets other streams go on', async () => {
    h = await harness();
    const failing = { on: true };
    const runner = h.runner({ projections: [flaky(failing)] });
    await h.send(
      ...nonStateTo('ns.1', 'underConstruction'),
      later('ns.1', 'SuspendProject', SUSPEND),
      ...nonStateTo('ns.2', 'certified'),
      progress(11),
    );
    const [first] = await runner.runOnce();
    expect(first?.parked).toBe(2);
    await h.send(progress(12));
    const [second] = await runner.runOnce();
    expect(second?.parked).toBe(1);

    const parked = await runner.parked('project_status');
    expect(parked.map((p) => [p.type, p.revision])).toEqual([
      ['ProjectSuspended', 5],
      ['ProgressReported', 6],
      ['ProgressReported', 7],
    ]);
    expect(parked[1]?.error).toMatch(/^HeldBack: .*project-ns\.1 is parked/);
    expect((await rowText(h, 'project_status', 'project_id = $1', ['ns.1']))?.revision).toBe('4');
    expect((await rowText(h, 'project_status', 'project_id = $1', ['ns.2']))?.phase).toBe('certified');
  });

  it('applies them in log order on retry, so the stream folds as a clean rebuild does', async () => {
    h = await harness();
    const failing = { on: true };
    const runner = h.runner({ projections: [flaky(failing)] });
    await h.send(
      ...nonStateTo('ns.1', 'underConstruction'),
      later('ns.1', 'SuspendProject', SUSPEND),
      progress(11),
    );
    await runner.runOnce();

    // Still failing: the first stays, and the one behind it is not tried.
    expect(await runner.retryParked('project_status')).toEqual({ retried: 2, resolved: 0, remaining: 2 });
    expect((await runner.parked('project_status')).map((p) => p.attempts)).toEqual([2, 1]);

    failing.on = false;
    expect(await runner.retryParked('project_status')).toEqual({ retried: 2, resolved: 2, remaining: 0 });
    expect((await history(h, 'ns.1')).slice(-2)).toEqual(['ProjectSuspended', 'ProgressReported']);
    await h.send(later('ns.1', 'ResumeProject', { reason: 'Đã khắc phục vi phạm' }, 12));
    await runner.runOnce();

    const live = await h.dump('project_status', 'project_id');
    await h.runner({ projections: PROJECTIONS }).rebuild('project_status');
    expect(await h.dump('project_status', 'project_id')).toEqual(live);
  });

  it('in a rebuild that holds rows back, writes what earlier batches held before applying event by event', async () => {
    h = await harness();
    const failing = { on: true };
    await h.send(...nonStateTo('ns.2', 'certified'), ...nonStateTo('ns.1', 'underConstruction'));
    await h.send(later('ns.1', 'SuspendProject', SUSPEND), progress(11));
    await h.send(...nonStateTo('ns.3', 'certified'));
    // Batches of 3: ns.2's rows are only in the rebuild's memory when the suspension's batch fails.
    const runner = h.runner({ projections: [flaky(failing)], rebuildBatchSize: 3, batchSize: 3 });
    const report = await runner.rebuild('project_status');
    expect(report.parked).toBe(2);
    expect((await rowText(h, 'project_status', 'project_id = $1', ['ns.2']))?.phase).toBe('certified');
    expect((await rowText(h, 'project_status', 'project_id = $1', ['ns.1']))?.revision).toBe('4');

    failing.on = false;
    expect(await runner.retryParked('project_status')).toMatchObject({ resolved: 2, remaining: 0 });
    const healed = await h.dump('project_status', 'project_id');
    await h.runner({ projections: PROJECTIONS }).rebuild('project_status');
    expect(await h.dump('project_status', 'project_id')).toEqual(healed);
  });
});
