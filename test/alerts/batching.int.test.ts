// The alerts projection writes the same `alerts` rows however the log is cut into batches: one event
// per transaction, the whole log in one, or a rebuild, with clock sweeps between events, an alert
// the clock closed opening again, and back-dated events. Applying a batch twice changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsProjection } from '../../src/alerts/projection.js';
import { evaluateAlertsAt } from '../../src/alerts/sweep.js';
import { CommandHandler } from '../../src/commands/handler.js';
import { generateDemo } from '../../src/demo/generate.js';
import { asIsoDate } from '../../src/domain/dates.js';
import { toProjected } from '../../src/projections/projection.js';
import { cmd, type Harness, harness } from '../projections/harness.js';
import { nonStateTo } from '../projections/lifecycles.js';
import { statementsDuring } from '../support/statements.js';

let h: Harness;
let handler: CommandHandler;

/** Commands recorded one second apart in 2030 (after any sweep's now()): updated_at (the event's recorded time) tells events apart. */
function open(): void {
  let tick = Date.parse('2030-01-01T00:00:00.000Z');
  const clock = () => {
    tick += 1000;
    return new Date(tick);
  };
  handler = new CommandHandler({ store: h.store, clock });
}

beforeAll(async () => {
  h = await harness();
  open();
});
afterAll(async () => {
  await h?.close();
});

const TABLES = ['alerts', 'alert_project_state', 'alert_capital_plan', 'alert_project_capital'];
const send = async (commands: readonly Record<string, unknown>[]) => {
  for (const c of commands) await handler.handle(c, 'cli');
};
const sweep = (today: string) => evaluateAlertsAt(h.db.pool, asIsoDate(today));
/** The alerts, updated_at shown when an event wrote it last (a sweep writes the time it ran). */
const dump = async () =>
  (
    await h.db.pool.query<{ row: string }>(
      `SELECT (a.*)::text || CASE WHEN updated_at >= '2030-01-01' THEN '' ELSE ' (swept)' END AS row
       FROM (SELECT project_id, rule_id, key, episode, since, status, severity, regime, article, opened_at,
                    closed_on, closed_reason, closed_by_event_id, seen_revision, seen_on, reason_vi, reason_en,
                    CASE WHEN updated_at >= '2030-01-01' THEN updated_at END AS updated_at
             FROM alerts) a
       ORDER BY project_id, rule_id, key, episode`,
    )
  ).rows.map((r) => r.row);

/** The kinds of statement (`COPY alerts`, `INSERT INTO alerts`) that wrote `table` while `run` ran, in order. */
async function statementsTo(table: string, run: () => Promise<unknown>): Promise<string[]> {
  const writes = new RegExp(`^\\s*(COPY ${table}|INSERT INTO ${table}|UPDATE ${table})\\b`);
  return (await statementsDuring(run)).flatMap((text) => writes.exec(text)?.[1] ?? []);
}

async function reset(): Promise<void> {
  for (const t of TABLES) await h.db.pool.query(`DELETE FROM ${t}`);
  await h.db.pool.query(`DELETE FROM projection_checkpoints WHERE name = 'alerts'`);
}

/** Catches the alerts projection up with the log in batches of exactly `size` events. */
const catchUp = (size: number) =>
  h.runner({ projections: [alertsProjection], batchSize: size, rebuildBatchSize: size }).runOnce();

const plan = (projectId: string, id: string, dueDate: string, on = '2022-05-01') =>
  cmd('PlanMilestone', projectId, on, { milestoneId: id, kind: 'other', name: `Mốc ${id}`, dueDate });
const reschedule = (projectId: string, id: string, on: string, to: string) =>
  cmd('RescheduleMilestone', projectId, on, { milestoneId: id, to, reason: 'Chậm', causeKind: 'objective' });

// The demo province (every rule family, capital plans), then projects whose events come back-dated
// or move an open alert's since.
const demo = generateDemo({ nonState: 24, public: 16, seed: 9 }) as unknown as Record<string, unknown>[];
const early = demo.filter((c) => String(c.effectiveAt) < '2024-01-01');
const late = demo.filter((c) => String(c.effectiveAt) >= '2024-01-01');
const scripted = [
  ...nonStateTo('bt.1', 'certified'),
  plan('bt.1', 'M1', '2022-06-30'),
  plan('bt.1', 'M2', '2022-09-30'),
  reschedule('bt.1', 'M1', '2022-07-15', '2022-07-31'),
  reschedule('bt.1', 'M1', '2022-08-10', '2022-06-30'),
  cmd('CompleteMilestone', 'bt.1', '2022-06-20', { milestoneId: 'M2' }),
  cmd('CompleteMilestone', 'bt.1', '2022-08-20', { milestoneId: 'M1' }),
];

