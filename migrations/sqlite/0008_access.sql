-- Named management API tokens, each limited to a scope. Only the SHA-256 of
-- a token is kept: tokens are ~240-bit random strings, so a fast hash is
-- enough (there is nothing to brute-force) and a lookup by digest reveals
-- nothing. A revoked token keeps its row, so the audit log's names resolve.
CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    scope       TEXT NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
    sha256      TEXT NOT NULL UNIQUE,             -- hex digest of the token
    prefix      TEXT NOT NULL,                    -- its first characters, to tell tokens apart
    created_at  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,                    -- the actor who created it
    revoked_at  INTEGER
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;

-- Every management change: each API call but GET/HEAD, allowed or refused.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,                 -- ms
    actor       TEXT NOT NULL,                    -- token name; `env` = HOOKYARD_ADMIN_TOKEN; `-` = no valid token
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    status      INTEGER NOT NULL,
    remote_ip   TEXT
);
