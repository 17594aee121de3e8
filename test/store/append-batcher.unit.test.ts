// The group-commit dispatcher: who goes now, who waits, who goes together.
import { describe, expect, it } from 'vitest';
import { AppendBatcher, type BatchItem } from '../../src/store/append-batcher.js';

interface Item extends BatchItem<string> {
  readonly name: string;
}

function harness(maxInFlight: number, maxBatch: number, minBatch = 1) {
  const sent: string[][] = [];
  const open: (() => void)[] = [];
  const run = (items: readonly Item[]) =>
    new Promise<void>((done) => {
      sent.push(items.map((i) => i.name));
      open.push(() => {
        for (const i of items) i.resolve(i.name);
        done();
      });
    });
  const batcher = new AppendBatcher<string, Item>(
    { single: (item) => run([item]), batch: (items) => run(items) },
    maxInFlight,
    maxBatch,
    minBatch,
  );
  const submit = (name: string, stream = name, commandId: string | null = null) =>
    new Promise<string>((resolve, reject) => batcher.submit({ name, stream, commandId, resolve, reject }));
  const finishOldest = async () => {
    open.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { sent, submit, finishOldest };
}

describe('group commit dispatch', () => {
  it('sends a lone append at once', () => {
    const h = harness(1, 10);
    void h.submit('a');
    expect(h.sent).toEqual([['a']]);
  });

  it('gathers appends that arrive while every slot is busy into one batch, sent when a slot frees', async () => {
    const h = harness(1, 10);
    const results = ['a', 'b', 'c', 'd'].map((n) => h.submit(n));
    expect(h.sent).toEqual([['a']]);
    await h.finishOldest();
    expect(h.sent).toEqual([['a'], ['b', 'c', 'd']]);
    await h.finishOldest();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('starts a second round trip only once the minimum batch is waiting', () => {
    const h = harness(2, 10, 3);
    for (const n of ['a', 'b', 'c']) void h.submit(n);
    expect(h.sent).toEqual([['a']]);
    void h.submit('d');
    expect(h.sent).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('never puts two appends of one stream, or of one command id, in a batch, and keeps their order', async () => {
    const h = harness(1, 10);
    void h.submit('first', 'first');
    void h.submit('s1', 'S');
    void h.submit('s2', 'S');
    void h.submit('x', 'X', 'cmd');
    void h.submit('y', 'Y', 'cmd');
    void h.submit('z', 'Z');
    await h.finishOldest();
    expect(h.sent[1]).toEqual(['s1', 'x', 'z']);
    await h.finishOldest();
    expect(h.sent[2]).toEqual(['s2', 'y']);
  });

  it('caps a batch at the maximum size', async () => {
    const h = harness(1, 2);
    for (const n of ['a', 'b', 'c', 'd', 'e']) void h.submit(n);
    await h.finishOldest();
    await h.finishOldest();
    expect(h.sent).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
  });
});
