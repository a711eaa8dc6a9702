-- The rest of issue 12's documents: the document de synthèse (content, L6313-4), the consent to start
-- with the GDPR notice (L6313-4), the funder's convention (D6353-1) and the règlement intérieur the
-- beneficiary acknowledges (L6352-3), declared together once.
ALTER TABLE issued_documents DROP CONSTRAINT issued_documents_kind_check;
ALTER TABLE issued_documents ADD CONSTRAINT issued_documents_kind_check CHECK (kind IN (
    'certificat_realisation', 'attendance_sheet', 'pre_contract_info', 'tripartite_convention', 'individual_contract',
    'synthese', 'consent', 'funder_convention', 'reglement_interieur'));
