// The bulk import behind `tiendo import` (and the benchmark): one command JSON per line, applied
// concurrently where streams differ and in file order where they meet. A bad line is reported by its
// line number and never stops the good ones; only a database that cannot be reached stops the run.
import { constants, createReadStream, openSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { CommandHandler, CommandResult } from '../commands/handler.js';
import { newIdFactory } from '../commands/ids.js';
import { type ParsedCommand, parseCommand } from '../commands/parse.js';
import type { IsoInstant } from '../domain/dates.js';
import { type FieldIssue, ValidationError } from '../domain/errors.js';
import { toFailure } from './errors.js';
import { KeyedScheduler } from './scheduler.js';
import { streamsTouched } from './touches.js';

export interface ImportRejection {
  /** 1-based line number in the file, blank lines counted. */
  readonly line: number;
  readonly code: string;
  readonly reason: string;
  readonly message: string;
  readonly issues?: readonly FieldIssue[];
  readonly commandId?: string;
  readonly type?: string;
}

export interface ImportCounts {
  /** Non-blank lines read so far. */
  readonly read: number;
  readonly applied: number;
  readonly duplicates: number;
  readonly rejected: number;
  /** Events written (duplicates write none). */
  readonly events: number;
}

export interface ImportSummary extends ImportCounts {
  /** Sorted by line number. */
  readonly rejections: readonly ImportRejection[];
  /** Set when the run stopped early: interrupted, or the database became unavailable. */
  readonly stopped?: {
    readonly why: 'interrupted' | 'unavailable';
    readonly message: string;
    /** Lines after this one were not read. */
    readonly lastLineRead: number;
    /** Lines read and queued, then not attempted because the database had gone. */
    readonly notAttempted: number;
  };
}

export interface ImportOptions {
  readonly handler: CommandHandler;
  /** Commands in flight at once (default 8). */
  readonly concurrency?: number;
  /** Stops reading new lines; lines already started finish and are counted. */
  readonly signal?: AbortSignal;
  /** Called after each line settles. */
  readonly onProgress?: (counts: ImportCounts) => void;
  readonly clock?: () => Date;
}

/**
 * Lines of a file or a named pipe, without their line ends (a UTF-8 byte-order mark on the first is
 * dropped). A pipe is read through the event loop, not the thread pool: a thread blocked reading a
 * pipe nobody writes to would keep the process from exiting, even on Ctrl-C.
 */
export async function* fileLines(path: string): AsyncGenerator<string> {
  const input = (await stat(path)).isFIFO()
    ? new Socket({
        fd: openSync(path, constants.O_RDONLY | constants.O_NONBLOCK),
        readable: true,
        writable: false,
      })
    : createReadStream(path);
  const rl = createInterface({ input: input.setEncoding('utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  let first = true;
  try {
    for await (const line of rl) {
      yield first && line.startsWith('\uFEFF') ? line.slice(1) : line;
      first = false;
    }
  } finally {
    input.destroy();
  }
}

export async function importCommands(
  lines: AsyncIterable<string> | Iterable<string>,
  options: ImportOptions,
): Promise<ImportSummary> {
  const { handler, signal, onProgress } = options;
  const clock = options.clock ?? (() => new Date());
  const newId = newIdFactory();
  const scheduler = new KeyedScheduler({ concurrency: options.concurrency ?? 8 });
  const rejections: ImportRejection[] = [];
  const counts = { read: 0, applied: 0, duplicates: 0, rejected: 0, events: 0 };
  let stop: { why: 'interrupted' | 'unavailable'; message: string } | undefined;
  let notAttempted = 0;
  let lineNo = 0;

  const settled = () => onProgress?.({ ...counts });
  const applied = (r: CommandResult) => {
    if (r.duplicate) counts.duplicates++;
    else {
      counts.applied++;
      counts.events += r.events.length;
    }
  };
  const failed = (line: number, error: unknown, said: { commandId?: string; type?: string }) => {
    const f = toFailure(error);
    if (f.code === 'UNAVAILABLE') stop ??= { why: 'unavailable', message: f.message };
    rejections.push({
      line,
      code: f.code,
      reason: f.reason,
      message: f.message,
      ...(f.issues.length > 0 && { issues: f.issues }),
      ...said,
    });
    counts.rejected++;
  };

  for await (const rawLine of untilAborted(lines, signal)) {
    if (stop) break;
    lineNo++;
    const text = rawLine.trim();
    if (text === '') continue;
    counts.read++;
    const line = lineNo;
    const raw = parseJson(text);
    const said = whatItSays(raw);
    let parsed: ParsedCommand;
    try {
      if (raw instanceof ValidationError) throw raw;
      parsed = parseCommand(raw, {
        recordedAt: clock().toISOString() as IsoInstant,
        source: 'import',
        newCommandId: newId,
      });
    } catch (error) {
      failed(line, error, said);
      settled();
      continue;
    }
    await scheduler.whenRoom();
    scheduler
      .submit(streamsTouched(parsed.command), () => {
        // Queued when the database went away: not attempted rather than rejected.
        if (stop?.why === 'unavailable') return Promise.resolve(null);
        // recordedAt is when the command is recorded, not when its line was read.
        const meta = { ...parsed.command.meta, recordedAt: clock().toISOString() as IsoInstant };
        return handler.execute({
          ...parsed,
          command: { ...parsed.command, meta } as ParsedCommand['command'],
        });
      })
      .then(
        (r) => {
          if (r) applied(r);
          else notAttempted++;
        },
        (error: unknown) =>
          failed(line, error, { commandId: parsed.command.meta.commandId, type: parsed.command.type }),
      )
      .finally(settled);
  }
  if (signal?.aborted) stop ??= { why: 'interrupted', message: 'interrupted by a signal' };
  await scheduler.whenIdle();
  rejections.sort((a, b) => a.line - b.line);
  return {
    ...counts,
    rejections,
    ...(stop && { stopped: { ...stop, lastLineRead: lineNo, notAttempted } }),
  };
}

/**
 * The lines until the signal aborts, even while waiting for the next one: a pipe may never send it.
 * The source is closed without waiting, for the same reason.
 */
async function* untilAborted(
  lines: AsyncIterable<string> | Iterable<string>,
  signal: AbortSignal | undefined,
): AsyncGenerator<string> {
  const it = Symbol.asyncIterator in lines ? lines[Symbol.asyncIterator]() : lines[Symbol.iterator]();
  const aborted = new Promise<null>((resolve) => {
    if (signal?.aborted) resolve(null);
    else signal?.addEventListener('abort', () => resolve(null), { once: true });
  });
  try {
    for (;;) {
      const next = await Promise.race([it.next(), aborted]);
      if (next === null || next.done) return;
      yield next.value;
    }
  } finally {
    void Promise.resolve(it.return?.()).catch(() => {});
  }
}

/** The parsed JSON, or a ValidationError (on `field`) saying why the text is not JSON. */
export function parseJson(text: string, field = '(line)'): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return ValidationError.field(field, `is not valid JSON: ${(error as Error).message}`, 'MALFORMED_JSON');
  }
}

/** The command id and type a line claims, for the report, even when the rest of it is wrong. */
function whatItSays(raw: unknown): { commandId?: string; type?: string } {
  if (raw === null || typeof raw !== 'object' || raw instanceof Error) return {};
  const { commandId, type } = raw as { commandId?: unknown; type?: unknown };
  return {
    ...(typeof commandId === 'string' && { commandId }),
    ...(typeof type === 'string' && { type }),
  };
}
