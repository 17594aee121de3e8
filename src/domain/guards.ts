// Date rules every command obeys, whatever its aggregate: nothing takes effect after the day it is
// recorded (in Vietnam's time zone), and no decision document is dated after the effect it has.
import { localDateOf } from './dates.js';
import type { CommandMeta } from './envelope.js';
import { ValidationError } from './errors.js';

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
}
