-- Log positions as the read-model side stores them must hold any adapter's LogPosition. PostgreSQL's
-- (xid8, bigint sequence) fit bigint; KurrentDB's commit and prepare positions are unsigned 64-bit
-- (the client gives them as bigint up to 2^64 - 1), which overflows bigint above 2^63 - 1. `tx` was
-- numeric(20, 0) already; `pos` becomes the same everywhere a position is kept.
ALTER TABLE projection_checkpoints ALTER COLUMN pos TYPE numeric(20, 0);
ALTER TABLE projection_parked ALTER COLUMN pos TYPE numeric(20, 0);
ALTER TABLE audit_trail ALTER COLUMN pos TYPE numeric(20, 0);
