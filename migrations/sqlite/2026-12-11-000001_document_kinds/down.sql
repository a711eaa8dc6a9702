PRAGMA defer_foreign_keys = ON;
DELETE FROM signature_signers WHERE request_id IN (SELECT id FROM signature_requests WHERE document_id IN (SELECT id FROM issued_documents WHERE kind IN ('synthese', 'consent', 'funder_convention', 'reglement_interieur')));
DELETE FROM signature_requests WHERE document_id IN (SELECT id FROM issued_documents WHERE kind IN ('synthese', 'consent', 'funder_convention', 'reglement_interieur'));
DELETE FROM issued_documents WHERE kind IN ('synthese', 'consent', 'funder_convention', 'reglement_interieur');
CREATE TABLE issued_documents_new (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    kind TEXT NOT NULL CHECK (kind IN ('certificat_realisation', 'attendance_sheet', 'pre_contract_info', 'tripartite_convention', 'individual_contract')),
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
