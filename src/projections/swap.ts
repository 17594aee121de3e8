// How a rebuild's fresh table replaces the live one, inside the swap transaction (runner.ts). A table
// nothing else hangs on but plain views and triggers is moved in: its views are dropped, the live
// table is dropped, the fresh one takes its schema and the views and triggers are made again from
// their definitions, which costs the same for any number of rows. Readers wait on the locks for the
// few milliseconds the swap transaction takes (after the queries already running end), then read the
// new rows. A table a foreign key, a grant, a sequence default, a rule, a row security policy, a
// publication, a comment of its own, or a view or trigger with more than its definition hangs on would
// lose it if dropped: its rows are deleted and copied in instead (readers keep the old rows until
// commit).
import type pg from 'pg';

/**
 * A rebuild's fresh copy of a live table: the same columns, storage, defaults and constraints (LIKE …
 * INCLUDING ALL), the same storage parameters (which LIKE leaves out), and its primary key, which
 * upserts need; its other indexes are built by completeFreshTable once the rows are in, faster than
 * kept up row by row.
 */
export async function createFreshTable(
  tx: pg.PoolClient,
  live: string,
  shadow: string,
  table: string,
): Promise<void> {
  await tx.query(`CREATE TABLE ${shadow}.${table} (LIKE ${live}.${table} INCLUDING ALL EXCLUDING INDEXES)`);
  const { rows } = await tx.query<{
    options: string[] | null;
    key: string | null;
    definition: string | null;
  }>(
    `SELECT c.reloptions AS options, k.conname AS key, pg_get_constraintdef(k.oid) AS definition
     FROM pg_class c LEFT JOIN pg_constraint k ON k.conrelid = c.oid AND k.contype = 'p'
     WHERE c.oid = $1::regclass`,
    [`${live}.${table}`],
  );
  const { options, key, definition } = rows[0] ?? { options: null, key: null, definition: null };
  if (options && options.length > 0)
    await tx.query(`ALTER TABLE ${shadow}.${table} SET (${options.join(', ')})`);
  if (key && definition) await tx.query(`ALTER TABLE ${shadow}.${table} ADD CONSTRAINT ${key} ${definition}`);
}

/**
 * Gives the fresh table the live one's other indexes and the constraints they back (unique,
 * exclusion), under the same names, now that its rows are in; and the comments of all its indexes.
 */
export async function completeFreshTable(
  tx: pg.PoolClient,
  live: string,
  shadow: string,
  table: string,
): Promise<void> {
  const { rows } = await tx.query<{ constraint: string | null; definition: string }>(
    `SELECT k.conname AS constraint,
            CASE WHEN k.oid IS NULL THEN pg_get_indexdef(i.indexrelid) ELSE pg_get_constraintdef(k.oid) END
              AS definition
     FROM pg_index i LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid
     WHERE i.indrelid = $1::regclass AND NOT i.indisprimary ORDER BY i.indexrelid`,
    [`${live}.${table}`],
  );
  for (const { constraint, definition } of rows) {
    if (constraint) {
      await tx.query(`ALTER TABLE ${shadow}.${table} ADD CONSTRAINT ${constraint} ${definition}`);
      continue;
    }
    // CREATE [UNIQUE] INDEX name ON schema.table USING …: the same index on the fresh table.
    const on = / ON (ONLY )?\S+ USING /.exec(definition);
    if (!on) throw new Error(`cannot read the index definition ${definition}`);
    await tx.query(definition.replace(on[0], ` ON ${shadow}.${table} USING `));
  }
  // And their comments, on the index or on the constraint it backs (LIKE copies the others').
  const { rows: comments } = await tx.query<{ statement: string }>(
    `SELECT format('COMMENT ON INDEX %I.%I IS %L', $2::text, c.relname, obj_description(c.oid, 'pg_class'))
              AS statement
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = $1::regclass AND obj_description(c.oid, 'pg_class') IS NOT NULL
     UNION ALL
     SELECT format('COMMENT ON CONSTRAINT %I ON %I.%I IS %L', k.conname, $2::text, $3::text,
                   obj_description(k.oid, 'pg_constraint'))
     FROM pg_constraint k
     WHERE k.conrelid = $1::regclass AND k.contype IN ('p', 'u', 'x')
       AND obj_description(k.oid, 'pg_constraint') IS NOT NULL`,
    [`${live}.${table}`, shadow, table],
  );
  for (const { statement } of comments) await tx.query(statement);
}

