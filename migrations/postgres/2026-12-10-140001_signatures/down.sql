DROP TABLE signature_signers;
DROP TABLE signature_requests;
DELETE FROM issued_documents WHERE kind IN ('tripartite_convention', 'individual_contract');
ALTER TABLE issued_documents DROP CONSTRAINT issued_documents_kind_check;
ALTER TABLE issued_documents ADD CONSTRAINT issued_documents_kind_check CHECK (kind IN (
    'certificat_realisation', 'attendance_sheet', 'pre_contract_info'));
