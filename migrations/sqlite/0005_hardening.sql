-- Hardening (issue 6).
--
-- Per-source abuse limits: a JSON object with body_bytes, rate_per_second,
-- burst, max_concurrent and allow_ips (CIDR list); a field left out takes the
-- server-wide default (`hookyard serve` flags).
ALTER TABLE sources ADD COLUMN limits TEXT NOT NULL DEFAULT '{}';

-- Source secrets, one row each, sealed with XChaCha20-Poly1305 under the
-- master key (`key_id` names which): `sealed` is the 24-byte nonce followed by
-- the ciphertext. Only `prefix` (a few first characters) is in clear. The
-- server moves secrets still in the old `sources.secrets` column here at
-- startup and leaves that column '[]'.
CREATE TABLE source_secrets (
    id          TEXT PRIMARY KEY,
    source_id   TEXT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    prefix      TEXT NOT NULL,
    key_id      TEXT NOT NULL,
    sealed      BLOB NOT NULL,
    created_at  INTEGER NOT NULL,             -- ms since the Unix epoch
    expires_at  INTEGER                       -- ms; NULL: never
);
CREATE INDEX source_secrets_by_source ON source_secrets (source_id, created_at);

-- Key rotation with a grace period: the previous key keeps working until
-- previous_key_expires_at (ms).
ALTER TABLE sources ADD COLUMN previous_key TEXT;
ALTER TABLE sources ADD COLUMN previous_key_expires_at INTEGER;
