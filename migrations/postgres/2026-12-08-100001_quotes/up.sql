-- Quotes (devis, issue 13 item 3): the offer sent before a bilan is sold, numbered `D-<year>-<n>`
-- from its own counter, its PDF issued at once and sealed like an invoice's. What it offers (buyer,
-- seller, lines, totals, PDF) never changes — a new offer is a new quote; only its answer moves it:
-- accepted (online by the beneficiary buyer, or a signed copy recorded by an admin), declined, then
-- invoiced. Administrative data, never bilan content.

CREATE TABLE quote_counters (
    year BIGINT PRIMARY KEY NOT NULL,
    last_seq BIGINT NOT NULL CHECK (last_seq >= 0)
);

CREATE TABLE quotes (
    id TEXT PRIMARY KEY NOT NULL,
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL CHECK (seq >= 1),
    number TEXT NOT NULL,
    bilan_id TEXT NOT NULL REFERENCES bilans (id),
    funding_id TEXT REFERENCES fundings (id),
    payer_id TEXT NOT NULL REFERENCES payers (id),
    buyer TEXT NOT NULL,
    buyer_user_id TEXT REFERENCES users (id),
    beneficiary_name TEXT NOT NULL,
    seller TEXT NOT NULL,
    issue_date DATE NOT NULL,
    valid_until DATE NOT NULL,
    lines TEXT NOT NULL,
    total_excl_vat_cents BIGINT NOT NULL,
    vat_rate_bp BIGINT NOT NULL CHECK (vat_rate_bp >= 0),
    vat_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL CHECK (total_cents > 0),
    vat_mention TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'invoiced')),
    acceptance_method TEXT CHECK (acceptance_method IN ('online', 'recorded')),
    signer_name TEXT,
    signer_role TEXT,
    signed_on DATE,
    accepted_at TIMESTAMP,
    accepted_by TEXT REFERENCES users (id),
    decline_reason TEXT,
    invoice_id TEXT REFERENCES invoices (id),
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    issued_by TEXT NOT NULL REFERENCES users (id),
    issued_at TIMESTAMP NOT NULL,
    CHECK (total_cents = total_excl_vat_cents + vat_cents),
    CHECK (valid_until >= issue_date),
    CHECK ((status IN ('accepted', 'invoiced')) = (acceptance_method IS NOT NULL AND signer_name IS NOT NULL
        AND signed_on IS NOT NULL AND accepted_at IS NOT NULL)),
    CHECK ((status = 'invoiced') = (invoice_id IS NOT NULL)),
    CHECK ((status = 'declined') = (decline_reason IS NOT NULL))
);
CREATE UNIQUE INDEX quotes_number_idx ON quotes (year, seq);
CREATE UNIQUE INDEX quotes_invoice_idx ON quotes (invoice_id);
CREATE INDEX quotes_bilan_idx ON quotes (bilan_id);
CREATE INDEX quotes_issue_date_idx ON quotes (issue_date);

-- What was offered never changes, nor is a quote deleted (its answer is the proof of the sale).
CREATE FUNCTION quotes_offer_fixed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'issued quotes are kept';
    END IF;
    IF (NEW.id, NEW.year, NEW.seq, NEW.number, NEW.bilan_id, NEW.funding_id, NEW.payer_id, NEW.buyer,
        NEW.seller, NEW.issue_date, NEW.valid_until, NEW.lines, NEW.total_excl_vat_cents, NEW.vat_rate_bp,
        NEW.vat_cents, NEW.total_cents, NEW.vat_mention, NEW.sha256, NEW.size, NEW.issued_by, NEW.issued_at)
       IS DISTINCT FROM
       (OLD.id, OLD.year, OLD.seq, OLD.number, OLD.bilan_id, OLD.funding_id, OLD.payer_id, OLD.buyer,
        OLD.seller, OLD.issue_date, OLD.valid_until, OLD.lines, OLD.total_excl_vat_cents, OLD.vat_rate_bp,
        OLD.vat_cents, OLD.total_cents, OLD.vat_mention, OLD.sha256, OLD.size, OLD.issued_by, OLD.issued_at) THEN
        RAISE EXCEPTION 'an issued quote''s offer never changes';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER quotes_offer_fixed BEFORE UPDATE ON quotes
FOR EACH ROW EXECUTE FUNCTION quotes_offer_fixed();
CREATE TRIGGER quotes_no_delete BEFORE DELETE ON quotes
FOR EACH ROW EXECUTE FUNCTION quotes_offer_fixed();
