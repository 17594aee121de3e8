// A GraphQL-over-SSE client for the e2e tests: POSTs the subscription with `Accept: text/event-stream`
// and reads the streaming body as server-sent events (`event: next` with a GraphQL result,
// `event: complete` at the end), as a browser's EventSource-like client would.

export interface SseResult<T = Record<string, unknown>> {
  readonly data?: T | null;
  readonly errors?: readonly { message: string; extensions?: { code?: string; reason?: string } }[];
}

export interface EventSource {
  readonly status: number;
  readonly contentType: string | null;
  /** The next result; rejects when the stream completes or ends first. */
  next<T = Record<string, unknown>>(): Promise<SseResult<T>>;
  /** Disconnects, as a client closing the page does. */
  close(): void;
}

export async function openEventSource(
  url: string,
  body: { query: string; variables?: Record<string, unknown> },
  headers: Record<string, string>,
): Promise<EventSource> {
  const abort = new AbortController();
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...headers, accept: 'text/event-stream' },
    body: JSON.stringify(body),
    signal: abort.signal,
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const close = () => abort.abort();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    async next<T>() {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = parseBlock(block);
          if (fields.event === 'complete') throw new Error('the subscription completed');
          if (fields.data) return JSON.parse(fields.data) as SseResult<T>;
          continue; // a comment (keep-alive) or an empty event
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += value;
      }
    },
    close,
  };
}

function parseBlock(block: string): { event?: string; data?: string } {
  const out: { event?: string; data?: string } = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'event') out.event = value;
    else if (name === 'data') out.data = out.data === undefined ? value : `${out.data}\n${value}`;
  }
  return out;
}
