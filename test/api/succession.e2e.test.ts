// The 2025 reorganisation through the real app: units and agencies are established and succeeded by
// commands (Kon Tum merged into Quảng Ngãi, a Cao Bằng district into its province, the district's
// project board into the provincial management board, all on 1/7/2025), and `projects` and
// `portfolioSummary` find a project by its old unit or agency and by the one that took it over, with
// the map of any date kept as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, registerNonState, registerPublic } from '../support/fixtures.js';
import { type Api, startApi } from './api.js';

let api: Api;

async function ok(...commands: Record<string, unknown>[]) {
  for (const command of commands) {
    const r = await api.send(command);
    expect(r.errors, JSON.stringify(command)).toBeUndefined();
  }
}

const MAP_DAY = { effectiveAt: '2020-01-01' };
const REORG = { effectiveAt: '2025-07-01' };
const unit = (unitId: string, name: string, level = 'province', parentId?: string) =>
  raw('EstablishUnit', { unitId, name, level, ...(parentId && { parentId }) }, MAP_DAY);
const agency = (agencyId: string, name: string) => raw('EstablishAgency', { agencyId, name }, MAP_DAY);
const inUnit = (c: Record<string, unknown>, province: string, adminUnit: string, agencyId?: string) => ({
  ...c,
  data: { ...(c.data as object), province, adminUnit, ...(agencyId && { agencyId }) },
});

beforeAll(async () => {
  api = await startApi();
  await ok(
    unit('62', 'Tỉnh Kon Tum'),
    unit('51', 'Tỉnh Quảng Ngãi'),
    unit('04', 'Tỉnh Cao Bằng'),
    unit('04:Huyện Hòa An', 'Huyện Hòa An', 'district', '04'),
    agency('ban-qlda-huyen-hoa-an', 'Ban QLDA huyện Hòa An'),
    agency('ban-qlda-cb', 'Ban QLDA đầu tư xây dựng tỉnh Cao Bằng'),
    inUnit(registerNonState('KT.01'), '62', 'Huyện Đăk Hà'),
    inUnit(registerNonState('KT.02'), '62', 'Thành phố Kon Tum'),
    inUnit(registerNonState('QN.01'), '51', 'Huyện Sơn Tịnh'),
    inUnit(registerPublic('HA.01'), '04', 'Huyện Hòa An', 'ban-qlda-huyen-hoa-an'),
    registerNonState('CB.01'),
    raw(
      'MergeUnits',
      { from: ['62', '51'], into: '51', reason: 'Sắp xếp đơn vị hành chính cấp tỉnh' },
      REORG,
    ),
    raw('MergeUnits', { from: ['04:Huyện Hòa An'], into: '04', reason: 'Không tổ chức cấp huyện' }, REORG),
    raw(
      'SucceedAgency',
      { from: 'ban-qlda-huyen-hoa-an', to: 'ban-qlda-cb', reason: 'Dự án cấp huyện chuyển về ban quản lý' },
      REORG,
    ),
    // Only KT.01 is remapped on the new map; KT.02 keeps its old unit.
    raw(
      'RemapAdministrativeUnit',
      { projectId: 'KT.01', to: { province: '51', adminUnit: 'Xã Đăk Hà' }, reason: 'Sáp nhập tỉnh' },
      REORG,
    ),
  );
  await api.catchUp();
});
afterAll(() => api?.close());

const PROJECTS = `query ($filter: ProjectFilter) {
  projects(filter: $filter, first: 100) { totalCount edges { node { id } } }
}`;
async function ids(filter: Record<string, unknown>) {
  const r = await api.gql<{ projects: { totalCount: number; edges: { node: { id: string } }[] } }>(PROJECTS, {
    filter,
  });
  expect(r.errors).toBeUndefined();
  return r.data!.projects.edges.map((e) => e.node.id);
}

