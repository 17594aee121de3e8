import { describe, expect, it } from 'vitest';
import { TY } from '../../src/domain/money.js';
import { nonStateUpTo, publicRegistration, publicUpTo } from '../domain/fixtures.js';
import { on } from '../support/decider.js';
import { expectOpensOn, type History, keysOn } from './support.js';

const UNFUNDED = 'UNFUNDED';
const APPRAISAL = 'APPRAISAL_OVERDUE';
const PROGRESS = 'PROGRESS_NOT_REPORTED';

describe('UNFUNDED: decided in principle with no funding source for N months', () => {
  // policy decided on 2022-03-20
  const given: History = publicUpTo('policyDecided');

  it('opens 6 months after the policy decision', () => {
    const f = expectOpensOn(given, UNFUNDED, 'funding', '2022-09-20');
    expect(f.reason.en).toContain('2022-03-20');
    expect(f.regime).toBe('LPI2019');
  });

  it('closes when a funding source is assigned', () => {
    const funded = [
      ...given,
      on('2022-10-01', 'FundingSourceAssigned', { source: 'provincial', amount: 10n * TY }),
    ];
    expect(keysOn(funded, '2022-10-01', UNFUNDED)).toEqual([]);
  });

  it('months overrides the default of 6', () => {
    expectOpensOn(given, UNFUNDED, 'funding', '2022-12-20', { [UNFUNDED]: { months: 9 } });
  });

  it('a proposal not yet decided is not judged', () => {
    expect(keysOn(publicUpTo('appraised'), '2023-06-01', UNFUNDED)).toEqual([]);
  });
});

describe('APPRAISAL_OVERDUE: appraisal over 60/45/30 days (group A/B/C) while proposed', () => {
  const proposed = (group: 'national' | 'A' | 'B' | 'C'): History => [
    on('2022-01-10', 'ProjectRegistered', { ...publicRegistration, group }),
    on('2022-02-01', 'PolicyProposalSubmitted', { totalInvestment: 80n * TY, group }),
  ];

  it('group B opens on the 46th day after submission', () => {
    const f = expectOpensOn(proposed('B'), APPRAISAL, 'appraisal', '2022-03-19');
    expect(f.reason.en).toContain('45 days');
  });

  it('groups A, C and national have their own limits', () => {
    expectOpensOn(proposed('A'), APPRAISAL, 'appraisal', '2022-04-03');
    expectOpensOn(proposed('C'), APPRAISAL, 'appraisal', '2022-03-04');
    expectOpensOn(proposed('national'), APPRAISAL, 'appraisal', '2022-05-03');
  });

  it('closes when the appraisal is completed or returned', () => {
    const done = [...proposed('B'), on('2022-04-01', 'AppraisalCompleted', { conclusion: 'Đủ điều kiện' })];
    expect(keysOn(done, '2022-12-01', APPRAISAL)).toEqual([]);
    const back = [...proposed('B'), on('2022-04-01', 'AppraisalReturned', { reason: 'Bổ sung hồ sơ' })];
    expect(keysOn(back, '2022-12-01', APPRAISAL)).toEqual([]);
  });

  it('the limit per group can be overridden', () => {
    expectOpensOn(proposed('B'), APPRAISAL, 'appraisal', '2022-02-22', { [APPRAISAL]: { B: 20 } });
  });
});

describe('PROGRESS_NOT_REPORTED: no progress report for N months while under construction', () => {
  // construction started on 2022-08-01
  const given: History = publicUpTo('underConstruction');
  const progress = (date: string) =>
    on(date, 'ProgressReported', { period: date.slice(0, 7), physicalPercent: 20, delayCauses: [] });

  it('opens 3 months after construction starts with no report', () => {
    expectOpensOn(given, PROGRESS, 'progress', '2022-11-01');
  });

  it('a report closes it and restarts the count', () => {
    const reported = [...given, progress('2022-10-15')];
    expect(keysOn(reported, '2022-11-01', PROGRESS)).toEqual([]);
    expectOpensOn(reported, PROGRESS, 'progress', '2023-01-15');
  });

  it('closes when construction is completed', () => {
    const done = [...given, on('2023-06-01', 'ConstructionCompleted', {})];
    expect(keysOn(done, '2024-06-01', PROGRESS)).toEqual([]);
  });

  it('months overrides the default of 3', () => {
    expectOpensOn(given, PROGRESS, 'progress', '2022-09-01', { [PROGRESS]: { months: 1 } });
  });

  it('applies to non-state projects too', () => {
    // construction started on 2022-06-01
    expectOpensOn(nonStateUpTo('underConstruction'), PROGRESS, 'progress', '2022-09-01');
  });
});
