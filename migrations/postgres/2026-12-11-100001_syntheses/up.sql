-- The document de synthèse of a bilan (issue 12, item 2), co-written before it is issued: one row per
-- bilan. Its sections are bilan content (L6313-4): one JSON document sealed under the bilan's key
-- (the bilan id is the associated data), so destroying that key (R6313-7) destroys them; the
-- destruction also empties `body`. `revision` grows by one at each save; a save names the revision
-- it edited and a stale one is refused (optimistic concurrency). `submitted_revision` and
-- `approved_revision` say which revision the beneficiary was shown and approved. Once issued,
-- `issued_document_id` names the PDF (issued_documents, kind 'synthese').
CREATE TABLE syntheses (
    bilan_id TEXT PRIMARY KEY NOT NULL REFERENCES bilans (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'issued')),
    revision BIGINT NOT NULL CHECK (revision >= 1),
    body BYTEA,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL,
    submitted_revision BIGINT,
    submitted_at TIMESTAMP,
    approved_revision BIGINT,
    approved_at TIMESTAMP,
    issued_document_id TEXT REFERENCES issued_documents (id),
    issued_at TIMESTAMP
);

-- Comments on the synthèse, by the beneficiary or an assigned consultant, on a section (its key) or
-- on the whole. The text is content: sealed under the bilan's key (the comment id is the associated
-- data), emptied by the destruction.
CREATE TABLE synthesis_comments (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    author_id TEXT NOT NULL REFERENCES users (id),
    author_role TEXT NOT NULL CHECK (author_role IN ('beneficiary', 'consultant')),
    section TEXT,
    body BYTEA,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX synthesis_comments_bilan_idx ON synthesis_comments (bilan_id, created_at);
