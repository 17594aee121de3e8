// Business dates are ISO calendar dates (YYYY-MM-DD) compared as strings; system times are ISO
// instants in UTC. Pure helpers only: "today" always arrives from outside.
import { z } from 'zod';

export type IsoDate = string & { readonly __brand: 'IsoDate' };
export type IsoInstant = string & { readonly __brand: 'IsoInstant' };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export const isoDateSchema = z
  .string()
  .refine(isValidIsoDate, { message: 'must be a calendar date as YYYY-MM-DD' })
  .transform((s) => s as IsoDate);

export const isoInstantSchema = z
  .string()
  .refine(
    // Date.parse rolls 30 February over to 1 March, so the parsed instant must read back the same.
    (s) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(s) &&
      !Number.isNaN(Date.parse(s)) &&
      new Date(s).toISOString().slice(0, 19) === s.slice(0, 19),
    {
      message: 'must be an ISO instant in UTC, e.g. 2022-07-10T08:30:00.000Z',
    },
  )
  .transform((s) => s as IsoInstant);

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const toUtc = (d: IsoDate): Date => new Date(`${d}T00:00:00Z`);
const fromUtc = (d: Date): IsoDate => d.toISOString().slice(0, 10) as IsoDate;

export const asIsoDate = (s: string): IsoDate => {
  if (!isValidIsoDate(s)) throw new RangeError(`not an ISO date: ${s}`);
  return s as IsoDate;
};

export const dateOf = (instant: IsoInstant | string): IsoDate => instant.slice(0, 10) as IsoDate;

/** Vietnam keeps UTC+7 all year: the business day of a system instant is its date there. */
export const VIETNAM_UTC_OFFSET_MS = 7 * 3_600_000;
export const localDateOf = (instant: IsoInstant | string): IsoDate =>
  new Date(Date.parse(instant) + VIETNAM_UTC_OFFSET_MS).toISOString().slice(0, 10) as IsoDate;

export function addDays(d: IsoDate, days: number): IsoDate {
  const t = toUtc(d);
  t.setUTCDate(t.getUTCDate() + days);
  return fromUtc(t);
}

/** Adds calendar months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(d: IsoDate, months: number): IsoDate {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const nd = Math.min(day, daysInMonth(ny, nm));
  return `${ny}-${String(nm).padStart(2, '0')}-${String(nd).padStart(2, '0')}` as IsoDate;
}

/**
 * The `n`th working day after `d`, Monday to Friday. Public holidays (Tết, 30/4, 1/5, 2/9...) are not
 * counted out: the calendar of days off is set each year and no source of it is kept here yet.
 */
export function addWorkingDays(d: IsoDate, n: number): IsoDate {
  let out = d;
  for (let left = n; left > 0; ) {
    out = addDays(out, 1);
    const weekday = toUtc(out).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return out;
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000);
}

/** Whole calendar months from `from` to `to` (negative when `to` is earlier). */
export function monthsBetween(from: IsoDate, to: IsoDate): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  let months = (ty - fy) * 12 + (tm - fm);
  // A month counted from the 31st (or 29th, 30th) ends on the last day of a shorter month, as addMonths
  // clamps and the Civil Code counts (Art. 148): 31 Jan → 28 Feb is one whole month.
  if (months > 0 && td < fd && td < daysInMonth(ty, tm)) months -= 1;
  if (months < 0 && td > fd) months += 1;
  return months;
}

export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);
