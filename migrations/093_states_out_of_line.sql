-- project_status's folded state goes out of line, uncompressed: STORAGE EXTERNAL with a low
-- toast_tuple_target moves every state (about 2 kB of JSON) to the TOAST table, so the row that
-- portfolio queries scan stays narrow (without the target, a state under 2 kB stayed inline and the
-- heap grew from 11 to 28 MB, 092), and writing a state costs PostgreSQL no compression (about 40% of
-- copying a rebuild's rows in, docs/BENCHMARKS.md). Only Node reads the state, one row at a time.
-- Rows written before keep their compressed state until next written; a rebuild rewrites them all.
ALTER TABLE project_status ALTER COLUMN state SET STORAGE EXTERNAL;
ALTER TABLE project_status SET (toast_tuple_target = 256);
