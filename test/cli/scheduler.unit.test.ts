// The import's scheduler: concurrency across keys, submission order within a key.
import { describe, expect, it } from 'vitest';
import { KeyedScheduler } from '../../src/cli/scheduler.js';

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(e: Error): void;
}
function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

describe('KeyedScheduler', () => {
  it('runs tasks on the same key one after another, in submission order', async () => {
    const s = new KeyedScheduler({ concurrency: 4 });
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const done = gates.map((g, i) =>
      s.submit(['project-A'], async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0]);
    gates[0]!.resolve();
    await tick();
    expect(started).toEqual([0, 1]);
    gates[2]!.resolve(); // finishing early does not let the third overtake the second
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    expect(await Promise.all(done)).toEqual([0, 1, 2]);
    expect(started).toEqual([0, 1, 2]);
  });

  it('runs tasks on different keys at once, up to the concurrency', async () => {
    const s = new KeyedScheduler({ concurrency: 2 });
    const gates = [deferred(), deferred(), deferred()];
    const started: string[] = [];
    const done = ['A', 'B', 'C'].map((k, i) =>
      s.submit([k], async () => {
        started.push(k);
        await gates[i]!.promise;
      }),
    );
    await tick();
    expect(started).toEqual(['A', 'B']);
    gates[1]!.resolve();
    await tick();
    expect(started).toEqual(['A', 'B', 'C']);
    gates[0]!.resolve();
    gates[2]!.resolve();
    await Promise.all(done);
  });

  it('makes a task touching two keys wait for both, and later tasks on either key wait for it', async () => {
    const s = new KeyedScheduler({ concurrency: 8 });
    const a = deferred();
    const b = deferred();
    const both = deferred();
    const started: string[] = [];
    const run = (name: string, keys: string[], gate: Deferred | null) =>
      s.submit(keys, async () => {
        started.push(name);
        await gate?.promise;
      });
    const all = [
      run('a', ['project-A'], a),
      run('b', ['project-B'], b),
      run('plan', ['capitalplan-04_2022', 'project-A', 'project-B'], both),
      run('after-a', ['project-A'], null),
      run('other', ['project-C'], null),
    ];
    await tick();
    expect(started).toEqual(['a', 'b', 'other']);
    a.resolve();
    await tick();
    expect(started).toEqual(['a', 'b', 'other']);
    b.resolve();
    await tick();
    expect(started).toEqual(['a', 'b', 'other', 'plan']);
    both.resolve();
    await Promise.all(all);
    expect(started).toEqual(['a', 'b', 'other', 'plan', 'after-a']);
  });

  it('lets a failing task reject its own promise without stopping the tasks behind it', async () => {
    const s = new KeyedScheduler({ concurrency: 2 });
    const order: string[] = [];
    const first = s.submit(['K'], async () => {
      order.push('first');
      throw new Error('rejected line');
    });
    const second = s.submit(['K'], async () => {
      order.push('second');
      return 'applied';
    });
    await expect(first).rejects.toThrow('rejected line');
    await expect(second).resolves.toBe('applied');
    expect(order).toEqual(['first', 'second']);
  });

  it('runs a task with no keys without waiting for anything but a free slot', async () => {
    const s = new KeyedScheduler({ concurrency: 2 });
    const gate = deferred();
    const started: string[] = [];
    const blocked = s.submit(['K'], async () => {
      started.push('k1');
      await gate.promise;
    });
    const behind = s.submit(['K'], async () => void started.push('k2'));
    const free = s.submit([], async () => void started.push('none'));
    await tick();
    expect(started).toEqual(['k1', 'none']);
    gate.resolve();
    await Promise.all([blocked, behind, free]);
  });

  it('holds the submitter back while the window is full and lets it go as tasks finish', async () => {
    const s = new KeyedScheduler({ concurrency: 1, window: 2 });
    const gate = deferred();
    void s.submit(['A'], () => gate.promise);
    void s.submit(['B'], async () => {});
    let room = false;
    void s.whenRoom().then(() => {
      room = true;
    });
    await tick();
    expect(room).toBe(false);
    expect(s.inFlight).toBe(2);
    gate.resolve();
    await s.whenIdle();
    expect(room).toBe(true);
    expect(s.inFlight).toBe(0);
  });

  it('keeps per-key order and the concurrency bound under a random mix', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const s = new KeyedScheduler({ concurrency: 3, window: 10 });
    const keys = ['A', 'B', 'C', 'D', 'E'];
    const seenPerKey = new Map<string, number[]>();
    let running = 0;
    let maxRunning = 0;
    const all: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      const mine = keys.filter(() => random() < 0.3);
      const delay = Math.floor(random() * 3);
      await s.whenRoom();
      expect(s.inFlight).toBeLessThan(10);
      all.push(
        s.submit(mine, async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          for (const k of mine) seenPerKey.set(k, [...(seenPerKey.get(k) ?? []), i]);
          await new Promise((r) => setTimeout(r, delay));
          running--;
        }),
      );
    }
    await Promise.all(all);
    expect(maxRunning).toBeLessThanOrEqual(3);
    expect(maxRunning).toBeGreaterThan(1);
    for (const seq of seenPerKey.values()) expect(seq).toEqual([...seq].sort((x, y) => x - y));
  });

  it('refuses a concurrency below one', () => {
    expect(() => new KeyedScheduler({ concurrency: 0 })).toThrow(RangeError);
  });
});
