-- Folded project states (the `state` columns the projections fold the next event onto) are read only
-- by tiendo's Node code, which parses them itself: kept as text, PostgreSQL no longer parses each one
-- into jsonb and compresses it on every batch, which was most of a rebuild's write time
-- (docs/BENCHMARKS.md, "Rebuild"). STORAGE EXTERNAL: out-of-line values are not compressed either.
-- The view over project_status is recreated unchanged (a column type under a view cannot change).
DROP VIEW IF EXISTS portfolio_projects;

ALTER TABLE project_status ALTER COLUMN state TYPE text USING state::text;
ALTER TABLE project_status ALTER COLUMN state SET STORAGE EXTERNAL;
ALTER TABLE audit_project_state ALTER COLUMN state TYPE text USING state::text;
ALTER TABLE audit_project_state ALTER COLUMN state SET STORAGE EXTERNAL;
ALTER TABLE alert_project_state ALTER COLUMN state TYPE text USING state::text;
ALTER TABLE alert_project_state ALTER COLUMN state SET STORAGE EXTERNAL;

CREATE VIEW portfolio_projects AS
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
