-- The projection runner's bookkeeping (src/projections/runner.ts): where each projection has read the
-- global log to, and the events it could not apply. A checkpoint row changes only in the transaction
-- that writes the projection's tables for the same events, so a crash loses or repeats nothing.

CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name       text        NOT NULL,
  -- The code version whose output the tables hold; another version in code rebuilds them.
  version    integer     NOT NULL,
  -- The last position applied (exclusive lower bound of the next read); (0, 0) is the log's start.
  tx         numeric(20, 0) NOT NULL DEFAULT 0,
  pos        bigint      NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT projection_checkpoints_pkey PRIMARY KEY (name)
);

-- Events a projection's apply threw on: skipped so the projection moves on, kept to retry on demand.
CREATE TABLE IF NOT EXISTS projection_parked (
  name            text        NOT NULL,
  event_id        text        NOT NULL,
  stream          text        NOT NULL,
  revision        integer     NOT NULL,
  type            text        NOT NULL,
  tx              numeric(20, 0) NOT NULL,
  pos             bigint      NOT NULL,
  error           text        NOT NULL,
  attempts        integer     NOT NULL DEFAULT 1,
  parked_at       timestamptz NOT NULL DEFAULT now(),
  last_attempt_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT projection_parked_pkey PRIMARY KEY (name, event_id)
);
-- retryParked reads one projection's parked events in log order.
CREATE INDEX IF NOT EXISTS projection_parked_log_order ON projection_parked (name, tx, pos);
