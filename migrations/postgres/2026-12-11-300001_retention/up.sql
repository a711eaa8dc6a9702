-- Retention and destruction (issue 12, item 4; DOMAIN.md §1.5 and §5.3). Each class of document has
-- its rule as data: how many months after the end of the action it is kept, and the bounds an admin
-- may move it within (the law's and the controls'). The destruction job deletes what has outlived
-- its rule and records every run that destroyed something, item by item (what, which bilan, which
-- rule, when — never the content), for the procès-verbal de destruction.
CREATE TABLE retention_rules (
    class TEXT PRIMARY KEY NOT NULL CHECK (class IN ('bilan_content', 'administrative_documents', 'synthesis_cep', 'follow_up_documents')),
    months_after_end BIGINT NOT NULL,
    min_months BIGINT NOT NULL,
    max_months BIGINT NOT NULL,
    label TEXT NOT NULL,
    basis TEXT NOT NULL,
    updated_by TEXT REFERENCES users (id),
    updated_at TIMESTAMP,
    CHECK (min_months <= months_after_end AND months_after_end <= max_months)
);
INSERT INTO retention_rules (class, months_after_end, min_months, max_months, label, basis) VALUES
    ('bilan_content', 0, 0, 0,
     'Contenu du bilan (réponses et résultats des tests, notes, fichiers, messages, copie de la synthèse)',
     'R6313-7 du Code du travail'),
    ('administrative_documents', 36, 36, 120,
     'Documents administratifs (conventions, contrats, feuilles d''émargement, certificats de réalisation, information préalable, consentements)',
     'Preuves de réalisation (L6362-6) pour les contrôles, alignées sur R6313-7 (notice du décret) ; certains financeurs demandent davantage'),
    ('synthesis_cep', 36, 1, 36,
     'Document de synthèse transmis au conseil en évolution professionnelle à la demande du bénéficiaire',
     'R6313-7 du Code du travail : 3 ans au plus'),
    ('follow_up_documents', 36, 1, 36,
     'Documents conservés pour le suivi avec l''accord écrit du bénéficiaire (dans la limite de la durée qu''il a acceptée)',
     'R6313-7 du Code du travail : 3 ans au plus');

CREATE TABLE destruction_runs (
    id TEXT PRIMARY KEY NOT NULL,
    ran_at TIMESTAMP NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('job', 'admin')),
    ran_by TEXT REFERENCES users (id),
    items BIGINT NOT NULL
);
CREATE INDEX destruction_runs_ran_at_idx ON destruction_runs (ran_at);

CREATE TABLE destruction_items (
    id TEXT PRIMARY KEY NOT NULL,
    run_id TEXT NOT NULL REFERENCES destruction_runs (id),
    position BIGINT NOT NULL,
    what TEXT NOT NULL,
    class TEXT NOT NULL,
    rule TEXT NOT NULL,
    bilan_reference TEXT,
    destroyed_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX destruction_items_run_idx ON destruction_items (run_id, position);

-- What a retention agreement keeps for follow-up, comma-separated (`synthese,results`); NULL for the
-- agreements given before it could name them: all the documents.
ALTER TABLE bilan_consents ADD COLUMN kept TEXT;
