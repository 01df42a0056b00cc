-- Reprocessing (issue 5). A request the adapter failed on (outcome
-- adapter_failed, raw request kept) is quarantined until `hookyard reprocess`
-- runs it through the current adapter and it no longer fails; then the row
-- records when, and the request-log id of that run.
ALTER TABLE requests ADD COLUMN reprocessed_at INTEGER;   -- ms since the Unix epoch
ALTER TABLE requests ADD COLUMN reprocessed_as TEXT;
CREATE INDEX requests_quarantine ON requests (source_id, received_at)
    WHERE outcome = 'adapter_failed' AND reprocessed_at IS NULL;
-- Raw copies older than the retention setting are dropped oldest first.
CREATE INDEX requests_raw_by_age ON requests (received_at) WHERE body IS NOT NULL;

-- Version pinning: the adapter version a source stays on; NULL follows the
-- latest version in the plugins directory.
ALTER TABLE sources ADD COLUMN adapter_version TEXT;

-- Shadow mode: where a candidate version, run beside the live one on real
-- traffic, decided differently. `live` and `shadow` are JSON summaries of the
-- two verdicts (verdict, event types, dedup ids, mapped data).
CREATE TABLE shadow_diffs (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    plugin          TEXT NOT NULL,
    live_version    TEXT NOT NULL,
    live_hash       TEXT NOT NULL,
    shadow_version  TEXT NOT NULL,
    shadow_hash     TEXT NOT NULL,
    source_id       TEXT NOT NULL,
    request_id      TEXT NOT NULL,
    recorded_at     INTEGER NOT NULL,
    differs         TEXT NOT NULL,   -- verdict | types | data
    live            TEXT NOT NULL,
    shadow          TEXT NOT NULL
);
CREATE INDEX shadow_diffs_by_plugin ON shadow_diffs (plugin, shadow_hash, seq);

-- Adapters uploaded through the API (PUT /api/v1/plugins/{name}). Every server
-- on this database writes the newest upload of each adapter into its plugins
-- directory as <name>.wasm, where the usual validation and swap take over.
CREATE TABLE plugin_uploads (
    name         TEXT PRIMARY KEY,
    hash         TEXT NOT NULL,
    wasm         BLOB NOT NULL,
    uploaded_at  INTEGER NOT NULL
);
