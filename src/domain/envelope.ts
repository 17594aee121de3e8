// What every command brings and every event keeps besides its data: who acted, for which agency and
// in which role, under which decision document and legal regime, effective when (business time) and
// recorded when (system time), caused by which command.
import { z } from 'zod';
import { type IsoDate, type IsoInstant, isoDateSchema, isoInstantSchema } from './dates.js';
import { REGIME_IDS, type RegimeId } from './regimes.js';

export const ROLES = [
  'administrator',
  'registrationAuthority',
  'financeDepartment',
  'environmentDepartment',
  'constructionDepartment',
  'communeCommittee',
  'managementBoard',
  'projectOwner',
  'investor',
  'inspector',
  'reviewer',
  'supervisor',
  'integration',
] as const;
export type Role = (typeof ROLES)[number];

const idText = z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters');

export const actorSchema = z.strictObject({
  userId: idText,
  agencyId: idText,
  role: z.enum(ROLES),
});
export type Actor = z.infer<typeof actorSchema>;

export const decisionDocumentSchema = z.strictObject({
  /** e.g. `4596/KH-UBND`, `234/QĐ-UBND` */
  number: z.string().trim().min(1).max(80),
  date: isoDateSchema,
  issuer: z.string().trim().min(1).max(200),
});
export type DecisionDocument = z.infer<typeof decisionDocumentSchema>;

export const regimeIdSchema = z.enum(REGIME_IDS);

export interface LegalBasis {
  readonly regime: RegimeId;
  readonly document?: DecisionDocument;
  /** Decided under a regime no longer in force on the effective date, by a transitional provision. */
  readonly transitional?: true;
}

export const SOURCES = ['api', 'cli', 'import', 'integration'] as const;
export type Source = (typeof SOURCES)[number];

/** Identifiers we accept from clients for commands, correlations and aggregates. */
export const clientIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, 'must be 1–100 letters, digits, or _ . : -');

/**
 * A command's knowing departure from regime rule checks that decide does not enforce (project/checks.ts):
 * the checks named, and why. Kept in the events' metadata, so a replay shows them overridden, by whom.
 */
export interface CheckOverride {
  readonly checks: readonly string[];
  readonly reason: string;
}

export const checkOverrideSchema = z.strictObject({
  checks: z.array(z.string().min(1).max(80)).min(1).max(20),
  reason: z.string().trim().min(1, 'must not be empty').max(2000),
});

/** The metadata a command carries into the handler (recordedAt is stamped by the handler's clock). */
export interface CommandMeta {
  readonly commandId: string;
  readonly actor: Actor;
  readonly effectiveAt: IsoDate;
  readonly recordedAt: IsoInstant;
  readonly regime?: RegimeId;
  readonly document?: DecisionDocument;
  readonly source: Source;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly override?: CheckOverride;
}

/** Metadata stored with every event. */
export interface EventMetadata {
  readonly actor: Actor;
  readonly commandId: string;
  readonly commandType: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly recordedAt: IsoInstant;
  readonly effectiveAt: IsoDate;
  readonly legalBasis: LegalBasis;
  readonly source: Source;
  readonly override?: CheckOverride;
}

export const eventMetadataSchema = z.strictObject({
  actor: actorSchema,
  commandId: z.string().min(1),
  commandType: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().min(1),
  recordedAt: isoInstantSchema,
  effectiveAt: isoDateSchema,
  legalBasis: z.strictObject({
    regime: regimeIdSchema,
    document: decisionDocumentSchema.optional(),
    transitional: z.literal(true).optional(),
  }),
  source: z.enum(SOURCES),
  override: checkOverrideSchema.optional(),
});
