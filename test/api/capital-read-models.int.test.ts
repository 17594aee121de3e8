// Where capitalPlan(province, year) reads: the capital_plans read model when it holds the plan
// stream's head revision, the stream folded live otherwise — so it answers a client's own writes at
// once and, once the runner has caught up, without reading the stream. Both give the same plan.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { capitalPlan } from '../../src/api/capital-read-models.js';
import { type Harness, harness } from '../projections/harness.js';
import { publicPolicyDecided } from '../projections/lifecycles.js';
import { actors, raw } from '../support/fixtures.js';

const plan = { province: '04', year: 2022 };
const finance = { actor: actors.finance, effectiveAt: '2022-02-01' };
const allocate = (projectId: string, amount: string) =>
  raw('AllocateCapital', { ...plan, projectId, amount }, finance);

let h: Harness;
beforeAll(async () => {
  h = await harness();
  await h.send(
    ...publicPolicyDecided('RM1'),
    raw('AssignAnnualCapitalPlan', { ...plan, total: '90000000000' }, finance),
    allocate('RM1', '30000000000'),
  );
});
afterAll(() => h?.close());

const read = () => capitalPlan(h.store, h.db.pool, '04', 2022);

describe('capitalPlan', () => {
  it('folds the stream while the read model has not caught up', async () => {
    const streamReads = vi.spyOn(h.store, 'readStream');
    const live = await read();
    expect(streamReads).toHaveBeenCalled();
    expect(live).toMatchObject({ revision: 1, allocated: 30000000000n });
    streamReads.mockRestore();
  });

  it('answers from the read model once it holds the head, with the same plan', async () => {
    const live = await read();
    await h.runner().runOnce();
    const streamReads = vi.spyOn(h.store, 'readStream');
    expect(await read()).toEqual(live);
    expect(streamReads).not.toHaveBeenCalled();
    streamReads.mockRestore();
  });

  it('folds the stream again when a write went past the read model (read-your-writes)', async () => {
    await h.send(allocate('RM1', '5000000000'));
    expect(await read()).toMatchObject({ revision: 2, allocated: 35000000000n, unallocated: 55000000000n });
  });

  it('is null for a plan never assigned', async () => {
    expect(await capitalPlan(h.store, h.db.pool, '04', 2031)).toBeNull();
  });
});
