// Specification of what a runner remembers between its batches: the states it folded (so the next
// batch need not read them back) are trusted only while nobody else wrote the projection's tables.
// Another runner's batches and a batch that failed make it read the tables again (so do a retry of
// parked events and a rebuild's swap, which move the checkpoint's generation too); whatever happens in between, the tables end as a clean rebuild's.
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECTIONS, projectStatusProjection } from '../../src/projections/index.js';
import type { Projection } from '../../src/projections/projection.js';
import { type Harness, harness, READ_MODEL_TABLES } from './harness.js';
import { later, nonStateTo } from './lifecycles.js';

const statusTables = READ_MODEL_TABLES.filter(([t]) =>
  ['project_status', 'project_capital', 'audit_trail', 'audit_project_state'].includes(t),
);
const dump = async (h: Harness) =>
  Object.fromEntries(await Promise.all(statusTables.map(async ([t, o]) => [t, await h.dump(t, o)])));
const [status, audit] = PROJECTIONS as [Projection, Projection];
const both = [status, audit];

/** What a clean rebuild of both projections gives, for the log as it is now. */
async function rebuilt(h: Harness) {
  const r = h.runner({ projections: both });
  for (const p of both) await r.rebuild(p.name);
  return dump(h);
}

describe('what a runner remembers between batches', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('is forgotten when another runner applied batches meanwhile', async () => {
    h = await harness();
    const a = h.runner({ projections: both });
    const b = h.runner({ projections: both });
    await h.send(...nonStateTo('ns.1', 'certified'));
    await a.runOnce(); // a remembers ns.1 as certified
    await h.send(later('ns.1', 'StartConstruction', {}, 5));
    await b.runOnce(); // b moves ns.1 on; a's memory is now behind the tables
    await h.send(later('ns.1', 'CompleteConstruction', {}, 6));
    await a.runOnce();

    const after = await dump(h);
    expect(after.project_status.join()).toContain(',constructed,');
    expect(after).toEqual(await rebuilt(h));
  });

  it('is forgotten when a batch fails, and the same runner then ends as a clean rebuild', async () => {
    h = await harness();
    let kill = false;
    const dying: Projection = {
      ...projectStatusProjection,
      applyBatch: async (tx, events, memo) => {
        await projectStatusProjection.applyBatch?.(tx, events, memo);
        if (kill) {
          kill = false;
          await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
        }
      },
    };
    const a = h.runner({ projections: [dying, audit] });
    await h.send(...nonStateTo('ns.1', 'certified'));
    await a.runOnce();
    await h.send(later('ns.1', 'StartConstruction', {}, 5));
    kill = true;
    await expect(a.runOnce()).rejects.toThrow();
    // The same batch again: what the failed one folded was never written, so it must be folded anew.
    await a.runOnce();
    expect(await dump(h)).toEqual(await rebuilt(h));
    await h.send(later('ns.1', 'CompleteConstruction', {}, 6));
    await a.runOnce();

    expect(await dump(h)).toEqual(await rebuilt(h));
  });
});
