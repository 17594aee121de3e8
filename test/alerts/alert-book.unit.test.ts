// The episodes of one alert within one AlertBook (table.ts), as a sweep that moves the clock back and
// forth, or a rebuild, writes them before anything reaches the table: an alert the clock closed opens
// again in the same row when it holds again from the same day; one an event closed does not.
import { describe, expect, it } from 'vitest';
import { alertKey } from '../../src/alerts/evaluate.js';
import type { AlertFinding } from '../../src/alerts/rules.js';
import { AlertBook, type WriteContext } from '../../src/alerts/table.js';
import type { IsoDate } from '../../src/domain/dates.js';

const PROJECT = 'p-book';
const finding: AlertFinding = {
  ruleId: 'SUSPENDED_TOO_LONG',
  key: 'suspension',
  since: '2023-11-10' as IsoDate,
  severity: 'warning',
  regime: 'LI2020',
  article: 'x',
  reason: { vi: 'x', en: 'x' },
  reasonOn: () => ({ vi: 'x', en: 'x' }),
};
const on = (date: string, revision = 5): WriteContext => ({ on: date as IsoDate, revision });
const openRow = (book: AlertBook) => book.openOf(PROJECT).get(alertKey(finding));

describe('AlertBook: episodes of one alert in one book', () => {
  it('closed by the clock, then holding again from the same day: the same episode opens again', () => {
    const book = new AlertBook();
    book.openAlert(PROJECT, finding, on('2023-11-20'));
    book.closeAlert(openRow(book)!, on('2023-11-01'), 'clock');
    expect(openRow(book)).toBeUndefined();
    book.openAlert(PROJECT, finding, on('2023-11-20'));
    expect(openRow(book)?.episode).toBe(1);
  });

  it('reopened once, then closed by an event: holding again is a new episode', () => {
    const book = new AlertBook();
    book.openAlert(PROJECT, finding, on('2023-11-20'));
    book.closeAlert(openRow(book)!, on('2023-11-01'), 'clock');
    book.openAlert(PROJECT, finding, on('2023-11-20'));
    book.closeAlert(openRow(book)!, on('2023-11-25', 6), 'resolved by event', 'e-resume');
    book.openAlert(PROJECT, finding, on('2023-12-01', 7));
    expect(openRow(book)?.episode).toBe(2);
  });
});
