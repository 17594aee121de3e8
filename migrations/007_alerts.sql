-- Read model: alerts opened and closed by the clock sweep (src/alerts/sweep.ts) from the alert rules
-- evaluated over each project's folded state (project_status.state) on a chosen business date.
-- One row per (project, rule, key, since): an alert that closes and later opens again is a new row.

CREATE TABLE IF NOT EXISTS alerts (
  project_id         text        NOT NULL,
  rule_id            text        NOT NULL,
  key                text        NOT NULL,
  since              date        NOT NULL,
  status             text        NOT NULL CHECK (status IN ('open', 'closed')),
  severity           text        NOT NULL,
  regime             text        NOT NULL,
  article            text        NOT NULL,
  -- The business date of the sweep that opened it (the clock's "today", not the wall clock).
  opened_at          date        NOT NULL,
  closed_on          date,
  -- 'resolved by event' when the project's state changed since the alert was last seen open,
  -- 'clock' when the same state no longer meets the condition on the later date.
  closed_reason      text        CHECK (closed_reason IN ('resolved by event', 'clock')),
  closed_by_event_id text,
  -- project_status.revision of the state the alert was last seen open on.
  seen_revision      integer     NOT NULL,
  reason_vi          text        NOT NULL,
  reason_en          text        NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT alerts_pkey PRIMARY KEY (project_id, rule_id, key, since)
);

-- At most one open alert per (project, rule, key).
CREATE UNIQUE INDEX IF NOT EXISTS alerts_open_key ON alerts (project_id, rule_id, key) WHERE status = 'open';
CREATE INDEX IF NOT EXISTS alerts_open_by_rule ON alerts (rule_id, project_id) WHERE status = 'open';
