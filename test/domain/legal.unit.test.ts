// Specifications for choosing the legal regime a decision is made under: by the project family and
// the effective date, or as stated by the command, checked against the family and the date.
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/dates.js';
import { addDays } from '../../src/domain/dates.js';
import { resolveLegalBasis } from '../../src/domain/legal.js';
import {
  type ProjectFamily,
  REGIME_IDS,
  REGIMES,
  type RegimeId,
  regimeInForce,
} from '../../src/domain/regimes.js';
import { expectError } from '../support/decider.js';

const d = (s: string) => s as IsoDate;
const resolve = (family: ProjectFamily, on: string, stated?: RegimeId) =>
  resolveLegalBasis(family, d(on), stated);

describe('Without a stated regime, the one in force on the effective date for the family is chosen', () => {
  it.each([
    ['nonState', '2015-06-30', 'LI2005'],
    ['nonState', '2015-07-01', 'LI2014'],
    ['nonState', '2020-12-31', 'LI2014'],
    ['nonState', '2021-01-01', 'LI2020'],
    ['nonState', '2026-02-28', 'LI2020'],
    ['nonState', '2026-03-01', 'LI2025'],
    ['public', '2019-12-31', 'LPI2014'],
    ['public', '2020-01-01', 'LPI2019'],
    ['public', '2024-12-31', 'LPI2019'],
    ['public', '2025-01-01', 'LPI2024'],
  ] as const)('a %s decision effective %s is made under %s', (family, on, regime) => {
    expect(resolve(family, on)).toEqual({ regime });
  });

  it.each([
    ['nonState', '2006-06-30'],
    ['public', '2014-12-31'],
  ] as const)('a %s decision effective %s, before any known law, names effectiveAt', (family, on) => {
    expectError(() => resolve(family, on), {
      code: 'VALIDATION',
      reason: 'NO_REGIME_IN_FORCE',
      field: 'effectiveAt',
    });
  });

  it('keeps the decision document with the regime', () => {
    const document = { number: '4596/QĐ-UBND', date: d('2022-07-10'), issuer: 'UBND tỉnh Cao Bằng' };
    expect(resolveLegalBasis('nonState', d('2022-07-10'), undefined, document)).toEqual({
      regime: 'LI2020',
      document,
    });
  });
});

describe('A stated regime must govern the family and be in force, or be kept as transitional', () => {
  it('accepts the regime in force', () => {
    expect(resolve('public', '2025-06-01', 'LPI2024')).toEqual({ regime: 'LPI2024' });
  });

  it('accepts an expired regime as transitional (a procedure begun under the old law finishes under it)', () => {
    expect(resolve('nonState', '2022-03-10', 'LI2014')).toEqual({ regime: 'LI2014', transitional: true });
    expect(resolve('public', '2025-03-01', 'LPI2019')).toEqual({ regime: 'LPI2019', transitional: true });
  });

  it.each([
    [
      'a public-investment law for a non-state project',
      'nonState',
      '2022-03-10',
      'LPI2019',
      'REGIME_NOT_APPLICABLE',
    ],
    ['the Law on Investment for a public project', 'public', '2022-03-10', 'LI2020', 'REGIME_NOT_APPLICABLE'],
    ['a law not yet in force', 'nonState', '2025-12-31', 'LI2025', 'REGIME_NOT_IN_FORCE'],
    ['a law the day before it takes effect', 'public', '2024-12-31', 'LPI2024', 'REGIME_NOT_IN_FORCE'],
  ] as const)('refuses %s, naming regime', (_, family, on, stated, reason) => {
    expectError(() => resolve(family, on, stated), { code: 'VALIDATION', reason, field: 'regime' });
  });
});

describe('The regimes of each family follow one another without gap or overlap', () => {
  it.each(['nonState', 'public'] as const)(
    'exactly one %s regime is in force on each day from the first',
    (family) => {
      const regimes = REGIME_IDS.map((id) => REGIMES[id]).filter((r) => r.family === family);
      const sorted = [...regimes].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
      sorted.slice(1).forEach((r, i) => {
        expect(addDays(sorted[i]!.validTo!, 1), `${sorted[i]!.id} → ${r.id}`).toBe(r.validFrom);
      });
      expect(sorted.filter((r) => r.validTo === undefined).map((r) => r.id)).toEqual([sorted.at(-1)!.id]);
      expect(regimeInForce(family, addDays(sorted[0]!.validFrom, -1))).toBeUndefined();
    },
  );
});
