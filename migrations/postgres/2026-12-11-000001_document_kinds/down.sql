DELETE FROM signature_signers WHERE request_id IN (SELECT id FROM signature_requests WHERE document_id IN (SELECT id FROM issued_documents WHERE kind IN ('synthese', 'consent', 'funder_convention', 'reglement_interieur')));
DELETE FROM signature_requests WHERE document_id IN (SELECT id FROM issued_documents WHERE kind IN ('synthese', 'consent', 'funder_convention', 'reglement_interieur'));
DELETE FROM issued_documents WHERE kind IN ('synthese', 'consent', 'funder_convention', 'reglement_interieur');
ALTER TABLE issued_documents DROP CONSTRAINT issued_documents_kind_check;
ALTER TABLE issued_documents ADD CONSTRAINT issued_documents_kind_check CHECK (kind IN (
    'certificat_realisation', 'attendance_sheet', 'pre_contract_info', 'tripartite_convention', 'individual_contract'));
