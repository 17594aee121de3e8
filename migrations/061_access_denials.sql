-- Every refused attempt by an authenticated user: who (user, agency, role, and the credential), what
-- (the GraphQL operation, the command, the project or plan) and why (the stable reason and the
-- message). Written by the API when a request meets FORBIDDEN (src/auth/denials.ts); a refused command
-- writes no event, so this table is where the attempt is kept. Append-only; no read model rebuilds it.

CREATE TABLE IF NOT EXISTS access_denials (
  id           bigserial   NOT NULL,
  at           timestamptz NOT NULL DEFAULT now(),
  user_id      text        NOT NULL,
  agency_id    text        NOT NULL,
  role         text        NOT NULL,
  via          text        NOT NULL CHECK (via IN ('jwt', 'apiToken')),
  token_id     text,
  operation    text        NOT NULL,
  command_type text,
  target       text,
  reason       text        NOT NULL,
  message      text        NOT NULL,
  CONSTRAINT access_denials_pkey PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS access_denials_user ON access_denials (user_id, at);
