DROP TABLE signature_signers;
DROP TABLE signature_requests;
DELETE FROM issued_documents WHERE kind IN ('tripartite_convention', 'individual_contract');
