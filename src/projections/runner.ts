// Feeds projections from the global log. Per projection: read a batch after its checkpoint, then in
// ONE transaction apply the batch and move the checkpoint, so a crash between or inside batches loses
// and repeats nothing (DESIGN.md, known traps). An event whose apply throws is parked and skipped, and
// so are the later events of its stream until a retry applies them in order (a fold cannot skip a
// revision); a projection whose code version differs from its checkpoint's is rebuilt from the log's
// start.
// With `leadership`, following the log is left to one runner per projection across processes
// (leadership.ts).
import type pg from 'pg';
import {
  comparePositions,
  type EventStore,
  LOG_START,
  type LogPosition,
  type RecordedEvent,
} from '../store/port.js';
import { rebuildByStream } from './by-stream.js';
import { Leadership } from './leadership.js';
import { Memo } from './memo.js';
import { type ProjectedEvent, type Projection, toProjected } from './projection.js';
import { completeFreshTable, createFreshTable, searchFirst, swapTable } from './swap.js';

export interface ProjectionRunnerOptions {
  readonly pool: pg.Pool;
  readonly store: EventStore;
  readonly projections: readonly Projection[];
  /**
   * Events read and applied per transaction when following the log (default 500). While batches come
   * back full (the projection is behind) each next one is twice as big, up to rebuildBatchSize.
   */
  readonly batchSize?: number;
  /**
   * Events per transaction when rebuilding (default 20,000), and the most when catching up: a bigger
   * batch writes each row it touches once for more events (docs/BENCHMARKS.md). A batch and the next
   * one, read meanwhile, are held in memory.
   */
  readonly rebuildBatchSize?: number;
  /**
   * Most values a rebuild's memo holds (default 20,000): the rows it holds back are written when it is
   * full and when the log ends (memo.ts).
   */
  readonly rebuildMemoCapacity?: number;
  /**
   * A projection at the log's start (new, or its tables emptied) catches up as a rebuild does when the
   * log holds at least this many events (default 20,000; Infinity: never): fresh tables, rows
   * held back and written once by COPY, then swapped in. Batch by batch, the same log took 1.25–1.9 times
   * as long for the folded read models (docs/BENCHMARKS.md).
   */
  readonly rebuildFromStartAt?: number;
  /**
   * Rebuild a projection that can stream by stream, when the store reads by stream (default true;
   * false: always from the log in order, batch by batch).
   */
  readonly rebuildByStream?: boolean;
  /** How often start() looks for new events (default 500 ms). */
  readonly pollIntervalMs?: number;
  /** Called by start() when a catch-up fails; it tries again after a backoff (up to 5 s). */
  readonly onError?: (error: unknown) => void;
  /**
   * Follow (start(), runAsLeader()) only the projections whose lead this runner holds, taking over
   * those nobody holds: one active runner per projection across server processes.
   */
  readonly leadership?: boolean;
  /** Called when the projections this runner leads change. */
  readonly onLeadership?: (leading: readonly string[]) => void;
}

export interface CatchUpReport {
  readonly name: string;
  /** Events read from the log (handled or not). */
  read: number;
  /** Handled events applied. */
  applied: number;
  /** Events parked by this catch-up. */
  parked: number;
  /** True when the tables were emptied and refilled from the log's start. */
  rebuilt: boolean;
  /** True when they were refilled stream by stream (docs/PROJECTIONS.md). */
  byStream?: boolean;
  /** Why refilling them stream by stream failed, when it did: the log was then read in order. */
  byStreamError?: string;
}

export interface ParkedEvent {
  readonly name: string;
  readonly eventId: string;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly position: LogPosition;
  readonly error: string;
  readonly attempts: number;
}

export interface RetryReport {
  readonly retried: number;
  readonly resolved: number;
  /** Still parked after this retry (with the new error). */
  readonly remaining: number;
}

