-- Wrapping keys (key-encryption keys): their material lives in files of the key folder, outside the
-- database and its backups; the database keeps their ids and dates. Each bilan key says which one
-- wraps it (NULL: the master key, as before).
CREATE TABLE wrapping_keys (
    id TEXT PRIMARY KEY NOT NULL,
    created_at TIMESTAMP NOT NULL,
    retired_at TIMESTAMP,
    destroyed_at TIMESTAMP
);
ALTER TABLE bilan_keys ADD COLUMN wrapping_key_id TEXT REFERENCES wrapping_keys (id);
