// Small zod building blocks shared by the event and command schemas of every aggregate.
import { z } from 'zod';

export const text = (max = 500) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const aggregateIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.]{0,79}$/, 'must be 1–80 letters, digits, _ or . (no "-")');

/** An investor or project owner (nhà đầu tư / chủ đầu tư). */
export const partySchema = z.strictObject({
  name: text(300),
  taxCode: z
    .string()
    .regex(/^[0-9]{10}(-[0-9]{3})?$/, 'must be a 10-digit tax code, optionally -NNN')
    .optional(),
  id: z.string().max(80).optional(),
});
export type Party = z.infer<typeof partySchema>;

export const CAUSE_KINDS = ['objective', 'subjective'] as const;
export const causeKindSchema = z.enum(CAUSE_KINDS);
export type CauseKind = (typeof CAUSE_KINDS)[number];

export const DELAY_CATEGORIES = [
  'siteClearance',
  'landProcedures',
  'capital',
  'investorCapacity',
  'legalProcedures',
  'design',
  'contractor',
  'weather',
  'pandemic',
  'prices',
  'other',
] as const;

export const delayCauseSchema = z.strictObject({
  kind: causeKindSchema,
  category: z.enum(DELAY_CATEGORIES),
  description: text(1000).optional(),
});
export type DelayCause = z.infer<typeof delayCauseSchema>;

export const percentSchema = z
  .number()
  .min(0, 'must be between 0 and 100')
  .max(100, 'must be between 0 and 100')
  .refine((n) => Math.round(n * 100) === n * 100, { message: 'must have at most two decimals' });

/** `2022` (year), `2022-Q3` (quarter) or `2022-07` (month). */
export const periodSchema = z
  .string()
  .regex(/^(19|20|21)\d{2}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, 'must be YYYY, YYYY-Qn or YYYY-MM');

export const positiveIntSchema = z
  .number()
  .int('must be a whole number')
  .positive('must be greater than zero');

export const provinceCodeSchema = z.string().regex(/^[A-Za-z0-9]{1,10}$/, 'must be 1–10 letters or digits');
