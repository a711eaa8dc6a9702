-- The editable paragraphs of each kind of document (issue 12, item 2), versioned: every save is a new
-- row, never updated, so that the wording of any version stays readable. Version 0, the built-in
-- wording, lives in the code and has no row. `sections` is a JSON array of {key, text}.
CREATE TABLE document_templates (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 1),
    sections TEXT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);
-- Two saves of the same version: the second one is refused (409).
CREATE UNIQUE INDEX document_templates_version_idx ON document_templates (kind, version);
