// Import progress on stderr: a bar on a terminal, a plain line every few seconds otherwise (logs and
// CI keep a readable record instead of carriage returns).
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
  let last: ImportCounts | undefined;
  let printed: ImportCounts | undefined;
  const timer = setInterval(() => {
    if (last && last !== printed) {
      stream.write(`import: ${describe(last)}\n`);
      printed = last;
    }
  }, everyMs);
  timer.unref();
  return {
    update: (c) => {
      last = c;
    },
    stop: () => clearInterval(timer),
  };
}

/** Non-blank lines, for the bar's total (only on a terminal, where a person waits for it). */
async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const line of fileLines(file)) if (line.trim() !== '') n++;
  return n;
}
