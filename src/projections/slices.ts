// Writing a batch's rows in slices: each slice's statement is sent as soon as its parameter is built,
// and the next slice's parameter is built while PostgreSQL works on it. Building rows (folded states
// to JSON, field diffs) and inserting them then overlap instead of taking turns. One statement is in
// flight at a time (node-postgres deprecates queueing a query on a busy client), and it is awaited
// before the event loop turns again, so its failure is never an unhandled rejection.
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
  let inFlight: Promise<unknown> | undefined;
  for (let i = 0; i < items.length; i += size) {
    const param = toParam(items.slice(i, i + size)); // built while the slice before is written
    await inFlight;
    inFlight = tx.query(sql, [param]);
  }
  await inFlight;
}