/** runOnce() completed every other projection; these failed (their checkpoints stay where they were). */
export class ProjectionsFailedError extends AggregateError {
  constructor(
    readonly failures: readonly { readonly name: string; readonly error: unknown }[],
    readonly reports: readonly CatchUpReport[],
  ) {
    super(
      failures.map((f) => f.error),
      `projections failed: ${failures.map((f) => `${f.name} (${String(f.error)})`).join('; ')}`,
    );
    this.name = 'ProjectionsFailedError';
  }
}

/** Where a catch-up writes: the live tables, or a rebuild's fresh copies under their own checkpoint. */
interface Target {
  readonly key: string;
  readonly searchPath?: string;
}

/** Another runner (in this process or another) is rebuilding the projection now. */
export class RebuildRunningError extends Error {
  constructor(readonly projection: string) {
    super(`a rebuild of ${projection} is already running`);
    this.name = 'RebuildRunningError';
  }
}

interface Checkpoint extends LogPosition {
  readonly version: number;
}

export class ProjectionRunner {
  private readonly pool: pg.Pool;
  private readonly store: EventStore;
  private readonly projections: readonly Projection[];
  private readonly batchSize: number;
  private readonly rebuildBatchSize: number;
  private readonly rebuildMemoCapacity: number;
  private readonly rebuildFromStartAt: number;
  private readonly byStream: boolean;
  /** The log's first events, read to count them (startsLong): the first batch of the rebuild that follows. */
  private primed: readonly RecordedEvent[] | undefined;
  /** Projections this runner found past the log's start (startsLong). */
  private readonly pastStart = new Set<string>();
  private readonly pollIntervalMs: number;
  private readonly onError: (error: unknown) => void;
  private following?: { stop: AbortController; done: Promise<void> };
  private readonly leadership: Leadership | undefined;
  /** Per checkpoint key (a projection, or its rebuild), what its last committed batch wrote. */
  private readonly memos = new Map<string, Memo>();
  /** Events read ahead, decoded while the batch before them was written (decodeAhead). */
  private readonly decoded = new WeakMap<RecordedEvent, ProjectedEvent>();

  constructor(options: ProjectionRunnerOptions) {
    const names = options.projections.map((p) => p.name);
    if (new Set(names).size !== names.length) throw new Error(`duplicate projection names: ${names}`);
    this.pool = options.pool;
    this.store = options.store;
    this.projections = options.projections;
    this.batchSize = options.batchSize ?? 500;
    this.rebuildBatchSize = Math.max(this.batchSize, options.rebuildBatchSize ?? 20_000);
    this.rebuildMemoCapacity = options.rebuildMemoCapacity ?? 20_000;
    this.rebuildFromStartAt = options.rebuildFromStartAt ?? 20_000;
    this.byStream = options.rebuildByStream ?? true;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.onError = options.onError ?? (() => {});
    this.leadership = options.leadership ? new Leadership(this.pool, options.onLeadership) : undefined;
  }

  /** The projections this runner leads (every one without `leadership`). */
  leading(): readonly string[] {
    return this.leadership ? this.leadership.leading() : this.projections.map((p) => p.name);
  }

  /**
   * Catches up the projections this runner leads, after trying to take the lead of the others; what
   * start() does at every poll. Without `leadership`, runOnce().
   */
  async runAsLeader(): Promise<CatchUpReport[]> {
    if (!this.leadership) return this.runOnce();
    const leading = new Set(await this.leadership.acquire(this.projections.map((p) => p.name)));
    return this.catchUpEach(this.projections.filter((p) => leading.has(p.name)));
  }

  /**
   * Catches every projection up with the log (until a read returns nothing). A projection that fails
   * (e.g. its connection is lost) does not stop the others; the call then throws ProjectionsFailedError.
   */
  runOnce(): Promise<CatchUpReport[]> {
    return this.catchUpEach(this.projections);
  }

  private async catchUpEach(projections: readonly Projection[]): Promise<CatchUpReport[]> {
    const reports: CatchUpReport[] = [];
    const failures: { name: string; error: unknown }[] = [];
    for (const p of projections) {
      const report: CatchUpReport = { name: p.name, read: 0, applied: 0, parked: 0, rebuilt: false };
      reports.push(report);
      try {
        await this.catchUp(p, report);
      } catch (error) {
        failures.push({ name: p.name, error });
      }
    }
    if (failures.length > 0) throw new ProjectionsFailedError(failures, reports);
    return reports;
  }

