-- A source's own retention, in days, per kind: NULL takes the server's
-- default (--event-retention-days, ...), 0 keeps that kind forever.
ALTER TABLE sources ADD COLUMN event_retention_days BIGINT;
ALTER TABLE sources ADD COLUMN request_retention_days BIGINT;
ALTER TABLE sources ADD COLUMN raw_retention_days BIGINT;
