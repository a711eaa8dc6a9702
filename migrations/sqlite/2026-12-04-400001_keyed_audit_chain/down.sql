DROP TRIGGER audit_log_ip_expiry;
DROP TRIGGER audit_log_no_update;
DROP INDEX audit_log_at_idx;
ALTER TABLE audit_log DROP COLUMN ip_mac;
ALTER TABLE audit_log DROP COLUMN chain_version;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
