-- Announces each alert inserted open (or set open again by an upsert) on channel tiendo_alerts, so the alertOpened subscription
-- (src/api/live.ts) hears it whichever process or path opened it. The payload names the row's key;
-- listeners read the row itself. Alerts are few (a sweep opens tens, not thousands), so a NOTIFY
-- per row is cheap; the event log's appends never run this (see 002 on why they do not NOTIFY).
CREATE OR REPLACE FUNCTION tiendo_alert_opened() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tiendo_alerts', json_build_object(
    'projectId', NEW.project_id, 'ruleId', NEW.rule_id, 'key', NEW.key, 'since', NEW.since::text)::text);
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS alerts_opened_notify ON alerts;
CREATE TRIGGER alerts_opened_notify AFTER INSERT ON alerts
  FOR EACH ROW WHEN (NEW.status = 'open') EXECUTE FUNCTION tiendo_alert_opened();

DROP TRIGGER IF EXISTS alerts_reopened_notify ON alerts;
CREATE TRIGGER alerts_reopened_notify AFTER UPDATE OF status ON alerts
  FOR EACH ROW WHEN (OLD.status <> 'open' AND NEW.status = 'open') EXECUTE FUNCTION tiendo_alert_opened();
