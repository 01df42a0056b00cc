-- Which event types a source accepts, and what happens to a type its
-- adapter's catalog does not list.
--   event_types:   JSON array of accepted types (a trailing `*` matches a
--                  prefix); NULL accepts every type.
--   unknown_types: accept (store, log a warning, count) | reject (422, raw
--                  request kept) | drop (2xx, nothing stored).
ALTER TABLE sources ADD COLUMN event_types TEXT;
ALTER TABLE sources ADD COLUMN unknown_types TEXT NOT NULL DEFAULT 'accept';
