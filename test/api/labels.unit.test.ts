// Every value people see as an enum has a name in Vietnamese and in English: phases per family, the
// portfolio statuses of the province report, families, public groups and flags; and a project's flags
// come from its suspension and its open alerts.
import { describe, expect, it } from 'vitest';
import { projectFlags } from '../../src/api/flags.js';
import {
  FAMILY_LABELS,
  FLAG_LABELS,
  GROUP_LABELS,
  type Label,
  PORTFOLIO_STATUS_LABELS,
  PROJECT_FLAGS,
  phaseLabel,
} from '../../src/api/labels.js';
import { PROJECT_GROUPS } from '../../src/domain/project/events.js';
import { NON_STATE_PHASES, PUBLIC_PHASES } from '../../src/domain/project/state.js';
import { PORTFOLIO_STATUSES } from '../../src/projections/portfolio.js';

const bilingual = (label: Label | undefined, what: string) => {
  expect(label, what).toBeDefined();
  expect(label!.vi.trim(), what).not.toBe('');
  expect(label!.en.trim(), what).not.toBe('');
  expect(label!.vi, `${what}: Vietnamese is not the English`).not.toBe(label!.en);
};

describe('labels', () => {
  it('name every phase of both families', () => {
    for (const phase of NON_STATE_PHASES) bilingual(phaseLabel('nonState', phase), phase);
    for (const phase of PUBLIC_PHASES) bilingual(phaseLabel('public', phase), phase);
  });

  it('name every portfolio status, family, group and flag', () => {
    for (const s of PORTFOLIO_STATUSES) bilingual(PORTFOLIO_STATUS_LABELS[s], s);
    for (const f of ['nonState', 'public'] as const) bilingual(FAMILY_LABELS[f], f);
    for (const g of PROJECT_GROUPS) bilingual(GROUP_LABELS[g], g);
    for (const f of PROJECT_FLAGS) bilingual(FLAG_LABELS[f], f);
  });
});

describe('projectFlags', () => {
  it('is empty for a project neither suspended nor alerted', () => {
    expect(projectFlags(undefined, [])).toEqual([]);
  });

  it('flags suspension from the state, overdue and unfunded from open alerts (earliest since)', () => {
    const flags = projectFlags({ since: '2023-02-01' }, [
      { ruleId: 'MILESTONE_OVERDUE', since: '2023-05-01' },
      { ruleId: 'APPRAISAL_OVERDUE', since: '2023-03-10' },
      { ruleId: 'UNFUNDED', since: '2022-02-01' },
      { ruleId: 'PROGRESS_NOT_REPORTED', since: '2020-01-01' },
    ]);
    expect(flags).toEqual([
      { flag: 'suspended', label: FLAG_LABELS.suspended, since: '2023-02-01' },
      { flag: 'overdue', label: FLAG_LABELS.overdue, since: '2023-03-10' },
      { flag: 'unfunded', label: FLAG_LABELS.unfunded, since: '2022-02-01' },
    ]);
  });

  it('does not count other rules as overdue or unfunded', () => {
    expect(projectFlags(undefined, [{ ruleId: 'PERIODIC_REPORT_MISSING', since: '2023-01-01' }])).toEqual([]);
  });
});
