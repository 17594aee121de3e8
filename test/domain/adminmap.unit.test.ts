// Decider specifications for the administrative map: units and agencies are reference data,
// established once and succeeded by dated events (the 2025 reorganisation: Kon Tum into Quảng Ngãi,
// districts into their province, district project boards into the provincial management board).
import { describe, expect, it } from 'vitest';
import { decideAdminMap } from '../../src/domain/adminmap/decide.js';
import {
  type AdminMapCommand,
  type AdminMapEvent,
  type AdminMapState,
  evolveAdminMap,
  initialAdminMapState,
} from '../../src/domain/adminmap/map.js';
import { predecessorsOf } from '../../src/domain/adminmap/succession.js';
import type { IsoDate } from '../../src/domain/dates.js';
import { parse, rawCommand } from '../support/decider.js';

type Dated = readonly [string, AdminMapEvent];

const given = (history: readonly Dated[]): AdminMapState =>
  history.reduce((s, [on, e]) => evolveAdminMap(s, e, { effectiveAt: on as IsoDate }), initialAdminMapState);
const when = (s: AdminMapState, type: string, data: unknown, effectiveAt = '2025-07-01') =>
  decideAdminMap(parse(rawCommand(type, data, { effectiveAt })) as AdminMapCommand, s);
const refused = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a refusal');
};

const unit = (unitId: string, name: string, level = 'province', parentId?: string): AdminMapEvent =>
  ({
    type: 'UnitEstablished',
    data: { unitId, name, level, ...(parentId && { parentId }) },
  }) as AdminMapEvent;
const agency = (agencyId: string, name: string): AdminMapEvent => ({
  type: 'AgencyEstablished',
  data: { agencyId, name },
});

const MAP: Dated[] = [
  ['2020-01-01', unit('62', 'Tỉnh Kon Tum')],
  ['2020-01-01', unit('51', 'Tỉnh Quảng Ngãi')],
  ['2020-01-01', unit('04', 'Tỉnh Cao Bằng')],
  ['2020-01-01', unit('04:Huyện Bảo Lạc', 'Huyện Bảo Lạc', 'district', '04')],
  ['2020-01-01', agency('ban-qlda-huyen-bao-lac', 'Ban QLDA huyện Bảo Lạc')],
  ['2020-01-01', agency('ban-qlda-cb', 'Ban QLDA tỉnh Cao Bằng')],
];

describe('establishing units and agencies', () => {
  it('establishes a unit under a current parent', () => {
    expect(
      when(
        given(MAP),
        'EstablishUnit',
        { unitId: '04:Huyện Hạ Lang', name: 'Huyện Hạ Lang', level: 'district', parentId: '04' },
        '2021-01-01',
      ),
    ).toEqual([
      {
        type: 'UnitEstablished',
        data: { unitId: '04:Huyện Hạ Lang', name: 'Huyện Hạ Lang', level: 'district', parentId: '04' },
      },
    ]);
  });
  it('refuses a unit established twice, and a parent that does not exist', () => {
    expect(
      refused(() => when(given(MAP), 'EstablishUnit', { unitId: '62', name: 'x', level: 'province' })),
    ).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      reason: 'UNIT_EXISTS',
    });
    expect(
      refused(() =>
        when(given(MAP), 'EstablishUnit', {
          unitId: '99:Xã A',
          name: 'Xã A',
          level: 'commune',
          parentId: '99',
        }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND', reason: 'UNIT_NOT_FOUND' });
  });
  it('refuses a unit id that is neither a province code nor <province>:<name>', () => {
    expect(
      refused(() => when(given(MAP), 'EstablishUnit', { unitId: 'Kon Tum', name: 'x', level: 'province' })),
    ).toMatchObject({
      code: 'VALIDATION',
    });
  });
});

describe('merging units (1/7/2025)', () => {
  it('Kon Tum merges into Quảng Ngãi: Kon Tum ceases, Quảng Ngãi stands for it from that day', () => {
    const events = when(given(MAP), 'MergeUnits', {
      from: ['62', '51'],
      into: '51',
      reason: 'Nghị quyết 202/2025/QH15',
    });
    expect(events).toEqual([
      { type: 'UnitsMerged', data: { from: ['62', '51'], into: '51', reason: 'Nghị quyết 202/2025/QH15' } },
    ]);
    const after = given([...MAP, ['2025-07-01', events[0] as AdminMapEvent]]);
    expect(after.units['62']).toMatchObject({ until: '2025-07-01' });
    expect(after.units['51']).not.toHaveProperty('until');
    expect(predecessorsOf(after.edges, 'unit', '51')).toEqual(['62']);
  });
  it('refuses a merge of a unit that already ceased, into an unknown unit, or of nothing else', () => {
    const merged = given([
      ...MAP,
      ['2025-07-01', { type: 'UnitsMerged', data: { from: ['62'], into: '51', reason: 'r' } }],
    ]);
    expect(
      refused(() => when(merged, 'MergeUnits', { from: ['62'], into: '04', reason: 'r' }, '2025-08-01')),
    ).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      reason: 'UNIT_CEASED',
    });
    expect(
      refused(() => when(given(MAP), 'MergeUnits', { from: ['62'], into: '77', reason: 'r' })),
    ).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'UNIT_NOT_FOUND',
    });
    expect(
      refused(() => when(given(MAP), 'MergeUnits', { from: ['51'], into: '51', reason: 'r' })),
    ).toMatchObject({
      code: 'VALIDATION',
      reason: 'NO_CHANGE',
    });
    expect(
      refused(() => when(given(MAP), 'MergeUnits', { from: ['62', '62'], into: '51', reason: 'r' })),
    ).toMatchObject({
      code: 'VALIDATION',
      reason: 'DUPLICATE_UNIT',
    });
  });
  it('refuses a merge dated before a unit it names existed', () => {
    expect(
      refused(() => when(given(MAP), 'MergeUnits', { from: ['62'], into: '51', reason: 'r' }, '2019-06-01')),
    ).toMatchObject({
      code: 'VALIDATION',
      reason: 'DATE_OUT_OF_ORDER',
    });
  });
});

describe('agency succession', () => {
  it('a district project board is succeeded by the provincial management board', () => {
    const events = when(given(MAP), 'SucceedAgency', {
      from: 'ban-qlda-huyen-bao-lac',
      to: 'ban-qlda-cb',
      reason: 'Không tổ chức cấp huyện',
    });
    const after = given([...MAP, ['2025-07-01', events[0] as AdminMapEvent]]);
    expect(after.agencies['ban-qlda-huyen-bao-lac']).toMatchObject({ until: '2025-07-01' });
    expect(predecessorsOf(after.edges, 'agency', 'ban-qlda-cb')).toEqual(['ban-qlda-huyen-bao-lac']);
  });
  it('refuses an agency succeeding itself or an unknown one', () => {
    expect(
      refused(() =>
        when(given(MAP), 'SucceedAgency', { from: 'ban-qlda-cb', to: 'ban-qlda-cb', reason: 'r' }),
      ),
    ).toMatchObject({
      code: 'VALIDATION',
      reason: 'NO_CHANGE',
    });
    expect(
      refused(() => when(given(MAP), 'SucceedAgency', { from: 'x', to: 'ban-qlda-cb', reason: 'r' })),
    ).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'AGENCY_NOT_FOUND',
    });
  });
});
