// Leadership of the projection runners sharing a database (src/projections/leadership.ts): the first
// runner to try leads every projection and the others none; a lead passes on when its runner stops or
// when its lock connection is lost (the session ends, PostgreSQL releases the lock), and the runner that
// lost it takes it back only once nobody holds it.
import { afterEach, describe, expect, it } from 'vitest';
import { generateDemo } from '../../src/demo/generate.js';
import { PROJECTIONS } from '../../src/projections/index.js';
import type { ProjectionRunner } from '../../src/projections/runner.js';
import { type Harness, harness } from './harness.js';

const ALL = PROJECTIONS.map((p) => p.name);

describe('runner leadership', () => {
  let h: Harness;
  const runners: ProjectionRunner[] = [];
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
    await h.close();
  });

  function leader(changes: (readonly string[])[] = []): ProjectionRunner {
    const r = h.runner({ leadership: true, onLeadership: (leading) => changes.push(leading) });
    runners.push(r);
    return r;
  }

  it('one runner leads each projection and catches it up; the other catches up nothing', async () => {
    h = await harness();
    await h.send(...generateDemo({ nonState: 3, public: 2 }));
    const first = leader();
    const second = leader();
    const led = await first.runAsLeader();
    expect(led.map((r) => r.name)).toEqual(ALL);
    expect(led.every((r) => r.read > 0)).toBe(true);
    expect(await second.runAsLeader()).toEqual([]);
    expect(second.leading()).toEqual([]);
  });

  it('the lead passes on when its runner stops', async () => {
    h = await harness();
    const first = leader();
    const second = leader();
    await first.runAsLeader();
    expect(await second.runAsLeader()).toEqual([]);
    await first.stop();
    expect((await second.runAsLeader()).map((r) => r.name)).toEqual(ALL);
  });

  it('a runner whose lock connection is lost loses its leads; the other takes them; it gets none back', async () => {
    h = await harness();
    const changes: (readonly string[])[] = [];
    const first = leader(changes);
    const second = leader();
    await first.runAsLeader();
    await h.db.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
       AND pid <> pg_backend_pid()`,
    );
    // PostgreSQL releases the locks once the terminated session has ended: the other runner takes them.
    let taken: readonly string[] = [];
    while (taken.length < ALL.length) taken = (await second.runAsLeader()).map((r) => r.name);
    // The first learns of the loss at its connection's error event or its next try, and gets nothing.
    await first.runAsLeader().catch(() => {});
    expect(changes.at(-1)).toEqual([]);
    expect(await first.runAsLeader()).toEqual([]);
    expect(first.leading()).toEqual([]);
  });
});
