ALTER TABLE bilan_keys DROP COLUMN wrapping_key_id;
DROP TABLE wrapping_keys;
