// Decisions on the administrative map: a unit or agency is established once; only existing, current
// units merge (into a current unit) and only a current agency is succeeded by another current one.
// A succession takes effect on the command's effective date and never before what it names existed.
import type { IsoDate } from '../dates.js';
import { IllegalTransitionError, NotFoundError, ValidationError } from '../errors.js';
import { checkCommandDates } from '../guards.js';
import type { AdminMapCommand, AdminMapEvent, AdminMapState, MapEntry } from './map.js';

export function decideAdminMap(c: AdminMapCommand, s: AdminMapState): AdminMapEvent[] {
  checkCommandDates(c.meta);
  const on = c.meta.effectiveAt;
  switch (c.type) {
    case 'EstablishUnit': {
      if (s.units[c.data.unitId])
        throw new IllegalTransitionError('UNIT_EXISTS', `unit ${c.data.unitId} is already established`);
      if (c.data.parentId !== undefined) current(s.units, c.data.parentId, on, 'unit', 'data.parentId');
      return [{ type: 'UnitEstablished', data: c.data }];
    }
    case 'MergeUnits': {
      const { from, into } = c.data;
      if (new Set(from).size !== from.length)
        throw ValidationError.field('data.from', 'names a unit twice', 'DUPLICATE_UNIT');
      if (from.every((f) => f === into))
        throw ValidationError.field('data.from', 'must name a unit other than `into`', 'NO_CHANGE');
      current(s.units, into, on, 'unit', 'data.into');
      for (const [i, f] of from.entries()) current(s.units, f, on, 'unit', `data.from.${i}`);
      return [{ type: 'UnitsMerged', data: c.data }];
    }
    case 'EstablishAgency': {
      if (s.agencies[c.data.agencyId])
        throw new IllegalTransitionError('AGENCY_EXISTS', `agency ${c.data.agencyId} is already established`);
      if (c.data.unitId !== undefined) current(s.units, c.data.unitId, on, 'unit', 'data.unitId');
      return [{ type: 'AgencyEstablished', data: c.data }];
    }
    case 'SucceedAgency': {
      if (c.data.from === c.data.to)
        throw ValidationError.field('data.to', 'is the agency it succeeds', 'NO_CHANGE');
      current(s.agencies, c.data.from, on, 'agency', 'data.from');
      current(s.agencies, c.data.to, on, 'agency', 'data.to');
      return [{ type: 'AgencySucceeded', data: c.data }];
    }
  }
}

/** The entry, which must exist, have been established by `on` and not have ceased. */
function current(
  entries: Readonly<Record<string, MapEntry>>,
  id: string,
  on: IsoDate,
  what: 'unit' | 'agency',
  field: string,
): MapEntry {
  const e = entries[id];
  if (!e) throw new NotFoundError(what, id, what === 'unit' ? 'UNIT_NOT_FOUND' : 'AGENCY_NOT_FOUND');
  if (e.until !== undefined)
    throw new IllegalTransitionError(
      what === 'unit' ? 'UNIT_CEASED' : 'AGENCY_CEASED',
      `${what} ${id} ceased on ${e.until}`,
      { field },
    );
  if (on < e.since)
    throw ValidationError.field(field, `${what} ${id} exists only from ${e.since}`, 'DATE_OUT_OF_ORDER');
  return e;
}