describe('the alerts projection, however the log is batched', () => {
  it('writes the same alerts one event per batch, in one batch and by a rebuild', async () => {
    await send([...demo, ...scripted]);
    await catchUp(1);
    const oneByOne = await dump();
    expect(oneByOne.length).toBeGreaterThan(50);
    expect(oneByOne.some((r) => r.includes('resolved by event'))).toBe(true);
    expect(oneByOne.some((r) => r.includes(',open,'))).toBe(true);

    await reset();
    await catchUp(100_000);
    expect(await dump()).toEqual(oneByOne);

    const inOrder = await h
      .runner({ projections: [alertsProjection], rebuildByStream: false })
      .rebuild('alerts');
    expect(inOrder.byStream).toBeUndefined();
    expect(await dump()).toEqual(oneByOne);

    const byStream = await h.runner({ projections: [alertsProjection] }).rebuild('alerts');
    expect(byStream.byStream).toBe(true);
    expect(await dump()).toEqual(oneByOne);
  });

  it('holds the alert rows of a rebuild across its batches and writes each row once, by COPY', async () => {
    const oneByOne = await dump();
    const writes = await statementsTo('alerts', () =>
      h
        .runner({ projections: [alertsProjection], rebuildBatchSize: 7, rebuildByStream: false })
        .rebuild('alerts'),
    );
    expect(await dump()).toEqual(oneByOne);
    expect(writes).toEqual(['COPY alerts']);
  });

  it('writes the same alerts when the memory of a rebuild fills, rewriting rows it wrote already', async () => {
    const oneByOne = await dump();
    const writes = await statementsTo('alerts', () =>
      h
        .runner({
          projections: [alertsProjection],
          rebuildBatchSize: 7,
          rebuildMemoCapacity: 5,
          rebuildByStream: false,
        })
        .rebuild('alerts'),
    );
    expect(await dump()).toEqual(oneByOne);
    expect(writes).toContain('COPY alerts');
    expect(writes).toContain('INSERT INTO alerts');
  });

  it('changes nothing when a batch is applied again', async () => {
    const before = await dump();
    const events = (await h.store.readAll({ maxCount: 100_000 })).filter((e) =>
      alertsProjection.handles.includes(e.type),
    );
    const tx = await h.db.pool.connect();
    try {
      await tx.query('BEGIN');
      await alertsProjection.applyBatch!(tx, events.map(toProjected));
      await alertsProjection.apply(tx, toProjected(events[events.length - 1]!));
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
    expect(await dump()).toEqual(before);
  });

  it('writes the same alerts in any batch size when clock sweeps come between events', async () => {
    const run = async (size: number) => {
      await reset();
      // Events already in the log are applied again from the start: only those up to `early` here.
      await catchUp(size);
      await sweep('2024-01-01');
      // Set back: closes by the clock what opened after 1/6/2023; later events open it again.
      await sweep('2023-06-01');
      return dump();
    };
    // A second log: the same commands, in two steps with sweeps between.
    const h1 = h;
    h = await harness();
    open();
    try {
      await send([...early, ...scripted]);
      const afterSweeps = [await run(1), await run(7), await run(100_000)];
      expect(afterSweeps[1]).toEqual(afterSweeps[0]);
      expect(afterSweeps[2]).toEqual(afterSweeps[0]);
      expect(afterSweeps[0]!.some((r) => r.includes(',clock,'))).toBe(true);

      // From the same tables (after the sweeps), the late events in batches of 1 and all at once.
      for (const t of TABLES) await h.db.pool.query(`CREATE TABLE snap_${t} AS SELECT * FROM ${t}`);
      const checkpoint = (await h.db.pool.query(`SELECT * FROM projection_checkpoints WHERE name = 'alerts'`))
        .rows[0];
      await send(late);
      const restore = async () => {
        for (const t of TABLES) {
          await h.db.pool.query(`DELETE FROM ${t}`);
          await h.db.pool.query(`INSERT INTO ${t} SELECT * FROM snap_${t}`);
        }
        await h.db.pool.query('UPDATE projection_checkpoints SET tx = $2, pos = $3 WHERE name = $1', [
          'alerts',
          checkpoint.tx,
          checkpoint.pos,
        ]);
      };
      await catchUp(1);
      const lateOneByOne = await dump();
      expect(lateOneByOne.some((r) => r.includes(',clock,'))).toBe(true);
      await restore();
      await catchUp(100_000);
      expect(await dump()).toEqual(lateOneByOne);
      await restore();
      await catchUp(13);
      expect(await dump()).toEqual(lateOneByOne);
    } finally {
      await h.close();
      h = h1;
    }
  });
});
