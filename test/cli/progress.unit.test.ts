// The rebuild's progress on stderr: on a terminal a bar with the events read of the log's total and
// the rate; elsewhere nothing until its plain line is due (logs keep no carriage returns).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { eventsPerSecond, startRebuildProgress } from '../../src/cli/progress.js';

/** A stream that says it is a terminal, keeping what is written. */
function terminal(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = Object.assign(new PassThrough(), {
    isTTY,
    columns: 160,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

describe('rebuild progress', () => {
  it('draws a bar with the events read of the total and the rate on a terminal', async () => {
    const t = terminal(true);
    const p = startRebuildProgress('project_status', 10, t.stream);
    p.update(5, 1);
    p.stop();
    await new Promise((r) => setImmediate(r));
    expect(t.text()).toMatch(/project_status \[.*\] 50% \| 5\/10 events \| \d+ events\/s \| 1 parked/);
  });

  it('grows the total when more events than counted were read (appended meanwhile)', async () => {
    const t = terminal(true);
    const p = startRebuildProgress('audit_trail', 0, t.stream);
    p.update(3, 0);
    p.stop();
    await new Promise((r) => setImmediate(r));
    expect(t.text()).toContain('3/3 events');
  });

  it('ends full when the rebuild is done, though it read fewer events than the log holds (by stream)', async () => {
    const t = terminal(true);
    const p = startRebuildProgress('alerts', 10, t.stream);
    p.update(8, 0);
    p.finish(8, 0);
    p.stop();
    await new Promise((r) => setImmediate(r));
    expect(t.text()).toContain('100% | 8/8 events');
  });

  it('writes no bar where stderr is not a terminal', async () => {
    const t = terminal(false);
    const p = startRebuildProgress('project_status', 10, t.stream);
    p.update(5, 0);
    p.stop();
    await new Promise((r) => setImmediate(r));
    expect(t.text()).toBe('');
  });
});

describe('eventsPerSecond', () => {
  it('divides the events by the seconds elapsed', () => {
    expect(eventsPerSecond(3000, 1000, 3000)).toBe(1500);
  });
});
