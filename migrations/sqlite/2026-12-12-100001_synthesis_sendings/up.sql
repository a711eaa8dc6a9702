-- Sending the issued synthèse to the recipient the beneficiary named in a `share` agreement
-- (L6313-4): the only way bilan content leaves Boussole. The recipient has no account: a personal
-- link (its token stored only as its SHA-256) opens a download page, a one-time code (stored the same
-- way) sent to their address or mobile unlocks one download, then the link is spent. Wrong codes
-- count across codes: at `code_attempts` = 5 the link is locked. `is_cep` marks the recipient as the
-- CEP operator: a synthèse downloaded by them is kept apart for 3 years (R6313-7).
CREATE TABLE synthesis_sendings (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    document_id TEXT NOT NULL REFERENCES issued_documents (id),
    consent_id TEXT NOT NULL REFERENCES bilan_consents (id),
    recipient TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    is_cep BOOLEAN NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'downloaded', 'cancelled', 'revoked', 'locked')),
    token_hash TEXT NOT NULL UNIQUE,
    code_hash TEXT,
    code_channel TEXT,
    code_sent_at TIMESTAMP,
    code_attempts INTEGER NOT NULL DEFAULT 0,
    expires_at TIMESTAMP NOT NULL,
    sent_by TEXT NOT NULL REFERENCES users (id),
    sent_at TIMESTAMP NOT NULL,
    downloaded_at TIMESTAMP,
    ended_at TIMESTAMP
);
CREATE INDEX synthesis_sendings_bilan_idx ON synthesis_sendings (bilan_id, sent_at);
CREATE INDEX synthesis_sendings_document_idx ON synthesis_sendings (document_id);
CREATE INDEX synthesis_sendings_consent_idx ON synthesis_sendings (consent_id);
