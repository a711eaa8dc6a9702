-- The rest of issue 12's documents: the document de synthèse (content, L6313-4), the consent to start
-- with the GDPR notice (L6313-4), the funder's convention (D6353-1) and the règlement intérieur the
-- beneficiary acknowledges (L6352-3). Declared together, once, so that the features adding them do not
-- each rebuild the table. SQLite cannot change a CHECK: the table is rebuilt with the same rows; the
-- signature requests reference it, so their keys are checked at commit, once it is back.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE issued_documents_new (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    kind TEXT NOT NULL CHECK (kind IN ('certificat_realisation', 'attendance_sheet', 'pre_contract_info', 'tripartite_convention', 'individual_contract', 'synthese', 'consent', 'funder_convention', 'reglement_interieur')),
    version BIGINT NOT NULL CHECK (version >= 1),
    title TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    issued_by TEXT NOT NULL REFERENCES users (id),
    issued_at TIMESTAMP NOT NULL
);
INSERT INTO issued_documents_new SELECT id, bilan_id, kind, version, title, sha256, size, issued_by, issued_at FROM issued_documents;
DROP TABLE issued_documents;
ALTER TABLE issued_documents_new RENAME TO issued_documents;
CREATE UNIQUE INDEX issued_documents_version_idx ON issued_documents (bilan_id, kind, version);
CREATE INDEX issued_documents_sha256_idx ON issued_documents (sha256);
