// Group commit for appends. At most `maxInFlight` append round trips run at once; appends that
// arrive while they are all busy wait, and the next free slot takes the waiting ones together as one
// batch (one transaction, one round trip). A lone append is never delayed: with a free slot it goes
// out at once. Two appends to one stream, or with one command id, never share a batch: the later
// waits for the next one, so the database sees them in the order they were made.

export interface BatchItem<R> {
  readonly stream: string;
  readonly commandId: string | null;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface BatchRunner<I> {
  /** One append on its own. */
  single(item: I): Promise<void>;
  /** Several appends to distinct streams; each item is settled by the runner. */
  batch(items: readonly I[]): Promise<void>;
}

export class AppendBatcher<R, I extends BatchItem<R>> {
  private queue: I[] = [];
  private inFlight = 0;

  constructor(
    private readonly runner: BatchRunner<I>,
    private readonly maxInFlight: number,
    private readonly maxBatch: number,
    /** With a round trip already running, wait until this many appends are waiting. */
    private readonly minBatch = 1,
  ) {}

  submit(item: I): void {
    this.queue.push(item);
    this.pump();
  }

  private pump(): void {
    while (
      this.inFlight < this.maxInFlight &&
      this.queue.length > 0 &&
      (this.inFlight === 0 || this.queue.length >= this.minBatch)
    ) {
      const batch = this.take();
      this.inFlight++;
      const run = batch.length === 1 ? this.runner.single(batch[0]!) : this.runner.batch(batch);
      run
        .catch((error: unknown) => {
          for (const item of batch) item.reject(error);
        })
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }

  /** The oldest waiting appends with distinct streams and command ids, in arrival order. */
  private take(): I[] {
    const streams = new Set<string>();
    const commands = new Set<string>();
    const taken: I[] = [];
    const left: I[] = [];
    for (const item of this.queue) {
      const clash = streams.has(item.stream) || (item.commandId !== null && commands.has(item.commandId));
      if (clash || taken.length >= this.maxBatch) {
        left.push(item);
        // Keep later appends behind an earlier one of the same stream.
        streams.add(item.stream);
        if (item.commandId !== null) commands.add(item.commandId);
        continue;
      }
      taken.push(item);
      streams.add(item.stream);
      if (item.commandId !== null) commands.add(item.commandId);
    }
    this.queue = left;
    return taken;
  }
}
