-- Destinations: where verified events go, and which events each one wants.
CREATE TABLE destinations (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,                -- http | nats
    config          TEXT NOT NULL,                -- JSON: url, headers, timeout_ms | subject
    secret          TEXT,                         -- HTTP signing secret (whsec_...)
    event_types     TEXT NOT NULL DEFAULT '["*"]',-- JSON array of glob patterns
    source_ids      TEXT,                         -- JSON array; NULL = every source
    filter          TEXT,                         -- JSONPath (RFC 9535) on the event's data
    coalesce        TEXT,                         -- JSON {key, quiet_ms, max_wait_ms} or NULL
    max_in_flight   INTEGER NOT NULL DEFAULT 16,
    enabled         INTEGER NOT NULL DEFAULT 1,
    disabled_reason TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

-- The outbox: one row per (event, destination), written in the same
-- transaction as the event. A row is claimed with a lease, attempted, and
-- ends `delivered` or `dead` (kept, listed, replayable).
CREATE TABLE deliveries (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    event_id        TEXT NOT NULL,
    destination_id  TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending', -- pending | delivered | dead
    attempts        INTEGER NOT NULL DEFAULT 0,
    due_at          INTEGER NOT NULL,             -- ms; next attempt not before
    lease_until     INTEGER NOT NULL DEFAULT 0,   -- ms; claimed by a drainer until
    coalesce_key    TEXT,                         -- rows sharing it go out as one batch
    first_at        INTEGER NOT NULL,             -- ms; when the row was written
    last_status     INTEGER,
    last_error      TEXT,
    delivered_at    INTEGER
);
CREATE INDEX deliveries_due ON deliveries (state, due_at);
CREATE INDEX deliveries_by_destination ON deliveries (destination_id, state, seq);
CREATE INDEX deliveries_by_event ON deliveries (event_id);
CREATE INDEX deliveries_coalesce ON deliveries (destination_id, coalesce_key)
    WHERE coalesce_key IS NOT NULL AND state = 'pending';

-- Every attempt, for the delivery log and the dead-letter view.
CREATE TABLE delivery_attempts (
    delivery_id     TEXT NOT NULL,
    attempt         INTEGER NOT NULL,
    started_at      INTEGER NOT NULL,
    duration_us     INTEGER NOT NULL,
    status          INTEGER,                      -- HTTP status; NULL when none
    error           TEXT,
    PRIMARY KEY (delivery_id, attempt)
);
