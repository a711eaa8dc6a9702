-- The notification centre (issue 14, item 4). One row per notification shown in a person's list
-- (written only when they keep the in-app channel on). Texts are built by the server from what the
-- event is (a date, a person's name, a document's kind), never from bilan content, so nothing here
-- needs the bilan's key nor goes with its destruction.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    subject TEXT,
    link TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
-- The list (newest first), the unread count, and the live stream's catch-up all read by person.
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at, id);

-- A person's choice of channels for one kind; no row means the defaults (in app and email, no SMS).
CREATE TABLE notification_preferences (
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    in_app BOOLEAN NOT NULL,
    email BOOLEAN NOT NULL,
    sms BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, kind)
);
