-- A document's name is sealed under its bilan's key, and the hash kept is that of the stored
-- (encrypted) bytes: once the key is destroyed nothing names or identifies the document. Names written
-- in clear before are sealed, or blanked for destroyed bilans, by the server at start-up (only it holds
-- the keys); `name` is then ''.
ALTER TABLE bilan_files ADD COLUMN name_sealed BYTEA;
