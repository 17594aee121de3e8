// Bulk writes with COPY … FROM STDIN (pg-copy-streams): for an append-only table, several times
// faster than an INSERT of the same rows from a JSON parameter (docs/BENCHMARKS.md, "Rebuild"), and
// the rows are built in slices while PostgreSQL consumes the ones before. COPY has no ON CONFLICT:
// callers use it only for rows that cannot exist yet.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;

/** One field in COPY's text format: NULL as \N, objects as JSON, the format's four specials escaped. */
export function copyField(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return '\\N';
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
  }
  if (value === null) return '\\N';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Most fields hold none of the four: a test is cheaper than a replace that finds nothing.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c] as string) : text;
}

/** One row in COPY's text format, its line end included. */
const copyLine = (fields: readonly unknown[]): string => `${fields.map(copyField).join('\t')}\n`;

/** Rows per chunk handed to the COPY stream. */
const CHUNK_ROWS = 500;

/**
 * COPYs `items` into `table`'s `columns`, each item turned into its row by `row` (values in column
 * order). Items are taken as the stream asks for them: a lazy iterable is produced while PostgreSQL
 * consumes the rows before.
 */
export async function copyRows<T>(
  tx: pg.PoolClient,
  table: string,
  columns: readonly string[],
  items: Iterable<T>,
  row: (item: T) => readonly unknown[],
): Promise<void> {
  function* chunks(): Generator<string> {
    let text = '';
    let n = 0;
    for (const item of items) {
      text += copyLine(row(item));
      if (++n === CHUNK_ROWS) {
        yield text;
        text = '';
        n = 0;
      }
    }
    if (n > 0) yield text;
  }
  const sink = tx.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks()), sink);
}

/** Bytes handed to the COPY stream at a time. */
const SINK_CHUNK = 64 * 1024;

/**
 * A COPY … FROM STDIN into `table` left open while rows are added one by one: each is sent as soon as
 * a chunk fills, so PostgreSQL takes rows in while the caller makes the next ones. `end` sends the rest
 * and waits for the COPY to complete; an error PostgreSQL raised meanwhile is thrown by the next `add`
 * or by `end`. Each row is encoded into the chunk's bytes as it is added: text joined into a chunk
 * would be copied once more, flattened, before being encoded (docs/BENCHMARKS.md, "The eleventh
 * session").
 */
export class CopySink {
  private buffer = Buffer.allocUnsafe(SINK_CHUNK);
  private used = 0;
  private failure: Error | undefined;
  private readonly stream: ReturnType<typeof copyFrom>;
  private readonly done: Promise<void>;

  constructor(client: pg.PoolClient, table: string, columns: readonly string[]) {
    this.stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
    this.done = new Promise((resolve, reject) => {
      this.stream.on('finish', resolve);
      this.stream.on('error', (error: Error) => {
        this.failure = error;
        reject(error);
      });
    });
    this.done.catch(() => {}); // thrown by add or end
  }

  add(fields: readonly unknown[]): void {
    if (this.failure) throw this.failure;
    const line = copyLine(fields);
    // A UTF-16 unit is at most 3 bytes of UTF-8: a line that might not fit waits for the next chunk,
    // and one that might not fit in a chunk goes alone.
    if (this.used + 3 * line.length > SINK_CHUNK) {
      this.send();
      if (3 * line.length > SINK_CHUNK) {
        this.stream.write(line);
        return;
      }
    }
    this.used += this.buffer.write(line, this.used, 'utf8');
  }

  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    this.send();
    this.stream.end();
    await this.done;
  }

  private send(): void {
    if (this.used === 0) return;
    this.stream.write(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.allocUnsafe(SINK_CHUNK);
    this.used = 0;
  }
}
