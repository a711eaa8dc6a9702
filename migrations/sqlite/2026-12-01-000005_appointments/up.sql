-- Appointments (issue #5): availability, bookings guarded against double booking by the database,
-- attendance, video evidence, calendar feeds and the outbox of messages. Also the bilan's planned end
-- (portfolio deadline alerts) and the SMS opt-in.
ALTER TABLE bilans ADD COLUMN planned_end_on DATE;
ALTER TABLE users ADD COLUMN sms_reminders BOOLEAN NOT NULL DEFAULT FALSE;

-- A consultant's whole availability document (rules, exceptions, types), read whole to compute slots.
CREATE TABLE availabilities (
    consultant_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    document TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE appointments (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    consultant_id TEXT NOT NULL REFERENCES users (id),
    beneficiary_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('information', 'bilan_session', 'follow_up')),
    mode TEXT NOT NULL CHECK (mode IN ('on_site', 'remote')),
    place TEXT,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    buffer_minutes BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('booked', 'held', 'cancelled', 'no_show')),
    room TEXT,
    attendance_secret TEXT NOT NULL,
    absent TEXT CHECK (absent IN ('beneficiary', 'consultant', 'both')),
    session_id TEXT REFERENCES bilan_sessions (id),
    booked_by TEXT NOT NULL REFERENCES users (id),
    cancelled_at TIMESTAMP,
    cancel_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX appointments_consultant_idx ON appointments (consultant_id, starts_at);
CREATE INDEX appointments_beneficiary_idx ON appointments (beneficiary_id, starts_at);
CREATE INDEX appointments_bilan_idx ON appointments (bilan_id);

-- The guarantee against double booking: a live appointment holds one row per 5-minute cell (cell =
-- minutes since the Unix epoch / 5) for its consultant (its time and buffer) and for its beneficiary
-- (its time); the primary key refuses a second holder on both databases, whatever the concurrency.
CREATE TABLE appointment_cells (
    holder_id TEXT NOT NULL REFERENCES users (id),
    cell BIGINT NOT NULL,
    appointment_id TEXT NOT NULL REFERENCES appointments (id),
    PRIMARY KEY (holder_id, cell)
);
CREATE INDEX appointment_cells_appointment_idx ON appointment_cells (appointment_id);

-- Émargement: one signature per party, with the auth session it was given from.
CREATE TABLE attendance_signatures (
    id TEXT PRIMARY KEY NOT NULL,
    appointment_id TEXT NOT NULL REFERENCES appointments (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    party TEXT NOT NULL CHECK (party IN ('beneficiary', 'consultant')),
    method TEXT NOT NULL CHECK (method IN ('click', 'code')),
    signed_at TIMESTAMP NOT NULL,
    ip TEXT,
    session_id TEXT NOT NULL,
    UNIQUE (appointment_id, user_id)
);

CREATE TABLE video_events (
    id TEXT PRIMARY KEY NOT NULL,
    appointment_id TEXT NOT NULL REFERENCES appointments (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    event TEXT NOT NULL CHECK (event IN ('join', 'leave')),
    at TIMESTAMP NOT NULL,
    ip TEXT
);
CREATE INDEX video_events_idx ON video_events (appointment_id, at);

-- Secret calendar feed URLs: only the SHA-256 of the token is kept.
CREATE TABLE calendar_feeds (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

-- Messages to send, written in the same transaction as the change that causes them.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    ics TEXT,
    appointment_id TEXT REFERENCES appointments (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts BIGINT NOT NULL,
    not_before TIMESTAMP NOT NULL,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due_idx ON outbox (status, not_before);
CREATE INDEX outbox_appointment_idx ON outbox (appointment_id);
