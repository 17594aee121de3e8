// Rules every command obeys, whatever its aggregate: nothing takes effect after the day it is
// recorded (in Vietnam's time zone), no decision document is dated after the effect it has, and an
// override of rule checks names checks that can be overridden and cites the decision behind it.
import { localDateOf } from './dates.js';
import type { CommandMeta } from './envelope.js';
import { ValidationError } from './errors.js';
import { OVERRIDABLE_CHECKS } from './project/checks.js';

export function checkCommandDates(meta: CommandMeta): void {
  const today = localDateOf(meta.recordedAt);
  if (meta.effectiveAt > today) {
    throw ValidationError.field(
      'effectiveAt',
      `${meta.effectiveAt} is after today (${today})`,
      'DATE_IN_FUTURE',
    );
  }
  if (meta.document && meta.document.date > meta.effectiveAt) {
    throw ValidationError.field(
      'document.date',
      `${meta.document.date} is after the effective date ${meta.effectiveAt}`,
      'DATE_OUT_OF_ORDER',
    );
  }
  if (meta.override) {
    meta.override.checks.forEach((id, i) => {
      if (!OVERRIDABLE_CHECKS.includes(id))
        throw ValidationError.field(
          `override.checks.${i}`,
          `${id} is not a check that can be overridden (${OVERRIDABLE_CHECKS.join(', ')})`,
          'CHECK_NOT_OVERRIDABLE',
        );
    });
    if (!meta.document)
      throw ValidationError.field(
        'document',
        'an override must cite the decision document that authorises it',
        'OVERRIDE_NEEDS_DOCUMENT',
      );
  }
}
