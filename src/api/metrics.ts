// /metrics in the Prometheus text format (prom-client): the commands this process handled and
// rejected (by command type and error code), the events they appended (by event type), each
// projection's lag behind the log in events and seconds (read from the database at each scrape, so
// it is the same whichever process runs the projections), the subscriptions' listeners, and
// prom-client's process defaults (CPU, memory, event loop, GC).
import type pg from 'pg';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { isTiendoError } from '../domain/errors.js';
import { projectionLag } from '../projections/lag.js';
import type { LiveFeeds } from './live.js';

export interface MetricsDeps {
  /** Where the log and the checkpoints are; without it the lag gauges stay empty. */
  readonly pool?: pg.Pool;
  /** Names of the projections whose lag is reported. */
  readonly projections: readonly string[];
  readonly live: LiveFeeds;
}

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly handled: Counter<'command'>;
  private readonly rejected: Counter<'command' | 'code'>;
  private readonly appended: Counter<'type'>;

  constructor(deps: MetricsDeps) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.handled = new Counter({
      name: 'tiendo_commands_handled_total',
      help: 'Commands handled (accepted, including repeats of a command id), by command type.',
      labelNames: ['command'],
      registers,
    });
    this.rejected = new Counter({
      name: 'tiendo_commands_rejected_total',
      help: 'Commands refused, by command type and error code (INTERNAL for unexpected errors).',
      labelNames: ['command', 'code'],
      registers,
    });
    this.appended = new Counter({
      name: 'tiendo_events_appended_total',
      help: 'Events appended by the commands this process handled, by event type.',
      labelNames: ['type'],
      registers,
    });
    const lag = async () => (deps.pool ? projectionLag(deps.pool, deps.projections) : []);
    let scrape: Promise<Awaited<ReturnType<typeof lag>>> | null = null;
    // Both lag gauges come from one query per scrape.
    const lagOnce = () => {
      scrape ??= lag().finally(() => setImmediate(() => (scrape = null)));
      return scrape;
    };
    new Gauge({
      name: 'tiendo_projection_lag_events',
      help: "Events in the log after the projection's checkpoint.",
      labelNames: ['projection'],
      registers,
      async collect() {
        for (const l of await lagOnce()) this.set({ projection: l.name }, l.events);
      },
    });
    new Gauge({
      name: 'tiendo_projection_lag_seconds',
      help: 'Seconds between the head of the log and the last event the projection applied (0 when caught up).',
      labelNames: ['projection'],
      registers,
      async collect() {
        for (const l of await lagOnce()) this.set({ projection: l.name }, l.seconds);
      },
    });
    new Gauge({
      name: 'tiendo_subscriptions',
      help: 'Clients listening to each subscription feed.',
      labelNames: ['feed'],
      registers,
      collect() {
        for (const [feed, n] of Object.entries(deps.live.listeners())) this.set({ feed }, n);
      },
    });
  }

  /** The text a scrape answers, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Runs one command's mutation, counting it as handled or refused and the events it appended. */
  async observeCommand<R>(command: string, run: () => R | Promise<R>): Promise<R> {
    try {
      const result = await run();
      this.handled.inc({ command });
      const r = result as CommandResultShape;
      // createApiToken answers with the token, not the events (the token's text must not be echoed in them).
      if (!r.duplicate) for (const e of r.events ?? []) this.appended.inc({ type: e.type });
      return result;
    } catch (error) {
      this.rejected.inc({ command, code: isTiendoError(error) ? error.code : 'INTERNAL' });
      throw error;
    }
  }
}

interface CommandResultShape {
  readonly duplicate?: boolean;
  readonly events?: readonly { readonly type: string }[];
}
