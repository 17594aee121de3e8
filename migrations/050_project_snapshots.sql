-- Snapshots of a project's fold for time travel (src/projections/time-travel-pg.ts, docs/TIME-TRAVEL.md):
-- the state after revisions 0..revision, every one of which counted, with the latest recording instant
-- and effective date among them; usable for any (asOf, knownAt) at or after both. A cache written by the
-- read path: deleting rows changes no answer, only speed. `version` is the fold's: rows of another
-- version are ignored (bump it when evolveProject changes what a state holds).
CREATE TABLE IF NOT EXISTS project_snapshots (
  project_id       text        NOT NULL,
  revision         integer     NOT NULL CHECK (revision >= 0),
  version          integer     NOT NULL,
  max_recorded_at  timestamptz NOT NULL,
  max_effective_at date        NOT NULL,
  state            jsonb       NOT NULL,
  CONSTRAINT project_snapshots_pkey PRIMARY KEY (project_id, version, revision)
);
