// Specifications of the succession graph of administrative units and agencies: who took over whom, as
// of a date, and which ids a filter on a unit covers.
import { describe, expect, it } from 'vitest';
import {
  coveredIds,
  predecessorsOf,
  type SuccessionEdge,
  successorsOf,
} from '../../src/domain/adminmap/succession.js';
import type { IsoDate } from '../../src/domain/dates.js';

const d = (s: string) => s as IsoDate;
const unit = (from: string, to: string, on = '2025-07-01'): SuccessionEdge => ({
  kind: 'unit',
  from,
  to,
  on: d(on),
});
// 62 Kon Tum merged into 51 Quảng Ngãi; two Cao Bằng districts merged into one in 2020, then all
// districts into the province in 2025.
const EDGES: SuccessionEdge[] = [
  unit('62', '51'),
  unit('04:Huyện Hà Quảng', '04:Huyện Hòa An', '2020-03-01'),
  unit('04:Huyện Hòa An', '04'),
  unit('04:Huyện Bảo Lạc', '04'),
  { kind: 'agency', from: 'ban-qlda-huyen-bao-lac', to: 'ban-qlda-cb', on: d('2025-07-01') },
];

describe('predecessors and successors', () => {
  it('the new Quảng Ngãi took over Kon Tum; Kon Tum is succeeded by Quảng Ngãi', () => {
    expect(predecessorsOf(EDGES, 'unit', '51')).toEqual(['62']);
    expect(successorsOf(EDGES, 'unit', '62')).toEqual(['51']);
    expect(successorsOf(EDGES, 'unit', '51')).toEqual([]);
  });

  it('follows chains: the province took over Hòa An, which had taken over Hà Quảng', () => {
    expect(predecessorsOf(EDGES, 'unit', '04')).toEqual([
      '04:Huyện Bảo Lạc',
      '04:Huyện Hà Quảng',
      '04:Huyện Hòa An',
    ]);
    expect(successorsOf(EDGES, 'unit', '04:Huyện Hà Quảng')).toEqual(['04', '04:Huyện Hòa An']);
  });

  it('as of a date, only successions effective by then exist: the 2022 map is the 2022 map', () => {
    expect(predecessorsOf(EDGES, 'unit', '51', d('2022-06-30'))).toEqual([]);
    expect(predecessorsOf(EDGES, 'unit', '51', d('2025-06-30'))).toEqual([]);
    expect(predecessorsOf(EDGES, 'unit', '51', d('2025-07-01'))).toEqual(['62']);
    expect(predecessorsOf(EDGES, 'unit', '04:Huyện Hòa An', d('2022-01-01'))).toEqual(['04:Huyện Hà Quảng']);
  });

  it('keeps units and agencies apart', () => {
    expect(predecessorsOf(EDGES, 'agency', 'ban-qlda-cb')).toEqual(['ban-qlda-huyen-bao-lac']);
    expect(predecessorsOf(EDGES, 'agency', '51')).toEqual([]);
  });

  it('stops on a cycle in bad data instead of looping', () => {
    const cycle = [unit('a', 'b'), unit('b', 'a')];
    expect(predecessorsOf(cycle, 'unit', 'a')).toEqual(['b']);
  });
});

describe('which ids a filter on a unit covers', () => {
  it('a new unit covers itself and every unit it took over', () => {
    expect(coveredIds(EDGES, 'unit', '51')).toEqual(['51', '62']);
  });
  it('an old unit covers itself (its own successors are not its projects)', () => {
    expect(coveredIds(EDGES, 'unit', '62')).toEqual(['62']);
  });
  it('before the merger, the new unit covers only itself', () => {
    expect(coveredIds(EDGES, 'unit', '51', d('2024-12-31'))).toEqual(['51']);
  });
});
