// Expected-revision rules and the conflicts every adapter raises, so that all of them say the same
// thing in the same words (reason codes and details are part of the port's contract).
import { ConflictError, ValidationError } from '../domain/errors.js';
import type { ExpectedRevision } from './port.js';

export function assertExpectedRevision(expected: ExpectedRevision): void {
  if (typeof expected === 'number' && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw ValidationError.field(
      'expectedRevision',
      'must be a revision (0, 1, ...) or any, no_stream, stream_exists',
    );
  }
}

/** `actual` is the stream's last revision, -1 when it has no event. */
export function expectedRevisionHolds(expected: ExpectedRevision, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === -1;
    case 'stream_exists':
      return actual >= 0;
    default:
      return expected === actual;
  }
}

export function wrongExpectedRevision(
  stream: string,
  expected: ExpectedRevision,
  actual: number,
): ConflictError {
  return new ConflictError(
    `stream ${stream} is at revision ${actual}, expected ${expected}`,
    'WRONG_EXPECTED_REVISION',
    { stream, expected, actual },
  );
}

export function commandIdReused(commandId: string): ConflictError {
  return new ConflictError(
    `command ${commandId} was already applied with other content`,
    'COMMAND_ID_REUSED',
    {
      commandId,
    },
  );
}

export function eventIdReused(stream: string): ConflictError {
  return new ConflictError(`an event id appended to ${stream} is already in the log`, 'EVENT_ID_REUSED', {
    stream,
  });
}
