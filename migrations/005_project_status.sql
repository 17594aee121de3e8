-- Read model: one row per project, its current status as folded from its events
-- (src/projections/project-status.ts). Money is whole đồng in numeric(30,0): exact, never a float.
-- `state` is the folded domain state (bigints tagged, see state-json.ts): the next event folds onto it.

CREATE TABLE IF NOT EXISTS project_status (
  project_id             text          NOT NULL,
  family                 text          NOT NULL,
  name                   text          NOT NULL,
  code                   text,
  province               text          NOT NULL,
  admin_unit             text          NOT NULL,
  agency_id              text          NOT NULL,
  sector                 text          NOT NULL,
  project_group          text,
  owner_name             text          NOT NULL,
  owner_id               text,
  owner_tax_code         text,
  phase                  text          NOT NULL,
  phase_since            date          NOT NULL,
  suspended              boolean       NOT NULL,
  suspended_since        date,
  certificate_number     text,
  certificate_issued_on  date,
  certificate_revoked_on date,
  proposed_capital       numeric(30, 0),
  approved_capital       numeric(30, 0),
  registered_capital     numeric(30, 0),
  total_investment       numeric(30, 0),
  capital_contributed    numeric(30, 0) NOT NULL DEFAULT 0,
  capital_allocated      numeric(30, 0) NOT NULL DEFAULT 0,
  capital_disbursed      numeric(30, 0) NOT NULL DEFAULT 0,
  funding_assigned       boolean       NOT NULL DEFAULT false,
  funding_amount         numeric(30, 0) NOT NULL DEFAULT 0,
  progress_period        text,
  progress_percent       numeric(5, 2),
  progress_reported_on   date,
  -- [{id, kind, name, plannedDue, currentDue, reschedules, completedOn}] ordered by id.
  milestones             jsonb         NOT NULL DEFAULT '[]',
  registered_on          date          NOT NULL,
  -- The project stream's last revision folded into this row: older events are not applied again.
  revision               integer       NOT NULL,
  -- recorded_at of the last event that changed the row (not the wall clock: rebuilds reproduce it).
  updated_at             timestamptz   NOT NULL,
  state                  jsonb         NOT NULL,
  CONSTRAINT project_status_pkey PRIMARY KEY (project_id)
);
CREATE INDEX IF NOT EXISTS project_status_phase ON project_status (family, phase);
CREATE INDEX IF NOT EXISTS project_status_agency ON project_status (agency_id);
CREATE INDEX IF NOT EXISTS project_status_admin_unit ON project_status (province, admin_unit);

-- Capital from the annual plans, per project and plan stream; project_status sums it. The plan
-- stream's revision makes a repeated event a no-op.
CREATE TABLE IF NOT EXISTS project_capital (
  project_id  text           NOT NULL,
  plan_stream text           NOT NULL,
  allocated   numeric(30, 0) NOT NULL DEFAULT 0,
  disbursed   numeric(30, 0) NOT NULL DEFAULT 0,
  revision    integer        NOT NULL,
  CONSTRAINT project_capital_pkey PRIMARY KEY (project_id, plan_stream)
);

-- The portfolio categories of the province's reports (seed 003), derived from phase and flags;
-- src/projections/portfolio.ts documents the mapping.
CREATE OR REPLACE VIEW portfolio_projects AS
SELECT
  p.*,
  CASE
    WHEN p.phase IN ('terminated', 'cancelled') THEN 'terminated'
    WHEN p.suspended AND p.phase IN ('underConstruction', 'constructed', 'operating', 'handedOver')
      THEN 'stopped'
    WHEN p.phase IN ('operating', 'handedOver', 'settled') THEN 'completedOperating'
    WHEN p.phase IN ('underConstruction', 'constructed') THEN 'underConstruction'
    ELSE 'notStarted'
  END AS status,
  extract(year FROM p.registered_on)::integer AS registered_year,
  extract(year FROM p.phase_since)::integer AS phase_year
FROM project_status p;