  /**
   * Rebuilds the projection from the log's start into fresh tables beside the live ones, then swaps
   * the rows in with one transaction: queries keep reading the old rows until it commits.
   * `onProgress` is called after each batch with the running totals.
   */
  async rebuild(name: string, onProgress?: (report: CatchUpReport) => void): Promise<CatchUpReport> {
    const p = this.projection(name);
    const report: CatchUpReport = { name, read: 0, applied: 0, parked: 0, rebuilt: true };
    await this.rebuildAside(p, report, onProgress);
    await this.catchUp(p, report);
    return report;
  }

  /** Follows the log: catches up now and then every poll interval until stop(). */
  start(): void {
    if (this.following) return;
    const stop = new AbortController();
    const done = (async () => {
      // After a failure (the database away, say) the wait doubles up to MAX_BACKOFF_MS, so that an
      // outage is retried without flooding the log; the first catch-up that succeeds resets it.
      let failures = 0;
      while (!stop.signal.aborted) {
        const ok = await this.runAsLeader().then(
          () => true,
          (error: unknown) => {
            this.onError(error);
            return false;
          },
        );
        failures = ok ? 0 : failures + 1;
        const wait = Math.min(
          this.pollIntervalMs * 2 ** failures,
          Math.max(MAX_BACKOFF_MS, this.pollIntervalMs),
        );
        await sleep(wait, stop.signal);
      }
    })();
    this.following = { stop, done };
  }

  /** Stops following after the batch in progress commits, and gives up its leads. */
  async stop(): Promise<void> {
    const f = this.following;
    this.following = undefined;
    f?.stop.abort();
    await f?.done;
    await this.leadership?.close();
  }

  /** Events parked by one projection (or all), in log order. */
  async parked(name?: string): Promise<ParkedEvent[]> {
    const { rows } = await this.pool.query<ParkedRow>(
      `SELECT name, event_id, stream, revision, type, tx, pos, error, attempts FROM projection_parked
       WHERE $1::text IS NULL OR name = $1 ORDER BY name, tx, pos`,
      [name ?? null],
    );
    return rows.map((r) => ({
      name: r.name,
      eventId: r.event_id,
      stream: r.stream,
      revision: r.revision,
      type: r.type,
      position: { tx: BigInt(r.tx), pos: BigInt(r.pos) },
      error: r.error,
      attempts: r.attempts,
    }));
  }

  /**
   * Applies the projection's parked events again, in log order, each in its own transaction: those
   * that succeed leave the park. The later events of a stream were parked behind its first, so a
   * stream resumes where it stopped; when one fails again, the rest of its stream is not tried.
   */
  async retryParked(name: string): Promise<RetryReport> {
    const p = this.projection(name);
    const parked = await this.parked(name);
    let resolved = 0;
    const stuck = new Set<string>();
    for (const entry of parked) {
      if (stuck.has(entry.stream)) continue;
      const [event] = await this.store.readStream(entry.stream, {
        fromRevision: entry.revision,
        maxCount: 1,
      });
      try {
        if (!event || event.id !== entry.eventId) throw new Error(`event ${entry.eventId} not found`);
        await this.transaction(async (tx) => {
          await p.apply(tx, toProjected(event));
          await tx.query('DELETE FROM projection_parked WHERE name = $1 AND event_id = $2', [
            name,
            entry.eventId,
          ]);
          // The tables changed without the position moving: runners remembering them must forget.
          await tx.query('UPDATE projection_checkpoints SET generation = generation + 1 WHERE name = $1', [
            name,
          ]);
        });
        this.memos.get(name)?.clear();
        resolved++;
      } catch (error) {
        stuck.add(entry.stream);
        await this.pool.query(
          `UPDATE projection_parked SET attempts = attempts + 1, error = $3, last_attempt_at = now()
           WHERE name = $1 AND event_id = $2`,
          [name, entry.eventId, errorText(error)],
        );
      }
    }
    return { retried: parked.length, resolved, remaining: parked.length - resolved };
  }

