-- The keyed audit chain (version 2): entries carry their chain version and the keyed hash of the IP,
-- which the chain covers instead of the IP itself. The journal stays append-only, except that the
-- clear IP of a keyed entry may be replaced by the expiry marker after its retention period.
ALTER TABLE audit_log ADD COLUMN chain_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN ip_mac TEXT;
CREATE INDEX audit_log_at_idx ON audit_log (at);

DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OF seq, at, actor_kind, actor_id, action, entity_type,
    entity_id, details, prev_hash, hash, chain_version, ip_mac ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_ip_expiry BEFORE UPDATE OF ip ON audit_log
WHEN OLD.chain_version < 2 OR NEW.ip IS NOT 'expired'
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: only a keyed entry''s IP may expire'); END;
