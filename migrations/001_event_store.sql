-- The event log, one row per stream for locking and chaining, and applied commands for idempotency.
-- See docs/EVENT-STORE.md for why the log is ordered by (transaction_id, global_position).

CREATE TABLE events (
  -- Taken from a sequence, so NOT in commit order: never page on it alone.
  global_position bigserial   NOT NULL,
  -- The writing transaction; readers only read below the oldest transaction still running.
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  event_id        text        NOT NULL,
  stream          text        NOT NULL,
  -- Stream names are `category-id`; the category never contains '-'.
  category        text        NOT NULL GENERATED ALWAYS AS (split_part(stream, '-', 1)) STORED,
  revision        integer     NOT NULL CHECK (revision >= 0),
  type            text        NOT NULL,
  schema_version  integer     NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  -- SHA-256 of the canonical content (src/store/hash.ts contentDigest), computed by the writer.
  digest          bytea       NOT NULL CHECK (octet_length(digest) = 32),
  -- SHA-256(previous event's hash || digest); the first event's previous hash is 32 zero bytes.
  hash            bytea       NOT NULL CHECK (octet_length(hash) = 32),
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  -- The log order is the key: readAll walks this index, and a position names one event.
  CONSTRAINT events_pkey PRIMARY KEY (transaction_id, global_position),
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_stream_revision_key UNIQUE (stream, revision)
);

-- readAll with a category filter.
CREATE INDEX events_category_log_order ON events (category, transaction_id, global_position);

-- One row per stream: appends to a stream serialise here and read the chain's last hash from it.
-- Updated by every append without touching an indexed column, so the fillfactor leaves room for HOT.
CREATE TABLE streams (
  stream        text    NOT NULL,
  last_revision integer NOT NULL CHECK (last_revision >= 0),
  last_hash     bytea   NOT NULL CHECK (octet_length(last_hash) = 32),
  CONSTRAINT streams_pkey PRIMARY KEY (stream)
) WITH (fillfactor = 80);

-- Appends made with a command id: a repeat returns these events instead of writing again.
CREATE TABLE commands (
  command_id     text        NOT NULL,
  command_hash   text,
  stream         text        NOT NULL,
  first_revision integer     NOT NULL,
  last_revision  integer     NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT commands_pkey PRIMARY KEY (command_id)
);
