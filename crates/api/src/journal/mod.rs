//! The audit journal: every change made through the API appends who, what, which record, when and from
//! which IP, in the same transaction as the change. Rows are chained by an HMAC under a key the database
//! does not hold (each hash covers the previous one, see `chain`), a signed head outside the database
//! says where the chain ends (`head`), the table refuses UPDATE and DELETE (triggers; only an expired
//! IP may be blanked), and `verify_chain` recomputes it all.
//! The journal knows nothing of HTTP: callers build an [`Actor`] on their side (`CurrentUser::actor`);
//! the routes that read it are the `audit` feature's. Its key and signed head's format are in `secrets`.

use boussole_shared::audit::AuditEntry;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::{self, Conn};
use crate::schema::audit_log;

mod head;
mod verify;
use crate::secrets::{AuditKey, Mark};
pub use head::reanchor;
pub use verify::{Verification, verify_chain, verify_explained};

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
    /// The clear IP, replaced by [`IP_EXPIRED`] after its retention period (not covered by version 2).
    pub ip: Option<String>,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
    /// 1: plain SHA-256 over the clear IP (entries written before the keyed chain); 2: keyed.
    pub chain_version: i64,
    /// Version 2: the keyed hash of the IP, which the entry's hash covers.
    pub ip_mac: Option<String>,
}

/// What an expired IP is replaced with, in the journal, sessions and consents.
pub const IP_EXPIRED: &str = "expired";

impl AuditRow {
    fn canonical_fields(&self) -> Vec<serde_json::Value> {
        vec![
            self.prev_hash.clone().into(),
            self.seq.into(),
            self.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string().into(),
            self.actor_kind.clone().into(),
            self.actor_id.clone().into(),
            self.action.clone().into(),
            self.entity_type.clone().into(),
            self.entity_id.clone().into(),
        ]
    }

    /// Version 1: the SHA-256 of every column but itself, in a JSON array (unambiguous).
    pub fn compute_hash_v1(&self) -> String {
        let mut fields = self.canonical_fields();
        fields.push(self.ip.clone().into());
        fields.push(self.details.clone().into());
        let canonical = serde_json::Value::Array(fields);
        hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
    }

    /// Version 2: the keyed hash of the same, with the IP's keyed hash in place of the IP.
    pub fn compute_hash_v2(&self, key: &AuditKey) -> String {
        let mut fields = vec![serde_json::Value::from(2)];
        fields.extend(self.canonical_fields());
        fields.push(self.ip_mac.clone().into());
        fields.push(self.details.clone().into());
        key.entry_hash(&serde_json::Value::Array(fields).to_string())
    }

    /// A new keyed entry (its hash computed).
    pub fn sealed(mut self, key: &AuditKey) -> AuditRow {
        self.chain_version = 2;
        self.ip_mac = self.ip.as_deref().map(|ip| key.ip_mac(ip));
        self.hash = self.compute_hash_v2(key);
        self
    }

    fn hash_holds(&self, key: &AuditKey) -> bool {
        match self.chain_version {
            1 => self.compute_hash_v1() == self.hash,
            2 => self.compute_hash_v2(key) == self.hash,
            _ => false,
        }
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

fn no_key() -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(
        "this connection carries no audit key (open it with db::connect_keyed or the pool)".into(),
    )
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
    let key = db::audit_key(conn).ok_or_else(no_key)?;
    if db::is_postgres(conn) {
        // Writers queue here, so each reads the true last entry; SQLite's single writer does the same.
        diesel::sql_query("SELECT pg_advisory_xact_lock(7274626)").execute(conn)?;
    }
    let last = last_mark(conn)?;
    let (seq, prev_hash) = match &last {
        Some(m) => (m.seq + 1, m.hash.clone()),
        None => (1, GENESIS.to_string()),
    };
    let row = AuditRow {
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
        chain_version: 2,
        ip_mac: None,
    }
    .sealed(&key);
    diesel::insert_into(audit_log::table)
        .values(&row)
        .execute(conn)?;
    head::advance(
        conn,
        &key,
        last,
        Some(Mark {
            seq,
            hash: row.hash,
        }),
    )
}

/// The newest entry, as the database has it.
fn last_mark(conn: &mut Conn) -> QueryResult<Option<Mark>> {
    Ok(audit_log::table
        .order(audit_log::seq.desc())
        .select((audit_log::seq, audit_log::hash))
        .first::<(i64, String)>(conn)
        .optional()?
        .map(|(seq, hash)| Mark { seq, hash }))
}

/// Moves the signed head onto the newest entry, with no entry pending: the periodic jobs call it so
/// that the last entry too is covered once its transaction is long committed.
pub fn seal(conn: &mut Conn) -> Result<(), crate::error::ApiError> {
    let key = db::audit_key(conn).ok_or_else(no_key)?;
    db::transaction(conn, |conn| {
        if db::is_postgres(conn) {
            diesel::sql_query("SELECT pg_advisory_xact_lock(7274626)").execute(conn)?;
        }
        let last = last_mark(conn)?;
        head::advance(conn, &key, last, None)?;
        Ok(())
    })
}
