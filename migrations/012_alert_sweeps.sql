-- The business date of the last clock sweep of `alerts` (src/alerts/sweep.ts), one row. A rebuild of
-- the alerts projection replays only events; before it swaps the rebuilt rows in, it sweeps them to
-- this date (the alerts projection's afterRebuild), so the alerts only time opened are not lost
-- until the next sweep. Not one of the projection's tables: the log does not say when sweeps ran.
CREATE TABLE IF NOT EXISTS alert_sweeps (
  one        boolean     NOT NULL DEFAULT true CHECK (one),
  swept_on   date        NOT NULL,
  swept_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT alert_sweeps_pkey PRIMARY KEY (one)
);
