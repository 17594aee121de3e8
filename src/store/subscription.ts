// The catch-up-then-live loop every adapter's subscribe() runs: read a batch after the last position,
// hand it over, repeat; when the log is drained, sleep until woken (a new append) or until the poll
// interval passes. A wake-up whose read finds nothing means the new events are held back behind an
// older transaction still running (see postgres-sql.ts): look again soon, then less and less often.
// Failures (reading or the handler) go to onError and are retried after a backoff, from the last
// position handed over successfully, so a failed batch is delivered again.
import type { LogPosition, ReadAllOptions, RecordedEvent, SubscribeOptions, Subscription } from './port.js';
import { LOG_START } from './port.js';

export interface SubscriptionTuning {
  /** Batch size when the caller sets no maxCount. */
  readonly batchSize: number;
  /** Longest sleep without a wake-up: covers lost notifications and events held back by the log. */
  readonly pollIntervalMs: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  /** First look again after a wake-up that found nothing; doubles up to the poll interval. */
  readonly firstRecheckMs: number;
}

export const DEFAULT_TUNING: SubscriptionTuning = {
  batchSize: 500,
  pollIntervalMs: 500,
  minBackoffMs: 50,
  firstRecheckMs: 10,
  maxBackoffMs: 5000,
};

/**
 * Wake-ups counted by a version number: a reader notes the version before it reads, and waiting for
 * that version returns at once if a wake-up came in between, so none is lost in that gap.
 */
export class Wakeup {
  private current = 0;
  private readonly waiters = new Set<() => void>();

  get version(): number {
    return this.current;
  }

  notify(): void {
    this.current++;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  /** Resolves when the version moves past `seen`, after `ms`, or when `signal` aborts. */
  wait(seen: number, ms: number, signal: AbortSignal): Promise<void> {
    if (this.current !== seen || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      this.waiters.add(done);
    });
  }
}

/** The pause before retry number `failures` (0-based): doubling from minBackoffMs, capped at maxBackoffMs. */
export const backoffMs = (failures: number, tuning: SubscriptionTuning): number =>
  Math.min(tuning.maxBackoffMs, tuning.minBackoffMs * 2 ** Math.min(failures, 30));

export interface LogSource {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Waits as Wakeup.wait does; may first set up what delivers wake-ups (and throw if it cannot). */
  waitForEvents(seen: number, ms: number, signal: AbortSignal): Promise<void>;
  readonly wakeupVersion: number;
}

/** A source that reads with `readAll` and is woken by an in-process Wakeup (memory, KurrentDB). */
export function wakeupSource(readAll: LogSource['readAll'], wakeup: Wakeup): LogSource {
  return {
    readAll,
    waitForEvents: (seen, ms, signal) => wakeup.wait(seen, ms, signal),
    get wakeupVersion() {
      return wakeup.version;
    },
  };
}

export function startSubscription(
  source: LogSource,
  options: SubscribeOptions,
  tuning: SubscriptionTuning = DEFAULT_TUNING,
): Subscription {
  const stop = new AbortController();
  const read: ReadAllOptions = {
    maxCount: options.maxCount ?? tuning.batchSize,
    ...(options.categories ? { categories: options.categories } : {}),
  };

  const run = async () => {
    let after: LogPosition = options.after ?? LOG_START;
    let failures = 0;
    let recheck = 0;
    while (!stop.signal.aborted) {
      try {
        const seen = source.wakeupVersion;
        const batch = await source.readAll({ ...read, after });
        if (stop.signal.aborted) return;
        if (batch.length === 0) {
          await source.waitForEvents(seen, recheck || tuning.pollIntervalMs, stop.signal);
          if (source.wakeupVersion !== seen) recheck = tuning.firstRecheckMs;
          else recheck = recheck && recheck * 2 < tuning.pollIntervalMs ? recheck * 2 : 0;
          continue;
        }
        await options.onEvents(batch);
        after = batch[batch.length - 1]!.position;
        failures = 0;
        recheck = 0;
      } catch (error) {
        if (stop.signal.aborted) return;
        try {
          options.onError?.(error);
        } catch {
          // A failing error handler must not end the subscription.
        }
        await sleep(backoffMs(failures++, tuning), stop.signal);
      }
    }
  };

  const done = run();
  return {
    done,
    close: async () => {
      stop.abort();
      await done;
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Wakeup().wait(0, ms, signal);
}

/** An adapter's running subscriptions, so that closing the store closes them all. */
export class Subscriptions {
  private readonly running = new Set<Subscription>();

  start(source: LogSource, options: SubscribeOptions, tuning: SubscriptionTuning): Subscription {
    const subscription = startSubscription(source, options, tuning);
    this.running.add(subscription);
    void subscription.done.then(() => this.running.delete(subscription));
    return subscription;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.running].map((s) => s.close()));
  }
}
