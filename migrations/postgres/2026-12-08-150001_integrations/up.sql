-- Integrations (issue 15): the CRM's own id on the records it creates, so that it never has to keep
-- Boussole's ids; each unique per kind of record (several NULLs are allowed on both databases).
ALTER TABLE beneficiary_profiles ADD COLUMN external_ref TEXT;
CREATE UNIQUE INDEX beneficiary_profiles_external_ref ON beneficiary_profiles (external_ref);
ALTER TABLE bilans ADD COLUMN external_ref TEXT;
CREATE UNIQUE INDEX bilans_external_ref ON bilans (external_ref);
ALTER TABLE payers ADD COLUMN external_ref TEXT;
CREATE UNIQUE INDEX payers_external_ref ON payers (external_ref);
-- API keys can expire, and show where they were last used from (the IP is replaced like the others
-- after the IP retention period).
ALTER TABLE api_keys ADD COLUMN expires_at TIMESTAMP;
ALTER TABLE api_keys ADD COLUMN last_used_ip TEXT;
