// `tiendo export`: the whole PostgreSQL event log as NDJSON (export-format.ts), read in one read-only
// snapshot so the file is one consistent state even while commands keep arriving.
import type pg from 'pg';
import type { CommandLine, EventLine, ExportHeader } from './export-format.js';
import { EXPORT_FORMAT, EXPORT_VERSION } from './export-format.js';
import { inTransaction, READ_SNAPSHOT } from './transaction.js';

export interface ExportSummary {
  readonly streams: number;
  readonly events: number;
  readonly commands: number;
}

/** Writes the header, every event in log order, then every command, one JSON text per call. */
export async function exportLog(
  pool: pg.Pool,
  write: (line: string) => Promise<void> | void,
  now: Date,
  pageSize = 2000,
): Promise<ExportSummary> {
  return inTransaction(pool, READ_SNAPSHOT, async (client) => {
    const { rows: counts } = await client.query<{ streams: number; events: number; commands: number }>(
      `SELECT (SELECT count(*) FROM streams)::int AS streams, (SELECT count(*) FROM events)::int AS events,
              (SELECT count(*) FROM commands)::int AS commands`,
    );
    const { rows: last } = await client.query<{ tx: string; pos: string }>(
      `SELECT transaction_id::text AS tx, global_position::text AS pos FROM events
        ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    const summary = counts[0] as ExportSummary;
    const header: ExportHeader = {
      kind: 'header',
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: now.toISOString(),
      ...summary,
      position: last[0] ?? null,
    };
    await write(JSON.stringify(header));
    // Pages along the primary key (transaction_id, global_position): the log order.
    let after = ['0', '0'];
    for (;;) {
      const { rows } = await client.query<Omit<EventLine, 'kind' | 'position'> & { tx: string; pos: string }>(
        `SELECT transaction_id::text AS tx, global_position::text AS pos, stream, revision, event_id AS id, type,
                schema_version AS "schemaVersion", data, metadata, encode(digest, 'hex') AS digest,
                encode(hash, 'hex') AS hash, to_json(recorded_at) #>> '{}' AS "recordedAt"
           FROM events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
          ORDER BY transaction_id, global_position LIMIT $3`,
        [after[0], after[1], pageSize],
      );
      for (const { tx, pos, ...e } of rows)
        await write(JSON.stringify({ kind: 'event', position: { tx, pos }, ...e } satisfies EventLine));
      const end = rows.at(-1);
      if (!end || rows.length < pageSize) break;
      after = [end.tx, end.pos];
    }
    const { rows: commands } = await client.query<Omit<CommandLine, 'kind'>>(
      `SELECT command_id AS "commandId", command_hash AS "commandHash", stream, first_revision AS "firstRevision",
              last_revision AS "lastRevision", to_json(recorded_at) #>> '{}' AS "recordedAt"
         FROM commands ORDER BY recorded_at, command_id`,
    );
    for (const c of commands) await write(JSON.stringify({ kind: 'command', ...c } satisfies CommandLine));
    return summary;
  });
}
