// Specifications for exact money (whole đồng as bigint) and business dates (calendar dates compared as
// strings, month arithmetic that clamps to the month's end as the Civil Code counts time limits).
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  asIsoDate,
  dateOf,
  daysBetween,
  daysInMonth,
  type IsoDate,
  isoInstantSchema,
  isValidIsoDate,
  maxDate,
  monthsBetween,
} from '../../src/domain/dates.js';
import {
  dongSchema,
  formatDong,
  MAX_DONG,
  positiveDongSchema,
  sumDong,
  TRIEU,
  TY,
} from '../../src/domain/money.js';

const d = (s: string) => s as IsoDate;

describe('Money is exact whole đồng', () => {
  it('1 tỷ is 1,000 triệu is 10^9 đồng', () => {
    expect(TY).toBe(1_000n * TRIEU);
    expect(TRIEU).toBe(1_000_000n);
  });

  it.each([
    ['a string of digits', '27347000000000', 27_347_000_000_000n],
    ['a safe integer', 120_000_000_000, 120_000_000_000n],
    ['a bigint', 5n, 5n],
    ['zero', '0', 0n],
    ['the largest accepted amount, 10^18', '1000000000000000000', MAX_DONG],
  ])('reads %s exactly', (_, input, expected) => {
    expect(dongSchema.parse(input)).toBe(expected);
  });

  it.each([
    ['a negative bigint', -1n],
    ['one đồng above 10^18', MAX_DONG + 1n],
    ['an unsafe integer', Number.MAX_SAFE_INTEGER + 1],
    ['infinity', Number.POSITIVE_INFINITY],
  ])('refuses %s', (_, input) => {
    expect(dongSchema.safeParse(input).success).toBe(false);
  });

  it('a positive amount refuses zero', () => {
    expect(positiveDongSchema.safeParse('0').success).toBe(false);
    expect(positiveDongSchema.parse('1')).toBe(1n);
  });

  it('sums beyond 2^53 without losing a đồng', () => {
    expect(sumDong([2n ** 53n, 1n, 1n])).toBe(2n ** 53n + 2n);
    expect(sumDong([])).toBe(0n);
  });

  it.each([
    [3_600_000_000n, 'dong', '3.600.000.000 đồng'],
    [27_347n * TY, 'ty', '27.347 tỷ đồng'],
    [1_234_500_000n, 'ty', '1,2 tỷ đồng'],
    [1_500_000n, 'trieu', '1,5 triệu đồng'],
    [1_999_999_999n, 'ty', '1,9 tỷ đồng'],
    [0n, 'dong', '0 đồng'],
    // A reallocation away is negative: the sign stands once, before the number.
    [-3_600_000_000n, 'dong', '-3.600.000.000 đồng'],
    [-1_500_000_000n, 'ty', '-1,5 tỷ đồng'],
    [-500_000_000n, 'ty', '-0,5 tỷ đồng'],
  ] as const)('shows %s in %s as "%s" (one decimal, cut not rounded)', (amount, unit, text) => {
    expect(formatDong(amount, unit)).toBe(text);
  });
});

describe('Business dates are calendar dates', () => {
  it.each(['2024-02-29', '2023-12-31', '1900-01-01', '2200-12-31'])('%s is a date', (s) => {
    expect(isValidIsoDate(s)).toBe(true);
  });

  it.each([
    '2023-02-29',
    '2023-02-30',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '2024-1-05',
    '1899-12-31',
    '2201-01-01',
    '20240105',
  ])('%s is not', (s) => {
    expect(isValidIsoDate(s)).toBe(false);
  });

  it('asIsoDate refuses what is not a date', () => {
    expect(asIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(() => asIsoDate('2023-02-29')).toThrow(RangeError);
  });

  it('knows the length of each month', () => {
    expect([2023, 2024].map((y) => daysInMonth(y, 2))).toEqual([28, 29]);
    expect(daysInMonth(2024, 12)).toBe(31);
  });

  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2023-12-31', 1, '2024-01-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-01-01', 366, '2025-01-01'],
  ])('%s plus %i days is %s', (from, days, to) => {
    expect(addDays(d(from), days)).toBe(to);
    expect(daysBetween(d(from), d(to))).toBe(days);
  });

  it('the date of an instant is its UTC calendar day; the later of two dates is the larger', () => {
    expect(dateOf('2024-03-01T23:59:59.999Z')).toBe('2024-03-01');
    expect(maxDate(d('2024-03-01'), d('2023-12-31'))).toBe('2024-03-01');
    expect(maxDate(d('2023-12-31'), d('2024-03-01'))).toBe('2024-03-01');
  });
});

