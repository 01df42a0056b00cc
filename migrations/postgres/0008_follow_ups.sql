-- Follow-up calls an adapter asked for (contract 0.2: SNS SubscribeURL),
-- made by the server once the request's events are stored. The call itself
-- (method, URL, headers, body) is sealed under the master key, bound to the
-- row's id: a confirmation URL is a credential. `url_shown` is the URL
-- without its query, for the API.
CREATE TABLE follow_ups (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL,
    source_id TEXT NOT NULL,
    url_shown TEXT NOT NULL,
    key_id TEXT NOT NULL,
    sealed BYTEA NOT NULL,
    -- pending, done, failed (attempts used up), refused (origin not allowed)
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    due_at BIGINT NOT NULL,
    last_status BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX follow_ups_due ON follow_ups (due_at) WHERE state = 'pending';
CREATE INDEX follow_ups_request ON follow_ups (request_id);
