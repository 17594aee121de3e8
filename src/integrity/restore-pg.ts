// `tiendo restore`: loads an export file (export-format.ts) into an empty PostgreSQL store in one
// transaction, checking every line and every stream's chain as it reads; any fault rolls everything
// back and is reported with its line number. Events are appended in file order by this one
// transaction, so the log order is kept while positions are renumbered: a restored database's own
// transaction ids are lower than the exporter's, and future appends must sort after the restored log.
import type pg from 'pg';
import { ConflictError, ValidationError } from '../domain/errors.js';
import {
  ChainChecker,
  type CommandLine,
  type EventLine,
  type ExportHeader,
  type LineFault,
  parseLine,
} from './export-format.js';
import { inTransaction } from './transaction.js';
import { type LogVerification, verifyWithin } from './verify-pg.js';

export interface RestoreSummary {
  readonly header: ExportHeader;
  readonly streams: number;
  readonly events: number;
  readonly commands: number;
  /** The restored log verified again from the tables, before committing. */
  readonly verification: LogVerification;
}

/** At most this many faults are listed: a wrong file is usually wrong on every line. */
const MAX_FAULTS = 20;
const BATCH = 500;

/** Throws ConflictError STORE_NOT_EMPTY, or ValidationError EXPORT_INVALID listing faults by line. */
export async function restoreLog(pool: pg.Pool, lines: AsyncIterable<string>): Promise<RestoreSummary> {
  return inTransaction(pool, 'BEGIN', async (client) => {
    // Nobody may append while the store is being filled: the first append would see an empty log.
    await client.query('LOCK TABLE events, streams, commands IN EXCLUSIVE MODE');
    const { rows } = await client.query<{ used: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM streams) OR EXISTS (SELECT 1 FROM commands) AS used`,
    );
    if (rows[0]?.used)
      throw new ConflictError(
        'the event store is not empty: restore only into a new database',
        'STORE_NOT_EMPTY',
      );
    return load(client, lines);
  });
}

async function load(client: pg.PoolClient, lines: AsyncIterable<string>) {
  const checker = new ChainChecker();
  const faults: LineFault[] = [];
  const fault = (line: number, field: string, message: string) =>
    faults.push({ line, issues: [{ field, message }] });
  let header: ExportHeader | null = null;
  let events: EventLine[] = [];
  const commands: CommandLine[] = [];
  let n = 0;
  let first = true;
  let seenCommand = false;
  for await (const text of lines) {
    n++;
    if (faults.length >= MAX_FAULTS) break;
    if (text.trim() === '') continue;
    const parsed = parseLine(text);
    const wasFirst = first;
    first = false;
    if (!parsed.ok) {
      faults.push({ line: n, issues: parsed.issues });
      continue;
    }
    const l = parsed.line;
    if (wasFirst) {
      if (l.kind === 'header') header = l;
      else
        fault(
          n,
          'kind',
          'the first line must be the header {kind: "header", format: "tiendo-export", version: 1, ...}',
        );
      continue;
    }
    if (l.kind === 'header') fault(n, 'kind', 'a second header');
    else if (l.kind === 'event') {
      if (seenCommand) fault(n, 'kind', 'an event after the commands: events come first, in log order');
      const issues = checker.event(l);
      if (issues.length > 0) faults.push({ line: n, issues });
      else if (faults.length === 0) {
        events.push(l);
        if (events.length >= BATCH) {
          await insertEvents(client, events);
          events = [];
        }
      }
    } else {
      seenCommand = true;
      const issues = checker.command(l);
      if (issues.length > 0) faults.push({ line: n, issues });
      else commands.push(l);
    }
  }
  if (first) fault(1, '(file)', 'is empty: an export starts with its header line');
  if (header && faults.length === 0) {
    if (checker.heads().length !== header.streams)
      fault(n, '(file)', `holds ${checker.heads().length} streams, its header says ${header.streams}`);
    if (checker.events !== header.events)
      fault(
        n,
        '(file)',
        `holds ${checker.events} events, its header says ${header.events}: the file is incomplete or was edited`,
      );
    if (commands.length !== header.commands)
      fault(n, '(file)', `holds ${commands.length} commands, its header says ${header.commands}`);
  }
  if (faults.length > 0) throw invalid(faults);
  await insertEvents(client, events);
  const heads = checker.heads();
  await client.query(
    `INSERT INTO streams (stream, last_revision, last_hash)
     SELECT s, r, decode(h, 'hex') FROM unnest($1::text[], $2::int[], $3::text[]) AS x(s, r, h)`,
    [heads.map((h) => h.stream), heads.map((h) => h.revision), heads.map((h) => h.hash)],
  );
  await client.query(
    `INSERT INTO commands (command_id, command_hash, stream, first_revision, last_revision, recorded_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::timestamptz[])`,
    [
      commands.map((c) => c.commandId),
      commands.map((c) => c.commandHash),
      commands.map((c) => c.stream),
      commands.map((c) => c.firstRevision),
      commands.map((c) => c.lastRevision),
      commands.map((c) => c.recordedAt),
    ],
  );
  // Once more from the tables, as `tiendo verify` reads them, inside this transaction.
  const verification = await verifyWithin(client);
  if (verification.breaks.length > 0)
    throw new ConflictError('the restored log does not verify', 'RESTORE_NOT_VERIFIED', {
      breaks: verification.breaks,
    });
  return {
    header: header as ExportHeader,
    streams: heads.length,
    events: checker.events,
    commands: commands.length,
    verification,
  };
}

/** One statement per batch; WITH ORDINALITY keeps the file order for the positions. */
async function insertEvents(client: pg.PoolClient, events: readonly EventLine[]): Promise<void> {
  if (events.length === 0) return;
  await client.query(
    `INSERT INTO events (event_id, stream, revision, type, schema_version, data, metadata, digest, hash, recorded_at)
     SELECT e->>'id', e->>'stream', (e->>'revision')::int, e->>'type', (e->>'schemaVersion')::int, e->'data',
            e->'metadata', decode(e->>'digest', 'hex'), decode(e->>'hash', 'hex'), (e->>'recordedAt')::timestamptz
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY n`,
    [JSON.stringify(events)],
  );
}

function invalid(faults: readonly LineFault[]): ValidationError {
  const issues = faults.flatMap((f) =>
    f.issues.map((i) => ({ field: `line ${f.line}: ${i.field}`, message: i.message })),
  );
  const stopped = faults.length >= MAX_FAULTS ? ` (reading stopped after ${MAX_FAULTS} faulty lines)` : '';
  issues.push({ field: '(restore)', message: `nothing was restored${stopped}` });
  return new ValidationError(issues, 'EXPORT_INVALID');
}