  private projection(name: string): Projection {
    const p = this.projections.find((x) => x.name === name);
    if (!p) throw new Error(`no projection named ${name}`);
    return p;
  }

  private async catchUp(p: Projection, report: CatchUpReport): Promise<void> {
    if (await this.startsLong(p)) await this.rebuildAside(p, report);
    const live: Target = { key: p.name };
    while (!(await this.drain(p, report, live, this.batchSize))) await this.rebuildAside(p, report);
  }

  /**
   * Whether the projection is at the log's start, with rebuildFromStartAt events or more to apply. A
   * projection found past the start is not asked again by this runner (one query less per poll): only
   * a rebuild or someone emptying its tables moves a checkpoint back.
   */
  private async startsLong(p: Projection): Promise<boolean> {
    if (!Number.isFinite(this.rebuildFromStartAt) || this.pastStart.has(p.name)) return false;
    const checkpoint = await this.readCheckpoint(p.name, p.version);
    if (checkpoint.version !== p.version) return false;
    if (comparePositions(checkpoint, LOG_START) !== 0) {
      this.pastStart.add(p.name);
      return false;
    }
    // A rebuild by stream reads the log its own way: the events are only counted, without metadata.
    const counting = this.canRebuildByStream(p);
    const first = await this.store.readAll({
      after: LOG_START,
      maxCount: this.rebuildFromStartAt,
      ...(counting && { metadata: [] }),
    });
    if (first.length < this.rebuildFromStartAt) return false;
    if (!counting) this.primed = first;
    return true;
  }

  /**
   * Fills fresh copies of the projection's tables (schema `rebuild_<name>`, found first through the
   * search path) under its own checkpoint, then in one transaction, holding the live checkpoint so
   * no live batch runs meanwhile, replaces the live rows and takes over checkpoint and parked events.
   * Events after the rebuilt checkpoint are left to the live catch-up that follows.
   */
  private async rebuildAside(
    p: Projection,
    report: CatchUpReport,
    onProgress?: (report: CatchUpReport) => void,
  ): Promise<void> {
    // One rebuild per projection at a time, across processes: they would share the fresh tables.
    const key = `tiendo:rebuild:${p.name}`;
    const lock = await this.pool.connect();
    try {
      const { rows } = await lock.query<{ got: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS got',
        [key],
      );
      if (!rows[0]?.got) throw new RebuildRunningError(p.name);
      try {
        await this.rebuildInto(p, report, onProgress);
      } finally {
        await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
      }
    } finally {
      lock.release();
    }
  }

  private async rebuildInto(
    p: Projection,
    report: CatchUpReport,
    onProgress?: (report: CatchUpReport) => void,
  ): Promise<void> {
    report.rebuilt = true;
    const shadow = `rebuild_${p.name}`;
    if (!/^[a-z][a-z0-9_]*$/.test(shadow))
      throw new Error(`projection name ${p.name} is not a plain identifier`);
    const target: Target = { key: `${p.name}#rebuild`, searchPath: shadow };
    const tables = p.tables ?? [];
    const live = (await this.pool.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]
      ?.schema;
    // Indexed from the start, for a rebuild by stream: PostgreSQL keeps them up as the rows come, on a
    // core the rebuild leaves it, rather than building them at the end while the rebuild waits.
    const fresh = (indexed: boolean) =>
      this.transaction(async (tx) => {
        await tx.query(`DROP SCHEMA IF EXISTS ${shadow} CASCADE`);
        await tx.query(`CREATE SCHEMA ${shadow}`);
        for (const t of tables) await createFreshTable(tx, live as string, shadow, t);
        if (indexed) for (const t of tables) await completeFreshTable(tx, live as string, shadow, t);
        await tx.query('DELETE FROM projection_checkpoints WHERE name = $1', [target.key]);
        await tx.query('DELETE FROM projection_parked WHERE name = $1', [target.key]);
      });
    const upTo = await this.tryByStream(p, shadow, report, fresh, onProgress);
    if (upTo)
      await this.transaction(async (tx) => {
        await this.lockCheckpoint(tx, target.key, p.version);
        await tx.query(
          `UPDATE projection_checkpoints SET tx = $2, pos = $3, generation = generation + 1, updated_at = now()
           WHERE name = $1`,
          [target.key, upTo.tx.toString(), upTo.pos.toString()],
        );
      }, target.searchPath);
    else await this.rebuildInOrder(p, report, target, live as string, onProgress);
    // The swap takes its tables' locks one after another; a reader holding one and waiting for the
    // next (a query on a table and on a view over it) can deadlock with it: the swap is tried again.
    await retryOnDeadlock(() => this.swapIn(p, shadow, target, live as string));
  }

