// Parsing a command at the edge: raw JSON (from GraphQL, the CLI or an import line) becomes a typed
// Command or a ValidationError naming every bad field. Nothing past this point sees unchecked input.
import { z } from 'zod';
import {
  COMMANDS,
  type Command,
  type CommandType,
  fieldIssues,
  isCommandType,
  parseCommandData,
} from '../domain/catalog.js';
import { type IsoInstant, isoDateSchema } from '../domain/dates.js';
import {
  actorSchema,
  checkOverrideSchema,
  clientIdSchema,
  decisionDocumentSchema,
  regimeIdSchema,
  type Source,
} from '../domain/envelope.js';
import { ValidationError } from '../domain/errors.js';
import type { ExpectedRevision } from '../store/port.js';

const envelopeSchema = z.strictObject({
  type: z.string(),
  commandId: clientIdSchema.optional(),
  expectedRevision: z
    .union([
      z.enum(['any', 'no_stream', 'stream_exists']),
      z.number().int('must be a whole revision').min(-1),
    ])
    .optional(),
  actor: actorSchema,
  effectiveAt: isoDateSchema,
  regime: regimeIdSchema.optional(),
  document: decisionDocumentSchema.optional(),
  correlationId: clientIdSchema.optional(),
  causationId: clientIdSchema.optional(),
  override: checkOverrideSchema.optional(),
  data: z.unknown(),
});

export interface ParsedCommand {
  readonly command: Command;
  /** Stated by the client; when absent the handler uses what it loaded and retries on conflicts. */
  readonly expectedRevision?: ExpectedRevision;
  /** True when the client chose the command id (so a repeat is a retry of the same command). */
  readonly clientCommandId: boolean;
}

export interface ParseContext {
  readonly recordedAt: IsoInstant;
  readonly source: Source;
  readonly newCommandId: () => string;
}

export function parseCommand(raw: unknown, ctx: ParseContext): ParsedCommand {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw ValidationError.field('(root)', 'a command must be a JSON object', 'MALFORMED_COMMAND');
  }
  const type = (raw as { type?: unknown }).type;
  if (!isCommandType(type)) {
    const known = Object.keys(COMMANDS).join(', ');
    throw ValidationError.field(
      'type',
      type === undefined ? `is required (one of: ${known})` : `unknown command ${JSON.stringify(type)}`,
      'UNKNOWN_COMMAND',
    );
  }
  const env = envelopeSchema.safeParse(raw);
  const issues = env.success ? [] : fieldIssues(env.error, '');
  let data: unknown;
  try {
    data = parseCommandData(type as CommandType, (raw as { data?: unknown }).data);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    issues.push(...e.issues);
  }
  if (!env.success || issues.length > 0) throw new ValidationError(issues);
  const e = env.data;
  const meta = {
    commandId: e.commandId ?? ctx.newCommandId(),
    actor: e.actor,
    effectiveAt: e.effectiveAt,
    recordedAt: ctx.recordedAt,
    source: ctx.source,
    ...(e.regime && { regime: e.regime }),
    ...(e.document && { document: e.document }),
    ...(e.correlationId && { correlationId: e.correlationId }),
    ...(e.causationId && { causationId: e.causationId }),
    ...(e.override && { override: e.override }),
  };
  return {
    command: { type, data, meta } as Command,
    clientCommandId: e.commandId !== undefined,
    // -1 is "the revision before the first event": the stream must not exist yet.
    ...(e.expectedRevision !== undefined && {
      expectedRevision: e.expectedRevision === -1 ? 'no_stream' : e.expectedRevision,
    }),
  };
}
