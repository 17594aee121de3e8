// Alert rules over a public project's capital in the annual plans (the context beside its state):
// the year's allocation not disbursed by the plan's deadline (31 January of the next year unless
// extended), and disbursement below the province's thresholds at the quarterly checkpoints.
import { addDays, type IsoDate } from '../domain/dates.js';
import { type Dong, formatDong } from '../domain/money.js';
import type { ExistingProject } from '../domain/project/state.js';
import {
  type AlertContext,
  type CapitalMove,
  defineRule,
  type Finding,
  fmt,
  type PlanCapital,
  type RuleVersion,
  type Today,
} from './rule-kit.js';

interface Totals {
  readonly allocated: Dong;
  readonly disbursed: Dong;
}

/** The totals after each of a plan's moves, in date order. */
interface RunningTotal {
  readonly on: IsoDate;
  readonly totals: Totals;
}

const NOTHING_YET: Totals = { allocated: 0n, disbursed: 0n };

/**
 * A plan's running totals, made once per list of moves: the rules ask for them at every judgement, and
 * a list is never changed (a move makes a new one, CapitalBook.move).
 */
const running = new WeakMap<readonly CapitalMove[], readonly RunningTotal[]>();
function runningTotals(moves: readonly CapitalMove[]): readonly RunningTotal[] {
  let totals = running.get(moves);
  if (!totals) {
    let allocated = 0n;
    let disbursed = 0n;
    totals = [...moves]
      .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))
      .map((m) => {
        allocated += m.allocated;
        disbursed += m.disbursed;
        return { on: m.on, totals: { allocated, disbursed } };
      });
    running.set(moves, totals);
  }
  return totals;
}

/**
 * Allocated and disbursed by `on` (inclusive) from the plan's dated moves. Asked of a Today, only the
 * first move not yet reached is compared: the later ones could not bring its `until` closer.
 */
export function capitalAsOf(p: PlanCapital, on: IsoDate | Today): Totals {
  let totals = NOTHING_YET;
  for (const t of runningTotals(p.moves)) {
    if (!(typeof on === 'string' ? t.on <= on : on.reached(t.on))) break;
    totals = t.totals;
  }
  return totals;
}

/** The capital rules apply to a public project with money in some annual plan. */
const hasPlannedCapital = (s: ExistingProject, { capital }: AlertContext): boolean =>
  s.family === 'public' && capital.length > 0;

const publicLawVersions = <P>(article: string, defaults: P, note: string): RuleVersion<P>[] => [
  { regime: 'LPI2019', article, defaults, note },
  { regime: 'LPI2024', article: 'Law 58/2024', defaults, note: `article not checked; ${note}` },
];

// ---------------------------------------------------------------------------------------------
// Capital allocated for the year and still not disbursed the day after the plan's disbursement
// deadline (Law 39/2019 Art. 68: until 31 January of the next year, extendable). Closes when the
// deadline is extended past the date, the undisbursed capital is reallocated away, or a disbursement
// dated by the deadline is recorded late.

export const CAPITAL_NOT_DISBURSED = defineRule<{ graceDays: number }>({
  id: 'CAPITAL_NOT_DISBURSED',
  label: { vi: 'Vốn kế hoạch năm chưa giải ngân hết', en: 'Annual capital not disbursed by the deadline' },
  family: 'public',
  severities: ['warning'],
  versions: publicLawVersions('Law 39/2019 Art. 68', { graceDays: 0 }, "the deadline is the plan's own"),
  reads: ['context'],
  appliesTo: hasPlannedCapital,
  evaluate(_s, today, { graceDays }, _version, { capital }) {
    const out: Finding[] = [];
    for (const p of capital) {
      const deadline = p.disbursementDeadline;
      const since = addDays(deadline, graceDays + 1);
      if (!today.reached(since)) continue;
      const { allocated } = capitalAsOf(p, today);
      const { disbursed } = capitalAsOf(p, deadline);
      const left = allocated - disbursed;
      if (left <= 0n) continue;
      out.push({
        key: `undisbursed:${p.year}`,
        since,
        severity: 'warning',
        reason() {
          return {
            vi: `Kế hoạch vốn năm ${p.year}: còn ${formatDong(left)} chưa giải ngân khi hết hạn ${fmt(deadline)}`,
            en: `Capital plan ${p.year}: ${left} đồng not disbursed by the deadline ${deadline}`,
          };
        },
      });
    }
    return out;
  },
});

