// Wake-ups for live subscriptions. After its appends a store wakes its own subscriptions at once and
// sends a NOTIFY for those of other processes: at most one per NOTIFY_GAP_MS, so that appends in a
// burst share one (a NOTIFY per append cost a single writer a quarter of its throughput). Not from
// inside tiendo_append: a notifying transaction holds a database-wide lock through its commit,
// serialising all concurrent appends.
// To hear other processes, one pooled connection per store LISTENs, from the first subscription on.
// Losing it is not fatal: subscriptions keep polling, and their next wait listens again.
import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import { Wakeup } from './subscription.js';

export const EVENTS_CHANNEL = 'tiendo_events';
const NOTIFY = { name: 'tiendo_notify', text: `SELECT pg_notify('${EVENTS_CHANNEL}', '')` };
/** The longest a subscriber in another process waits for a wake-up beyond the append's commit. */
const NOTIFY_GAP_MS = 10;

export class PostgresNotifier {
  readonly wakeup = new Wakeup();
  private client: pg.PoolClient | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;
  private sending: Promise<void> | null = null;
  private pending = false;

  constructor(private readonly pool: pg.Pool) {}

  /** Called after an append committed. */
  announce(): void {
    this.wakeup.notify();
    if (this.closed) return;
    if (this.sending) {
      this.pending = true;
      return;
    }
    this.sending = this.send().finally(() => {
      this.sending = null;
    });
  }

  private async send(): Promise<void> {
    do {
      this.pending = false;
      // A lost wake-up only delays subscribers until their next poll.
      await this.pool.query(NOTIFY).catch(() => {});
      if (!this.closed) await delay(NOTIFY_GAP_MS);
    } while (this.pending && !this.closed);
  }

  /**
   * Listens if not already listening. Returns true when listening has just started: anything
   * appended before that sent no wake-up we could hear, so the caller should read again first.
   */
  async ensureListening(): Promise<boolean> {
    if (this.client) return false;
    if (this.closed) throw new Error('the event store is closed');
    this.connecting ??= this.listen().finally(() => {
      this.connecting = null;
    });
    await this.connecting;
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.connecting?.catch(() => {}), this.sending]);
    // Destroyed rather than pooled: it still listens and carries our handlers.
    this.client?.release(true);
    this.client = null;
  }

  private async listen(): Promise<void> {
    const client = await this.pool.connect();
    const lost = (error: Error) => {
      if (this.client !== client) return;
      this.client = null;
      client.release(error);
      // Wake everyone: their next wait reconnects (or reports why it cannot).
      this.wakeup.notify();
    };
    try {
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      client.release(error instanceof Error ? error : true);
      throw error;
    }
    if (this.closed) {
      client.release(true);
      return;
    }
    client.on('notification', () => this.wakeup.notify());
    client.on('error', lost);
    this.client = client;
  }
}
