// Specification of bulk writes by COPY: every value comes back exactly as it went in — text with the
// format's special characters, Vietnamese, NULLs, JSON with escapes, dates, numerics, booleans — and a
// row PostgreSQL refuses fails the whole write. The same for a COPY left open (CopySink), whose rows are
// encoded into chunks of bytes: a character of several bytes or a row longer than a chunk is not cut.
import { afterEach, describe, expect, it } from 'vitest';
import { CopySink, copyField, copyRows } from '../../src/projections/copy-rows.js';
import { type FreshDatabase, freshDatabase } from '../support/db.js';

describe('copyField', () => {
  it('writes NULL as \\N and escapes backslash, tab, newline and carriage return', () => {
    expect([null, undefined, 'a\\b\tc\nd\re', 7, true, { a: 'x\ny' }].map(copyField)).toEqual([
      '\\N',
      '\\N',
      'a\\\\b\\tc\\nd\\re',
      '7',
      'true',
      '{"a":"x\\\\ny"}',
    ]);
  });
});

describe('copyRows', () => {
  let db: FreshDatabase;
  afterEach(() => db.drop());

  const TABLE = `CREATE TABLE copied (id integer PRIMARY KEY, label text, money numeric(30, 0),
    on_day date, flag boolean, doc jsonb)`;

  it('writes every row exactly, over several chunks', async () => {
    db = await freshDatabase();
    await db.pool.query(TABLE);
    const odd = 'Sở Tài chính\ttab\nnewline\\backslash\r"quote" \\N';
    const items = Array.from({ length: 1_234 }, (_, i) => i);
    const client = await db.pool.connect();
    try {
      await copyRows(client, 'copied', ['id', 'label', 'money', 'on_day', 'flag', 'doc'], items, (i) => [
        i,
        i === 7 ? null : `${odd} ${i}`,
        (123_456_789_012_345_678_901n + BigInt(i)).toString(),
        '2025-07-01',
        i % 2 === 0,
        { changes: [{ field: 'phase', before: null, after: `a\n"b"\\${i}` }] },
      ]);
    } finally {
      client.release();
    }
    const { rows } = await db.pool.query(
      'SELECT count(*)::integer AS n, sum(money)::text AS total FROM copied',
    );
    expect(rows[0]).toEqual({
      n: 1_234,
      total: (123_456_789_012_345_678_901n * 1_234n + (1_233n * 1_234n) / 2n).toString(),
    });
    const one = await db.pool.query(
      "SELECT label, to_char(on_day, 'YYYY-MM-DD') AS on_day, flag, doc FROM copied WHERE id IN (7, 8) ORDER BY id",
    );
    expect(one.rows).toEqual([
      {
        label: null,
        on_day: '2025-07-01',
        flag: false,
        doc: { changes: [{ field: 'phase', before: null, after: 'a\n"b"\\7' }] },
      },
      {
        label: `${odd} 8`,
        on_day: '2025-07-01',
        flag: true,
        doc: { changes: [{ field: 'phase', before: null, after: 'a\n"b"\\8' }] },
      },
    ]);
  });

  it('fails as a whole when PostgreSQL refuses a row', async () => {
    db = await freshDatabase();
    await db.pool.query(TABLE);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const write = copyRows(client, 'copied', ['id', 'label'], [1, 2, 3, 2, 5], (i) => [i, 'x']);
      await expect(write).rejects.toThrow(/duplicate key/);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect((await db.pool.query('SELECT count(*)::integer AS n FROM copied')).rows[0].n).toBe(0);
  });
});

describe('CopySink', () => {
  let db: FreshDatabase;
  afterEach(() => db.drop());

  const TABLE = 'CREATE TABLE sunk (id integer PRIMARY KEY, label text, doc jsonb)';
  /** Two bytes and three bytes of UTF-8 per character, and the format's specials. */
  const VIETNAMESE = 'Dự án đầu tư xây dựng — Sở Kế hoạch\tvà\nĐầu tư\\ ';

  it('writes every row exactly: thousands of rows over many chunks, and rows longer than a chunk', async () => {
    db = await freshDatabase();
    await db.pool.query(TABLE);
    // Lengths vary, in three-byte characters mostly: some row meets a chunk's end with fewer bytes left
    // than it needs, though as many as its characters.
    const label = (i: number) =>
      i % 500 === 3 ? VIETNAMESE.repeat(1_500) : `${'ầ'.repeat(i % 211)}${VIETNAMESE}${i}`;
    const client = await db.pool.connect();
    try {
      const sink = new CopySink(client, 'sunk', ['id', 'label', 'doc']);
      for (let i = 0; i < 5_000; i++) sink.add([i, i === 9 ? null : label(i), { i, label: label(i) }]);
      await sink.end();
    } finally {
      client.release();
    }
    const { rows } = await db.pool.query<{ id: number; label: string | null; doc: unknown }>(
      'SELECT id, label, doc FROM sunk ORDER BY id',
    );
    expect(rows.length).toBe(5_000);
    const wrong = rows.filter(
      (r) =>
        r.label !== (r.id === 9 ? null : label(r.id)) ||
        JSON.stringify(r.doc) !== JSON.stringify({ i: r.id, label: label(r.id) }),
    );
    expect(wrong.map((r) => r.id)).toEqual([]);
    expect(rows[3]?.label?.length).toBe(VIETNAMESE.length * 1_500);
  });

  it('fails at end when PostgreSQL refuses a row, and nothing is written', async () => {
    db = await freshDatabase();
    await db.pool.query(TABLE);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const sink = new CopySink(client, 'sunk', ['id', 'label']);
      for (const i of [1, 2, 3, 2, 5]) sink.add([i, VIETNAMESE]);
      await expect(sink.end()).rejects.toThrow(/duplicate key/);
      await client.query('ROLLBACK');
    } finally {
      client.release(true);
    }
    expect((await db.pool.query('SELECT count(*)::integer AS n FROM sunk')).rows[0].n).toBe(0);
  });
});
