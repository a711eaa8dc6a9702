-- Documents issued for a bilan (issue 12): certificat de réalisation, attendance sheet, pre-contract
-- information. Administrative proofs, not bilan content (R6313-7): the PDF is stored encrypted under a
-- key derived for issued documents (not the bilan's key, which dies with the content), and kept
-- after the action. A row is never updated: issuing the same kind again is the next version, and
-- the unique index makes two simultaneous issues take distinct numbers. `sha256` is the hash of the
-- PDF as handed out, which `GET /documents/verify` looks up.
CREATE TABLE issued_documents (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    kind TEXT NOT NULL CHECK (kind IN ('certificat_realisation', 'attendance_sheet', 'pre_contract_info')),
    version BIGINT NOT NULL CHECK (version >= 1),
    title TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    issued_by TEXT NOT NULL REFERENCES users (id),
    issued_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX issued_documents_version_idx ON issued_documents (bilan_id, kind, version);
CREATE INDEX issued_documents_sha256_idx ON issued_documents (sha256);
