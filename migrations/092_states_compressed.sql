-- Folded states stay text (090) but compressed inline again (the default EXTENDED storage instead of
-- EXTERNAL): uncompressed, a 2 kB state stayed in the row itself, so project_status's heap grew from
-- 11 to 28 MB on the scaled demo and every portfolio query scanning it slowed by half. Compressing
-- them costs a rebuild nothing measurable (docs/BENCHMARKS.md); states written before are compressed
-- when next written.
ALTER TABLE project_status ALTER COLUMN state SET STORAGE EXTENDED;
ALTER TABLE audit_project_state ALTER COLUMN state SET STORAGE EXTENDED;
ALTER TABLE alert_project_state ALTER COLUMN state SET STORAGE EXTENDED;
