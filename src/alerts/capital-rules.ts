// Alert rules over a public project's capital in the annual plans (the context beside its state):
// the year's allocation not disbursed by the plan's deadline (31 January of the next year unless
// extended), and disbursement below the province's thresholds at the quarterly checkpoints.
import { addDays, type IsoDate } from '../domain/dates.js';
import { type Dong, formatDong, sumDong } from '../domain/money.js';
import { type CapitalMove, defineRule, fmt, type PlanCapital, type RuleVersion } from './rule-kit.js';

/** Allocated and disbursed by `on` (inclusive) from the plan's dated moves. */
export function capitalAsOf(p: PlanCapital, on: IsoDate): { allocated: Dong; disbursed: Dong } {
  const upTo = p.moves.filter((m: CapitalMove) => m.on <= on);
  return {
    allocated: sumDong(upTo.map((m) => m.allocated)),
    disbursed: sumDong(upTo.map((m) => m.disbursed)),
  };
}

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
  evaluate(s, today, { graceDays }, _version, { capital }) {
    if (s.family !== 'public') return [];
    return capital.flatMap((p) => {
      const deadline = p.disbursementDeadline;
      const since = addDays(deadline, graceDays + 1);
      if (today < since) return [];
      const { allocated } = capitalAsOf(p, today);
      const { disbursed } = capitalAsOf(p, deadline);
      const left = allocated - disbursed;
      if (left <= 0n) return [];
      return [
        {
          key: `undisbursed:${p.year}`,
          since,
          severity: 'warning' as const,
          reason() {
            return {
              vi: `Kế hoạch vốn năm ${p.year}: còn ${formatDong(left)} chưa giải ngân khi hết hạn ${fmt(deadline)}`,
              en: `Capital plan ${p.year}: ${left} đồng not disbursed by the deadline ${deadline}`,
            };
          },
        },
      ];
    });
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
  evaluate(s, today, { checkpoints }, _version, { capital }) {
    if (s.family !== 'public') return [];
    const marks = Object.keys(checkpoints).sort();
    return capital.flatMap((p) =>
      marks.flatMap((mark, i) => {
        const at = `${p.year}-${mark}` as IsoDate;
        const until =
          i + 1 < marks.length ? (`${p.year}-${marks[i + 1]}` as IsoDate) : p.disbursementDeadline;
        if (today <= at || today > until) return [];
        const threshold = checkpoints[mark]!;
        const then = capitalAsOf(p, at);
        const now = capitalAsOf(p, today);
        if (then.allocated <= 0n || percent(then.disbursed, then.allocated) >= threshold) return [];
        if (now.allocated <= 0n || percent(now.disbursed, now.allocated) >= threshold) return [];
        return [
          {
            key: `low:${p.year}:${mark}`,
            since: addDays(at, 1),
            severity: 'warning' as const,
            reason() {
              const share = percent(then.disbursed, then.allocated).toFixed(1);
              return {
                vi: `Đến ${fmt(at)} mới giải ngân ${share}% vốn được giao năm ${p.year} (ngưỡng ${threshold}%)`,
                en: `By ${at} only ${share}% of the ${p.year} allocation was disbursed (threshold ${threshold}%)`,
              };
            },
          },
        ];
      }),
    );
  },
});
