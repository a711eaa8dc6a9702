-- Money (issue 13): the payer directory, the funding lines of a bilan, issued invoices and credit
-- notes, their gapless numbering, and payments. Administrative data, never bilan content: it is kept
-- after the content is destroyed (C. com. L123-22: ten years for accounting records). Amounts are
-- integer euro cents.

-- Who pays: a company, an OPCO, France Travail, the Caisse des Dépôts, or the beneficiary (then
-- `user_id` names their account, so that they see their own invoices).
CREATE TABLE payers (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('company', 'opco', 'france_travail', 'cdc', 'beneficiary')),
    name TEXT NOT NULL,
    siret TEXT,
    vat_number TEXT,
    address TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    email TEXT NOT NULL,
    user_id TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX payers_name_idx ON payers (name);

-- One funder's share of a bilan. `paid` is set by the payments, never by hand.
CREATE TABLE fundings (
    id TEXT PRIMARY KEY NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    payer_id TEXT NOT NULL REFERENCES payers (id),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0 AND amount_cents <= 100000000),
    agreement_number TEXT,
    agreement_date DATE,
    status TEXT NOT NULL CHECK (status IN ('requested', 'agreed', 'refused', 'paid')),
    subrogation BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX fundings_bilan_idx ON fundings (bilan_id);

-- The last number given in each series (F invoices, A credit notes) and year. Taken by an UPDATE in
-- the issuing transaction: the row lock (PostgreSQL) or the write lock (SQLite, BEGIN IMMEDIATE)
-- orders concurrent issues, and a rolled-back issue gives its number back, so the sequence has no gap.
CREATE TABLE invoice_counters (
    series TEXT NOT NULL CHECK (series IN ('F', 'A')),
    year BIGINT NOT NULL,
    last_seq BIGINT NOT NULL CHECK (last_seq >= 0),
    PRIMARY KEY (series, year)
);

-- An issued invoice or credit note: never updated nor deleted (the triggers below). The buyer and the
-- seller (JSON: the payer and the organisation's identity as they were) and the wording printed are
-- snapshots, so the row alone says what the PDF says (and what the exports and Factur-X read); the
-- buyer's name and account are columns too, for the filters. The PDF is stored encrypted like issued documents, with its SHA-256.
CREATE TABLE invoices (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    series TEXT NOT NULL CHECK (series IN ('F', 'A')),
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL CHECK (seq >= 1),
    number TEXT NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    funding_id TEXT REFERENCES fundings (id),
    corrects_invoice_id TEXT REFERENCES invoices (id),
    payer_id TEXT NOT NULL REFERENCES payers (id),
    buyer TEXT NOT NULL,
    buyer_name TEXT NOT NULL,
    buyer_user_id TEXT REFERENCES users (id),
    beneficiary_name TEXT NOT NULL,
    seller TEXT NOT NULL,
    issue_date DATE NOT NULL,
    due_date DATE NOT NULL,
    service_from DATE,
    service_to DATE,
    lines TEXT NOT NULL,
    total_excl_vat_cents BIGINT NOT NULL,
    vat_rate_bp BIGINT NOT NULL CHECK (vat_rate_bp >= 0),
    vat_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL,
    vat_mention TEXT,
    purchase_order TEXT,
    late_penalty_rate TEXT NOT NULL,
    reason TEXT,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    issued_by TEXT NOT NULL REFERENCES users (id),
    issued_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'invoice' AND series = 'F' AND total_cents > 0 AND corrects_invoice_id IS NULL)
        OR (kind = 'credit_note' AND series = 'A' AND total_cents < 0 AND corrects_invoice_id IS NOT NULL)),
    CHECK (total_cents = total_excl_vat_cents + vat_cents)
);
CREATE UNIQUE INDEX invoices_number_idx ON invoices (series, year, seq);
CREATE INDEX invoices_bilan_idx ON invoices (bilan_id);
CREATE INDEX invoices_issue_date_idx ON invoices (issue_date);
CREATE INDEX invoices_corrects_idx ON invoices (corrects_invoice_id);

-- A payment received on an invoice; never updated nor deleted (a mistake is corrected by the
-- accountant, outside; the audit journal keeps who recorded what).
CREATE TABLE payments (
    id TEXT PRIMARY KEY NOT NULL,
    invoice_id TEXT NOT NULL REFERENCES invoices (id),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0 AND amount_cents <= 100000000),
    method TEXT NOT NULL CHECK (method IN ('transfer', 'card', 'cheque', 'cash', 'direct_debit')),
    paid_on DATE NOT NULL,
    reference TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX payments_invoice_idx ON payments (invoice_id);
CREATE INDEX payments_paid_on_idx ON payments (paid_on);

-- The reminders sent for an overdue invoice (through the outbox), one row per level (1: the day after
-- the due date, 2: two weeks later, 3: a month later): the primary key lets one process send each.
CREATE TABLE invoice_reminders (
    invoice_id TEXT NOT NULL REFERENCES invoices (id),
    level BIGINT NOT NULL CHECK (level BETWEEN 1 AND 3),
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (invoice_id, level)
);

-- An issued invoice never changes (C. com. L441-9; corrections are credit notes), nor a payment.
CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices
BEGIN SELECT RAISE(ABORT, 'issued invoices never change'); END;
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices
BEGIN SELECT RAISE(ABORT, 'issued invoices never change'); END;
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'recorded payments never change'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'recorded payments never change'); END;
