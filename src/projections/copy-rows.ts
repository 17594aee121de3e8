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
      text += `${row(item).map(copyField).join('\t')}\n`;
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
