// A rebuild one stream at a time (docs/PROJECTIONS.md, "Rebuilding stream by stream"), for a
// projection whose rows of one stream depend only on that stream's events and on a few events of
// other categories it reads first (the alerts: a project's events and the capital plans' events). The
// log is read up to where it ends now (logEnd), each stream whole and in order, while the projection
// writes what it made of the streams before by COPY on transactions of its own. Nothing a stream made
// need be held once its rows are sent: no batch, no memory of earlier batches.
import type pg from 'pg';
import type { EventMetadata } from '../domain/envelope.js';
import { comparePositions, type EventStore, type LogPosition, type RecordedEvent } from '../store/port.js';
import { type LeanEvent, type Projection, type StreamwiseSource, toProjected } from './projection.js';
import { searchFirst } from './swap.js';

/** Events read from the store at a time; the next read is under way while these are used. */
const PAGE = 5_000;

/**
 * Events of a category read in log order at a time. PostgreSQL sorts each such page, having found the
 * category's events spread over the log (a bitmap scan then a sort, not the index's order): a rebuild
 * reads them in as few pages as it can (BENCHMARKS.md, "The eleventh session").
 */
const IN_ORDER_PAGE = 20_000;

/** What the rebuild has read so far, as the runner reports it. */
export interface Progress {
  read: number;
  applied: number;
}

/**
 * Fills the fresh tables in `schema` (created, empty) with `p.rebuildByStream` from the log up to its
 * end now; returns that end, the position to take the projection's checkpoint to. Every transaction
 * it opened is committed when it returns and rolled back when it throws.
 */
export async function rebuildByStream(
  pool: pg.Pool,
  store: EventStore,
  p: Projection,
  schema: string,
  progress: Progress,
  onProgress: () => void,
): Promise<LogPosition> {
  const read = store.readByStream?.bind(store);
  if (!p.rebuildByStream || !read) throw new Error(`${p.name} cannot be rebuilt by stream`);
  const upTo = await store.logEnd();
  const clients: pg.PoolClient[] = [];
  const open = async () => {
    const client = await pool.connect();
    clients.push(client);
    await client.query('BEGIN');
    await searchFirst(client, schema);
    return client;
  };
  // The projection may ask for another transaction well before it needs it: each is waited for at the
  // end, so none is left out of the commit or the release.
  const opening: Promise<unknown>[] = [];
  const another = () => {
    const client = open();
    opening.push(client.catch(() => {}));
    return client;
  };
  let failed = true;
  try {
    const tx = await open();
    await p.rebuildByStream({ tx, another }, sourceOf(store, read, upTo, progress, onProgress));
    await Promise.all(opening);
    // Together: they are the fresh tables' alone, and the checkpoint is taken after them.
    await Promise.all(clients.map((client) => client.query('COMMIT')));
    failed = false;
  } finally {
    await Promise.all(opening);
    // A failed rebuild's connections are closed, not handed back: one may be in the middle of a COPY,
    // which no ROLLBACK could follow. PostgreSQL rolls back what they wrote.
    for (const client of clients) client.release(failed);
  }
  return upTo;
}

/** The store's log up to `upTo`, counted into `progress` as it is read. */
function sourceOf(
  store: EventStore,
  read: NonNullable<EventStore['readByStream']>,
  upTo: LogPosition,
  progress: Progress,
  onProgress: () => void,
): StreamwiseSource {
  // The metadata read is as asked: what the caller's type says it has.
  const decoded = <E>(page: readonly RecordedEvent[], wanted: ReadonlySet<string>) => {
    const events = page.filter((e) => wanted.has(e.type)).map(toProjected) as unknown as E[];
    progress.read += page.length;
    progress.applied += events.length;
    onProgress();
    return events;
  };
  return {
    async *inLogOrder<K extends keyof EventMetadata>(
      category: string,
      types: readonly string[],
      metadata?: readonly K[],
    ) {
      const wanted = new Set(types);
      const read = { categories: [category], maxCount: IN_ORDER_PAGE, ...(metadata && { metadata }) };
      let next = ahead(store.readAll(read));
      for (;;) {
        const page = await next;
        // A page's events past upTo are not the rebuild's: the checkpoint will be at upTo.
        const within = page.filter((e) => comparePositions(e.position, upTo) <= 0);
        const last = within[within.length - 1];
        const more = page.length === IN_ORDER_PAGE && within.length === page.length && last;
        if (more) next = ahead(store.readAll({ ...read, after: last.position }));
        yield* decoded<LeanEvent<K>>(within, wanted);
        if (!more) return;
      }
    },
    byStream<K extends keyof EventMetadata>(
      category: string,
      types: readonly string[],
      metadata?: readonly K[],
    ) {
      const wanted = new Set(types);
      const options = { category, upTo, maxCount: PAGE, ...(metadata && { metadata }) };
      // The first page is asked for now: the caller may read something else meanwhile.
      const first = ahead(read(options));
      return streamsOf(
        first,
        (after) => ahead(read({ ...options, after })),
        (page) => decoded<LeanEvent<K>>(page, wanted),
      );
    },
  };
}

/** Streams whole from pages in (stream, revision) order, each next page asked for as one arrives. */
async function* streamsOf<E extends { readonly stream: string }>(
  first: Promise<RecordedEvent[]>,
  readAfter: (after: { stream: string; revision: number }) => Promise<RecordedEvent[]>,
  decode: (page: readonly RecordedEvent[]) => E[],
): AsyncGenerator<readonly E[]> {
  let stream: E[] = [];
  for (let next = first; ; ) {
    const page = await next;
    const last = page[page.length - 1];
    if (page.length === PAGE && last) next = readAfter({ stream: last.stream, revision: last.revision });
    for (const e of decode(page)) {
      if (stream.length > 0 && (stream[0] as E).stream !== e.stream) {
        yield stream;
        stream = [];
      }
      stream.push(e);
    }
    if (page.length < PAGE) break;
  }
  if (stream.length > 0) yield stream;
}

/** Streams handled between two turns of the event loop, which carry the rows written meanwhile. */
const STREAMS_PER_TURN = 64;

/**
 * Hands each stream to `work` in turn, leaving the event loop a turn every few streams: the COPYs
 * `work` feeds send their rows, and the next pages arrive, while the next streams are worked on.
 */
export async function forEachStream<E>(
  streams: AsyncIterable<readonly E[]>,
  work: (events: readonly E[]) => void,
): Promise<void> {
  let n = 0;
  for await (const events of streams) {
    work(events);
    if (++n % STREAMS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A page read ahead: if the rebuild fails before it is awaited, its failure is not another error. */
function ahead<T>(read: Promise<T>): Promise<T> {
  read.catch(() => {});
  return read;
}
