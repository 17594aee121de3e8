-- The alerts projection's capital context (src/alerts/projection.ts, capital-context.ts): per annual
-- capital plan stream its year and disbursement deadline, and per project and plan the dated moves
-- (allocations, reallocations, disbursements) the capital rules read beside the project's state.

CREATE TABLE IF NOT EXISTS alert_capital_plan (
  plan_stream           text    NOT NULL,
  year                  integer NOT NULL,
  disbursement_deadline date    NOT NULL,
  -- The plan stream's revision last applied: an event at or below it is a repeat.
  revision              integer NOT NULL,
  CONSTRAINT alert_capital_plan_pkey PRIMARY KEY (plan_stream)
);

CREATE TABLE IF NOT EXISTS alert_project_capital (
  project_id  text  NOT NULL,
  plan_stream text  NOT NULL,
  -- [{on, allocated, disbursed}], money as {"$dong": "digits"} (state-json.ts).
  moves       jsonb NOT NULL,
  CONSTRAINT alert_project_capital_pkey PRIMARY KEY (project_id, plan_stream)
);
-- A plan's extension of its deadline re-evaluates every project of the plan.
CREATE INDEX IF NOT EXISTS alert_project_capital_by_plan ON alert_project_capital (plan_stream);
