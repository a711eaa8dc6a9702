//! The audit journal: every change made through the API appends who, what, which record, when and from
//! which IP, in the same transaction as the change. Rows are chained by SHA-256 (each hash covers the
//! previous one), the table refuses UPDATE and DELETE (triggers), and `verify_chain` recomputes it all.
//! The journal knows nothing of HTTP: callers build an [`Actor`] on their side (`CurrentUser::actor`);
//! the routes that read it are in `routes`.

mod routes;
pub use routes::routes;

use boussole_shared::audit::{AuditEntry, AuditVerification};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::{self, Conn};
use crate::schema::audit_log;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who acted.
#[derive(Debug, Clone)]
pub struct Actor {
    pub kind: &'static str,
    pub id: Option<String>,
    pub ip: Option<String>,
}

impl Actor {
    pub fn user(id: &str, ip: Option<String>) -> Actor {
        Actor {
            kind: "user",
            id: Some(id.to_string()),
            ip,
        }
    }
    pub fn api_key(id: &str, ip: Option<String>) -> Actor {
        Actor {
            kind: "api_key",
            id: Some(id.to_string()),
            ip,
        }
    }
    /// Someone not logged in (sign-up, password reset) or the command line.
    pub fn anonymous(ip: Option<String>) -> Actor {
        Actor {
            kind: "anonymous",
            id: None,
            ip,
        }
    }
    pub fn system() -> Actor {
        Actor {
            kind: "system",
            id: None,
            ip: None,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub ip: Option<String>,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRow {
    /// The hash covers every column but itself, in a JSON array (unambiguous, whatever the values hold).
    pub fn compute_hash(&self) -> String {
        let canonical = serde_json::json!([
            self.prev_hash,
            self.seq,
            self.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
            self.actor_kind,
            self.actor_id,
            self.action,
            self.entity_type,
            self.entity_id,
            self.ip,
            self.details,
        ]);
        hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
    }
}

impl From<AuditRow> for AuditEntry {
    fn from(row: AuditRow) -> AuditEntry {
        AuditEntry {
            seq: row.seq,
            at: row.at.and_utc(),
            actor_kind: row.actor_kind,
            actor_id: row.actor_id.and_then(|s| uuid::Uuid::parse_str(&s).ok()),
            action: row.action,
            entity_type: row.entity_type,
            entity_id: row.entity_id,
            ip: row.ip,
            details: serde_json::from_str(&row.details).unwrap_or(serde_json::Value::Null),
            hash: row.hash,
        }
    }
}

/// Appends one entry. Call it inside the transaction that makes the change (`db::tx`).
pub fn record(
    conn: &mut Conn,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: Option<&str>,
    details: serde_json::Value,
) -> QueryResult<()> {
    if db::is_postgres(conn) {
        // Writers queue here, so each reads the true last entry; SQLite's single writer does the same.
        diesel::sql_query("SELECT pg_advisory_xact_lock(7274626)").execute(conn)?;
    }
    let last: Option<(i64, String)> = audit_log::table
        .order(audit_log::seq.desc())
        .select((audit_log::seq, audit_log::hash))
        .first(conn)
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let mut row = AuditRow {
        seq,
        at: db::now(),
        actor_kind: actor.kind.to_string(),
        actor_id: actor.id.clone(),
        action: action.to_string(),
        entity_type: entity_type.to_string(),
        entity_id: entity_id.map(str::to_string),
        ip: actor.ip.clone(),
        details: details.to_string(),
        prev_hash,
        hash: String::new(),
    };
    row.hash = row.compute_hash();
    diesel::insert_into(audit_log::table)
        .values(&row)
        .execute(conn)?;
    Ok(())
}

/// Recomputes the whole chain, in batches so that a million entries do not sit in memory.
pub fn verify_chain(conn: &mut Conn) -> QueryResult<AuditVerification> {
    const BATCH: i64 = 10_000;
    let mut expected_prev = GENESIS.to_string();
    let mut expected_seq = 1i64;
    let mut checked = 0i64;
    loop {
        let rows: Vec<AuditRow> = audit_log::table
            .filter(audit_log::seq.ge(expected_seq))
            .order(audit_log::seq.asc())
            .limit(BATCH)
            .select(AuditRow::as_select())
            .load(conn)?;
        let done = (rows.len() as i64) < BATCH;
        for row in rows {
            if row.seq != expected_seq
                || row.prev_hash != expected_prev
                || row.compute_hash() != row.hash
            {
                return Ok(AuditVerification {
                    valid: false,
                    checked,
                    first_invalid_seq: Some(expected_seq),
                });
            }
            checked += 1;
            expected_seq += 1;
            expected_prev = row.hash;
        }
        if done {
            return Ok(AuditVerification {
                valid: true,
                checked,
                first_invalid_seq: None,
            });
        }
    }
}
