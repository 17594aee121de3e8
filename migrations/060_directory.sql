-- Read model: the directory (src/projections/directory.ts), folded from the agency-, user- and
-- apitoken- streams. The streams are the truth and authentication reads them directly; these tables
-- serve the lists (API, CLI). An API token's hash stays in its stream: it is not copied here.

CREATE TABLE IF NOT EXISTS directory_agencies (
  agency_id  text        NOT NULL,
  name       text        NOT NULL,
  kind       text        NOT NULL,
  province   text,
  admin_unit text,
  -- The agency stream's last revision folded into this row: older events are not applied again.
  revision   integer     NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT directory_agencies_pkey PRIMARY KEY (agency_id)
);

CREATE TABLE IF NOT EXISTS directory_users (
  user_id    text        NOT NULL,
  name       text        NOT NULL,
  agency_id  text        NOT NULL,
  role       text        NOT NULL,
  status     text        NOT NULL CHECK (status IN ('active', 'deactivated')),
  revision   integer     NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT directory_users_pkey PRIMARY KEY (user_id)
);
CREATE INDEX IF NOT EXISTS directory_users_agency ON directory_users (agency_id);

CREATE TABLE IF NOT EXISTS directory_api_tokens (
  token_id   text        NOT NULL,
  user_id    text        NOT NULL,
  label      text        NOT NULL,
  status     text        NOT NULL CHECK (status IN ('active', 'revoked')),
  expires_at timestamptz,
  issued_at  timestamptz NOT NULL,
  issued_by  text        NOT NULL,
  revoked_at timestamptz,
  revision   integer     NOT NULL,
  CONSTRAINT directory_api_tokens_pkey PRIMARY KEY (token_id)
);
CREATE INDEX IF NOT EXISTS directory_api_tokens_user ON directory_api_tokens (user_id);
