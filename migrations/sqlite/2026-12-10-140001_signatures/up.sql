-- The documents the parties sign: the tripartite convention (R6313-8) and the individual contract
-- of a self-funded beneficiary (L6353-4). SQLite cannot change a CHECK: the table is rebuilt with
-- the same rows (nothing references it yet).
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

-- Electronic signature (issue 12, item 3). A request asks the signers of one issued document to sign
-- it, in `position` order; at most one is pending per document. Each signer has a personal link whose
-- token is stored only as its SHA-256 (a copy of the database cannot sign), a one-time code stored
-- the same way, and once signed the evidence: time, IP, user agent, the exact consent wording and the
-- identity checks done. When the last one signs, the signed PDF (the document followed by an evidence
-- page) is stored and its hash kept in `signed_sha256`, which `GET /documents/verify` looks up.
CREATE TABLE signature_requests (
    id TEXT PRIMARY KEY NOT NULL,
    document_id TEXT NOT NULL REFERENCES issued_documents (id),
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'cancelled', 'expired', 'refused_by_silence')),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    answer_by TIMESTAMP,
    ended_at TIMESTAMP,
    signed_sha256 TEXT,
    signed_size BIGINT
);
CREATE UNIQUE INDEX signature_requests_pending_idx ON signature_requests (document_id) WHERE status = 'pending';
CREATE INDEX signature_requests_signed_idx ON signature_requests (signed_sha256);

CREATE TABLE signature_signers (
    id TEXT PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL REFERENCES signature_requests (id),
    position INTEGER NOT NULL CHECK (position >= 1),
    role TEXT NOT NULL CHECK (role IN ('beneficiary', 'organisation', 'employer')),
    user_id TEXT REFERENCES users (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    invited_at TIMESTAMP,
    reminded_at TIMESTAMP,
    code_hash TEXT,
    code_channel TEXT,
    code_sent_at TIMESTAMP,
    code_attempts INTEGER NOT NULL DEFAULT 0,
    signed_at TIMESTAMP,
    ip TEXT,
    user_agent TEXT,
    consent_text TEXT,
    identity_checks TEXT,
    UNIQUE (request_id, position)
);