  /**
   * Makes the fresh tables (`fresh`) and fills them stream by stream (by-stream.ts) when the projection
   * and the store can and the runner may; returns the log position they are filled to. Otherwise, or
   * if that fails (the error kept in the report), returns undefined with the tables made afresh, not
   * indexed: the log is then read in order.
   */
  private async tryByStream(
    p: Projection,
    shadow: string,
    report: CatchUpReport,
    fresh: (indexed: boolean) => Promise<void>,
    onProgress?: (report: CatchUpReport) => void,
  ): Promise<LogPosition | undefined> {
    if (!this.canRebuildByStream(p)) {
      await fresh(false);
      return undefined;
    }
    await fresh(true);
    this.primed = undefined;
    const start = { read: report.read, applied: report.applied };
    const progress = { read: 0, applied: 0 };
    try {
      const upTo = await rebuildByStream(this.pool, this.store, p, shadow, progress, () => {
        report.read = start.read + progress.read;
        report.applied = start.applied + progress.applied;
        onProgress?.(report);
      });
      report.byStream = true;
      return upTo;
    } catch (error) {
      Object.assign(report, start, { byStreamError: errorText(error) });
      await fresh(false);
      return undefined;
    }
  }

  /** Whether a rebuild of `p` goes stream by stream (tryByStream). */
  private canRebuildByStream(p: Projection): boolean {
    if (!this.byStream || !p.rebuildByStream || !this.store.readByStream) return false;
    // Its transactions and its reads at once: a smaller pool would wait on itself.
    return (this.pool.options.max ?? 10) >= BY_STREAM_CONNECTIONS;
  }

  /** Fills the fresh tables from the log in order, batch by batch, rows held back in a memo. */
  private async rebuildInOrder(
    p: Projection,
    report: CatchUpReport,
    target: Target,
    live: string,
    onProgress?: (report: CatchUpReport) => void,
  ): Promise<void> {
    // The fresh tables are this rebuild's alone: rows later events rewrite are written once, at the end.
    const memo = new Memo(this.rebuildMemoCapacity, true, true);
    this.memos.set(target.key, memo);
    try {
      if (!(await this.drain(p, report, target, this.rebuildBatchSize, onProgress)))
        throw new Error(`the checkpoint of ${target.key} changed version during the rebuild`);
      await this.transaction(async (tx) => {
        await this.lockCheckpoint(tx, target.key, p.version);
        await memo.flush(tx);
        for (const t of p.tables ?? []) await completeFreshTable(tx, live, target.searchPath as string, t);
      }, target.searchPath);
    } finally {
      this.memos.delete(target.key);
    }
  }

