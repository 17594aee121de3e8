// The portfolio status of one folded project, by the mapping of seed 003 (docs/PROJECTIONS.md): the
// same table the view portfolio_projects applies in SQL.
import { describe, expect, it } from 'vitest';
import { portfolioStatus } from '../../src/projections/portfolio.js';

describe('portfolioStatus', () => {
  it.each([
    ['terminated', false, 'terminated'],
    ['cancelled', true, 'terminated'],
    ['underConstruction', true, 'stopped'],
    ['constructed', true, 'stopped'],
    ['operating', true, 'stopped'],
    ['handedOver', true, 'stopped'],
    ['operating', false, 'completedOperating'],
    ['handedOver', false, 'completedOperating'],
    ['settled', false, 'completedOperating'],
    ['underConstruction', false, 'underConstruction'],
    ['constructed', false, 'underConstruction'],
    ['certified', false, 'notStarted'],
    ['certified', true, 'notStarted'],
    ['policyDecided', false, 'notStarted'],
  ])('%s (suspended: %s) is %s', (phase, suspended, status) => {
    expect(portfolioStatus(phase, suspended)).toBe(status);
  });
});
