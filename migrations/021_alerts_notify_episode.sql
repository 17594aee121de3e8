-- The alertOpened announcement (020) names the alert by its episode (010 made the episode the key:
-- `since` can move while an alert is open), and keeps quiet while a rebuild swaps the alerts read
-- model in (the runner sets tiendo.swapping_read_model in that transaction): the rows it copies are
-- alerts opened before, not news.
CREATE OR REPLACE FUNCTION tiendo_alert_opened() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('tiendo.swapping_read_model', true) = 'on' THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('tiendo_alerts', json_build_object(
    'projectId', NEW.project_id, 'ruleId', NEW.rule_id, 'key', NEW.key, 'episode', NEW.episode)::text);
  RETURN NULL;
END $$;
