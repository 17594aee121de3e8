-- Every write of a projection's tables moves its checkpoint's generation: each batch (with its
-- position), a retry of parked events (which changes the tables without moving the position) and a
-- rebuild's swap. A runner remembers what it wrote only while the generation is the one its own last
-- batch left (src/projections/memo.ts).
ALTER TABLE projection_checkpoints ADD COLUMN IF NOT EXISTS generation bigint NOT NULL DEFAULT 0;
