// Which runner follows the log for a projection when several server processes share one database: the
// one holding the projection's session advisory lock, on a connection kept for that purpose. When the
// leader's process dies its session ends, PostgreSQL releases the lock, and the next runner to try
// takes it over. The lock key is `tiendo:runner:<name>` (the rebuild's is `tiendo:rebuild:<name>`). Leadership keeps the others idle; correctness does not rest on it: a batch moves the
// checkpoint only if it still is where the batch was read from (runner.ts), so a leader that lost its
// lock without knowing it yet cannot apply an event twice.
import type pg from 'pg';

export class Leadership {
  private client: pg.PoolClient | null = null;
  private readonly held = new Set<string>();
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    /** Called when the set of projections led changes (taken over, or lost with the connection). */
    private readonly onChange: (leading: readonly string[]) => void = () => {},
  ) {}

  /** The projections this runner leads now. */
  leading(): readonly string[] {
    return [...this.held];
  }

  /**
   * Tries to take the lead of every projection not led yet, and returns those led. A lost lock
   * connection means every lead is lost: a new connection tries again.
   */
  async acquire(names: readonly string[]): Promise<readonly string[]> {
    if (this.closed) return [];
    const before = this.held.size;
    const wanted = names.filter((n) => !this.held.has(n));
    try {
      const client = await this.connection();
      // Also run when every lead is held: a query is how a silently lost connection shows up.
      const { rows } = await client.query<{ name: string; got: boolean }>(
        `SELECT n AS name, pg_try_advisory_lock(hashtext('tiendo:runner:' || n)) AS got
         FROM unnest($1::text[]) AS n`,
        [wanted],
      );
      for (const r of rows) if (r.got) this.held.add(r.name);
    } catch (error) {
      this.drop(error instanceof Error ? error : true);
      throw error;
    }
    if (this.held.size !== before) this.onChange(this.leading());
    return this.leading();
  }

  /** Gives up every lead (ending the lock session) and takes none again. */
  async close(): Promise<void> {
    this.closed = true;
    // Unlocked before the connection goes: its session would end, and release them, only later.
    await this.client?.query('SELECT pg_advisory_unlock_all()').catch(() => {});
    this.drop(true);
  }

  private async connection(): Promise<pg.PoolClient> {
    if (this.client) return this.client;
    const client = await this.pool.connect();
    client.on('error', (error) => {
      if (this.client === client) this.drop(error);
    });
    this.client = client;
    return client;
  }

  private drop(reason: Error | true): void {
    const client = this.client;
    this.client = null;
    // Destroyed, not pooled: its session holds the locks, and ending it releases them.
    client?.release(reason);
    if (this.held.size > 0) {
      this.held.clear();
      this.onChange([]);
    }
  }
}
