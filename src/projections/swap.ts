// How a rebuild's fresh table replaces the live one, inside the swap transaction (runner.ts). A table
// nothing else hangs on is moved in: the live one is dropped and the fresh one takes its schema, which
// costs the same for any number of rows. Readers wait on the table's lock for the few milliseconds
// the swap transaction takes (after the queries already running end), then read the new rows. A table
// a view, a trigger, a foreign key, a grant or a sequence default hangs on would lose it if dropped:
// its rows are deleted and copied in instead (readers keep the old rows until commit, no lock wait).
import type pg from 'pg';

export async function swapTable(
  tx: pg.PoolClient,
  live: string,
  shadow: string,
  table: string,
): Promise<void> {
  const qualified = `${live}.${table}`;
  if (await movable(tx, qualified)) {
    await tx.query(`DROP TABLE ${qualified}`);
    await tx.query(`ALTER TABLE ${shadow}.${table} SET SCHEMA ${live}`);
    return;
  }
  // DELETE, not TRUNCATE: readers keep the old rows until commit instead of waiting on a lock.
  await tx.query(`DELETE FROM ${qualified}`);
  await tx.query(`INSERT INTO ${qualified} SELECT * FROM ${shadow}.${table}`);
}

/** Nothing but the table's own indexes and constraints depends on it. */
async function movable(tx: pg.PoolClient, qualified: string): Promise<boolean> {
  const { rows } = await tx.query<{ movable: boolean }>(
    `SELECT c.relacl IS NULL
        AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
                        WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = c.oid AND r.ev_class <> c.oid)
        AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.confrelid = c.oid)
        AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attidentity <> '')
        AND NOT EXISTS (SELECT 1 FROM pg_attrdef f WHERE f.adrelid = c.oid
                        AND pg_get_expr(f.adbin, f.adrelid) LIKE '%nextval(%') AS movable
     FROM pg_class c WHERE c.oid = $1::regclass`,
    [qualified],
  );
  return rows[0]?.movable === true;
}
