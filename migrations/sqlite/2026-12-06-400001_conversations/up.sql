-- Bilan conversations (issue 14, item 1). One thread per bilan (created on first use), between its
-- beneficiary and the consultants assigned now (who they are is read from bilan_consultants at each
-- request, never copied here, so an unassigned consultant loses the thread at once). `kind` leaves
-- room for the direct threads between staff members that come later (no bilan, no bilan key).
CREATE TABLE conversations (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('bilan')),
    bilan_id TEXT REFERENCES bilans (id),
    created_at TIMESTAMP NOT NULL,
    last_message_at TIMESTAMP
);
CREATE UNIQUE INDEX conversations_bilan_idx ON conversations (bilan_id);

-- A message's text is bilan content: encrypted under the bilan's key (`body`; NULL once withdrawn
-- or once the bilan's content is destroyed, R6313-7). `updated_at` moves at every change: the live
-- stream's event ids are made of it, so that a client reconnecting catches up from here.
CREATE TABLE conversation_messages (
    id TEXT PRIMARY KEY NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    author_id TEXT NOT NULL REFERENCES users (id),
    body BLOB,
    attachment_id TEXT REFERENCES bilan_files (id),
    created_at TIMESTAMP NOT NULL,
    edited_at TIMESTAMP,
    withdrawn_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX conversation_messages_idx ON conversation_messages (conversation_id, created_at, id);
CREATE INDEX conversation_messages_updated_idx ON conversation_messages (updated_at);

-- Each participant's place in a thread: read up to which message (a read receipt only moves forward),
-- and when they were last told by email (at most one email per thread per quarter of an hour).
CREATE TABLE conversation_reads (
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    read_up_to TIMESTAMP,
    read_message_id TEXT,
    notified_at TIMESTAMP,
    PRIMARY KEY (conversation_id, user_id)
);
