// The administrative map as reference data: administrative units (provinces, districts, communes) and
// agencies, established and succeeded by events in one stream (`adminmap-VN`). The 2025
// reorganisation (34 provinces, no districts; district project boards into management boards) is a
// set of such events dated 1/7/2025, so the map of any earlier date stays what it was.
import { z } from 'zod';
import type { IsoDate } from '../dates.js';
import type { CommandMeta } from '../envelope.js';
import { text } from '../schemas.js';
import type { SuccessionEdge } from './succession.js';

export const UNIT_LEVELS = ['province', 'district', 'commune'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/** A province's code ("04"), or a district or commune as `<province>:<name>` ("04:Huyện Hòa An"). */
export const unitIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{1,10}(:\S.{0,119})?$/, 'must be a province code, or <province code>:<name>');
const agencyId = text(120);

export const adminMapEventSchemas = {
  UnitEstablished: z.strictObject({
    unitId: unitIdSchema,
    name: text(200),
    level: z.enum(UNIT_LEVELS),
    parentId: unitIdSchema.optional(),
  }),
  /** The `from` units (other than `into`) cease; `into` stands for them from the effective date. */
  UnitsMerged: z.strictObject({
    from: z.array(unitIdSchema).min(1).max(200),
    into: unitIdSchema,
    reason: text(2000),
  }),
  AgencyEstablished: z.strictObject({ agencyId, name: text(200), unitId: unitIdSchema.optional() }),
  AgencySucceeded: z.strictObject({ from: agencyId, to: agencyId, reason: text(2000) }),
} as const;

export type AdminMapEventType = keyof typeof adminMapEventSchemas;
export type AdminMapEvent = {
  [T in AdminMapEventType]: { readonly type: T; readonly data: z.output<(typeof adminMapEventSchemas)[T]> };
}[AdminMapEventType];
export const adminMapEventVersions = Object.fromEntries(
  Object.keys(adminMapEventSchemas).map((t) => [t, 1]),
) as Readonly<Record<AdminMapEventType, number>>;

export const adminMapCommandSchemas = {
  EstablishUnit: adminMapEventSchemas.UnitEstablished,
  MergeUnits: adminMapEventSchemas.UnitsMerged,
  EstablishAgency: adminMapEventSchemas.AgencyEstablished,
  SucceedAgency: adminMapEventSchemas.AgencySucceeded,
} as const;

export type AdminMapCommandType = keyof typeof adminMapCommandSchemas;
export type AdminMapCommand = {
  [T in AdminMapCommandType]: {
    readonly type: T;
    readonly data: z.output<(typeof adminMapCommandSchemas)[T]>;
    readonly meta: CommandMeta;
  };
}[AdminMapCommandType];
export const ADMIN_MAP_COMMAND_TYPES = Object.keys(adminMapCommandSchemas) as AdminMapCommandType[];

export interface MapEntry {
  readonly name: string;
  readonly since: IsoDate;
  /** The day it ceased (succeeded); absent while it exists. */
  readonly until?: IsoDate;
}
export interface UnitEntry extends MapEntry {
  readonly level: UnitLevel;
  readonly parentId?: string;
}

export interface AdminMapState {
  readonly units: Readonly<Record<string, UnitEntry>>;
  readonly agencies: Readonly<Record<string, MapEntry>>;
  readonly edges: readonly SuccessionEdge[];
}

export const initialAdminMapState: AdminMapState = { units: {}, agencies: {}, edges: [] };

export function evolveAdminMap(
  s: AdminMapState,
  event: AdminMapEvent,
  { effectiveAt: on }: { effectiveAt: IsoDate },
): AdminMapState {
  switch (event.type) {
    case 'UnitEstablished': {
      const { unitId, name, level, parentId } = event.data;
      const entry: UnitEntry = { name, level, since: on, ...(parentId !== undefined && { parentId }) };
      return { ...s, units: { ...s.units, [unitId]: entry } };
    }
    case 'UnitsMerged': {
      const { from, into } = event.data;
      const units = { ...s.units };
      const ceased = from.filter((f) => f !== into);
      for (const f of ceased) units[f] = { ...(units[f] as UnitEntry), until: on };
      const edges = ceased.map((f): SuccessionEdge => ({ kind: 'unit', from: f, to: into, on }));
      return { ...s, units, edges: [...s.edges, ...edges] };
    }
    case 'AgencyEstablished': {
      const { agencyId, name } = event.data;
      return { ...s, agencies: { ...s.agencies, [agencyId]: { name, since: on } } };
    }
    case 'AgencySucceeded': {
      const { from, to } = event.data;
      return {
        ...s,
        agencies: { ...s.agencies, [from]: { ...(s.agencies[from] as MapEntry), until: on } },
        edges: [...s.edges, { kind: 'agency', from, to, on }],
      };
    }
  }
}
