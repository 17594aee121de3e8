// Legal regimes: the laws a decision can be made under, each valid for a span of business dates.
// An event names its regime; when a command does not, the regime in force on its effective date for
// its project family is chosen. Rule parameters per regime arrive with the alert rules (issue 3/5).

import type { IsoDate } from './dates.js';

export type ProjectFamily = 'nonState' | 'public';

export const REGIME_IDS = ['LI2005', 'LI2014', 'LI2020', 'LI2025', 'LPI2014', 'LPI2019', 'LPI2024'] as const;
export type RegimeId = (typeof REGIME_IDS)[number];

export interface Regime {
  readonly id: RegimeId;
  readonly family: ProjectFamily;
  readonly law: string;
  readonly title: { readonly vi: string; readonly en: string };
  readonly validFrom: IsoDate;
  /** Last day in force, inclusive; absent while in force. */
  readonly validTo?: IsoDate;
}

const d = (s: string) => s as IsoDate;

export const REGIMES: Readonly<Record<RegimeId, Regime>> = {
  LI2005: {
    id: 'LI2005',
    family: 'nonState',
    law: '59/2005/QH11',
    title: { vi: 'Luật Đầu tư 2005', en: 'Law on Investment 2005' },
    validFrom: d('2006-07-01'),
    validTo: d('2015-06-30'),
  },
  LI2014: {
    id: 'LI2014',
    family: 'nonState',
    law: '67/2014/QH13',
    title: { vi: 'Luật Đầu tư 2014', en: 'Law on Investment 2014' },
    validFrom: d('2015-07-01'),
    validTo: d('2020-12-31'),
  },
  LI2020: {
    id: 'LI2020',
    family: 'nonState',
    law: '61/2020/QH14',
    title: { vi: 'Luật Đầu tư 2020', en: 'Law on Investment 2020' },
    validFrom: d('2021-01-01'),
    validTo: d('2026-02-28'),
  },
  LI2025: {
    id: 'LI2025',
    family: 'nonState',
    law: '143/2025/QH15',
    title: { vi: 'Luật Đầu tư 2025', en: 'Law on Investment 2025' },
    validFrom: d('2026-03-01'),
  },
  LPI2014: {
    id: 'LPI2014',
    family: 'public',
    law: '49/2014/QH13',
    title: { vi: 'Luật Đầu tư công 2014', en: 'Law on Public Investment 2014' },
    validFrom: d('2015-01-01'),
    validTo: d('2019-12-31'),
  },
  LPI2019: {
    id: 'LPI2019',
    family: 'public',
    law: '39/2019/QH14',
    title: { vi: 'Luật Đầu tư công 2019', en: 'Law on Public Investment 2019' },
    validFrom: d('2020-01-01'),
    validTo: d('2024-12-31'),
  },
  LPI2024: {
    id: 'LPI2024',
    family: 'public',
    law: '58/2024/QH15',
    title: { vi: 'Luật Đầu tư công 2024', en: 'Law on Public Investment 2024' },
    validFrom: d('2025-01-01'),
  },
};

export const inForce = (r: Regime, on: IsoDate): boolean =>
  on >= r.validFrom && (r.validTo === undefined || on <= r.validTo);

/** The regime of `family` in force on `on`, or undefined before the earliest one we know. */
export function regimeInForce(family: ProjectFamily, on: IsoDate): Regime | undefined {
  return Object.values(REGIMES).find((r) => r.family === family && inForce(r, on));
}