describe('projects by old or new administrative unit', () => {
  it('the new Quảng Ngãi covers its own projects and old Kon Tum’s, remapped or not', async () => {
    expect(await ids({ unit: '51' })).toEqual(['KT.01', 'KT.02', 'QN.01']);
  });

  it('old Kon Tum covers the projects that were in Kon Tum, wherever they are now, and not Quảng Ngãi’s', async () => {
    expect(await ids({ unit: '62' })).toEqual(['KT.01', 'KT.02']);
  });

  it('on the map of 2024, Quảng Ngãi had not taken Kon Tum over: only projects ever in Quảng Ngãi itself', async () => {
    expect(await ids({ unit: '51', mapAsOf: '2024-12-31' })).toEqual(['KT.01', 'QN.01']);
  });

  it('a district id finds its projects; the province that took the district over finds them too', async () => {
    expect(await ids({ unit: '04:Huyện Hòa An' })).toEqual(['HA.01']);
    expect(await ids({ unit: '04' })).toEqual(['CB.01', 'HA.01']);
  });

  it('combines with the other filters, and an unknown unit matches nothing', async () => {
    expect(await ids({ unit: '51', family: 'nonState', province: '62' })).toEqual(['KT.02']);
    expect(await ids({ unit: '99' })).toEqual([]);
  });
});

describe('projects by old or new agency', () => {
  it('the provincial management board covers the projects of the district board it took over', async () => {
    expect(await ids({ agency: 'ban-qlda-cb' })).toEqual(['HA.01']);
    expect(await ids({ agency: 'ban-qlda-huyen-hoa-an' })).toEqual(['HA.01']);
    expect(await ids({ agency: 'ban-qlda-cb', mapAsOf: '2025-06-30' })).toEqual([]);
  });
});

describe('portfolioSummary by old or new unit', () => {
  it('sums the new Quảng Ngãi with the Kon Tum projects it took over, grouped by their current province', async () => {
    const r = await api.gql<{ portfolioSummary: { key: { province: string }; projects: number }[] }>(
      `query ($filter: PortfolioFilter) {
        portfolioSummary(filter: $filter, by: [province]) { key { province } projects }
      }`,
      { filter: { unit: '51' } },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.portfolioSummary).toEqual([
      { key: { province: '51' }, projects: 2 },
      { key: { province: '62' }, projects: 1 },
    ]);
  });
});

describe('mapEntry: one unit or agency as the map stood on a date', () => {
  const QUERY = `query ($kind: MapEntryKind!, $id: String!, $asOf: Date) {
    mapEntry(kind: $kind, id: $id, asOf: $asOf) { kind id name level since until predecessors successors }
  }`;
  const entry = async (kind: string, id: string, asOf?: string) => {
    const r = await api.gql<{ mapEntry: Record<string, unknown> | null }>(QUERY, { kind, id, asOf });
    expect(r.errors).toBeUndefined();
    return r.data!.mapEntry;
  };

  it('Kon Tum now: ceased on 1/7/2025, succeeded by Quảng Ngãi; in 2024: a province on its own', async () => {
    expect(await entry('unit', '62')).toEqual({
      kind: 'unit',
      id: '62',
      name: 'Tỉnh Kon Tum',
      level: 'province',
      since: '2020-01-01',
      until: '2025-07-01',
      predecessors: [],
      successors: ['51'],
    });
    expect(await entry('unit', '62', '2024-12-31')).toMatchObject({ until: null, successors: [] });
    expect(await entry('unit', '51')).toMatchObject({ until: null, predecessors: ['62'] });
  });

  it('the provincial board took the district board over; an unknown or not yet established id is null', async () => {
    expect(await entry('agency', 'ban-qlda-cb')).toMatchObject({ predecessors: ['ban-qlda-huyen-hoa-an'] });
    expect(await entry('unit', '99')).toBeNull();
    expect(await entry('unit', '51', '2019-12-31')).toBeNull();
  });
});

describe('the map refuses what did not happen', () => {
  it('a unit that already ceased cannot merge again, and nothing is written', async () => {
    const r = await api.send(
      raw('MergeUnits', { from: ['62'], into: '04', reason: 'nhầm' }, { effectiveAt: '2025-08-01' }),
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', reason: 'UNIT_CEASED' });
    await api.catchUp();
    expect(await ids({ unit: '04' })).toEqual(['CB.01', 'HA.01']);
  });
});
