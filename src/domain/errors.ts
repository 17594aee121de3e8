// Typed errors with stable codes. Every rejection in tiendo is one of these; the API and CLI map the
// code (never the message) to GraphQL extensions, HTTP statuses and exit codes.

export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'ILLEGAL_TRANSITION'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'UNAVAILABLE';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `data.amount` or `effectiveAt`. */
  readonly field: string;
  readonly message: string;
}

export abstract class TiendoError extends Error {
  abstract readonly code: ErrorCode;
  /** A finer stable reason, e.g. `MILESTONE_ALREADY_COMPLETED`; defaults to the code. */
  readonly reason: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, reason?: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.reason = reason ?? '';
    this.details = details;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, reason: this.reason || this.code, message: this.message, ...this.details };
  }
}

export class ValidationError extends TiendoError {
  readonly code = 'VALIDATION' as const;
  readonly issues: readonly FieldIssue[];
  constructor(issues: readonly FieldIssue[], reason = 'INVALID_INPUT') {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '), reason, { issues });
    this.issues = issues;
  }
  static field(field: string, message: string, reason?: string): ValidationError {
    return new ValidationError([{ field, message }], reason);
  }
}

export class NotFoundError extends TiendoError {
  readonly code = 'NOT_FOUND' as const;
  constructor(what: string, id: string, reason = 'NOT_FOUND') {
    super(`${what} ${id} does not exist`, reason, { what, id });
  }
}

/** A command that is well-formed but not allowed in the aggregate's current state. */
export class IllegalTransitionError extends TiendoError {
  readonly code = 'ILLEGAL_TRANSITION' as const;
  constructor(reason: string, message: string, details: Record<string, unknown> = {}) {
    super(message, reason, details);
  }
}

export class ConflictError extends TiendoError {
  readonly code = 'CONFLICT' as const;
  constructor(message: string, reason = 'WRONG_EXPECTED_REVISION', details: Record<string, unknown> = {}) {
    super(message, reason, details);
  }
}

export class ForbiddenError extends TiendoError {
  readonly code = 'FORBIDDEN' as const;
  constructor(message: string, reason = 'FORBIDDEN', details: Record<string, unknown> = {}) {
    super(message, reason, details);
  }
}

/** The request proves no identity: no bearer token, or one that is malformed, expired or revoked. */
export class UnauthenticatedError extends TiendoError {
  readonly code = 'UNAUTHENTICATED' as const;
  constructor(message: string, reason = 'UNAUTHENTICATED', details: Record<string, unknown> = {}) {
    super(message, reason, details);
  }
}

/** The event store or database could not be reached; safe to retry. */
export class UnavailableError extends TiendoError {
  readonly code = 'UNAVAILABLE' as const;
  constructor(message: string, reason = 'STORE_UNAVAILABLE', details: Record<string, unknown> = {}) {
    super(message, reason, details);
  }
}

export const isTiendoError = (e: unknown): e is TiendoError => e instanceof TiendoError;
