-- The shared resources library (issue 14, item 5; Qualiopi indicator 19): links and files that staff
-- curate for every beneficiary (`audience` 'all') or for those they share them with ('shared').
-- A file is stored encrypted (storage key `resources/{id}/{file_id}`, a key derived from the master
-- key, bound to `file_id`); `sha256` is the hash of the stored bytes, checked at each download.
-- Resources are organisation material, not bilan content; nothing is deleted: `archived_at`.
CREATE TABLE resources (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('link', 'file')),
    audience TEXT NOT NULL CHECK (audience IN ('all', 'shared')),
    url TEXT,
    file_id TEXT,
    file_name TEXT,
    content_type TEXT,
    size BIGINT,
    sha256 TEXT,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    archived_at TIMESTAMP,
    -- Title, description and tags lower-cased in Rust (SQLite's lower() leaves accents alone), for `?q=`.
    search TEXT NOT NULL,
    CHECK ((kind = 'link') = (url IS NOT NULL)),
    CHECK (kind = 'file' OR file_id IS NULL)
);
CREATE INDEX resources_created_idx ON resources (created_at, id);

-- Free labels, one row each, so that filtering by one is an exact match.
CREATE TABLE resource_tags (
    resource_id TEXT NOT NULL REFERENCES resources (id),
    tag TEXT NOT NULL,
    PRIMARY KEY (resource_id, tag)
);
CREATE INDEX resource_tags_tag_idx ON resource_tags (tag);

-- Who a resource is shared with, by whom and when (one row per beneficiary; sharing again keeps it).
CREATE TABLE resource_shares (
    resource_id TEXT NOT NULL REFERENCES resources (id),
    beneficiary_id TEXT NOT NULL REFERENCES users (id),
    shared_by TEXT NOT NULL REFERENCES users (id),
    shared_at TIMESTAMP NOT NULL,
    PRIMARY KEY (resource_id, beneficiary_id)
);
CREATE INDEX resource_shares_beneficiary_idx ON resource_shares (beneficiary_id);

-- Each time a beneficiary opened a resource (a link followed, a file downloaded): the evidence of
-- which resources each beneficiary used. Append-only.
CREATE TABLE resource_accesses (
    id TEXT PRIMARY KEY NOT NULL,
    resource_id TEXT NOT NULL REFERENCES resources (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    at TIMESTAMP NOT NULL
);
CREATE INDEX resource_accesses_resource_idx ON resource_accesses (resource_id, at);
CREATE INDEX resource_accesses_user_idx ON resource_accesses (user_id, at);
