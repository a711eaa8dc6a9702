-- Answers kept for `Idempotency-Key` retries (issue 15), 24 hours. `status` and `body` stay NULL while
-- the first request runs; `body` is sealed under a key derived from the master key.
CREATE TABLE idempotency_keys (
    principal TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    location TEXT,
    body BLOB,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
CREATE INDEX idempotency_keys_path ON idempotency_keys (path);
