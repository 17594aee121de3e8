// The clock sweep while serving: once at start, then at each midnight in Vietnam (UTC+7, no daylight
// saving) — when the business date changes and time-driven alerts open — and, if asked, every
// `intervalMs` in between. The clock and the timer are injected so tests move time instead of waiting.
import { type IsoDate, localDateOf, VIETNAM_UTC_OFFSET_MS } from '../domain/dates.js';

export interface Timer {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimer: Timer = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SweepScheduleOptions {
  /** One sweep on a business date (evaluateAlertsAt bound to a pool). */
  readonly sweep: (today: IsoDate) => Promise<unknown>;
  readonly now?: () => Date;
  readonly timer?: Timer;
  /** Also sweep this often (ms) between midnights; only midnights when absent. */
  readonly intervalMs?: number;
  /** A failed sweep is reported here; the schedule goes on. */
  readonly onError?: (error: unknown) => void;
}

export interface SweepSchedule {
  /** Settles when the sweep at start has run (rejects if it failed). */
  readonly started: Promise<void>;
  /** Cancels the next sweep and waits for one running. */
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

/** Milliseconds from `now` to the next 00:00 in Vietnam. */
export function msToNextVietnamMidnight(now: Date): number {
  const local = now.getTime() + VIETNAM_UTC_OFFSET_MS;
  return (Math.floor(local / DAY_MS) + 1) * DAY_MS - local;
}

export function scheduleSweeps(options: SweepScheduleOptions): SweepSchedule {
  const now = options.now ?? (() => new Date());
  const timer = options.timer ?? realTimer;
  const onError = options.onError ?? (() => {});
  let stopped = false;
  let handle: unknown;
  let running: Promise<void> = Promise.resolve();

  const delay = () => {
    const midnight = msToNextVietnamMidnight(now());
    return options.intervalMs ? Math.min(options.intervalMs, midnight) : midnight;
  };
  const sweepNow = () => options.sweep(localDateOf(now().toISOString())).then(() => {});
  const next = () => {
    if (stopped) return;
    handle = timer.set(() => {
      handle = undefined;
      running = sweepNow().catch(onError).then(next);
    }, delay());
  };

  const started = sweepNow();
  running = started.catch(onError).then(next);
  return {
    started,
    async stop() {
      stopped = true;
      if (handle !== undefined) timer.clear(handle);
      handle = undefined;
      await running;
    },
  };
}
