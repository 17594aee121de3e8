// Specification of a runner's memory of a projection's tables (src/projections/memo.ts): what a batch
// sets is seen at once by that batch, kept only when it commits, valid for one checkpoint generation,
// and dropped whole beyond its capacity.

import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type DeferredWrite, Memo } from '../../src/projections/memo.js';

describe('Memo', () => {
  it('keeps what a batch set once it commits, for the generation it committed at', () => {
    const memo = new Memo();
    memo.set('t', 'a', 1);
    expect(memo.get('t', 'a')).toBe(1); // the batch sees its own writes
    memo.commit(7n);
    memo.validFor(7n);
    expect(memo.get('t', 'a')).toBe(1);
    expect(memo.get('other', 'a')).toBeUndefined();
  });

  it('forgets everything when the checkpoint is at another generation', () => {
    const memo = new Memo();
    memo.set('t', 'a', 1);
    memo.commit(7n);
    memo.validFor(8n);
    expect(memo.get('t', 'a')).toBeUndefined();
  });

  it('forgets what an uncommitted batch set when cleared after a failure', () => {
    const memo = new Memo();
    memo.set('t', 'a', 1);
    memo.commit(1n);
    memo.set('t', 'a', 2);
    memo.clear();
    memo.validFor(1n);
    expect(memo.get('t', 'a')).toBeUndefined();
  });

  it('drops its whole memory when a commit takes it over capacity', () => {
    const memo = new Memo(2);
    memo.set('t', 'a', 1);
    memo.set('t', 'b', 2);
    memo.commit(1n);
    expect(memo.get('t', 'b')).toBe(2);
    memo.set('t', 'c', 3);
    memo.commit(2n);
    expect([memo.get('t', 'a'), memo.get('t', 'c')]).toEqual([undefined, undefined]);
  });
});

describe('a rebuild’s Memo, which holds rows back', () => {
  const tx = {} as pg.PoolClient;
  /** A writer that records what each flush wrote. */
  const recorder = () => {
    const writes: [string, unknown][][] = [];
    const write: DeferredWrite = async (_tx, values) => {
      writes.push([...values]);
    };
    return { writes, write };
  };

  it('makes callers write at once when it is not a rebuild’s', () => {
    const memo = new Memo();
    expect(memo.defer('t', 'a', 1, recorder().write)).toBe(false);
    expect(memo.holdsRows).toBe(false);
  });

  it('writes each key once, with its last value, across batches, when flushed', async () => {
    const memo = new Memo(100, true);
    const { writes, write } = recorder();
    expect(memo.defer('t', 'a', 1, write)).toBe(true);
    memo.defer('t', 'b', 1, write);
    memo.commit(1n);
    memo.defer('t', 'a', 2, write);
    memo.commit(2n);
    expect(writes).toEqual([]);
    expect(memo.get('t', 'a')).toBe(2);
    await memo.flush(tx);
    expect(writes).toEqual([
      [
        ['a', 2],
        ['b', 1],
      ],
    ]);
    expect(memo.holdsRows).toBe(false);
  });

  it('writes spaces in the order they were first held back, each through its own writer', async () => {
    const memo = new Memo(100, true);
    const order: string[] = [];
    const writer =
      (name: string): DeferredWrite =>
      async () => {
        order.push(name);
      };
    memo.defer('rows', 'a', 1, writer('rows'));
    memo.defer('sums', 'a', 1, writer('sums'));
    memo.commit(1n);
    memo.defer('rows', 'b', 1, writer('rows'));
    await memo.flush(tx);
    expect(order).toEqual(['rows', 'sums']);
  });

  it('drops what a failed batch held back but writes what committed batches held back', async () => {
    const memo = new Memo(100, true);
    const { writes, write } = recorder();
    memo.defer('t', 'a', 1, write);
    memo.commit(1n);
    memo.defer('t', 'a', 2, write);
    memo.defer('t', 'b', 9, write);
    await memo.abandonBatch(tx);
    expect(writes).toEqual([[['a', 1]]]);
    expect(memo.get('t', 'a')).toBeUndefined(); // forgotten: the tables are the truth again
  });

  it('refuses to forget rows it holds when another writer moved the checkpoint', () => {
    const memo = new Memo(100, true);
    memo.defer('t', 'a', 1, recorder().write);
    memo.commit(1n);
    expect(() => memo.validFor(2n)).toThrow(/lost/);
  });

  it('is full before a commit would take it over capacity, and keeps rows not yet written', async () => {
    const memo = new Memo(2, true);
    const { writes, write } = recorder();
    memo.defer('t', 'a', 1, write);
    memo.defer('t', 'b', 1, write);
    expect(memo.full).toBe(false);
    memo.commit(1n);
    memo.defer('t', 'c', 1, write);
    expect(memo.full).toBe(true);
    memo.commit(2n); // not flushed: nothing may be dropped
    expect(memo.get('t', 'a')).toBe(1);
    await memo.flush(tx);
    expect(writes.flat().map(([k]) => k)).toEqual(['a', 'b', 'c']);
  });
});

