-- Direct threads between two staff members (issue 14, item 1). A direct thread has no bilan: its
-- members are kept in conversation_members, and `pair_key` (the two user ids in order, "a:b") lets the
-- unique index keep one thread per pair, whoever starts it and however many start it at once.
-- SQLite cannot change a CHECK in place: the table is rebuilt. Its children (messages, reads) keep
-- pointing at it by name; the foreign keys are checked at commit, once the rows are back.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE conversations_old AS SELECT id, kind, bilan_id, created_at, last_message_at FROM conversations;
DROP TABLE conversations;
CREATE TABLE conversations (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('bilan', 'direct')),
    bilan_id TEXT REFERENCES bilans (id),
    created_at TIMESTAMP NOT NULL,
    last_message_at TIMESTAMP,
    pair_key TEXT,
    CHECK ((kind = 'bilan') = (bilan_id IS NOT NULL)),
    CHECK ((kind = 'direct') = (pair_key IS NOT NULL))
);
INSERT INTO conversations (id, kind, bilan_id, created_at, last_message_at)
    SELECT id, kind, bilan_id, created_at, last_message_at FROM conversations_old;
DROP TABLE conversations_old;
CREATE UNIQUE INDEX conversations_bilan_idx ON conversations (bilan_id);
CREATE UNIQUE INDEX conversations_pair_idx ON conversations (pair_key);

-- The two members of a direct thread (a bilan's thread reads its people from the bilan instead).
CREATE TABLE conversation_members (
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_user_idx ON conversation_members (user_id);
