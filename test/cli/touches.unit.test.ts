// Which streams an import line waits on: its own, and for a capital-plan command the projects it reads.
import { describe, expect, it } from 'vitest';
import { streamsTouched } from '../../src/cli/touches.js';
import { parseCommand } from '../../src/commands/parse.js';
import type { IsoInstant } from '../../src/domain/dates.js';
import { actors, raw } from '../support/fixtures.js';

const parse = (type: string, data: Record<string, unknown>) =>
  parseCommand(raw(type, data, { actor: actors.finance }), {
    recordedAt: '2022-06-01T00:00:00.000Z' as IsoInstant,
    source: 'import',
    newCommandId: () => 'c',
  }).command;

const plan = { province: '04', year: 2022 };

describe('streamsTouched', () => {
  it('is the project stream for a project command', () => {
    const c = parse('ReportProgress', {
      projectId: 'P1',
      period: '2022-05',
      physicalPercent: 10,
      delayCauses: [],
    });
    expect(streamsTouched(c)).toEqual(['project-P1']);
  });

  it('is the plan stream alone for a command naming no project', () => {
    expect(streamsTouched(parse('AssignAnnualCapitalPlan', { ...plan, total: '1000' }))).toEqual([
      'capitalplan-04_2022',
    ]);
  });

  it('adds the project an allocation or a disbursement reads', () => {
    expect(streamsTouched(parse('AllocateCapital', { ...plan, projectId: 'P1', amount: '10' }))).toEqual([
      'capitalplan-04_2022',
      'project-P1',
    ]);
    const disburse = parse('DisburseCapital', {
      ...plan,
      projectId: 'P2',
      amount: '5',
      source: 'provincial',
    });
    expect(streamsTouched(disburse)).toEqual(['capitalplan-04_2022', 'project-P2']);
  });

  it('adds both projects of a reallocation', () => {
    const c = parse('ReallocateCapital', {
      ...plan,
      fromProjectId: 'P1',
      toProjectId: 'P2',
      amount: '5',
      reason: 'chậm giải ngân',
    });
    expect(streamsTouched(c)).toEqual(['capitalplan-04_2022', 'project-P1', 'project-P2']);
  });
});
