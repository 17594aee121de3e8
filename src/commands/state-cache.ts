// A bounded least-recently-used map of folded aggregate states by stream. Safe across processes:
// an entry another writer made stale fails the append's expected-revision check and is reloaded.

export class StateCache<S> {
  private readonly entries = new Map<string, { state: S; revision: number }>();

  constructor(private readonly capacity: number) {}

  get(stream: string): { state: S; revision: number } | undefined {
    const hit = this.entries.get(stream);
    if (hit) {
      this.entries.delete(stream);
      this.entries.set(stream, hit);
    }
    return hit;
  }

  set(stream: string, entry: { state: S; revision: number }): void {
    if (this.capacity <= 0) return;
    this.entries.delete(stream);
    this.entries.set(stream, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  delete(stream: string): void {
    this.entries.delete(stream);
  }
}
