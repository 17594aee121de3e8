-- Read model of the annual capital plans (src/projections/capital-plans.ts): one row per plan, one per
-- project the plan funds, and an audit row per capital plan event. Money is whole đồng in
-- numeric(30,0). `state` is the folded plan (bigints tagged, state-json.ts): the next event folds onto it.

CREATE TABLE IF NOT EXISTS capital_plans (
  plan_stream           text           NOT NULL,
  province              text           NOT NULL,
  year                  integer        NOT NULL,
  total                 numeric(30, 0) NOT NULL,
  allocated             numeric(30, 0) NOT NULL,
  disbursed             numeric(30, 0) NOT NULL,
  disbursement_deadline date           NOT NULL,
  -- The plan stream's last revision folded into this row: older events are not applied again.
  revision              integer        NOT NULL,
  -- recorded_at of the last event applied (not the wall clock: rebuilds reproduce it).
  updated_at            timestamptz    NOT NULL,
  state                 jsonb          NOT NULL,
  CONSTRAINT capital_plans_pkey PRIMARY KEY (plan_stream),
  CONSTRAINT capital_plans_province_year_key UNIQUE (province, year)
);

-- Per plan and project: what the plan allocated to it (after reallocations) and disbursed.
CREATE TABLE IF NOT EXISTS capital_plan_allocations (
  plan_stream text           NOT NULL,
  project_id  text           NOT NULL,
  allocated   numeric(30, 0) NOT NULL,
  disbursed   numeric(30, 0) NOT NULL,
  CONSTRAINT capital_plan_allocations_pkey PRIMARY KEY (plan_stream, project_id)
);
CREATE INDEX IF NOT EXISTS capital_plan_allocations_project ON capital_plan_allocations (project_id);

-- One row per capital plan event: who, when, under which document and regime, by which command, the
-- projects it touched and the field-level changes it made to the folded plan.
CREATE TABLE IF NOT EXISTS capital_plan_audit (
  event_id        text           NOT NULL,
  plan_stream     text           NOT NULL,
  province        text           NOT NULL,
  year            integer        NOT NULL,
  revision        integer        NOT NULL,
  tx              numeric(20, 0) NOT NULL,
  pos             bigint         NOT NULL,
  type            text           NOT NULL,
  project_ids     text[]         NOT NULL,
  actor_user_id   text           NOT NULL,
  actor_agency_id text           NOT NULL,
  actor_role      text           NOT NULL,
  recorded_at     timestamptz    NOT NULL,
  effective_at    date           NOT NULL,
  document_number text,
  document_date   date,
  document_issuer text,
  regime          text           NOT NULL,
  transitional    boolean        NOT NULL DEFAULT false,
  command_id      text           NOT NULL,
  command_type    text           NOT NULL,
  correlation_id  text           NOT NULL,
  source          text           NOT NULL,
  -- [{field, before, after}]: dotted paths into the folded plan (allocations.<project>.allocated);
  -- money as strings of đồng.
  changes         jsonb          NOT NULL,
  CONSTRAINT capital_plan_audit_pkey PRIMARY KEY (event_id),
  CONSTRAINT capital_plan_audit_stream_revision_key UNIQUE (plan_stream, revision)
);
-- A project's capital history across plans.
CREATE INDEX IF NOT EXISTS capital_plan_audit_projects ON capital_plan_audit USING gin (project_ids);
