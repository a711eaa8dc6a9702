-- Direct threads between two staff members (issue 14, item 1). A direct thread has no bilan: its
-- members are kept in conversation_members, and `pair_key` (the two user ids in order, "a:b") lets the
-- unique index keep one thread per pair, whoever starts it and however many start it at once.
ALTER TABLE conversations DROP CONSTRAINT conversations_kind_check;
ALTER TABLE conversations ADD COLUMN pair_key TEXT;
ALTER TABLE conversations ADD CONSTRAINT conversations_kind_check CHECK (kind IN ('bilan', 'direct'));
ALTER TABLE conversations ADD CONSTRAINT conversations_bilan_shape CHECK ((kind = 'bilan') = (bilan_id IS NOT NULL));
ALTER TABLE conversations ADD CONSTRAINT conversations_pair_shape CHECK ((kind = 'direct') = (pair_key IS NOT NULL));
CREATE UNIQUE INDEX conversations_pair_idx ON conversations (pair_key);

-- The two members of a direct thread (a bilan's thread reads its people from the bilan instead).
CREATE TABLE conversation_members (
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_user_idx ON conversation_members (user_id);
