// Money is whole đồng as bigint: never a float, never negative where it is an amount.
import { z } from 'zod';

export type Dong = bigint;

const DIGITS = /^(0|[1-9][0-9]*)$/;
/** The largest amount accepted: 10^18 đồng, far above any provincial plan, well inside int8. */
export const MAX_DONG = 10n ** 18n;

/**
 * An amount of đồng: a string of digits (the wire format) or a safe integer; bigint passes through.
 * Rejects negatives, fractions, exponents and anything above MAX_DONG with a message naming the rule.
 */
export const dongSchema = z.union([z.string(), z.number(), z.bigint()]).transform((value, ctx): bigint => {
  let out: bigint;
  if (typeof value === 'bigint') out = value;
  else if (typeof value === 'number') {
    if (!Number.isFinite(value) || !Number.isInteger(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be a whole number of đồng (no fractions)' });
      return z.NEVER;
    }
    if (!Number.isSafeInteger(value)) {
      ctx.addIssue({
        code: 'custom',
        message: 'is too large for a JSON number; send it as a string of digits',
      });
      return z.NEVER;
    }
    out = BigInt(value);
  } else {
    if (!DIGITS.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: value.startsWith('-') ? 'must not be negative' : 'must be a string of digits (whole đồng)',
      });
      return z.NEVER;
    }
    out = BigInt(value);
  }
  if (out < 0n) {
    ctx.addIssue({ code: 'custom', message: 'must not be negative' });
    return z.NEVER;
  }
  if (out > MAX_DONG) {
    ctx.addIssue({ code: 'custom', message: 'exceeds the largest accepted amount (10^18 đồng)' });
    return z.NEVER;
  }
  return out;
});

/** A strictly positive amount. */
export const positiveDongSchema = dongSchema.refine((v) => v > 0n, { message: 'must be greater than zero' });

export const TRIEU = 1_000_000n;
export const TY = 1_000_000_000n;

/** "1.234,5 tỷ đồng" style rendering, exact to one decimal, for people. */
export function formatDong(amount: Dong, unit: 'dong' | 'trieu' | 'ty' = 'dong'): string {
  const div = unit === 'ty' ? TY : unit === 'trieu' ? TRIEU : 1n;
  // The digits of the size, the sign once before them: bigint division truncates toward zero, so a
  // negative amount's whole and tenth would each carry it.
  const size = amount < 0n ? -amount : amount;
  const whole = size / div;
  const tenth = ((size % div) * 10n) / div;
  const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const label = unit === 'ty' ? ' tỷ đồng' : unit === 'trieu' ? ' triệu đồng' : ' đồng';
  const sign = amount < 0n ? '-' : '';
  return sign + (unit === 'dong' || tenth === 0n ? grouped : `${grouped},${tenth}`) + label;
}

export const sumDong = (xs: Iterable<Dong>): Dong => {
  let s = 0n;
  for (const x of xs) s += x;
  return s;
};