// ---------------------------------------------------------------------------------------------
// Disbursement below the province's threshold at a quarterly checkpoint of the plan's year: the share
// disbursed of the capital allocated, both as of the checkpoint. It holds from the day after the
// checkpoint until the next checkpoint (the last one: until the disbursement deadline) while the
// current share is still below that threshold, so a disbursement catching up closes it. The
// thresholds are the province's (DOMAIN.md); the defaults are placeholders for it to set. A project
// low here is a candidate for reallocation; the plan-level share (plan total vs. allocated) is shown
// by the capitalPlan query, not alerted.

interface LowParams {
  /** Percent of the allocation disbursed by each checkpoint ('MM-DD' of the plan's year). */
  readonly checkpoints: Readonly<Record<string, number>>;
}
const lowDefaults: LowParams = { checkpoints: { '03-31': 15, '06-30': 35, '09-30': 60, '12-31': 80 } };

const percent = (part: Dong, whole: Dong): number => (Number(part) * 100) / Number(whole);

/** The checkpoints in date order, sorted once per parameters (the rule runs at every evaluation). */
const sortedMarks = new WeakMap<LowParams['checkpoints'], readonly string[]>();
function marksOf(checkpoints: LowParams['checkpoints']): readonly string[] {
  let marks = sortedMarks.get(checkpoints);
  if (!marks) {
    marks = Object.keys(checkpoints).sort();
    sortedMarks.set(checkpoints, marks);
  }
  return marks;
}

/** The checkpoints' dates in a plan's year, made once per checkpoints and year. */
const markDates = new WeakMap<readonly string[], Map<number, readonly IsoDate[]>>();
function checkpointDates(marks: readonly string[], year: number): readonly IsoDate[] {
  let byYear = markDates.get(marks);
  if (!byYear) {
    byYear = new Map();
    markDates.set(marks, byYear);
  }
  let dates = byYear.get(year);
  if (!dates) {
    dates = marks.map((mark) => `${year}-${mark}` as IsoDate);
    byYear.set(year, dates);
  }
  return dates;
}

export const LOW_DISBURSEMENT = defineRule<LowParams>({
  id: 'LOW_DISBURSEMENT',
  label: { vi: 'Giải ngân chậm tại mốc kiểm điểm quý', en: 'Low disbursement at a quarterly checkpoint' },
  family: 'public',
  severities: ['warning'],
  versions: publicLawVersions(
    'provincial disbursement checkpoints',
    lowDefaults,
    'thresholds set by the province',
  ),
  reads: ['context'],
  appliesTo: hasPlannedCapital,
  evaluate(_s, today, { checkpoints }, _version, { capital }) {
    const marks = marksOf(checkpoints);
    const out: Finding[] = [];
    for (const p of capital) {
      const dates = checkpointDates(marks, p.year);
      for (let i = 0; i < marks.length; i++) {
        const mark = marks[i]!;
        const at = dates[i]!;
        const until = dates[i + 1] ?? p.disbursementDeadline;
        if (!today.past(at) || today.past(until)) continue;
        const threshold = checkpoints[mark]!;
        const then = capitalAsOf(p, at);
        const now = capitalAsOf(p, today);
        if (then.allocated <= 0n || percent(then.disbursed, then.allocated) >= threshold) continue;
        if (now.allocated <= 0n || percent(now.disbursed, now.allocated) >= threshold) continue;
        out.push({
          key: `low:${p.year}:${mark}`,
          since: addDays(at, 1),
          severity: 'warning',
          reason() {
            const share = percent(then.disbursed, then.allocated).toFixed(1);
            return {
              vi: `Đến ${fmt(at)} mới giải ngân ${share}% vốn được giao năm ${p.year} (ngưỡng ${threshold}%)`,
              en: `By ${at} only ${share}% of the ${p.year} allocation was disbursed (threshold ${threshold}%)`,
            };
          },
        });
      }
    }
    return out;
  },
});
