ALTER TABLE api_keys DROP COLUMN last_used_ip;
ALTER TABLE api_keys DROP COLUMN expires_at;
DROP INDEX payers_external_ref;
ALTER TABLE payers DROP COLUMN external_ref;
DROP INDEX bilans_external_ref;
ALTER TABLE bilans DROP COLUMN external_ref;
DROP INDEX beneficiary_profiles_external_ref;
ALTER TABLE beneficiary_profiles DROP COLUMN external_ref;
