// The role matrix states the competences of the brief (DOMAIN.md's agencies): checked here literally,
// so a change of the table that breaks one of them fails; and docs/SECURITY.md prints the same table.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { matrixMarkdown } from '../../src/auth/matrix-doc.js';
import { ACCESS_MATRIX, decideCommandAccess, decideReadAccess, mayUse } from '../../src/domain/access.js';
import type { CommandType } from '../../src/domain/catalog.js';
import type { Role } from '../../src/domain/envelope.js';

const may = (role: Role, command: CommandType) => ACCESS_MATRIX[role].commands[command];
const actor = (role: Role, agencyId = 'a-1') => ({ userId: 'u-1', agencyId, role });

describe('the competences of the brief', () => {
  it('the registration authority issues, adjusts and revokes certificates', () => {
    for (const c of [
      'IssueInvestmentCertificate',
      'AdjustInvestmentCertificate',
      'RevokeInvestmentCertificate',
    ] as const)
      expect(may('registrationAuthority', c), c).toBe('any');
  });

  it('the environment department records land allocation, handover and recovery; no one else does', () => {
    for (const c of ['AllocateLand', 'HandOverLand', 'RecoverLand'] as const) {
      expect(may('environmentDepartment', c), c).toBe('any');
      const others = (Object.keys(ACCESS_MATRIX) as Role[]).filter((r) => may(r, c));
      expect(others, c).toEqual(['environmentDepartment']);
    }
  });

  it('the construction department records construction milestones', () => {
    for (const c of ['StartConstruction', 'CompleteConstruction', 'CompleteMilestone'] as const)
      expect(may('constructionDepartment', c), c).toBe('any');
  });

  it('commune and ward committees report (site clearance as progress) in their own unit only', () => {
    expect(ACCESS_MATRIX.communeCommittee.commands).toEqual({ ReportProgress: 'ownUnit' });
    expect(ACCESS_MATRIX.communeCommittee.reads).toBe('ownUnit');
  });

  it('investors and project owners report progress and capital contribution on their own projects only', () => {
    for (const role of ['investor', 'projectOwner'] as const) {
      expect(may(role, 'ReportProgress')).toBe('ownProject');
      expect(may(role, 'ContributeCapital')).toBe('ownProject');
      expect(ACCESS_MATRIX[role].reads).toBe('ownProjects');
      expect(Object.values(ACCESS_MATRIX[role].commands).every((s) => s === 'ownProject')).toBe(true);
    }
  });

  it('the finance department runs the capital plans, and only it', () => {
    for (const c of [
      'AssignAnnualCapitalPlan',
      'AllocateCapital',
      'ReallocateCapital',
      'DisburseCapital',
    ] as const) {
      const who = (Object.keys(ACCESS_MATRIX) as Role[]).filter((r) => may(r, c));
      expect(who, c).toEqual(['financeDepartment']);
    }
  });

  it('reviewers and supervisors read everything and run no command; supervisors also replay and verify', () => {
    for (const role of ['reviewer', 'supervisor'] as const) {
      expect(ACCESS_MATRIX[role].commands).toEqual({});
      expect(ACCESS_MATRIX[role].reads).toBe('all');
    }
    expect(mayUse(actor('supervisor'), 'replay')).toBe(true);
    expect(mayUse(actor('supervisor'), 'verify')).toBe(true);
    expect(mayUse(actor('reviewer'), 'replay')).toBe(false);
  });

  it("only the registration authority may override a regime rule check, the rules being the Law on Investment's", () => {
    const who = (Object.keys(ACCESS_MATRIX) as Role[]).filter((r) => mayUse(actor(r), 'override'));
    expect(who).toEqual(['registrationAuthority']);
  });

  it('administrators and supervisors read the server metrics, no one else', () => {
    const who = (Object.keys(ACCESS_MATRIX) as Role[]).filter((r) => mayUse(actor(r), 'metrics'));
    expect(who).toEqual(['administrator', 'supervisor']);
  });

  it('administrators manage users, agencies, tokens and the map of units, and nothing else', () => {
    expect(Object.keys(ACCESS_MATRIX.administrator.commands).sort()).toEqual(
      [
        'EstablishAgency',
        'EstablishUnit',
        'MergeUnits',
        'SucceedAgency',
        'AssignUser',
        'DeactivateUser',
        'IssueApiToken',
        'ReactivateUser',
        'RegisterAgency',
        'RegisterUser',
        'RevokeApiToken',
        'UpdateAgency',
      ].sort(),
    );
    const others = (Object.keys(ACCESS_MATRIX) as Role[]).filter(
      (r) => r !== 'administrator' && may(r, 'RegisterUser'),
    );
    expect(others).toEqual([]);
  });
});

describe('scopes', () => {
  it('own project: the owner id must be the actor agency; no owner id is no match', () => {
    expect(decideCommandAccess(actor('investor', 'inv-1'), 'ReportProgress', { ownerId: 'inv-1' })).toEqual({
      allowed: true,
    });
    expect(
      decideCommandAccess(actor('investor', 'inv-1'), 'ReportProgress', { ownerId: 'inv-2' }),
    ).toMatchObject({
      allowed: false,
      reason: 'NOT_OWN_PROJECT',
    });
    expect(decideCommandAccess(actor('investor', 'inv-1'), 'ReportProgress', {})).toMatchObject({
      allowed: false,
    });
  });

  it("own unit: the project's unit must be the one the agency answers for; none known is no match", () => {
    const commune = actor('communeCommittee');
    const here = { adminUnit: 'Huyện Hòa An' };
    expect(decideCommandAccess(commune, 'ReportProgress', here, { adminUnit: 'Huyện Hòa An' })).toEqual({
      allowed: true,
    });
    expect(
      decideCommandAccess(commune, 'ReportProgress', here, { adminUnit: 'Huyện Bảo Lạc' }),
    ).toMatchObject({
      reason: 'NOT_OWN_UNIT',
    });
    expect(decideCommandAccess(commune, 'ReportProgress', here)).toMatchObject({ reason: 'NOT_OWN_UNIT' });
    expect(decideReadAccess(commune, here)).toMatchObject({ allowed: false });
  });
});

it('docs/SECURITY.md prints the matrix the code enforces (run `npm run matrix` after changing it)', async () => {
  const doc = await readFile(new URL('../../docs/SECURITY.md', import.meta.url), 'utf8');
  expect(doc).toContain(matrixMarkdown());
});
