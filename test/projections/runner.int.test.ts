// Specification of the projection runner on real PostgreSQL: a batch and its checkpoint commit
// together, so a connection killed in the middle of a batch loses and repeats nothing; a projection
// whose version changes is rebuilt; an event a projection cannot apply is parked without stopping it
// or the others, and applied when retried.
import { afterEach, describe, expect, it } from 'vitest';
import { generateDemo } from '../../src/demo/generate.js';
import { PROJECTIONS, projectStatusProjection } from '../../src/projections/index.js';
import type { Projection } from '../../src/projections/projection.js';
import { ProjectionsFailedError } from '../../src/projections/runner.js';
import { comparePositions, LOG_START, type ReadAllOptions } from '../../src/store/port.js';
import { statementsDuring } from '../support/statements.js';
import { type Harness, harness, READ_MODEL_TABLES, rowText } from './harness.js';
import { later, nonStateTo, SUSPEND } from './lifecycles.js';

const dumpAll = async (h: Harness) =>
  Object.fromEntries(await Promise.all(READ_MODEL_TABLES.map(async ([t, o]) => [t, await h.dump(t, o)])));

const checkpoint = async (h: Harness, name: string) =>
  (await h.db.pool.query('SELECT version, tx, pos FROM projection_checkpoints WHERE name = $1', [name]))
    .rows[0];

/** How many times `run` read a checkpoint (the runner's SELECT of projection_checkpoints). */
const checkpointReads = async (run: () => Promise<unknown>) =>
  (await statementsDuring(run)).filter((text) =>
    text.startsWith('SELECT version, tx, pos FROM projection_checkpoints'),
  ).length;

/** Every projection back at the log's start: its tables emptied, its checkpoint gone. */
async function emptyAll(h: Harness): Promise<void> {
  for (const p of PROJECTIONS) for (const t of p.tables ?? []) await h.db.pool.query(`DELETE FROM ${t}`);
  await h.db.pool.query('DELETE FROM projection_checkpoints');
}

/** The projection applying event by event (its batch path left out, as the runner allows). */
const oneByOne = ({ applyBatch: _batch, ...p }: Projection): Projection => p;

/** The projection, but the connection applying its `n`th event dies once (as in a crash or failover). */
function killedAt(p: Projection, n: number): Projection {
  let calls = 0;
  return {
    ...oneByOne(p),
    async apply(tx, e) {
      if (++calls === n) await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
      await p.apply(tx, e);
    },
  };
}

/** The projection, but its apply throws on events of `type` while `failing.on` is true. */
function failingOn(p: Projection, type: string, failing: { on: boolean }): Projection {
  return {
    ...oneByOne(p),
    async apply(tx, e) {
      if (failing.on && e.type === type) throw new Error(`cannot apply ${type}`);
      await p.apply(tx, e);
    },
  };
}

