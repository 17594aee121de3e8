// Specification of a runner's memory of a projection's tables (src/projections/memo.ts): what a batch
// sets is seen at once by that batch, kept only when it commits, valid for one checkpoint generation,
// and dropped whole beyond its capacity.
import { describe, expect, it } from 'vitest';
import { Memo } from '../../src/projections/memo.js';

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
