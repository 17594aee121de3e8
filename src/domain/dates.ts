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

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (MONTH_DAYS[month - 1] as number);
}

// Dates as whole days since 1970-01-01 by integer arithmetic (H. Hinnant's civil calendar
// algorithms): the alert rules date-count per evaluation, and Date objects and toISOString cost
// several times more. A day past the month's end rolls over, as Date does.
const digits = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
};

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
function dayNumber(d: IsoDate): number {
  const m = digits(d, 5, 7);
  const y = digits(d, 0, 4) - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + digits(d, 8, 10) - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function fromDayNumber(n: number): IsoDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return ymd(yoe + era * 400 + (m <= 2 ? 1 : 0), m, day);
}

const ymd = (y: number, m: number, d: number): IsoDate =>
  `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}` as IsoDate;

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
  return fromDayNumber(dayNumber(d) + days);
}

/** Adds calendar months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(d: IsoDate, months: number): IsoDate {
  const total = digits(d, 0, 4) * 12 + (digits(d, 5, 7) - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return ymd(ny, nm, Math.min(digits(d, 8, 10), daysInMonth(ny, nm)));
}

/**
 * The `n`th working day after `d`, Monday to Friday. Public holidays (Tết, 30/4, 1/5, 2/9...) are not
 * counted out: the calendar of days off is set each year and no source of it is kept here yet.
 */
export function addWorkingDays(d: IsoDate, n: number): IsoDate {
  let out = d;
  for (let left = n; left > 0; ) {
    out = addDays(out, 1);
    // 1970-01-01 was a Thursday (4).
    const weekday = (((dayNumber(out) + 4) % 7) + 7) % 7;
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return out;
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** Whole calendar months from `from` to `to` (negative when `to` is earlier). */
export function monthsBetween(from: IsoDate, to: IsoDate): number {
  const [fy, fm, fd] = [digits(from, 0, 4), digits(from, 5, 7), digits(from, 8, 10)];
  const [ty, tm, td] = [digits(to, 0, 4), digits(to, 5, 7), digits(to, 8, 10)];
  let months = (ty - fy) * 12 + (tm - fm);
  // A month counted from the 31st (or 29th, 30th) ends on the last day of a shorter month, as addMonths
  // clamps and the Civil Code counts (Art. 148): 31 Jan → 28 Feb is one whole month.
  if (months > 0 && td < fd && td < daysInMonth(ty, tm)) months -= 1;
  if (months < 0 && td > fd) months += 1;
  return months;
}

export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);