describe('projection runner', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('resumes after a connection killed mid-batch and ends with the tables a clean rebuild gives', async () => {
    h = await harness();
    await h.send(...generateDemo({ nonState: 20, public: 10 }));
    const [status, audit] = PROJECTIONS as [Projection, Projection];

    const crashing = h.runner({ projections: [killedAt(status, 130), audit], batchSize: 50 });
    const failure = await crashing.runOnce().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProjectionsFailedError);
    const { failures, reports } = failure as ProjectionsFailedError;
    expect(failures.map((f) => f.name)).toEqual(['project_status']);
    // The other projection went on to the end of the log.
    expect(reports[1]).toMatchObject({ name: 'audit_trail', parked: 0 });
    // Batches before the one killed had committed with their checkpoint.
    expect(BigInt((await checkpoint(h, 'project_status')).pos)).toBeGreaterThan(0n);

    // Resumed with the batch path: the one-by-one path before the crash must have written the same.
    const resumed = await h.runner({ batchSize: 50 }).runOnce();
    expect(resumed.map((r) => r.parked)).toEqual(PROJECTIONS.map(() => 0));
    const afterResume = await dumpAll(h);

    const rebuilder = h.runner();
    for (const p of PROJECTIONS) await rebuilder.rebuild(p.name);
    expect(await dumpAll(h)).toEqual(afterResume);
    const { rows } = await h.db.pool.query(
      "SELECT count(*)::integer AS n FROM events WHERE category = 'project'",
    );
    expect(afterResume.audit_trail).toHaveLength(rows[0].n);
  });

  it('writes the same tables through the batch path as event by event', async () => {
    h = await harness();
    await h.send(...generateDemo({ nonState: 15, public: 10, seed: 7 }));
    await h.runner({ projections: PROJECTIONS.map(oneByOne) }).runOnce();
    const oneAtATime = await dumpAll(h);
    const batched = h.runner({ batchSize: 1000, rebuildBatchSize: 1000 });
    for (const p of PROJECTIONS) await batched.rebuild(p.name);
    expect(await dumpAll(h)).toEqual(oneAtATime);
    // A rebuild's memory too small for the province: rows held back are written whenever it fills,
    // and rows written already are rewritten (not copied in again) when later events change them.
    const cramped = h.runner({ batchSize: 40, rebuildBatchSize: 40, rebuildMemoCapacity: 7 });
    for (const p of PROJECTIONS) await cramped.rebuild(p.name);
    expect(await dumpAll(h)).toEqual(oneAtATime);
  });

  it('rebuilds a projection from the start when its version changes', async () => {
    h = await harness();
    await h.send(...nonStateTo('ns.1', 'certified'));
    await h.runner().runOnce();
    const before = await dumpAll(h);
    // A row no event explains: only a rebuild removes it.
    await h.db.pool.query(
      `INSERT INTO project_status SELECT 'stray', family, name, code, province, admin_unit, agency_id, sector,
         project_group, owner_name, owner_id, owner_tax_code, phase, phase_since, suspended, suspended_since,
         certificate_number, certificate_issued_on, certificate_revoked_on, proposed_capital, approved_capital,
         registered_capital, total_investment, capital_contributed, capital_allocated, capital_disbursed,
         funding_assigned, funding_amount, progress_period, progress_percent, progress_reported_on, milestones,
         registered_on, revision, updated_at, state FROM project_status`,
    );

    const next = { ...projectStatusProjection, version: projectStatusProjection.version + 1 };
    const [report] = await h.runner({ projections: [next] }).runOnce();
    expect(report).toMatchObject({ name: 'project_status', rebuilt: true, applied: 4 });
    expect((await checkpoint(h, 'project_status')).version).toBe(next.version);
    expect(await dumpAll(h)).toEqual(before);

    const [again] = await h.runner({ projections: [next] }).runOnce();
    expect(again).toMatchObject({ rebuilt: false, read: 0 });
  });

  it('rebuilds into fresh tables and swaps them in: queries running meanwhile always see every project', async () => {
    h = await harness();
    await h.send(...generateDemo({ nonState: 25, public: 10, seed: 11 }));
    const runner = h.runner({ batchSize: 100, rebuildBatchSize: 100 });
    await runner.runOnce();
    const count = async (relation = 'project_status') =>
      (await h.db.pool.query(`SELECT count(*)::integer AS n FROM ${relation}`)).rows[0].n as number;
    const projects = await count();
    const before = await dumpAll(h);

    const seen: number[] = [];
    const batches: number[] = [];
    let rebuilding = true;
    const reader = (async () => {
      while (rebuilding) seen.push(await count());
    })();
    // And through the view on it, which the swap drops and makes again.
    const viewReader = (async () => {
      while (rebuilding) seen.push(await count('portfolio_projects'));
    })();
    await runner.rebuild('project_status', (r) => batches.push(r.read));
    rebuilding = false;
    await Promise.all([reader, viewReader]);

    expect(batches.length).toBeGreaterThan(2);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([projects]));
    expect(await dumpAll(h)).toEqual(before);
    const { rows } = await h.db.pool.query(
      "SELECT name FROM projection_checkpoints UNION ALL SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild_%'",
    );
    expect(rows.map((r) => r.name).sort()).toEqual(PROJECTIONS.map((p) => p.name).sort());

    // The same for a table the swap moves in whole (test/projections/swap.int.test.ts).
    const entries = async () =>
      (await h.db.pool.query('SELECT count(*)::integer AS n FROM audit_trail')).rows[0].n as number;
    const audited = await entries();
    const counted: number[] = [];
    rebuilding = true;
    const auditReader = (async () => {
      while (rebuilding) counted.push(await entries());
    })();
    await runner.rebuild('audit_trail');
    rebuilding = false;
    await auditReader;
    expect(counted.length).toBeGreaterThan(0);
    expect(new Set(counted)).toEqual(new Set([audited]));
    expect(await dumpAll(h)).toEqual(before);
  });

  it('runs one rebuild of a projection at a time: a second one at once is refused', async () => {
    h = await harness();
    await h.send(...generateDemo({ nonState: 10, public: 5, seed: 3 }));
    const first = h.runner({ batchSize: 20, rebuildBatchSize: 20 });
    const second = h.runner();
    const results = await Promise.allSettled([
      first.rebuild('audit_trail'),
      (async () => {
        // Start once the first rebuild holds its lock (it has read a batch).
        await expect
          .poll(async () => (await checkpoint(h, 'audit_trail#rebuild')) !== undefined, {
            interval: 1,
            timeout: 10_000, // a loaded machine can take more than the default second to get there
          })
          .toBe(true);
        return second.rebuild('audit_trail');
      })(),
    ]);
    expect(results[0].status).toBe('fulfilled');
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { name: 'RebuildRunningError' } });
  });

  it('parks an event it cannot apply, goes on with the rest and the other projections, and applies it on retry', async () => {
    h = await harness();
    await h.send(
      ...nonStateTo('ns.1', 'underConstruction'),
      later('ns.1', 'SuspendProject', SUSPEND),
      ...nonStateTo('ns.2', 'certified'),
    );
    const failing = { on: true };
    const [status, audit] = PROJECTIONS as [Projection, Projection];
    const runner = h.runner({ projections: [failingOn(status, 'ProjectSuspended', failing), audit] });

    const reports = await runner.runOnce();
    expect(reports.map((r) => [r.name, r.parked])).toEqual([
      ['project_status', 1],
      ['audit_trail', 0],
    ]);
    const parked = await runner.parked();
    expect(parked).toMatchObject([
      {
        name: 'project_status',
        stream: 'project-ns.1',
        revision: 5,
        type: 'ProjectSuspended',
        error: 'Error: cannot apply ProjectSuspended',
        attempts: 1,
      },
    ]);
    // Events after the parked one, in the same batch, were applied; the audit trail has them all.
    expect((await rowText(h, 'project_status', 'project_id = $1', ['ns.2']))?.phase).toBe('certified');
    expect((await rowText(h, 'project_status', 'project_id = $1', ['ns.1']))?.suspended).toBe('false');
    expect((await rowText(h, 'audit_trail', 'project_id = $1 AND revision = 5', ['ns.1']))?.type).toBe(
      'ProjectSuspended',
    );

    expect(await runner.retryParked('project_status')).toEqual({ retried: 1, resolved: 0, remaining: 1 });
    expect((await runner.parked('project_status'))[0]?.attempts).toBe(2);

    failing.on = false;
    expect(await runner.retryParked('project_status')).toEqual({ retried: 1, resolved: 1, remaining: 0 });
    expect(await runner.parked()).toEqual([]);
    expect((await rowText(h, 'project_status', 'project_id = $1', ['ns.1']))?.suspended).toBe('true');
  });

  it('follows the log once started, until stopped', async () => {
    h = await harness();
    const runner = h.runner({ pollIntervalMs: 20 });
    runner.start();
    await h.send(...nonStateTo('ns.1', 'policyApproved'));
    await expect
      .poll(async () => (await rowText(h, 'project_status', 'project_id = $1', ['ns.1']))?.phase, {
        timeout: 5000,
      })
      .toBe('policyApproved');
    await runner.stop();
  });

  it('catches up a projection at the log’s start as a rebuild when the log is long: the same tables, the log read once', async () => {
    h = await harness();
    await h.send(...generateDemo({ nonState: 12, public: 6, seed: 3 }));
    const count = async (where: string) =>
      (await h.db.pool.query(`SELECT count(*)::integer AS n FROM events ${where}`)).rows[0].n as number;
    const total = await count('');
    // A rebuild by stream reads only the categories it folds.
    const readByStream: Record<string, number> = {
      alerts: await count(`WHERE category IN ('project', 'capitalplan')`),
      audit_trail: await count(`WHERE category = 'project'`),
    };
    const batchByBatch = await h
      .runner({ batchSize: 50, rebuildFromStartAt: Number.POSITIVE_INFINITY })
      .runOnce();
    expect(batchByBatch.map((r) => r.rebuilt)).toEqual(PROJECTIONS.map(() => false));
    const reference = await dumpAll(h);

    await emptyAll(h);
    // Each read of the log from its start, by a store that counts them.
    const fromStart: string[] = [];
    const readAll = h.store.readAll.bind(h.store);
    h.store.readAll = (options?: ReadAllOptions) => {
      const after = options?.after ?? LOG_START;
      if (comparePositions(after, LOG_START) === 0 && !options?.categories)
        fromStart.push(`${options?.maxCount ?? -1} ${options?.metadata ? 'without metadata' : 'whole'}`);
      return readAll(options);
    };
    const reports = await h
      .runner({ batchSize: 50, rebuildBatchSize: 200, rebuildFromStartAt: 100 })
      .runOnce();
    expect(reports.map((r) => [r.name, r.rebuilt, r.byStream === true, r.read])).toEqual(
      PROJECTIONS.map((p) => {
        const byStream = readByStream[p.name];
        return byStream === undefined ? [p.name, true, false, total] : [p.name, true, true, byStream];
      }),
    );
    expect(await dumpAll(h)).toEqual(reference);
    // Once per projection, to count 100 events: the rebuild's first batch is those events. A rebuild by
    // stream reads its categories afresh: it only counts them, without their metadata.
    expect(fromStart).toEqual(
      PROJECTIONS.map((p) => (p.name in readByStream ? '100 without metadata' : '100 whole')),
    );
  });

  it('catches up batch by batch below that many events, and once the projection has applied some', async () => {
    h = await harness();
    const demo = generateDemo({ nonState: 8, public: 4, seed: 4 });
    await h.send(...demo.slice(0, 40));
    const first = await h.runner({ rebuildFromStartAt: 10_000 }).runOnce();
    expect(first.map((r) => r.rebuilt)).toEqual(PROJECTIONS.map(() => false));
    await h.send(...demo.slice(40));
    const runner = h.runner({ rebuildFromStartAt: 10 });
    const rest = await runner.runOnce();
    expect(rest.map((r) => r.rebuilt)).toEqual(PROJECTIONS.map(() => false));
    expect(Math.min(...rest.map((r) => r.read))).toBeGreaterThan(10);
    // Found past the start, a projection is not asked again: at the next poll its checkpoint is read
    // once, by the catch-up.
    const reads = await checkpointReads(() => runner.runOnce());
    expect(reads).toBe(PROJECTIONS.length);
  });

  it('reads bigger batches while they come back full, up to rebuildBatchSize, which a rebuild uses throughout', async () => {
    h = await harness();
    await h.send(...generateDemo({ nonState: 6, public: 3, seed: 5 }));
    const { rows } = await h.db.pool.query<{ type: string }>('SELECT DISTINCT type FROM events');
    const total = (await h.db.pool.query('SELECT count(*)::integer AS n FROM events')).rows[0].n as number;
    const sizes: number[] = [];
    // Handles every type in the log, so each batch it is given is a whole batch read.
    const counter: Projection = {
      name: 'counter',
      version: 1,
      handles: rows.map((r) => r.type),
      apply: async () => {},
      applyBatch: async (_tx, events) => {
        sizes.push(events.length);
      },
    };
    const runner = h.runner({ projections: [counter], batchSize: 10, rebuildBatchSize: 40 });

    await runner.runOnce();
    const growing = [10, 20, 40];
    while (growing.reduce((a, b) => a + b, 0) < total) growing.push(40);
    growing[growing.length - 1] = total - growing.slice(0, -1).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(70);
    expect(sizes).toEqual(growing);

    sizes.length = 0;
    await runner.rebuild('counter');
    const whole = Array.from({ length: Math.ceil(total / 40) }, (_, i) => Math.min(40, total - 40 * i));
    expect(sizes).toEqual(whole);
  });
});
