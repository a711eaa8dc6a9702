ALTER TABLE bilan_files DROP COLUMN name_sealed;
