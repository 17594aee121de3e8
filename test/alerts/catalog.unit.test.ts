// The rules as data for the API: every rule with its labels, and per regime version the article, the
// dates it is in force and its parameters; `asOf` keeps what is in force on that date.
import { describe, expect, it } from 'vitest';
import { ruleCatalog } from '../../src/alerts/catalog.js';
import { ALERT_RULES } from '../../src/alerts/rules.js';
import type { IsoDate } from '../../src/domain/dates.js';

const d = (s: string) => s as IsoDate;

describe('ruleCatalog', () => {
  it('lists every rule with labels in Vietnamese and English and at least one version', () => {
    const all = ruleCatalog();
    expect(all.map((r) => r.id)).toEqual(ALERT_RULES.map((r) => r.id));
    for (const r of all) {
      expect(r.label.vi.length, r.id).toBeGreaterThan(0);
      expect(r.label.en.length, r.id).toBeGreaterThan(0);
      expect(r.versions.length, r.id).toBeGreaterThan(0);
      expect(r.severities.length, r.id).toBeGreaterThan(0);
    }
  });

  it("gives each version the dates it is in force: its regime's, narrowed by its own", () => {
    const land = ruleCatalog().find((r) => r.id === 'LAND_UNUSED');
    expect(land?.versions).toMatchObject([
      {
        regime: 'LI2020',
        article: 'Land Law 45/2013 Art. 64(1)(i)',
        validFrom: '2021-01-01',
        validTo: '2024-07-31',
      },
      {
        regime: 'LI2020',
        article: 'Land Law 31/2024 Art. 81(8)',
        validFrom: '2024-08-01',
        validTo: '2026-02-28',
      },
      { regime: 'LI2025', validFrom: '2026-03-01', parameters: { unusedMonths: 12, behindMonths: 24 } },
    ]);
    expect(land?.versions[2]).not.toHaveProperty('validTo');
    expect(land?.versions[0]?.regimeTitle).toEqual({ vi: 'Luật Đầu tư 2020', en: 'Law on Investment 2020' });
  });

  it('as of a date, keeps the versions in force then, and the rules that have one', () => {
    const in2024 = ruleCatalog(d('2024-07-31'));
    expect(in2024.find((r) => r.id === 'LAND_UNUSED')?.versions.map((v) => v.article)).toEqual([
      'Land Law 45/2013 Art. 64(1)(i)',
    ]);
    expect(in2024.find((r) => r.id === 'UNFUNDED')?.versions.map((v) => v.regime)).toEqual(['LPI2019']);
    expect(
      ruleCatalog(d('2025-01-01'))
        .find((r) => r.id === 'UNFUNDED')
        ?.versions.map((v) => v.regime),
    ).toEqual(['LPI2024']);
    // Before 2020 no version is written (docs/ALERTS.md): no rule at all.
    expect(ruleCatalog(d('2019-06-01'))).toEqual([]);
  });
});
