// The demo's administrative map: Cao Bằng and its districts, which the 2025 reorganisation ended and
// the province took over. Decided and folded as the handler would, the map answers succession queries.
import { describe, expect, it } from 'vitest';
import { generateDemo } from '../../src/demo/generate.js';
import { decideAdminMap } from '../../src/domain/adminmap/decide.js';
import { type AdminMapCommand, evolveAdminMap, initialAdminMapState } from '../../src/domain/adminmap/map.js';
import { predecessorsOf, successorsOf } from '../../src/domain/adminmap/succession.js';
import type { IsoDate } from '../../src/domain/dates.js';
import { parse } from '../support/decider.js';

describe('the demo administrative map', () => {
  const commands = generateDemo({ nonState: 5, public: 3 }).filter((c) =>
    c.commandId.startsWith('demo-map-'),
  );
  const state = commands.reduce((s, json) => {
    const c = parse({ json, recordedAt: '2026-11-01T09:00:00.000Z' }) as AdminMapCommand;
    return decideAdminMap(c, s).reduce(
      (acc, e) => evolveAdminMap(acc, e, { effectiveAt: c.meta.effectiveAt }),
      s,
    );
  }, initialAdminMapState);

  it('the province took over each district on 1/7/2025, and not before', () => {
    const districts = Object.keys(state.units).filter((id) => id.startsWith('04:'));
    expect(districts).toContain('04:Huyện Hòa An');
    expect(predecessorsOf(state.edges, 'unit', '04')).toEqual([...districts].sort());
    expect(predecessorsOf(state.edges, 'unit', '04', '2025-06-30' as IsoDate)).toEqual([]);
    expect(successorsOf(state.edges, 'unit', '04:Huyện Hòa An')).toEqual(['04']);
  });

  it('every district a demo project is registered in is on the map', () => {
    const units = new Set(
      generateDemo({ nonState: 40, public: 20 })
        .filter((c) => c.type === 'RegisterProject')
        .map((c) => {
          const d = c.data as { province: string; adminUnit: string };
          return `${d.province}:${d.adminUnit}`;
        }),
    );
    for (const u of units)
      expect(state.units[u], u).toMatchObject({ level: 'district', until: '2025-07-01' });
  });
});
