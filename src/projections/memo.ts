// What a runner remembers of a projection's tables between batches (e.g. the states it folded), so
// the next batch need not read back and parse what the last one wrote. Entries set during a batch
// are staged and kept only when its transaction commits. The memory is valid for one generation of
// the projection's checkpoint: every writer moves the generation (a batch, a retry of parked events,
// a rebuild's swap), so a runner that finds it elsewhere than where it left it starts afresh.
//
// A rebuild's memo also defers writes: a row that later events would rewrite (a project's folded
// state) is only remembered, and written once by flush() — when the memo is full, and when the log
// ends — instead of once per batch. Nobody else writes a rebuild's fresh tables, and a rebuild that
// fails starts again from empty tables, so rows held back are never missed by a reader.
import type pg from 'pg';

/**
 * Most entries kept across batches: beyond, the memory is dropped (and refilled from the tables). A
 * folded project state takes a few kilobytes of heap, so 10,000 (a province's projects several times
 * over) bound a projection's memory to some tens of megabytes.
 */
const DEFAULT_CAPACITY = 10_000;

/**
 * Writes rows deferred under one space: keys deferred since the last flush, with their values. `fresh`
 * when none of them has a row yet (the tables were empty and no flush wrote them): COPY will do.
 */
export type DeferredWrite<V = unknown> = (
  tx: pg.PoolClient,
  values: ReadonlyMap<string, V>,
  fresh: boolean,
) => Promise<void>;

/** Keys deferred per space, with the space's writer, in the order spaces were first deferred. */
type Pending = Map<string, { readonly write: DeferredWrite; readonly keys: Set<string> }>;

export class Memo {
  private committed = new Map<string, unknown>();
  private staged = new Map<string, unknown>();
  private generation: bigint | undefined;
  /** Deferred by committed batches, not written yet. */
  private unwritten: Pending = new Map();
  /** Deferred by the batch in progress. */
  private deferredNow: Pending = new Map();
  /** Keys flush() wrote; they have rows now. */
  private readonly flushed = new Set<string>();
  /** True while only flush() has written the tables, which were empty: the keys not flushed have no row. */
  private onlyWriter: boolean;

  /**
   * `defers`: a rebuild's memo, which holds rows back (defer); others make callers write at once.
   * `emptyTables`: the tables are empty and only this memo's flushes will write them, until clear().
   */
  constructor(
    private readonly capacity = DEFAULT_CAPACITY,
    readonly defers = false,
    emptyTables = false,
  ) {
    this.onlyWriter = emptyTables;
  }

  /** The value remembered under `space` and `key`; undefined when it must be read from the tables. */
  get<V>(space: string, key: string): V | undefined {
    const k = entryKey(space, key);
    return (this.staged.get(k) ?? this.committed.get(k)) as V | undefined;
  }

  /** Remembers a value written (or read) in the current batch; values are never mutated after. */
  set(space: string, key: string, value: unknown): void {
    this.staged.set(entryKey(space, key), value);
  }

  /**
   * In a deferring memo, remembers `value` as the row to write under `space` and `key` and leaves the
   * writing to flush(), which passes it to `write` (the same function for every key of a space);
   * returns true. Elsewhere returns false: the caller writes now.
   */
  defer<V>(space: string, key: string, value: V, write: DeferredWrite<V>): boolean {
    if (!this.defers) return false;
    this.set(space, key, value);
    let pending = this.deferredNow.get(space);
    if (!pending) {
      // Every value of a space was deferred with this writer, so it is given only values of its type.
      pending = { write: write as DeferredWrite, keys: new Set() };
      this.deferredNow.set(space, pending);
    }
    pending.keys.add(key);
    return true;
  }

  /** True when rows are held back that flush() has not written. */
  get holdsRows(): boolean {
    return this.unwritten.size > 0 || this.deferredNow.size > 0;
  }

  /** True when the next commit would take it over capacity: flush first, so that nothing is lost. */
  get full(): boolean {
    return this.committed.size + this.staged.size > this.capacity;
  }

  /**
   * Writes every row held back, by committed batches and by the batch in progress, in `tx` (the
   * batch's transaction): they count as written once it commits. Spaces in the order first deferred.
   */
  async flush(tx: pg.PoolClient): Promise<void> {
    const spaces: Pending = new Map(this.unwritten);
    for (const [space, now] of this.deferredNow) {
      const before = spaces.get(space);
      spaces.set(space, { write: now.write, keys: new Set([...(before?.keys ?? []), ...now.keys]) });
    }
    for (const [space, { write, keys }] of spaces) {
      const fresh = new Map<string, unknown>();
      const again = new Map<string, unknown>();
      for (const key of keys) {
        const k = entryKey(space, key);
        (this.onlyWriter && !this.flushed.has(k) ? fresh : again).set(key, this.get(space, key));
        if (this.onlyWriter) this.flushed.add(k);
      }
      if (fresh.size > 0) await write(tx, fresh, true);
      if (again.size > 0) await write(tx, again, false);
    }
    this.unwritten = new Map();
    this.deferredNow = new Map();
  }

  /** Called once the batch's checkpoint is locked: forgets everything unless it is still ours. */
  validFor(generation: bigint): void {
    if (this.generation === generation) return;
    if (this.unwritten.size > 0)
      throw new Error('rows held back for a rebuild were lost: another writer moved its checkpoint');
    // Before its first commit a memo knows nothing yet; after, another generation is another writer.
    if (this.generation === undefined) this.forget();
    else this.clear();
  }

  /** The batch committed, moving the checkpoint to `generation`: what it staged is now known. */
  commit(generation: bigint): void {
    for (const [k, v] of this.staged) this.committed.set(k, v);
    this.staged.clear();
    for (const [space, now] of this.deferredNow) {
      const before = this.unwritten.get(space);
      if (before) for (const key of now.keys) before.keys.add(key);
      else this.unwritten.set(space, now);
    }
    this.deferredNow = new Map();
    this.generation = generation;
    if (this.committed.size > this.capacity && this.unwritten.size === 0) this.forget();
  }

  /**
   * A batch that failed is rolled back: forgets what it staged and deferred, then writes in `tx` what
   * committed batches held back, and forgets everything (the tables are the only truth again).
   */
  async abandonBatch(tx: pg.PoolClient): Promise<void> {
    this.staged.clear();
    this.deferredNow = new Map();
    await this.flush(tx);
    this.clear();
  }

  /**
   * Forgets everything, rows held back included: the tables are the only truth again, and no longer
   * written by this memo alone.
   */
  clear(): void {
    this.forget();
    this.onlyWriter = false;
    this.flushed.clear();
  }

  /** Drops the values and rows held back; what flush() wrote is still known. */
  private forget(): void {
    this.committed.clear();
    this.staged.clear();
    this.unwritten = new Map();
    this.deferredNow = new Map();
    this.generation = undefined;
  }
}

const entryKey = (space: string, key: string) => `${space}\u0000${key}`;
