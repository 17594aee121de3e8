// A checksum per read-model table, to show that a rebuild (after a restore, or anywhere) gives the
// same read models: SHA-256 over the table's rows as JSON, in a total order. Left out are columns
// that say where or when *this database* holds something, not what the events say: log positions
// (`tx`, `pos`: a restore renumbers them) and wall-clock write times (`alerts.updated_at`).
import type pg from 'pg';
import { PROJECTIONS } from '../projections/index.js';
import { inTransaction, READ_SNAPSHOT } from './transaction.js';

/** Per table, the columns that differ between two databases holding the same events. */
const LOCAL_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  audit_trail: ['tx', 'pos'],
  capital_plan_audit: ['tx', 'pos'],
  alerts: ['updated_at'],
};

export interface TableChecksum {
  readonly table: string;
  readonly rows: number;
  /** Hex SHA-256 of the rows' JSON texts, sorted, one per line. */
  readonly checksum: string;
}

/** Every projection's tables, in projection order. */
export const readModelTables = (): string[] => PROJECTIONS.flatMap((p) => p.tables ?? []);

const pgIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** In one snapshot, with times as UTC text whatever the server's time zone. */
export const readModelChecksums = (pool: pg.Pool, tables = readModelTables()): Promise<TableChecksum[]> =>
  inTransaction(pool, READ_SNAPSHOT, async (client) => {
    await client.query(`SET LOCAL TimeZone = 'UTC'`);
    const out: TableChecksum[] = [];
    for (const table of tables) out.push(await checksum(client, table));
    return out;
  });

async function checksum(client: pg.PoolClient, table: string): Promise<TableChecksum> {
  const { rows } = await client.query<{ rows: number; checksum: string }>(
    `SELECT count(*)::int AS rows,
            encode(sha256(convert_to(coalesce(string_agg(r, E'\\n' ORDER BY r COLLATE "C"), ''), 'UTF8')), 'hex') AS checksum
       FROM (SELECT (to_jsonb(t) - $1::text[])::text AS r FROM ${pgIdent(table)} t) x`,
    [LOCAL_COLUMNS[table] ?? []],
  );
  return { table, ...(rows[0] as { rows: number; checksum: string }) };
}
