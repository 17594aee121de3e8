-- Read model of the administrative map (src/projections/admin-map.ts): units and agencies as
-- reference data, their succession as dated edges (the 2025 reorganisation), and every unit each
-- project has been in, so a filter on an old or a new unit finds it (docs/PROJECTIONS.md).

CREATE TABLE IF NOT EXISTS admin_map_entries (
  kind      text NOT NULL CHECK (kind IN ('unit', 'agency')),
  id        text NOT NULL,
  name      text NOT NULL,
  -- Units only: province, district or commune, and the unit it belongs to.
  level     text,
  parent_id text,
  since     date NOT NULL,
  -- The day it ceased (succeeded by another); NULL while it exists.
  until     date,
  CONSTRAINT admin_map_entries_pkey PRIMARY KEY (kind, id)
);

-- `to_id` stands for `from_id` from `effective_on`.
CREATE TABLE IF NOT EXISTS succession_edges (
  kind         text NOT NULL CHECK (kind IN ('unit', 'agency')),
  from_id      text NOT NULL,
  to_id        text NOT NULL,
  effective_on date NOT NULL,
  CONSTRAINT succession_edges_pkey PRIMARY KEY (kind, from_id, to_id)
);

-- Each unit a project has been registered or remapped in: its province code and `<province>:<unit>`.
CREATE TABLE IF NOT EXISTS project_units (
  project_id text NOT NULL,
  unit_id    text NOT NULL,
  since      date NOT NULL,
  CONSTRAINT project_units_pkey PRIMARY KEY (project_id, unit_id)
);
CREATE INDEX IF NOT EXISTS project_units_unit ON project_units (unit_id);
