// Ids are monotonic ULIDs drawn from a buffered crypto source.

import { isValid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { bufferedRandom, newIdFactory } from '../../src/commands/ids.js';

describe('ids', () => {
  it('are valid ULIDs, unique, and sort in creation order within one millisecond', () => {
    const next = newIdFactory();
    const ids = Array.from({ length: 5000 }, () => next());
    expect(ids.every((id) => isValid(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('draw from [0, 1) and refill the buffer when it runs out', () => {
    const random = bufferedRandom(4);
    const values = Array.from({ length: 10 }, () => random());
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBe(10);
  });
});
