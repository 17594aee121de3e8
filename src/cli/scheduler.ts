// Runs tasks concurrently while keeping the order that matters: a task waits for every earlier task
// that touches any of the same keys (for an import: the streams a command reads or writes), and at
// most `concurrency` tasks run at once. Tasks with disjoint keys overtake each other freely; a task
// with no keys waits for nothing. Submission is in order; `whenRoom` bounds how far ahead it reads.

export interface SchedulerOptions {
  /** Tasks running at once. */
  readonly concurrency: number;
  /** Tasks submitted and not yet finished (waiting or running) before `whenRoom` holds back. */
  readonly window?: number;
}

export class KeyedScheduler {
  private readonly concurrency: number;
  private readonly window: number;
  /** The last submitted task touching each key, settled or not. */
  private readonly tails = new Map<string, Promise<void>>();
  /** Tasks whose predecessors have finished, waiting for a free slot, in submission order. */
  private readonly ready: (() => void)[] = [];
  private running = 0;
  private pending = 0;
  private readonly roomWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(options: SchedulerOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError(`concurrency must be a whole number ≥ 1, got ${options.concurrency}`);
    }
    this.concurrency = options.concurrency;
    this.window = Math.max(options.window ?? options.concurrency * 32, options.concurrency);
  }

  /** Tasks submitted and not yet finished. */
  get inFlight(): number {
    return this.pending;
  }

  /** Resolves when fewer than `window` tasks are in flight. */
  whenRoom(): Promise<void> {
    if (this.pending < this.window) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Resolves when every submitted task has finished. */
  whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Queues `task` behind every earlier task sharing a key with it. The returned promise settles as the
   * task does; a failing task does not stop the ones behind it (they still run, in order).
   */
  submit<T>(keys: Iterable<string>, task: () => Promise<T>): Promise<T> {
    this.pending++;
    const unique = [...new Set(keys)];
    const before = unique.map((k) => this.tails.get(k)).filter((p): p is Promise<void> => p !== undefined);
    const result = (before.length === 0 ? Promise.resolve() : Promise.all(before))
      .then(() => this.slot())
      .then(async () => {
        try {
          return await task();
        } finally {
          this.release();
        }
      });
    const settled = result.then(
      () => {},
      () => {},
    );
    for (const k of unique) this.tails.set(k, settled);
    void settled.then(() => this.finish(unique, settled));
    return result;
  }

  private slot(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.ready.push(resolve));
  }

  private release(): void {
    const next = this.ready.shift();
    // The slot passes straight to the next ready task: `running` stays the same.
    if (next) next();
    else this.running--;
  }

  private finish(keys: readonly string[], settled: Promise<void>): void {
    // Forget keys nobody queued behind, so the map holds only keys with work in flight.
    for (const k of keys) if (this.tails.get(k) === settled) this.tails.delete(k);
    this.pending--;
    // One place freed, one waiter woken: the window holds however many submitters there are.
    if (this.pending < this.window) this.roomWaiters.shift()?.();
    if (this.pending === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
