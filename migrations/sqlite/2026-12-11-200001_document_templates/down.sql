DROP TABLE document_templates;
