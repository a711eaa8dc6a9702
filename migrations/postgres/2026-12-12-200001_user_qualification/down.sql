ALTER TABLE users DROP COLUMN qualification;
