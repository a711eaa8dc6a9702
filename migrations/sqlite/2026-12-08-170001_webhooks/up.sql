-- Webhooks (issue 15): endpoints a CRM registers, the events they subscribe to, and the deliveries
-- sent by a job like the outbox's (claimed pending → sending before the POST, so two processes never
-- send one twice; one left `sending` by a stopped process is marked failed, never resent by itself).

-- `events`: JSON array of event kinds. `secret`: the signing secret sealed under a key derived from
-- the master key (`v1:` + base64), bound to the endpoint's id.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY NOT NULL,
    url TEXT NOT NULL,
    description TEXT,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    disabled_reason TEXT,
    consecutive_failures BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    last_delivery_at TIMESTAMP
);

-- `payload`: the JSON body exactly as POSTed (`id`, `type`, `created_at`, `data`: ids and
-- administrative facts, never content), the same bytes on every attempt and replay.
CREATE TABLE webhook_events (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- `attempts`: JSON array of {at, status_code, error, duration_ms}, oldest first.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id),
    event_id TEXT NOT NULL REFERENCES webhook_events (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
    attempts TEXT NOT NULL,
    attempt_count BIGINT NOT NULL,
    next_attempt_at TIMESTAMP,
    claimed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP,
    replay_of TEXT REFERENCES webhook_deliveries (id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
