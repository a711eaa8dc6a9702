-- Documents uploaded on a bilan: the bytes live in storage, encrypted under the bilan's key;
-- the SHA-256 of the original proves integrity.
CREATE TABLE bilan_files (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    destroyed_at TIMESTAMP
);
CREATE INDEX bilan_files_idx ON bilan_files (bilan_id, created_at);
