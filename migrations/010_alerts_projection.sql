-- The alerts read model written per event as well as by the clock sweep (src/alerts/projection.ts,
-- src/alerts/sweep.ts). An alert row is one episode of a (project, rule, key): numbered, so that an
-- open alert whose `since` moves (a milestone rescheduled) can never collide with a closed episode
-- that had the same date, which the primary key on `since` allowed.

ALTER TABLE alerts ADD COLUMN IF NOT EXISTS episode integer;
UPDATE alerts a SET episode = n.episode
FROM (SELECT project_id, rule_id, key, since,
             row_number() OVER (PARTITION BY project_id, rule_id, key ORDER BY since)::integer AS episode
      FROM alerts) n
WHERE a.episode IS NULL
  AND (a.project_id, a.rule_id, a.key, a.since) = (n.project_id, n.rule_id, n.key, n.since);
ALTER TABLE alerts ALTER COLUMN episode SET NOT NULL;
ALTER TABLE alerts DROP CONSTRAINT IF EXISTS alerts_pkey;
ALTER TABLE alerts ADD CONSTRAINT alerts_pkey PRIMARY KEY (project_id, rule_id, key, episode);

-- The business date the alert was last evaluated open on (by a sweep, or at an event's effective date):
-- the projection re-checks an open alert there when an event changes the project.
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS seen_on date;
UPDATE alerts SET seen_on = opened_at WHERE seen_on IS NULL;
ALTER TABLE alerts ALTER COLUMN seen_on SET NOT NULL;

-- The alerts projection's own fold of each project (it must not wait on another projection), which
-- the clock sweep evaluates too: both see the same states.
CREATE TABLE IF NOT EXISTS alert_project_state (
  project_id text    NOT NULL,
  revision   integer NOT NULL,
  state      jsonb   NOT NULL,
  CONSTRAINT alert_project_state_pkey PRIMARY KEY (project_id)
);