  /** In one transaction, the rebuilt tables replace the live ones with their checkpoint and parked events. */
  private async swapIn(p: Projection, shadow: string, target: Target, live: string): Promise<void> {
    const tables = p.tables ?? [];
    await this.transaction(async (tx) => {
      await this.lockCheckpoint(tx, p.name, p.version);
      const rebuilt = await this.lockCheckpoint(tx, target.key, p.version);
      if (p.afterRebuild) {
        const path = await searchFirst(tx, shadow);
        await p.afterRebuild(tx);
        await tx.query(`SELECT set_config('search_path', $1, true)`, [path]);
      }
      // Rows copied in are not news: triggers that announce inserts (020/021, alerts) keep quiet.
      await tx.query(`SELECT set_config('tiendo.swapping_read_model', 'on', true)`);
      for (const t of tables) await swapTable(tx, live, shadow, t);
      await tx.query(
        `UPDATE projection_checkpoints SET version = $2, tx = $3, pos = $4, generation = generation + 1,
           updated_at = now() WHERE name = $1`,
        [p.name, p.version, rebuilt.tx.toString(), rebuilt.pos.toString()],
      );
      await tx.query('DELETE FROM projection_parked WHERE name = $1', [p.name]);
      await tx.query('UPDATE projection_parked SET name = $1 WHERE name = $2', [p.name, target.key]);
      await tx.query('DELETE FROM projection_checkpoints WHERE name = $1', [target.key]);
      await tx.query(`DROP SCHEMA ${shadow} CASCADE`);
    });
  }

  /**
   * Applies batches until a read returns nothing; returns false, applying nothing more, when the
   * checkpoint's version is not the projection's (the caller rebuilds). Each batch is read before its
   * transaction starts: a transaction holding an id would hide, from its own read, every event
   * committed after it began (the store reads below the oldest running transaction). The next batch is
   * read while the current one is applied, so reading and writing overlap; after a full batch the next
   * is read twice as big (up to rebuildBatchSize). In the transaction the
   * checkpoint is locked and checked: if another runner moved it meanwhile, nothing is applied and
   * reading starts again from where it now is.
   */
  private async drain(
    p: Projection,
    report: CatchUpReport,
    target: Target,
    firstBatchSize: number,
    onProgress?: (report: CatchUpReport) => void,
  ): Promise<boolean> {
    let checkpoint = await this.readCheckpoint(target.key, p.version);
    if (checkpoint.version !== p.version) return false;
    let size = firstBatchSize;
    const handles = new Set(p.handles);
    const read = (after: LogPosition) => {
      const events = this.readFrom(after, size);
      events.then((read) => this.decodeAhead(read, handles)).catch(() => {}); // a read ahead nobody
      // awaits (the batch before it failed) is not an error
      return events;
    };
    let next = read(checkpoint);
    for (;;) {
      const events = await next;
      if (events.length === 0) return true;
      const last = (events[events.length - 1] as RecordedEvent).position;
      if (events.length >= size) size = Math.min(2 * size, this.rebuildBatchSize);
      next = read(last);
      const moved = await this.applyStep(p, report, target, checkpoint, events);
      if (moved) {
        checkpoint = { ...last, version: p.version };
        onProgress?.(report);
      } else {
        checkpoint = await this.readCheckpoint(target.key, p.version);
        if (checkpoint.version !== p.version) return false;
        next = read(checkpoint);
      }
    }
  }

  /** The log after `after`, at most `maxCount` events: those startsLong read, when they follow it. */
  private readFrom(after: LogPosition, maxCount: number): Promise<RecordedEvent[]> {
    const primed = this.primed;
    this.primed = undefined;
    if (primed && comparePositions(after, LOG_START) === 0) return Promise.resolve(primed.slice(0, maxCount));
    return this.store.readAll({ after, maxCount });
  }

  /**
   * Decodes a batch read ahead while the batch before it is being written: in slices, leaving the
   * event loop to the statements in flight between them. An event that does not decode is left to
   * applyBatch, which decodes what is not decoded yet and parks what fails.
   */
  private async decodeAhead(events: readonly RecordedEvent[], handles: ReadonlySet<string>): Promise<void> {
    for (let i = 0; i < events.length; i++) {
      if (i % DECODE_SLICE === 0 && i > 0) await new Promise((resolve) => setImmediate(resolve));
      const e = events[i] as RecordedEvent;
      if (!handles.has(e.type) || this.decoded.has(e)) continue;
      try {
        this.decoded.set(e, toProjected(e));
      } catch {
        // left to applyBatch
      }
    }
  }