export async function swapTable(
  tx: pg.PoolClient,
  live: string,
  shadow: string,
  table: string,
): Promise<void> {
  const qualified = `${live}.${table}`;
  const views = await viewsOn(tx, qualified);
  const triggers = views && (await triggersOn(tx, qualified));
  if (views && triggers && (await movable(tx, qualified))) {
    // Views and triggers are dropped and made again from their own definitions, on the moved table.
    for (const v of views) await tx.query(`DROP VIEW ${v.name}`);
    await tx.query(`DROP TABLE ${qualified}`);
    await tx.query(`ALTER TABLE ${shadow}.${table} SET SCHEMA ${live}`);
    for (const v of views) await tx.query(`CREATE VIEW ${v.name} AS ${v.definition}`);
    for (const definition of triggers) await tx.query(definition);
    return;
  }
  // DELETE, not TRUNCATE: readers keep the old rows until commit instead of waiting on a lock.
  await tx.query(`DELETE FROM ${qualified}`);
  await tx.query(`INSERT INTO ${qualified} SELECT * FROM ${shadow}.${table}`);
}

interface View {
  /** Schema-qualified and quoted. */
  readonly name: string;
  readonly definition: string;
}

/**
 * The plain views on the table, which the swap can drop and make again as they were; undefined when
 * one of them carries more than its definition (a grant, an option, a comment, a trigger, another
 * owner, or a view on it), which would be lost.
 */
async function viewsOn(tx: pg.PoolClient, qualified: string): Promise<View[] | undefined> {
  const { rows } = await tx.query<View & { plain: boolean }>(
    `SELECT quote_ident(n.nspname) || '.' || quote_ident(v.relname) AS name,
            pg_get_viewdef(v.oid) AS definition,
            v.relkind = 'v' AND v.relacl IS NULL AND v.reloptions IS NULL AND v.relowner = u.oid
              AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = v.oid AND a.attacl IS NOT NULL)
              AND NOT EXISTS (SELECT 1 FROM pg_depend d2 JOIN pg_rewrite r2 ON r2.oid = d2.objid
                              WHERE d2.classid = 'pg_rewrite'::regclass AND d2.refobjid = v.oid
                                AND r2.ev_class <> v.oid)
              AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = v.oid)
              AND NOT EXISTS (SELECT 1 FROM pg_description c WHERE c.objoid = v.oid) AS plain
     FROM pg_class v JOIN pg_namespace n ON n.oid = v.relnamespace
     JOIN pg_roles u ON u.rolname = current_user
     WHERE v.oid IN (SELECT r.ev_class FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
                     WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = $1::regclass
                       AND r.ev_class <> $1::regclass)
     ORDER BY v.oid`,
    [qualified],
  );
  return rows.every((r) => r.plain) ? rows.map(({ name, definition }) => ({ name, definition })) : undefined;
}

/**
 * The definitions of the table's own triggers (CREATE TRIGGER …), which the swap can make again as
 * they were; undefined when one is a constraint trigger, disabled, or commented.
 */
async function triggersOn(tx: pg.PoolClient, qualified: string): Promise<string[] | undefined> {
  const { rows } = await tx.query<{ definition: string; plain: boolean }>(
    `SELECT pg_get_triggerdef(t.oid) AS definition,
            t.tgconstraint = 0 AND t.tgenabled = 'O'
              AND NOT EXISTS (SELECT 1 FROM pg_description c WHERE c.objoid = t.oid) AS plain
     FROM pg_trigger t WHERE t.tgrelid = $1::regclass AND NOT t.tgisinternal ORDER BY t.tgname`,
    [qualified],
  );
  return rows.every((r) => r.plain) ? rows.map((r) => r.definition) : undefined;
}

/**
 * Nothing but the table's own columns, indexes, constraints and triggers, and views, depends on it:
 * no grant, foreign key, sequence, rule, row security policy, publication or comment of its own.
 */
async function movable(tx: pg.PoolClient, qualified: string): Promise<boolean> {
  const { rows } = await tx.query<{ movable: boolean }>(
    `SELECT c.relacl IS NULL AND NOT c.relrowsecurity
        AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)
        AND NOT EXISTS (SELECT 1 FROM pg_rewrite r WHERE r.ev_class = c.oid)
        AND NOT EXISTS (SELECT 1 FROM pg_publication_rel p WHERE p.prrelid = c.oid)
        AND NOT EXISTS (SELECT 1 FROM pg_description d WHERE d.objoid = c.oid AND d.classoid = 'pg_class'::regclass
                        AND d.objsubid = 0)
        AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attacl IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.confrelid = c.oid)
        AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attidentity <> '')
        AND NOT EXISTS (SELECT 1 FROM pg_attrdef f WHERE f.adrelid = c.oid
                        AND pg_get_expr(f.adbin, f.adrelid) LIKE '%nextval(%') AS movable
     FROM pg_class c WHERE c.oid = $1::regclass`,
    [qualified],
  );
  return rows[0]?.movable === true;
}

/**
 * Puts `schema` first on the transaction's search path (its tables hide the live ones of the same
 * name until the transaction ends); returns the path as it was.
 */
export async function searchFirst(tx: pg.PoolClient, schema: string): Promise<string> {
  const { rows } = await tx.query<{ path: string }>(
    `SELECT path, set_config('search_path', $1 || ', ' || path, true)
     FROM (SELECT current_setting('search_path') AS path) now`,
    [schema],
  );
  return rows[0]?.path ?? '';
}
