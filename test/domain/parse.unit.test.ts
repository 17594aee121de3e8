// Specifications for parsing commands at the edge: raw JSON from the CLI, an import line or the API
// becomes a typed command, or a VALIDATION error naming every bad field (e.g. `data.amount`).
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.js';
import type { IsoInstant } from '../../src/domain/dates.js';
import type { ValidationError } from '../../src/domain/errors.js';
import { PROJECT_COMMAND_TYPES } from '../../src/domain/project/commands.js';
import { ACTOR, expectError, projectSpec } from '../support/decider.js';
import { NS, nonStateUpTo, PUB, PUBLIC_COMMANDS, publicUpTo, sample } from './fixtures.js';

const RECORDED_AT = '2024-03-01T09:00:00.000Z' as IsoInstant;
const send = (raw: unknown) =>
  parseCommand(raw, { recordedAt: RECORDED_AT, source: 'cli', newCommandId: () => 'cmd.generated' });

const deposit = (amount: unknown, envelope: Record<string, unknown> = {}) => ({
  type: 'PayDeposit',
  actor: ACTOR,
  effectiveAt: '2024-03-01',
  data: { projectId: NS, amount },
  ...envelope,
});

/** Sends `raw` and expects a VALIDATION error naming `field`; returns that field's message. */
function invalid(raw: unknown, field: string, reason?: string): string {
  const error = expectError(() => send(raw), { code: 'VALIDATION', field, ...(reason && { reason }) });
  return (error as ValidationError).issues.find((i) => i.field === field)!.message;
}

describe('A well-formed command becomes a typed command carrying its metadata', () => {
  it('parses money to exact đồng and stamps the clock and the source', () => {
    const parsed = send(deposit('3600000000', { commandId: 'import.line.17', expectedRevision: 4 }));
    expect(parsed).toEqual({
      command: {
        type: 'PayDeposit',
        data: { projectId: NS, amount: 3_600_000_000n },
        meta: {
          commandId: 'import.line.17',
          actor: ACTOR,
          effectiveAt: '2024-03-01',
          recordedAt: RECORDED_AT,
          source: 'cli',
        },
      },
      clientCommandId: true,
      expectedRevision: 4,
    });
  });

  it('gives a command without an id a new one, marked as not chosen by the client', () => {
    const parsed = send(deposit('1'));
    expect(parsed.command.meta.commandId).toBe('cmd.generated');
    expect(parsed.clientCommandId).toBe(false);
    expect(parsed).not.toHaveProperty('expectedRevision');
  });

  it('reads expected revision -1 (before the first event) as "the stream must not exist yet"', () => {
    expect(send(deposit('1', { expectedRevision: -1 })).expectedRevision).toBe('no_stream');
  });

  it('keeps the stated regime and decision document', () => {
    const document = { number: '4596/QĐ-UBND', date: '2024-02-20', issuer: 'UBND tỉnh Cao Bằng' };
    const { meta } = send(deposit('1', { regime: 'LI2020', document })).command;
    expect(meta).toMatchObject({ regime: 'LI2020', document });
  });
});

describe('A command must be a JSON object of a known type', () => {
  it.each([null, [], 'PayDeposit', 42])('refuses %j as malformed', (raw) => {
    invalid(raw, '(root)', 'MALFORMED_COMMAND');
  });

  it.each([
    ['no type', undefined],
    ['an unknown type', 'ApproveEverything'],
    ['a name inherited from Object', 'toString'],
    ['a non-string type', 7],
  ])('refuses %s, naming `type`', (_, type) => {
    invalid({ ...deposit('1'), type }, 'type', 'UNKNOWN_COMMAND');
  });
});

describe('The envelope says who acts, when, and under which document', () => {
  const { actor: _, ...withoutActor } = deposit('1');
  const { effectiveAt: __, ...withoutDate } = deposit('1');

  it.each([
    ['a missing actor', withoutActor, 'actor'],
    ['an unknown role', deposit('1', { actor: { ...ACTOR, role: 'governor' } }), 'actor.role'],
    ['an empty user id', deposit('1', { actor: { ...ACTOR, userId: ' ' } }), 'actor.userId'],
    ['a missing effective date', withoutDate, 'effectiveAt'],
    ['an effective date that is not a date', deposit('1', { effectiveAt: '01/03/2024' }), 'effectiveAt'],
    ['an unknown regime', deposit('1', { regime: 'LI1999' }), 'regime'],
    ['a command id with spaces', deposit('1', { commandId: 'line 17' }), 'commandId'],
    ['an expected revision below -1', deposit('1', { expectedRevision: -2 }), 'expectedRevision'],
    ['a key the envelope does not have', deposit('1', { effectiveDate: '2024-03-01' }), 'effectiveDate'],
  ])('refuses %s', (_, raw, field) => {
    invalid(raw, field);
  });

  it('reports every bad field at once, envelope and data', () => {
    const error = expectError(() => send({ ...withoutActor, data: { projectId: NS, amount: '-1' } }), {
      code: 'VALIDATION',
    }) as ValidationError;
    expect(error.issues.map((i) => i.field)).toEqual(['actor', 'data.amount']);
  });
});

