//! Recomputing the journal: every entry's hash (unkeyed for the old chain, keyed since version 2),
//! the links between them, and where the chain ends against the signed head.

use boussole_shared::audit::AuditVerification;
use diesel::prelude::*;

use super::{AuditRow, GENESIS, no_key};
use crate::db::{self, Conn};
use crate::schema::audit_log;

/// Why the journal does not verify, for the operator (the API answers only valid / first invalid).
pub struct Verification {
    pub result: AuditVerification,
    pub problem: Option<String>,
}

/// Recomputes the whole chain, in batches so that a million entries do not sit in memory, then checks
/// it against the signed head: the chain must reach the head, and go no further than the head knows.
pub fn verify_chain(conn: &mut Conn) -> QueryResult<AuditVerification> {
    Ok(verify_explained(conn)?.result)
}

pub fn verify_explained(conn: &mut Conn) -> QueryResult<Verification> {
    const BATCH: i64 = 10_000;
    let key = db::audit_key(conn).ok_or_else(no_key)?;
    let mut expected_prev = GENESIS.to_string();
    let mut expected_seq = 1i64;
    let mut checked = 0i64;
    let mut version = 1i64;
    let fail = |checked: i64, seq: i64, problem: String| Verification {
        result: AuditVerification {
            valid: false,
            checked,
            first_invalid_seq: Some(seq),
        },
        problem: Some(problem),
    };
    loop {
        let rows: Vec<AuditRow> = audit_log::table
            .filter(audit_log::seq.ge(expected_seq))
            .order(audit_log::seq.asc())
            .limit(BATCH)
            .select(AuditRow::as_select())
            .load(conn)?;
        let done = (rows.len() as i64) < BATCH;
        for row in rows {
            if row.seq != expected_seq || row.prev_hash != expected_prev {
                return Ok(fail(checked, expected_seq, "the chain is broken".into()));
            }
            if row.chain_version < version || !row.hash_holds(&key) {
                return Ok(fail(checked, expected_seq, "an entry was altered".into()));
            }
            version = row.chain_version;
            checked += 1;
            expected_seq += 1;
            expected_prev = row.hash;
        }
        if done {
            break;
        }
    }
    // The head is read after the walk, and its entries looked up afresh: entries written meanwhile
    // (a live server) move it forward without making a sound journal look cut.
    let problem = match key.read_head() {
        Err(e) => Some(e),
        // Entries written before the keyed chain have no head; keyed ones always do.
        Ok(None) if version >= 2 => Some("the signed head is missing".into()),
        Ok(None) => None,
        Ok(Some(h)) => {
            let last_seq = last_seq(conn)?;
            let committed_ok =
                hash_at(conn, h.committed.seq)?.as_deref() == Some(&h.committed.hash);
            let pending_ok = match &h.pending {
                None => true,
                // The pending entry's transaction may have rolled back, or be still open.
                Some(p) => match hash_at(conn, p.seq)? {
                    Some(hash) => hash == p.hash,
                    None => last_seq == h.committed.seq,
                },
            };
            (!(committed_ok && pending_ok)).then(|| {
                format!(
                    "the journal ends at entry {last_seq}, the signed head names entry {}: entries were removed or the table was rolled back",
                    h.pending.as_ref().map_or(h.committed.seq, |p| p.seq)
                )
            })
        }
    };
    Ok(match problem {
        Some(p) => {
            let seq = (last_seq(conn)? + 1).max(1);
            fail(checked, seq, p)
        }
        None => Verification {
            result: AuditVerification {
                valid: true,
                checked,
                first_invalid_seq: None,
            },
            problem: None,
        },
    })
}

fn last_seq(conn: &mut Conn) -> QueryResult<i64> {
    Ok(audit_log::table
        .select(diesel::dsl::max(audit_log::seq))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

fn hash_at(conn: &mut Conn, seq: i64) -> QueryResult<Option<String>> {
    if seq == 0 {
        return Ok(Some(GENESIS.to_string()));
    }
    audit_log::table
        .find(seq)
        .select(audit_log::hash)
        .first(conn)
        .optional()
}
