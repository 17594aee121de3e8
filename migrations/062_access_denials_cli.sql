-- Refusals on the command line (`tiendo command`, `tiendo import`, the directory commands) are kept in
-- access_denials like the API's: the credential is then `cli` (whoever holds the database's
-- credentials), and the actor is the one the command names.

ALTER TABLE access_denials DROP CONSTRAINT IF EXISTS access_denials_via_check;
ALTER TABLE access_denials
  ADD CONSTRAINT access_denials_via_check CHECK (via IN ('jwt', 'apiToken', 'cli'));
