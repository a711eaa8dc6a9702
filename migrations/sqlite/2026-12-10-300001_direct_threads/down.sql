PRAGMA defer_foreign_keys = ON;
DROP TABLE conversation_members;
DELETE FROM conversation_reads WHERE conversation_id IN (SELECT id FROM conversations WHERE kind = 'direct');
DELETE FROM conversation_messages WHERE conversation_id IN (SELECT id FROM conversations WHERE kind = 'direct');
CREATE TABLE conversations_old AS SELECT id, kind, bilan_id, created_at, last_message_at FROM conversations WHERE kind = 'bilan';
DROP TABLE conversations;
CREATE TABLE conversations (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('bilan')),
    bilan_id TEXT REFERENCES bilans (id),
    created_at TIMESTAMP NOT NULL,
    last_message_at TIMESTAMP
);
INSERT INTO conversations SELECT id, kind, bilan_id, created_at, last_message_at FROM conversations_old;
DROP TABLE conversations_old;
CREATE UNIQUE INDEX conversations_bilan_idx ON conversations (bilan_id);