describe('Months are counted as the Civil Code counts them: a month from the 31st ends on the last day', () => {
  it.each([
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2022-11-15', 3, '2023-02-15'],
    ['2024-02-29', 12, '2025-02-28'],
  ])('%s plus %i months is %s', (from, months, to) => {
    expect(addMonths(d(from), months)).toBe(to);
  });

  it.each([
    ['2022-01-15', '2022-02-15', 1],
    ['2022-01-15', '2022-02-14', 0],
    ['2022-01-31', '2022-02-28', 1],
    ['2022-03-31', '2022-04-30', 1],
    ['2024-02-29', '2025-02-28', 12],
    ['2022-01-30', '2022-02-27', 0],
    ['2022-03-31', '2022-02-28', -1],
    ['2022-02-15', '2022-01-16', 0],
  ])('from %s to %s is %i whole months', (from, to, months) => {
    expect(monthsBetween(d(from), d(to))).toBe(months);
  });

  it('n months after any day of 2023–2024 is n whole months later, and one day short is n − 1', () => {
    const misses: string[] = [];
    for (let day = d('2023-01-01'); day <= '2024-12-31'; day = addDays(day, 1)) {
      for (let n = -25; n <= 25; n++) {
        const later = addMonths(day, n);
        if (monthsBetween(day, later) !== n)
          misses.push(`${day} → ${later}: ${monthsBetween(day, later)} ≠ ${n}`);
        const short = addDays(later, -1);
        if (n > 0 && short > day && monthsBetween(day, short) !== n - 1)
          misses.push(`${day} → ${short} ≠ ${n - 1}`);
      }
    }
    expect(misses.slice(0, 5)).toEqual([]);
  });
});

describe('System times are ISO instants in UTC', () => {
  it.each(['2024-03-01T09:00:00Z', '2024-03-01T09:00:00.000Z', '2024-02-29T23:59:59.123456Z'])(
    'accepts %s',
    (s) => {
      expect(isoInstantSchema.parse(s)).toBe(s);
    },
  );

  it.each([
    ['a local offset', '2024-03-01T09:00:00+07:00'],
    ['no time', '2024-03-01'],
    ['a day that does not exist', '2024-02-30T09:00:00Z'],
    ['hour 24', '2024-03-01T24:00:00Z'],
  ])('refuses %s', (_, s) => {
    expect(isoInstantSchema.safeParse(s).success).toBe(false);
  });
});

describe('Date arithmetic agrees with the calendar of JavaScript Date (UTC) day by day', () => {
  const viaDate = (s: string, days: number) => {
    const t = new Date(`${s}T00:00:00Z`);
    t.setUTCDate(t.getUTCDate() + days);
    return t.toISOString().slice(0, 10);
  };
  // Every day from 1899 to 2201 (leap years, 1900 and 2100 not leap, 2000 leap).
  const days: string[] = [];
  for (let t = Date.UTC(1899, 0, 1); t <= Date.UTC(2201, 11, 31); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));

  it('addDays and daysBetween', () => {
    for (const n of [-400, -1, 0, 1, 29, 366]) {
      expect(days.map((s) => addDays(d(s), n))).toEqual(days.map((s) => viaDate(s, n)));
    }
    expect(days.map((s) => daysBetween(d(days[0]!), d(s)))).toEqual(days.map((_, i) => i));
  });

  it('daysInMonth', () => {
    for (let y = 1899; y <= 2201; y++)
      for (let m = 1; m <= 12; m++) expect(daysInMonth(y, m)).toBe(new Date(Date.UTC(y, m, 0)).getUTCDate());
  });
});