describe('a rebuild’s Memo over empty tables', () => {
  const tx = {} as pg.PoolClient;
  const recorder = () => {
    const writes: { keys: string[]; fresh: boolean }[] = [];
    const write: DeferredWrite = async (_tx, values, fresh) => {
      writes.push({ keys: [...values.keys()], fresh });
    };
    return { writes, write };
  };

  it('says a row is fresh until a flush wrote it, so that it may be copied in rather than upserted', async () => {
    const memo = new Memo(100, true, true);
    const { writes, write } = recorder();
    memo.defer('t', 'a', 1, write);
    await memo.flush(tx);
    memo.commit(1n);
    memo.defer('t', 'a', 2, write);
    memo.defer('t', 'b', 1, write);
    await memo.flush(tx);
    expect(writes).toEqual([
      { keys: ['a'], fresh: true },
      { keys: ['b'], fresh: true },
      { keys: ['a'], fresh: false },
    ]);
  });

  it('still calls rows fresh after its first checkpoint check (its first batch)', async () => {
    const memo = new Memo(100, true, true);
    const { writes, write } = recorder();
    memo.validFor(5n);
    memo.defer('t', 'a', 1, write);
    await memo.flush(tx);
    expect(writes).toEqual([{ keys: ['a'], fresh: true }]);
  });

  it('calls nothing fresh after a checkpoint moved by another writer', async () => {
    const memo = new Memo(100, true, true);
    const { writes, write } = recorder();
    memo.commit(5n);
    memo.validFor(6n);
    memo.defer('t', 'a', 1, write);
    await memo.flush(tx);
    expect(writes).toEqual([{ keys: ['a'], fresh: false }]);
  });

  it('knows what it wrote after dropping its values over capacity', async () => {
    const memo = new Memo(1, true, true);
    const { writes, write } = recorder();
    memo.defer('t', 'a', 1, write);
    memo.defer('t', 'b', 1, write);
    await memo.flush(tx);
    memo.commit(1n); // over capacity: values dropped
    memo.defer('t', 'a', 2, write);
    await memo.flush(tx);
    expect(writes.at(-1)).toEqual({ keys: ['a'], fresh: false });
  });

  it('calls nothing fresh once a failed batch let others write the tables', async () => {
    const memo = new Memo(100, true, true);
    const { writes, write } = recorder();
    memo.defer('t', 'a', 1, write);
    memo.commit(1n);
    await memo.abandonBatch(tx); // writes a (fresh); then event-by-event applies write directly
    memo.defer('t', 'c', 1, write);
    await memo.flush(tx);
    expect(writes).toEqual([
      { keys: ['a'], fresh: true },
      { keys: ['c'], fresh: false },
    ]);
  });
});
