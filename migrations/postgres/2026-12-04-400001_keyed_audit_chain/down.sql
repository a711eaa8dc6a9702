DROP TRIGGER audit_log_ip_expiry ON audit_log;
DROP TRIGGER audit_log_no_update ON audit_log;
DROP TRIGGER audit_log_no_delete ON audit_log;
DROP INDEX audit_log_at_idx;
ALTER TABLE audit_log DROP COLUMN ip_mac;
ALTER TABLE audit_log DROP COLUMN chain_version;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