describe('Data is checked against the schema of its command, each error naming its field', () => {
  const command = (type: string, data: unknown) => ({ type, actor: ACTOR, effectiveAt: '2024-03-01', data });

  it.each([
    ['missing data', command('PayDeposit', undefined), 'data'],
    ['data that is not an object', command('PayDeposit', 'x'), 'data'],
    ['a missing project id', command('PayDeposit', { amount: '1' }), 'data.projectId'],
    ['a misspelt field', command('PayDeposit', { projectId: NS, amout: '1' }), 'data.amout'],
    [
      'a year given as a string',
      command('AssignAnnualCapitalPlan', { province: '04', year: '2024', total: '1' }),
      'data.year',
    ],
    ['an area given as a string', command('HandOverLand', { projectId: NS, areaM2: '100' }), 'data.areaM2'],
    [
      'a percentage given as a string',
      command('ReportProgress', { projectId: NS, period: '2024-Q1', physicalPercent: '45', delayCauses: [] }),
      'data.physicalPercent',
    ],
    ['a blank reason', command('ResumeProject', { projectId: NS, reason: '   ' }), 'data.reason'],
    [
      'a malformed tax code',
      command('TransferProject', { projectId: NS, to: { name: 'X', taxCode: '123' } }),
      'data.to.taxCode',
    ],
    ['an unknown family', command('RegisterProject', { projectId: NS, family: 'private' }), 'data.family'],
  ])('refuses %s', (_, raw, field) => {
    invalid(raw, field);
  });
});

describe('Money is whole đồng, sent as a string of digits (or a safe JSON integer)', () => {
  it.each([
    ['a negative string', '-5', 'must not be negative'],
    ['a negative number', -5, 'must not be negative'],
    ['a fraction', 1.5, 'no fractions'],
    ['a decimal string', '1.5', 'string of digits'],
    ['an exponent', '36e8', 'string of digits'],
    ['leading zeros', '0036', 'string of digits'],
    ['surrounding spaces', ' 36 ', 'string of digits'],
    ['an empty string', '', 'string of digits'],
    ['a JSON number beyond 2^53', 2 ** 53, 'send it as a string of digits'],
    ['more than 10^18 đồng', '1000000000000000001', 'exceeds the largest accepted amount'],
    ['a huge string', '9'.repeat(40), 'exceeds the largest accepted amount'],
    ['zero where an amount must be positive', '0', 'greater than zero'],
    ['a boolean', true, 'Invalid input'],
  ])('refuses %s, naming data.amount', (_, amount, message) => {
    expect(invalid(deposit(amount), 'data.amount')).toContain(message);
  });

  it.each([
    ['a string of digits', '3600000000', 3_600_000_000n],
    ['a safe JSON integer', 3_600_000_000, 3_600_000_000n],
    ['exactly 10^18 đồng', '1000000000000000000', 10n ** 18n],
  ])('accepts %s', (_, amount, expected) => {
    expect(send(deposit(amount)).command.data).toEqual({ projectId: NS, amount: expected });
  });
});

describe('Dates are calendar dates (YYYY-MM-DD)', () => {
  const milestone = (dueDate: string) => ({
    type: 'PlanMilestone',
    actor: ACTOR,
    effectiveAt: '2024-03-01',
    data: { projectId: NS, milestoneId: 'KC01', kind: 'constructionStart', name: 'Khởi công', dueDate },
  });

  it.each(['2023-02-30', '2023-02-29', '2024-04-31', '2024-13-01', '2024-3-1', '30/06/2024'])(
    'refuses the due date %s',
    (dueDate) => {
      invalid(milestone(dueDate), 'data.dueDate');
    },
  );

  it('accepts 29 February in a leap year', () => {
    expect(send(milestone('2024-02-29')).command.data).toMatchObject({ dueDate: '2024-02-29' });
  });

  it('names the path of a date nested in a list', () => {
    const raw = {
      type: 'IssueInvestmentCertificate',
      actor: ACTOR,
      effectiveAt: '2024-03-01',
      data: {
        projectId: NS,
        certificateNumber: '4538217546',
        registeredCapital: '1',
        schedule: [
          { milestoneId: 'GV01', kind: 'capitalContribution', name: 'Góp vốn', dueDate: '2024-02-30' },
        ],
      },
    };
    invalid(raw, 'data.schedule.0.dueDate');
  });

  it('refuses a decision document dated on a day that does not exist', () => {
    invalid(
      deposit('1', { document: { number: '1/QĐ-UBND', date: '2023-02-30', issuer: 'UBND' } }),
      'document.date',
    );
  });
});

describe('Dates out of order are refused, naming effectiveAt or the data field', () => {
  it.each(PROJECT_COMMAND_TYPES.filter((t) => t !== 'RegisterProject'))(
    '%s dated the day before the registration names effectiveAt',
    (type) => {
      const [history, id] = PUBLIC_COMMANDS.includes(type)
        ? [publicUpTo('registered'), PUB]
        : [nonStateUpTo('registered'), NS];
      projectSpec
        .given(history)
        .when(sample(type, id, { effectiveAt: '2022-01-09' }))
        .thenThrows({ code: 'VALIDATION', reason: 'DATE_OUT_OF_ORDER', field: 'effectiveAt' });
    },
  );

  it('a decision document (văn bản) may not be dated after the decision takes effect', () => {
    const document = { number: '234/QĐ-UBND', date: '2024-03-02', issuer: 'UBND tỉnh Cao Bằng' };
    projectSpec
      .given(nonStateUpTo('certified'))
      .when(sample('ReportProgress', NS, { document }))
      .thenThrows({ code: 'VALIDATION', reason: 'DATE_OUT_OF_ORDER', field: 'document.date' });
  });
});
