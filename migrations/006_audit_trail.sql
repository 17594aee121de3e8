-- Read model: one row per project event, who/when/under which document, and the field-level changes
-- it made to the project's folded state (src/projections/audit-trail.ts).

CREATE TABLE IF NOT EXISTS audit_trail (
  event_id        text        NOT NULL,
  project_id      text        NOT NULL,
  revision        integer     NOT NULL,
  tx              numeric(20, 0) NOT NULL,
  pos             bigint      NOT NULL,
  type            text        NOT NULL,
  actor_user_id   text        NOT NULL,
  actor_agency_id text        NOT NULL,
  actor_role      text        NOT NULL,
  recorded_at     timestamptz NOT NULL,
  effective_at    date        NOT NULL,
  document_number text,
  document_date   date,
  document_issuer text,
  regime          text        NOT NULL,
  transitional    boolean     NOT NULL DEFAULT false,
  command_id      text        NOT NULL,
  command_type    text        NOT NULL,
  correlation_id  text        NOT NULL,
  source          text        NOT NULL,
  -- [{field, before, after}]: dotted paths into the folded state; money as strings of đồng.
  changes         jsonb       NOT NULL,
  CONSTRAINT audit_trail_pkey PRIMARY KEY (event_id),
  CONSTRAINT audit_trail_project_revision_key UNIQUE (project_id, revision)
);

-- The audit projection's own fold of each project (it must not depend on another projection's
-- progress): the state before the next event.
CREATE TABLE IF NOT EXISTS audit_project_state (
  project_id text    NOT NULL,
  revision   integer NOT NULL,
  state      jsonb   NOT NULL,
  CONSTRAINT audit_project_state_pkey PRIMARY KEY (project_id)
);
