-- Bilans: the legal workflow, assignments, the facts its gates check, sessions (hours), consents,
-- encrypted consultant notes and the timeline.
CREATE TABLE bilans (
    id TEXT PRIMARY KEY NOT NULL,
    beneficiary_id TEXT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('request', 'preliminary', 'investigation', 'conclusion', 'completed', 'closed', 'abandoned')),
    funding TEXT NOT NULL CHECK (funding IN ('cpf', 'employer', 'reclassement', 'france_travail', 'self_funded', 'mixed')),
    format TEXT NOT NULL CHECK (format IN ('on_site', 'remote', 'mixed')),
    planned_minutes BIGINT NOT NULL,
    abandon_reason TEXT,
    status_changed_at TIMESTAMP NOT NULL,
    content_destroyed_at TIMESTAMP,
    retention_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX bilans_beneficiary_idx ON bilans (beneficiary_id);

-- The bilan's content key, wrapped under the master key; NULL once destroyed (crypto-shredding).
CREATE TABLE bilan_keys (
    bilan_id TEXT PRIMARY KEY NOT NULL REFERENCES bilans (id),
    wrapped BYTEA,
    destroyed_at TIMESTAMP
);

CREATE TABLE bilan_consultants (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    consultant_id TEXT NOT NULL REFERENCES users (id),
    assigned_by TEXT REFERENCES users (id),
    assigned_at TIMESTAMP NOT NULL,
    unassigned_at TIMESTAMP
);
CREATE INDEX bilan_consultants_idx ON bilan_consultants (consultant_id, bilan_id);

CREATE TABLE bilan_facts (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    kind TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX bilan_facts_idx ON bilan_facts (bilan_id, kind);

CREATE TABLE bilan_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    kind TEXT NOT NULL CHECK (kind IN ('accompaniment', 'personal_work')),
    phase TEXT NOT NULL CHECK (phase IN ('preliminary', 'investigation', 'conclusion')),
    mode TEXT NOT NULL CHECK (mode IN ('on_site', 'remote')),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    minutes BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX bilan_sessions_idx ON bilan_sessions (bilan_id, starts_at);

CREATE TABLE bilan_consents (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    kind TEXT NOT NULL CHECK (kind IN ('start', 'share', 'retention')),
    recipient TEXT,
    scope TEXT,
    retention_months BIGINT,
    statement TEXT NOT NULL,
    given_by TEXT NOT NULL REFERENCES users (id),
    given_at TIMESTAMP NOT NULL,
    ip TEXT,
    revoked_at TIMESTAMP
);
CREATE INDEX bilan_consents_idx ON bilan_consents (bilan_id);

CREATE TABLE bilan_notes (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    session_id TEXT REFERENCES bilan_sessions (id),
    phase TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id),
    shared_with_beneficiary BOOLEAN NOT NULL,
    body BYTEA,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX bilan_notes_idx ON bilan_notes (bilan_id, created_at);

-- The timeline. `content` rows concern bilan content (never shown to admins).
CREATE TABLE bilan_events (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    actor_id TEXT,
    details TEXT NOT NULL,
    content BOOLEAN NOT NULL
);
CREATE INDEX bilan_events_idx ON bilan_events (bilan_id, at);
