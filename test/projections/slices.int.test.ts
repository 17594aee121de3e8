// Specification of writing a batch's rows in slices: every slice is written, in order, and a slice
// that fails fails the whole write (its transaction is then lost), without an unhandled rejection
// while later slices are still being built.
import { afterEach, describe, expect, it } from 'vitest';
import { sendInSlices } from '../../src/projections/slices.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';

describe('sendInSlices', () => {
  let db: FreshDatabase;
  afterEach(() => db.drop());

  it('writes every item, one statement per slice', async () => {
    db = await freshDatabase();
    await db.pool.query('CREATE TABLE sliced (n integer PRIMARY KEY)');
    const client = await db.pool.connect();
    const built: number[] = [];
    try {
      const items = Array.from({ length: 2_345 }, (_, i) => i);
      await sendInSlices(
        client,
        'INSERT INTO sliced SELECT value::integer FROM jsonb_array_elements_text($1)',
        items,
        (slice) => {
          built.push(slice.length);
          return JSON.stringify(slice);
        },
        1_000,
      );
    } finally {
      client.release();
    }
    expect(built).toEqual([1_000, 1_000, 345]);
    const { rows } = await db.pool.query('SELECT count(*)::integer AS n, max(n) AS top FROM sliced');
    expect(rows[0]).toEqual({ n: 2_345, top: 2_344 });
  });

  it('fails when a slice fails, with that slice’s error', async () => {
    db = await freshDatabase();
    await db.pool.query('CREATE TABLE sliced (n integer PRIMARY KEY)');
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const write = sendInSlices(
        client,
        'INSERT INTO sliced SELECT value::integer FROM jsonb_array_elements_text($1)',
        [1, 1, ...Array.from({ length: 40 }, (_, i) => i + 2)], // the first slice fails at once
        (slice) => {
          // Slow to build, so the first slice's failure comes back while later ones are built.
          const until = Date.now() + 20;
          while (Date.now() < until);
          return JSON.stringify(slice);
        },
        2,
      );
      await expect(write).rejects.toThrow(/duplicate key/);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });
});
