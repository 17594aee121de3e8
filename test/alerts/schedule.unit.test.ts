// The sweep schedule while serving, with the clock and the timer in the test's hands: a sweep at
// start on today's Vietnam date, then one at each Vietnam midnight (or sooner with an interval),
// nothing after stop().
import { describe, expect, it } from 'vitest';
import { msToNextVietnamMidnight, scheduleSweeps, type Timer } from '../../src/alerts/schedule.js';

/** A clock the test sets and a timer that runs only when the test fires it. */
function fakeTime(start: string) {
  let now = new Date(start);
  const pending: { run: () => void; ms: number; id: number }[] = [];
  let ids = 0;
  const timer: Timer = {
    set(run, ms) {
      pending.push({ run, ms, id: ++ids });
      return ids;
    },
    clear(handle) {
      const i = pending.findIndex((p) => p.id === handle);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  return {
    now: () => now,
    timer,
    pending,
    /** Moves the clock to the pending timer's due time and runs it. */
    async fire() {
      const t = pending.shift();
      if (!t) throw new Error('no timer pending');
      now = new Date(now.getTime() + t.ms);
      t.run();
      await settle();
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('scheduleSweeps', () => {
  it('sweeps at start, then at each Vietnam midnight on the new date', async () => {
    // 23:59:59 on 21/11 in Vietnam.
    const t = fakeTime('2026-11-21T16:59:59.000Z');
    const swept: string[] = [];
    const s = scheduleSweeps({ sweep: async (d) => swept.push(d), now: t.now, timer: t.timer });
    await s.started;
    await settle();
    expect(swept).toEqual(['2026-11-21']);
    expect(t.pending.map((p) => p.ms)).toEqual([1000]);

    await t.fire();
    expect(swept).toEqual(['2026-11-21', '2026-11-22']);
    expect(t.pending.map((p) => p.ms)).toEqual([86_400_000]);
    await t.fire();
    expect(swept).toEqual(['2026-11-21', '2026-11-22', '2026-11-23']);
    await s.stop();
  });

  it('sweeps every interval between midnights when one is given, never past a midnight', async () => {
    const t = fakeTime('2026-11-21T16:50:00.000Z'); // 23:50 in Vietnam
    const swept: string[] = [];
    const s = scheduleSweeps({
      sweep: async (d) => swept.push(d),
      now: t.now,
      timer: t.timer,
      intervalMs: 15 * 60_000,
    });
    await s.started;
    await settle();
    expect(t.pending.map((p) => p.ms)).toEqual([10 * 60_000]);
    await t.fire();
    expect(t.pending.map((p) => p.ms)).toEqual([15 * 60_000]);
    expect(swept).toEqual(['2026-11-21', '2026-11-22']);
    await s.stop();
  });

  it('goes on after a failed sweep, reporting it', async () => {
    const t = fakeTime('2026-11-21T10:00:00.000Z');
    const errors: unknown[] = [];
    let calls = 0;
    const s = scheduleSweeps({
      sweep: async () => {
        calls++;
        if (calls === 2) throw new Error('database unreachable');
      },
      now: t.now,
      timer: t.timer,
      onError: (e) => errors.push(e),
    });
    await s.started;
    await settle();
    await t.fire();
    expect(errors).toMatchObject([{ message: 'database unreachable' }]);
    expect(t.pending).toHaveLength(1);
    await t.fire();
    expect(calls).toBe(3);
    await s.stop();
  });

  it('stops: the next sweep is cancelled and a running one is waited for', async () => {
    const t = fakeTime('2026-11-21T10:00:00.000Z');
    let release: () => void = () => {};
    const swept: string[] = [];
    const s = scheduleSweeps({
      sweep: async (d) => {
        swept.push(d);
        if (swept.length === 2) await new Promise<void>((r) => (release = r));
      },
      now: t.now,
      timer: t.timer,
    });
    await s.started;
    await settle();
    await t.fire(); // the second sweep starts and hangs
    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(t.pending).toEqual([]);
    expect(swept).toHaveLength(2);
  });
});

describe('msToNextVietnamMidnight', () => {
  it('counts to 00:00 at UTC+7', () => {
    expect(msToNextVietnamMidnight(new Date('2026-11-21T17:00:00.000Z'))).toBe(86_400_000);
    expect(msToNextVietnamMidnight(new Date('2026-11-21T16:00:00.000Z'))).toBe(3_600_000);
    expect(msToNextVietnamMidnight(new Date('2026-11-21T00:00:00.000Z'))).toBe(17 * 3_600_000);
  });
});
