// How the CLI reports a failure: one exit code per error class (scripts branch on it), and a message
// naming the code, the reason and every offending field. The mapping reads the code, never the text.
import { type ErrorCode, type FieldIssue, isTiendoError, UnavailableError } from '../domain/errors.js';

export const EXIT = {
  OK: 0,
  UNEXPECTED: 1,
  VALIDATION: 2,
  NOT_FOUND: 3,
  ILLEGAL_TRANSITION: 4,
  CONFLICT: 5,
  FORBIDDEN: 6,
  UNAVAILABLE: 7,
  /** `import` finished, but some lines were rejected (the good ones were applied). */
  LINES_REJECTED: 8,
  /** `verify`, `restore` or `checkpoint --verify` found the event log tampered with. */
  INTEGRITY_BROKEN: 9,
  /** Stopped by SIGINT/SIGTERM (128 + 2). */
  INTERRUPTED: 130,
} as const;

const BY_CODE: Readonly<Record<ErrorCode, number>> = {
  VALIDATION: EXIT.VALIDATION,
  NOT_FOUND: EXIT.NOT_FOUND,
  ILLEGAL_TRANSITION: EXIT.ILLEGAL_TRANSITION,
  CONFLICT: EXIT.CONFLICT,
  FORBIDDEN: EXIT.FORBIDDEN,
  UNAUTHENTICATED: EXIT.FORBIDDEN,
  UNAVAILABLE: EXIT.UNAVAILABLE,
};

export const EXIT_CODES_HELP = `Exit codes:
  0  done
  1  unexpected error (a bug; TIENDO_DEBUG=1 prints the stack)
  2  invalid input (validation, malformed JSON, bad usage)
  3  not found
  4  illegal transition (the aggregate's state does not allow the command)
  5  conflict (expected revision, command id reused with other content)
  6  forbidden (or not authenticated)
  7  database unavailable
  8  import finished with rejected lines
  9  integrity broken: a hash chain or a checkpoint does not hold (verify, checkpoint --verify)
  130 interrupted`;

/** A failure as the CLI shows it, whatever threw it. */
export interface Failure {
  readonly code: ErrorCode | 'UNEXPECTED';
  readonly reason: string;
  readonly message: string;
  readonly issues: readonly FieldIssue[];
  readonly details: Readonly<Record<string, unknown>>;
}

export function toFailure(error: unknown): Failure {
  const e = asTiendoError(error);
  if (e) {
    const { issues, ...details } = e.details as { issues?: FieldIssue[] };
    return { code: e.code, reason: e.reason || e.code, message: e.message, issues: issues ?? [], details };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'UNEXPECTED', reason: 'UNEXPECTED', message, issues: [], details: {} };
}

export const exitCodeOf = (f: Failure): number =>
  f.code === 'UNEXPECTED' ? EXIT.UNEXPECTED : BY_CODE[f.code];

/** `error VALIDATION (INVALID_INPUT): …` then one indented line per field. */
export function formatFailure(f: Failure): string {
  const head = `error ${f.code}${f.reason !== f.code ? ` (${f.reason})` : ''}`;
  if (f.issues.length === 0) return `${head}: ${f.message}`;
  return [`${head}:`, ...f.issues.map((i) => `  ${i.field}: ${i.message}`)].join('\n');
}

export const failureJson = (f: Failure) => ({
  code: f.code,
  reason: f.reason,
  message: f.message,
  ...(f.issues.length > 0 && { issues: f.issues }),
  ...f.details,
});

/**
 * Tiendo errors pass through; a database that cannot be reached before the store exists (opening the
 * pool, migrating) becomes UNAVAILABLE like the store's own connection failures.
 */
function asTiendoError(error: unknown) {
  if (isTiendoError(error)) return error;
  if (isConnectionFailure(error)) {
    return new UnavailableError(`PostgreSQL is unavailable: ${(error as Error).message}`);
  }
  return undefined;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code ?? '';
  // 08: connection exception; 3D000: database does not exist; 28: authentication; 57P: shutting down.
  if (NETWORK_CODES.has(code) || /^(08...|28...|3D000|57P0[123]|53300)$/.test(code)) return true;
  // AggregateError (every address refused) carries the code on its parts.
  if (error instanceof AggregateError) return error.errors.some(isConnectionFailure);
  return /could not start PostgreSQL|connection terminated|timeout exceeded when trying to connect/i.test(
    error.message,
  );
}
