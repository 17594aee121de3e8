// Writing a batch's rows in slices: each slice's statement is sent as soon as its parameter is built,
// and the next slice is built while PostgreSQL works on it (node-postgres sends one statement at a
// time per connection, so the event loop is given a turn between slices to send the next). Building
// rows (folded states to JSON, field diffs) and inserting them then overlap instead of taking turns.
import type pg from 'pg';

/** Rows per statement: big enough that a round trip is not felt, small enough to overlap. */
export const SLICE_ROWS = 1_000;

export async function sendInSlices<T>(
  tx: pg.PoolClient,
  sql: string,
  items: readonly T[],
  toParam: (slice: readonly T[]) => string,
  size = SLICE_ROWS,
): Promise<void> {
  const sent: Promise<unknown>[] = [];
  for (let i = 0; i < items.length; i += size) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    const query = tx.query(sql, [toParam(items.slice(i, i + size))]);
    query.catch(() => {}); // seen by Promise.all below; not unhandled while the next slice is built
    sent.push(query);
  }
  await Promise.all(sent);
}
