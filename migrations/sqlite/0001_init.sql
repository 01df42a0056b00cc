-- Sources: one webhook endpoint each, bound to an adapter preset.
CREATE TABLE sources (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    preset      TEXT NOT NULL,
    plugin      TEXT NOT NULL,
    key         TEXT NOT NULL UNIQUE,
    secrets     TEXT NOT NULL DEFAULT '[]',   -- JSON array, newest first
    settings    TEXT NOT NULL DEFAULT '{}',   -- JSON object
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,             -- ms since the Unix epoch
    updated_at  INTEGER NOT NULL
);

-- Every request that reached /webhooks, with its outcome. The raw request
-- (headers and body) is kept for accepted requests and for those the adapter
-- failed on, so they can be processed again.
CREATE TABLE requests (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    source_id       TEXT,
    received_at     INTEGER NOT NULL,
    method          TEXT NOT NULL,
    path            TEXT NOT NULL,
    query           TEXT NOT NULL DEFAULT '',
    remote_ip       TEXT,
    user_agent      TEXT,
    outcome         TEXT NOT NULL,
    reason          TEXT,
    status          INTEGER NOT NULL,
    latency_us      INTEGER NOT NULL,
    plugin          TEXT,
    plugin_version  TEXT,
    plugin_hash     TEXT,
    event_count     INTEGER NOT NULL DEFAULT 0,
    headers         TEXT,                     -- JSON array of [name, value]
    body            BLOB
);
CREATE INDEX requests_by_source ON requests (source_id, seq);
CREATE INDEX requests_by_outcome ON requests (outcome, seq);

-- Verified events; (source_id, dedup_id) is the deduplication key.
CREATE TABLE events (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    source_id       TEXT NOT NULL,
    type            TEXT NOT NULL,
    dedup_id        TEXT NOT NULL,
    subject         TEXT,
    occurred_at     INTEGER,
    received_at     INTEGER NOT NULL,
    plugin          TEXT NOT NULL,
    plugin_version  TEXT NOT NULL,
    plugin_hash     TEXT NOT NULL,
    request_id      TEXT NOT NULL,
    data            TEXT NOT NULL,
    UNIQUE (source_id, dedup_id)
);
CREATE INDEX events_by_type ON events (type, seq);
