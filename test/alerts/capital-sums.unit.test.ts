// capitalAsOf, which both capital rules ask at every judgement: a plan's money allocated and
// disbursed by a date is the sum of its moves dated up to it, whatever order they were recorded in;
// asked on a Today, it names the first later move's date as the day the answer may change.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capitalAsOf } from '../../src/alerts/capital-rules.js';
import { type CapitalMove, type PlanCapital, Today } from '../../src/alerts/rule-kit.js';
import type { IsoDate } from '../../src/domain/dates.js';

const day = (n: number) => `2022-01-${String(n).padStart(2, '0')}` as IsoDate;
const planOf = (moves: CapitalMove[]): PlanCapital => ({
  plan: 'capitalplan-04_2022',
  year: 2022,
  disbursementDeadline: '2023-01-31' as IsoDate,
  moves,
});

/** The sums by their definition, and the first move date after `on`. */
function expected(moves: readonly CapitalMove[], on: IsoDate) {
  let allocated = 0n;
  let disbursed = 0n;
  let next: IsoDate | undefined;
  for (const m of moves)
    if (m.on <= on) {
      allocated += m.allocated;
      disbursed += m.disbursed;
    } else if (next === undefined || m.on < next) next = m.on;
  return { allocated, disbursed, next };
}

const moveArb = fc.record({
  on: fc.integer({ min: 1, max: 28 }).map(day),
  allocated: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 13n }),
  disbursed: fc.bigInt({ min: 0n, max: 10n ** 13n }),
});

describe('capitalAsOf: what a plan had allocated and disbursed for a project by a date', () => {
  it('sums the moves dated up to the date (inclusive), in any order, and none after it', () => {
    fc.assert(
      fc.property(fc.array(moveArb, { maxLength: 12 }), fc.integer({ min: 0, max: 29 }), (moves, n) => {
        const on = (n === 0 ? '2021-12-31' : n === 29 ? '2022-02-01' : day(n)) as IsoDate;
        const { allocated, disbursed } = expected(moves, on);
        expect(capitalAsOf(planOf(moves), on)).toEqual({ allocated, disbursed });
      }),
    );
  });

  it("asked on a Today, gives the same sums and sets the Today's `until` to the first later move", () => {
    fc.assert(
      fc.property(fc.array(moveArb, { maxLength: 12 }), fc.integer({ min: 1, max: 28 }), (moves, n) => {
        const today = new Today(day(n));
        const { allocated, disbursed, next } = expected(moves, day(n));
        expect(capitalAsOf(planOf(moves), today)).toEqual({ allocated, disbursed });
        expect(today.until).toBe(next);
      }),
    );
  });

  it('a later move on the same date is counted with the earlier ones', () => {
    const moves = [
      { on: day(5), allocated: 100n, disbursed: 0n },
      { on: day(3), allocated: 50n, disbursed: 0n },
      { on: day(5), allocated: 0n, disbursed: 30n },
    ];
    expect(capitalAsOf(planOf(moves), day(4))).toEqual({ allocated: 50n, disbursed: 0n });
    expect(capitalAsOf(planOf(moves), day(5))).toEqual({ allocated: 150n, disbursed: 30n });
  });
});
