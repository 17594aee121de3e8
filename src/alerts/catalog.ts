// The alert rules as plain data for people and the API: per rule its labels, family, severities and,
// per regime version, the article, the span of dates it is in force and its default parameters.
// `asOf` keeps only the versions in force on that date (and the rules that have one).
import type { IsoDate } from '../domain/dates.js';
import { REGIMES, type RegimeId } from '../domain/regimes.js';
import type { AlertRule, Bilingual, RuleFamily, Severity } from './rule-kit.js';
import { ALERT_RULES } from './rules.js';

export interface RuleVersionEntry {
  readonly regime: RegimeId;
  readonly regimeTitle: Bilingual;
  readonly article: string;
  /** First day in force: the later of the regime's and the version's own. */
  readonly validFrom: IsoDate;
  /** Last day in force (inclusive), absent while in force. */
  readonly validTo?: IsoDate;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly note?: string;
}

export interface RuleEntry {
  readonly id: string;
  readonly label: Bilingual;
  readonly family: RuleFamily;
  readonly severities: readonly Severity[];
  readonly versions: readonly RuleVersionEntry[];
}

const later = (a: IsoDate, b?: IsoDate): IsoDate => (b !== undefined && b > a ? b : a);
const earlier = (a?: IsoDate, b?: IsoDate): IsoDate | undefined =>
  a === undefined ? b : b === undefined ? a : a < b ? a : b;

export function ruleEntry(rule: AlertRule): RuleEntry {
  return {
    id: rule.id,
    label: rule.label,
    family: rule.family,
    severities: rule.severities,
    versions: rule.versions.map((v) => {
      const regime = REGIMES[v.regime];
      const validTo = earlier(regime.validTo, v.validTo);
      return {
        regime: v.regime,
        regimeTitle: regime.title,
        article: v.article,
        validFrom: later(regime.validFrom, v.validFrom),
        ...(validTo !== undefined && { validTo }),
        parameters: v.defaults as Record<string, unknown>,
        ...(v.note !== undefined && { note: v.note }),
      };
    }),
  };
}

export function ruleCatalog(asOf?: IsoDate, rules: readonly AlertRule[] = ALERT_RULES): RuleEntry[] {
  return rules.map(ruleEntry).flatMap((r) => {
    if (asOf === undefined) return [r];
    const versions = r.versions.filter(
      (v) => v.validFrom <= asOf && (v.validTo === undefined || asOf <= v.validTo),
    );
    return versions.length > 0 ? [{ ...r, versions }] : [];
  });
}
