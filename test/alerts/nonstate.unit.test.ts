import { describe, expect, it } from 'vitest';
import { nonStateUpTo, terminated } from '../domain/fixtures.js';
import { on } from '../support/decider.js';
import { expectOpensOn, findingOn, type History, keysOn } from './support.js';

const SUSPENDED = 'SUSPENDED_TOO_LONG';
const REPORT = 'PERIODIC_REPORT_MISSING';

const report = (date: string, reportKind: 'quarterly' | 'annual', period: string) =>
  on(date, 'PeriodicReportSubmitted', { reportKind, period });

describe('SUSPENDED_TOO_LONG: suspended with no resumption for 12 months', () => {
  const given: History = [
    ...nonStateUpTo('underConstruction'),
    on('2023-02-15', 'ProjectSuspended', { ground: 'Art. 47(2)', reason: 'Vi phạm về môi trường' }),
  ];

  it('opens 12 months after the suspension', () => {
    const f = expectOpensOn(given, SUSPENDED, 'suspension', '2024-02-15');
    expect(f.reason.en).toContain('2023-02-15');
    expect(f.article).toContain('61/2020');
  });

  it('closes when the project resumes', () => {
    const resumed = [...given, on('2024-03-01', 'ProjectResumed', { reason: 'Đã khắc phục vi phạm' })];
    expect(keysOn(resumed, '2024-03-01', SUSPENDED)).toEqual([]);
  });

  it('months overrides the default of 12', () => {
    expectOpensOn(given, SUSPENDED, 'suspension', '2023-08-15', { [SUSPENDED]: { months: 6 } });
  });

  it('a terminated project is not judged', () => {
    expect(keysOn(terminated([...given], '2023-09-01'), '2024-03-01', SUSPENDED)).toEqual([]);
  });
});

describe('PERIODIC_REPORT_MISSING: quarterly by the 10th of the next quarter, annual by 31 March', () => {
  // certified on 2022-03-10: reports are owed from 2022-Q1 and for 2022
  const given: History = nonStateUpTo('certified');

  it('the quarterly report opens the day after the 10th of the next quarter', () => {
    const f = expectOpensOn(given, REPORT, 'quarterly:2022-Q1', '2022-04-11');
    expect(f.reason.en).toContain('2022-04-10');
  });

  it('the fourth quarter is due on 10 January of the next year', () => {
    expectOpensOn(given, REPORT, 'quarterly:2022-Q4', '2023-01-11');
  });

  it('the annual report opens on 1 April of the next year', () => {
    expectOpensOn(given, REPORT, 'annual:2022', '2023-04-01');
  });

  it('one alert per missing period; a submitted report closes its own', () => {
    expect(keysOn(given, '2022-10-11', REPORT)).toEqual([
      'quarterly:2022-Q1',
      'quarterly:2022-Q2',
      'quarterly:2022-Q3',
    ]);
    const submitted = [...given, report('2022-10-12', 'quarterly', '2022-Q2')];
    expect(keysOn(submitted, '2022-10-12', REPORT)).toEqual(['quarterly:2022-Q1', 'quarterly:2022-Q3']);
  });

  it('an annual report closes only the annual alert', () => {
    const submitted = [...given, report('2023-04-05', 'annual', '2022')];
    expect(keysOn(submitted, '2023-04-05', REPORT)).not.toContain('annual:2022');
    expect(keysOn(submitted, '2023-04-05', REPORT)).toContain('quarterly:2022-Q4');
  });

  it('nothing is owed before the certificate, nor after termination', () => {
    expect(keysOn(nonStateUpTo('investorApproved'), '2023-06-01', REPORT)).toEqual([]);
    expect(keysOn(terminated([...given], '2022-05-01'), '2023-06-01', REPORT)).toEqual([]);
  });

  it('applies while operating', () => {
    expect(keysOn(nonStateUpTo('operating'), '2023-01-11', REPORT)).toContain('quarterly:2022-Q4');
  });

  it('quarterlyDueDay and graceDays override the defaults', () => {
    expectOpensOn(given, REPORT, 'quarterly:2022-Q1', '2022-04-16', { [REPORT]: { quarterlyDueDay: 15 } });
    expectOpensOn(given, REPORT, 'annual:2022', '2023-04-06', { [REPORT]: { graceDays: 5 } });
  });

  it('judged under Law 143/2025 from 1 March 2026, with the same deadlines', () => {
    expect(findingOn(given, '2026-02-28', REPORT, 'annual:2022')?.regime).toBe('LI2020');
    expect(findingOn(given, '2026-03-01', REPORT, 'annual:2022')?.regime).toBe('LI2025');
  });
});
