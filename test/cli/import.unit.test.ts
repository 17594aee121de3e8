// The import's rules, on the in-memory store: line numbers, counts, per-stream order, and stopping.
import { describe, expect, it } from 'vitest';
import { importCommands } from '../../src/cli/import.js';
import { CommandHandler } from '../../src/commands/handler.js';
import { UnavailableError } from '../../src/domain/errors.js';
import { InMemoryEventStore } from '../../src/store/memory.js';
import type { EventStore } from '../../src/store/port.js';
import { raw, registerNonState } from '../support/fixtures.js';

const progress = (projectId: string, physicalPercent: number, commandId?: string) =>
  raw(
    'ReportProgress',
    { projectId, period: '2022-02', physicalPercent, delayCauses: [] },
    { effectiveAt: '2022-03-01', ...(commandId && { commandId }) },
  );
const lines = (...items: unknown[]) => items.map((i) => (typeof i === 'string' ? i : JSON.stringify(i)));

async function* slowly(items: readonly string[]): AsyncGenerator<string> {
  for (const i of items) {
    await new Promise((r) => setTimeout(r, 1));
    yield i;
  }
}

describe('importCommands', () => {
  it('counts applied, duplicate and rejected lines, numbering lines as the file does', async () => {
    const store = new InMemoryEventStore();
    const summary = await importCommands(
      lines(
        registerNonState('A', { commandId: 'a-1' }),
        '',
        'nope',
        progress('A', 10, 'a-2'),
        progress('A', 10, 'a-2'),
        progress('B', 5),
      ),
      { handler: new CommandHandler({ store }) },
    );
    expect(summary).toMatchObject({ read: 5, applied: 2, duplicates: 1, rejected: 2, events: 2 });
    expect(summary.rejections.map((r) => [r.line, r.reason])).toEqual([
      [3, 'MALFORMED_JSON'],
      [6, 'PROJECT_NOT_FOUND'],
    ]);
    expect(summary.stopped).toBeUndefined();
  });

  it('applies each stream in file order while streams interleave', async () => {
    const store = new InMemoryEventStore();
    const items: unknown[] = [];
    for (let p = 0; p < 5; p++) items.push(registerNonState(`P${p}`));
    for (let k = 1; k <= 8; k++) for (let p = 0; p < 5; p++) items.push(progress(`P${p}`, k * 10));
    const summary = await importCommands(lines(...items), {
      handler: new CommandHandler({ store }),
      concurrency: 4,
    });
    expect(summary).toMatchObject({ applied: 45, rejected: 0 });
    for (let p = 0; p < 5; p++) {
      const percents = (await store.readStream(`project-P${p}`)).slice(1).map((e) => e.data.physicalPercent);
      expect(percents).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    }
  });

  it('stops reading at a signal and finishes the lines already started', async () => {
    const store = new InMemoryEventStore();
    const controller = new AbortController();
    const items = lines(registerNonState('A'), ...Array.from({ length: 50 }, (_, k) => progress('A', k)));
    const summary = await importCommands(slowly(items), {
      handler: new CommandHandler({ store }),
      signal: controller.signal,
      onProgress: (c) => {
        if (c.applied === 5) controller.abort();
      },
    });
    expect(summary.stopped).toMatchObject({ why: 'interrupted', notAttempted: 0 });
    expect(summary.stopped!.lastLineRead).toBeLessThan(51);
    expect(summary.applied).toBe((await store.readStream('project-A')).length);
  });

  it('stops when the database becomes unavailable and leaves the queued lines unattempted', async () => {
    const inner = new InMemoryEventStore();
    let appends = 0;
    const failing: EventStore = Object.assign(Object.create(inner) as EventStore, {
      append: (...args: Parameters<EventStore['append']>) => {
        if (++appends > 3)
          return Promise.reject(new UnavailableError('PostgreSQL is unavailable: connection refused'));
        return inner.append(...args);
      },
    });
    const items = lines(registerNonState('A'), ...Array.from({ length: 20 }, (_, k) => progress('A', k)));
    const summary = await importCommands(items, {
      handler: new CommandHandler({ store: failing }),
      concurrency: 2,
    });
    expect(summary.applied).toBe(3);
    expect(summary.rejections[0]).toMatchObject({ line: 4, code: 'UNAVAILABLE' });
    expect(summary.stopped?.why).toBe('unavailable');
    expect(summary.applied + summary.rejected + summary.stopped!.notAttempted).toBe(summary.read);
  });
});