  /** One batch and its checkpoint in one transaction; false when the checkpoint was not `expected`. */
  private async applyStep(
    p: Projection,
    report: CatchUpReport,
    target: Target,
    expected: Checkpoint,
    events: readonly RecordedEvent[],
  ): Promise<boolean> {
    const last = events[events.length - 1] as RecordedEvent;
    const handles = new Set(p.handles);
    const handled = events.filter((e) => handles.has(e.type));
    let moved = false;
    let generation = 0n;
    const memo = this.memoOf(target.key);
    try {
      await this.transaction(async (tx) => {
        const locked = await this.lockCheckpoint(tx, target.key, p.version);
        if (locked.version !== expected.version || comparePositions(locked, expected) !== 0) return;
        memo.validFor(locked.generation);
        const parked = await this.applyBatch(tx, p, target.key, handled, memo);
        if (memo.full) await memo.flush(tx);
        const { rows } = await tx.query<{ generation: string }>(
          `UPDATE projection_checkpoints SET tx = $2, pos = $3, generation = generation + 1,
             updated_at = now() WHERE name = $1 RETURNING generation`,
          [target.key, last.position.tx.toString(), last.position.pos.toString()],
        );
        generation = BigInt((rows[0] as { generation: string }).generation);
        moved = true;
        report.parked += parked;
        report.applied += handled.length - parked;
      }, target.searchPath);
    } catch (error) {
      memo.clear();
      throw error;
    }
    if (moved) {
      memo.commit(generation);
      report.read += events.length;
      return true;
    }
    if (memo.holdsRows) throw new Error(`the checkpoint of ${target.key} moved under a rebuild`);
    memo.clear();
    return false;
  }

  /**
   * Applies the whole batch; if an event throws, undoes the batch and applies it again event by
   * event, parking those that throw. Events of a stream with a parked event are parked behind it
   * without being applied. If the transaction itself is lost, the error propagates.
   */
  private async applyBatch(
    tx: pg.PoolClient,
    p: Projection,
    key: string,
    batch: readonly RecordedEvent[],
    memo: Memo,
  ): Promise<number> {
    const held = await this.parkedStreams(tx, key);
    let parked = 0;
    let events = batch;
    if (held.size > 0) {
      events = batch.filter((e) => !held.has(e.stream));
      for (const e of batch)
        if (held.has(e.stream)) {
          await this.holdBack(tx, key, e);
          parked++;
        }
    }
    await tx.query('SAVEPOINT batch');
    try {
      const projected = events.map((e) => {
        const known = this.decoded.get(e);
        if (known) return known;
        const decoded = toProjected(e);
        this.decoded.set(e, decoded); // so that decodeAhead, if still at it, does not decode it again
        return decoded;
      });
      if (p.applyBatch) await p.applyBatch(tx, projected, memo);
      else for (const e of projected) await p.apply(tx, e);
      await tx.query('RELEASE SAVEPOINT batch');
      return parked;
    } catch {
      await tx.query('ROLLBACK TO SAVEPOINT batch');
    }
    // Event by event, without memory: what the failed batch staged, and each event parked, is undone;
    // rows earlier batches held back are written first, since apply reads the tables.
    await memo.abandonBatch(tx);
    for (const e of events) {
      if (held.has(e.stream)) {
        await this.holdBack(tx, key, e);
        parked++;
        continue;
      }
      await tx.query('SAVEPOINT one');
      try {
        await p.apply(tx, toProjected(e));
        await tx.query('RELEASE SAVEPOINT one');
      } catch (error) {
        await tx.query('ROLLBACK TO SAVEPOINT one');
        await this.park(tx, key, e, errorText(error));
        held.add(e.stream);
        parked++;
      }
    }
    return parked;
  }

  /** Streams with a parked event: their later events wait behind it. */
  private async parkedStreams(tx: pg.PoolClient, key: string): Promise<Set<string>> {
    const { rows } = await tx.query<{ stream: string }>(
      'SELECT DISTINCT stream FROM projection_parked WHERE name = $1',
      [key],
    );
    return new Set(rows.map((r) => r.stream));
  }

