// Progress on stderr for the import and the rebuild: a bar on a terminal, a plain line every few
// seconds otherwise (logs and CI keep a readable record instead of carriage returns).
import cliProgress from 'cli-progress';
import { fileLines, type ImportCounts } from './import.js';

export interface Progress {
  update(counts: ImportCounts): void;
  stop(): void;
}

const describe = (c: ImportCounts) =>
  `${c.applied + c.duplicates + c.rejected} done: ${c.applied} applied, ${c.duplicates} duplicates, ${c.rejected} rejected`;

/** `countable`: a regular file, whose lines can be counted first for the bar (a pipe cannot be read twice). */
export async function startProgress(
  file: string,
  countable: boolean,
  stream: NodeJS.WriteStream = process.stderr,
): Promise<Progress> {
  if (!stream.isTTY || !countable) return plainProgress(stream);
  const total = await countLines(file);
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        'import [{bar}] {percentage}% | {value}/{total} lines | {applied} applied, {rejected} rejected | ETA {eta_formatted}',
      hideCursor: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { applied: 0, rejected: 0 });
  return {
    update: (c) =>
      bar.update(c.applied + c.duplicates + c.rejected, { applied: c.applied, rejected: c.rejected }),
    stop: () => bar.stop(),
  };
}

function plainProgress(stream: NodeJS.WriteStream, everyMs = 2000): Progress {
  return plainLines<ImportCounts>(stream, (c) => `import: ${describe(c)}`, everyMs);
}

/** Prints the latest value's line every `everyMs` when it changed. */
function plainLines<T>(
  stream: NodeJS.WriteStream,
  line: (value: T) => string,
  everyMs = 2000,
): { update(value: T): void; stop(): void } {
  let last: T | undefined;
  let printed: T | undefined;
  const timer = setInterval(() => {
    if (last !== undefined && last !== printed) {
      stream.write(`${line(last)}\n`);
      printed = last;
    }
  }, everyMs);
  timer.unref();
  return {
    update: (value) => {
      last = value;
    },
    stop: () => clearInterval(timer),
  };
}

export interface RebuildProgress {
  /** Events read so far and the parked ones. */
  update(read: number, parked: number): void;
  /**
   * The rebuild is done, having read `read` events: the bar ends full. A rebuild by stream reads only
   * the categories its projection folds, fewer than the log's total.
   */
  finish(read: number, parked: number): void;
  stop(): void;
}

/** Events per second since `started` (performance.now()), rounded. */
export const eventsPerSecond = (events: number, started: number, now = performance.now()) =>
  Math.round(events / Math.max((now - started) / 1000, 1e-3));

/**
 * A rebuild's progress: events read of the `total` in the log, with the rate. `total` is the log's
 * size when the rebuild began; events appended meanwhile can take the count past it.
 */
export function startRebuildProgress(
  name: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): RebuildProgress {
  const started = performance.now();
  const rate = (read: number) => eventsPerSecond(read, started);
  if (!stream.isTTY) {
    const plain = plainLines<{ read: number; parked: number }>(
      stream,
      (p) => `rebuild ${name}: ${p.read}/${total} events, ${p.parked} parked, ${rate(p.read)} events/s`,
    );
    const update = (read: number, parked: number) => plain.update({ read, parked });
    return { update, finish: update, stop: () => plain.stop() };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${name} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | {parked} parked | ETA {eta_formatted}`,
      hideCursor: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(total, 1), 0, { rate: 0, parked: 0 });
  return {
    update: (read, parked) => {
      if (read > bar.getTotal()) bar.setTotal(read);
      bar.update(read, { rate: rate(read), parked });
    },
    finish: (read, parked) => {
      bar.setTotal(Math.max(read, 1));
      bar.update(read, { rate: rate(read), parked });
    },
    stop: () => bar.stop(),
  };
}

/** Non-blank lines, for the bar's total (only on a terminal, where a person waits for it). */
async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const line of fileLines(file)) if (line.trim() !== '') n++;
  return n;
}
