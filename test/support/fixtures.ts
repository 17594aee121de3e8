// Raw command JSON as a client sends it (what the CLI, the import and GraphQL hand to the handler),
// with actors and registrations reused across specs. A command with no actor named is sent by the
// first of these actors the role matrix (src/domain/access.ts) lets run it anywhere: the registrar
// for the registration office's commands, the construction department for construction, and so on
// (the management board for the public-project steps only a project's owner takes).
import { ACCESS_MATRIX } from '../../src/domain/access.js';
import type { CommandType } from '../../src/domain/catalog.js';

export const actors = {
  registrar: { userId: 'u-dkdt-01', agencyId: 'so-tai-chinh-cb', role: 'registrationAuthority' },
  finance: { userId: 'u-tc-01', agencyId: 'so-tai-chinh-cb', role: 'financeDepartment' },
  reviewer: { userId: 'u-tt-01', agencyId: 'thanh-tra-cb', role: 'reviewer' },
  investor: { userId: 'u-nd-01', agencyId: 'inv-hoang-long', role: 'investor' },
  otherInvestor: { userId: 'u-nd-02', agencyId: 'inv-khac', role: 'investor' },
  admin: { userId: 'u-qt-01', agencyId: 'ubnd-cb', role: 'administrator' },
  construction: { userId: 'u-xd-01', agencyId: 'so-xay-dung-cb', role: 'constructionDepartment' },
  environment: { userId: 'u-mt-01', agencyId: 'so-nnmt-cb', role: 'environmentDepartment' },
  inspector: { userId: 'u-ttr-01', agencyId: 'thanh-tra-cb', role: 'inspector' },
  board: { userId: 'u-bql-01', agencyId: 'ban-qlda-giao-thong-cb', role: 'managementBoard' },
  commune: { userId: 'u-xa-01', agencyId: 'ubnd-tp-cao-bang', role: 'communeCommittee' },
  projectOwner: { userId: 'u-cdt-01', agencyId: 'inv-hoang-long', role: 'projectOwner' },
  supervisor: { userId: 'u-gs-01', agencyId: 'ubnd-cb', role: 'supervisor' },
  integration: { userId: 'u-lgsp-01', agencyId: 'lgsp-cb', role: 'integration' },
} as const;

/** The commune or ward an agency answers for (the directory's adminUnit), where it has one. */
export const agencyUnits: Readonly<Record<string, string>> = { 'ubnd-tp-cao-bang': 'Thành phố Cao Bằng' };

type FixtureActor = (typeof actors)[keyof typeof actors];

/**
 * The first fixture actor whose role may run `type` on any project (the registrar first); else the
 * first that may on its own projects (the management board, owner of registerPublic's projects).
 */
export function actorFor(type: string): FixtureActor {
  const all = Object.values(actors);
  const scope = (a: FixtureActor) => ACCESS_MATRIX[a.role].commands[type as CommandType];
  return all.find((a) => scope(a) === 'any') ?? all.find((a) => scope(a)) ?? actors.registrar;
}

export interface RawOptions {
  commandId?: string;
  actor?: (typeof actors)[keyof typeof actors];
  effectiveAt?: string;
  expectedRevision?: number | string;
  regime?: string;
  document?: { number: string; date: string; issuer: string };
}

export function raw(
  type: string,
  data: Record<string, unknown>,
  o: RawOptions = {},
): Record<string, unknown> {
  return {
    type,
    actor: o.actor ?? actorFor(type),
    effectiveAt: o.effectiveAt ?? '2022-03-01',
    data,
    ...(o.commandId && { commandId: o.commandId }),
    ...(o.expectedRevision !== undefined && { expectedRevision: o.expectedRevision }),
    ...(o.regime && { regime: o.regime }),
    ...(o.document && { document: o.document }),
  };
}

export const registerNonState = (projectId: string, o: RawOptions = {}) =>
  raw(
    'RegisterProject',
    {
      projectId,
      family: 'nonState',
      name: 'Nhà máy chế biến nông sản Hoàng Long',
      province: '04',
      adminUnit: 'Thành phố Cao Bằng',
      agencyId: 'so-tai-chinh-cb',
      sector: 'agroProcessing',
      owner: { name: 'Công ty CP Hoàng Long', id: 'inv-hoang-long', taxCode: '4800123456' },
      proposedCapital: '120000000000',
    },
    { effectiveAt: '2022-01-10', ...o },
  );

export const registerPublic = (projectId: string, o: RawOptions = {}) =>
  raw(
    'RegisterProject',
    {
      projectId,
      family: 'public',
      name: 'Đường tránh Quốc lộ 3',
      province: '04',
      adminUnit: 'Huyện Hòa An',
      agencyId: 'ban-qlda-giao-thong-cb',
      sector: 'transport',
      group: 'B',
      owner: { name: 'Ban QLDA đầu tư xây dựng các công trình giao thông', id: 'ban-qlda-giao-thong-cb' },
    },
    { effectiveAt: '2021-05-04', ...o },
  );
