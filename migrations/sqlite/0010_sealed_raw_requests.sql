-- Raw requests are kept sealed (XChaCha20-Poly1305 under the master key,
-- bound to the request id), not redacted: reprocessing verifies exactly what
-- the vendor sent, secrets in it included, and nothing of it is in clear at
-- rest. `headers` and `body` held the redacted copies of earlier versions;
-- the server seals those at start and leaves the columns empty.
ALTER TABLE requests ADD COLUMN raw_key_id TEXT;
ALTER TABLE requests ADD COLUMN raw_sealed BLOB;
-- A verified request the adapter could not read (outcome `unreadable`) is
-- kept for reprocessing too.
DROP INDEX requests_quarantine;
CREATE INDEX requests_quarantine ON requests (source_id, received_at)
    WHERE outcome IN ('adapter_failed', 'unreadable') AND reprocessed_at IS NULL;
DROP INDEX requests_raw_by_age;
CREATE INDEX requests_raw_by_age ON requests (received_at) WHERE raw_sealed IS NOT NULL;
