ALTER TABLE bilan_consents DROP COLUMN kept;
DROP TABLE destruction_items;
DROP TABLE destruction_runs;
DROP TABLE retention_rules;
