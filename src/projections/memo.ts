// What a runner remembers of a projection's tables between batches (e.g. the states it folded), so
// the next batch need not read back and parse what the last one wrote. Entries set during a batch
// are staged and kept only when its transaction commits. The memory is valid for one generation of
// the projection's checkpoint: every writer moves the generation (a batch, a retry of parked events,
// a rebuild's swap), so a runner that finds it elsewhere than where it left it starts afresh.

/**
 * Most entries kept across batches: beyond, the memory is dropped (and refilled from the tables). A
 * folded project state takes a few kilobytes of heap, so 10,000 (a province's projects several times
 * over) bound a projection's memory to some tens of megabytes.
 */
const DEFAULT_CAPACITY = 10_000;

export class Memo {
  private committed = new Map<string, unknown>();
  private staged = new Map<string, unknown>();
  private generation: bigint | undefined;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** The value remembered under `space` and `key`; undefined when it must be read from the tables. */
  get<V>(space: string, key: string): V | undefined {
    const k = `${space}\u0000${key}`;
    return (this.staged.get(k) ?? this.committed.get(k)) as V | undefined;
  }

  /** Remembers a value written (or read) in the current batch; values are never mutated after. */
  set(space: string, key: string, value: unknown): void {
    this.staged.set(`${space}\u0000${key}`, value);
  }

  /** Called once the batch's checkpoint is locked: forgets everything unless it is still ours. */
  validFor(generation: bigint): void {
    if (this.generation !== generation) this.clear();
  }

  /** The batch committed, moving the checkpoint to `generation`: what it staged is now known. */
  commit(generation: bigint): void {
    for (const [k, v] of this.staged) this.committed.set(k, v);
    this.staged.clear();
    this.generation = generation;
    if (this.committed.size > this.capacity) this.clear();
  }

  /** Forgets everything: the tables are the only truth again. */
  clear(): void {
    this.committed.clear();
    this.staged.clear();
    this.generation = undefined;
  }
}
