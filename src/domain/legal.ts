// Which legal regime a command is decided under. A stated regime must belong to the project's family
// and must already exist on the effective date; one no longer in force is accepted as transitional
// (laws let procedures begun under the old law finish under it) and recorded as such.
import type { IsoDate } from './dates.js';
import type { DecisionDocument, LegalBasis } from './envelope.js';
import { ValidationError } from './errors.js';
import { inForce, type ProjectFamily, REGIMES, type RegimeId, regimeInForce } from './regimes.js';

export function resolveLegalBasis(
  family: ProjectFamily,
  effectiveAt: IsoDate,
  stated?: RegimeId,
  document?: DecisionDocument,
): LegalBasis {
  const withDoc = (b: LegalBasis): LegalBasis => (document ? { ...b, document } : b);
  if (stated === undefined) {
    const r = regimeInForce(family, effectiveAt);
    if (!r)
      throw ValidationError.field(
        'effectiveAt',
        `no ${family} legal regime known on ${effectiveAt}`,
        'NO_REGIME_IN_FORCE',
      );
    return withDoc({ regime: r.id });
  }
  const r = REGIMES[stated];
  if (r.family !== family) {
    throw ValidationError.field(
      'regime',
      `${stated} (${r.law}) does not govern ${family} projects`,
      'REGIME_NOT_APPLICABLE',
    );
  }
  if (effectiveAt < r.validFrom) {
    throw ValidationError.field(
      'regime',
      `${stated} (${r.law}) was not yet in force on ${effectiveAt}`,
      'REGIME_NOT_IN_FORCE',
    );
  }
  return withDoc(inForce(r, effectiveAt) ? { regime: r.id } : { regime: r.id, transitional: true });
}