  private holdBack(tx: pg.PoolClient, key: string, e: RecordedEvent): Promise<void> {
    return this.park(tx, key, e, `HeldBack: an earlier event of ${e.stream} is parked`);
  }

  private async park(tx: pg.PoolClient, key: string, e: RecordedEvent, error: string): Promise<void> {
    await tx.query(
      `INSERT INTO projection_parked AS x (name, event_id, stream, revision, type, tx, pos, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (name, event_id) DO UPDATE SET
         attempts = x.attempts + 1, error = EXCLUDED.error, last_attempt_at = now()`,
      [key, e.id, e.stream, e.revision, e.type, e.position.tx.toString(), e.position.pos.toString(), error],
    );
  }

  /** The memo of a checkpoint key: a rebuild's was set by rebuildInto. */
  private memoOf(key: string): Memo {
    let memo = this.memos.get(key);
    if (!memo) {
      memo = new Memo();
      this.memos.set(key, memo);
    }
    return memo;
  }

  private async readCheckpoint(key: string, version: number): Promise<Checkpoint> {
    const { rows } = await this.pool.query<CheckpointRow>(
      'SELECT version, tx, pos FROM projection_checkpoints WHERE name = $1',
      [key],
    );
    // No row yet: a new projection, at the log's start with its current version.
    return rows[0] ? toCheckpoint(rows[0]) : { ...LOG_START, version };
  }

  private async lockCheckpoint(
    tx: pg.PoolClient,
    key: string,
    version: number,
  ): Promise<Checkpoint & { readonly generation: bigint }> {
    await tx.query(
      'INSERT INTO projection_checkpoints (name, version) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
      [key, version],
    );
    const { rows } = await tx.query<CheckpointRow & { generation: string }>(
      'SELECT version, tx, pos, generation FROM projection_checkpoints WHERE name = $1 FOR UPDATE',
      [key],
    );
    const row = rows[0] as CheckpointRow & { generation: string };
    return { ...toCheckpoint(row), generation: BigInt(row.generation) };
  }

  /** Runs `work` in a transaction; `searchPath` puts a schema's tables before the live ones. */
  private async transaction(work: (tx: pg.PoolClient) => Promise<void>, searchPath?: string): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A connection lost while checked out reports on the client, which the pool does not watch then.
    const lost = (error: Error) => {
      broken = error;
    };
    client.on('error', lost);
    try {
      await client.query('BEGIN');
      try {
        if (searchPath) await searchFirst(client, searchPath);
        await work(client);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch((lost: Error) => {
          broken = lost;
        });
        throw error;
      }
    } catch (error) {
      broken ??= isConnectionError(error) ? (error as Error) : undefined;
      throw error;
    } finally {
      // A connection whose state is unknown is destroyed rather than pooled.
      client.off('error', lost);
      client.release(broken);
    }
  }
}

/** Runs `work` (a whole transaction) again when PostgreSQL chose it as a deadlock's victim, up to 3 times. */
async function retryOnDeadlock(work: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 3 || (error as { code?: string }).code !== '40P01') throw error;
    }
  }
}

/** Events decoded ahead between two turns of the event loop. */
const DECODE_SLICE = 256;

/** Connections a rebuild by stream may hold at once: the rebuild's lock, three transactions, two reads. */
const BY_STREAM_CONNECTIONS = 6;

/** The longest start() waits between tries while catch-ups fail. */
const MAX_BACKOFF_MS = 5_000;

interface CheckpointRow {
  version: number;
  tx: string;
  pos: string;
}

interface ParkedRow {
  name: string;
  event_id: string;
  stream: string;
  revision: number;
  type: string;
  tx: string;
  pos: string;
  error: string;
  attempts: number;
}

const toCheckpoint = (r: CheckpointRow): Checkpoint => ({
  version: r.version,
  tx: BigInt(r.tx),
  pos: BigInt(r.pos),
});

const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

const isConnectionError = (error: unknown): boolean =>
  error instanceof Error && /terminat|connection/i.test(error.message);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
