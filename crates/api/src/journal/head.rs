//! The signed head: a file of the key folder that says where the chain ends (see `chain`). Each entry
//! moves it forward inside the writing transaction (the writers' lock orders them), as
//! `committed` = the entry it read as newest, `pending` = its own. A head that no longer agrees with
//! the table (entries removed, the table restored from an older copy, the file deleted or forged) is
//! left as it is, so that verification keeps failing until an operator re-anchors the chain with
//! `boussole audit-reanchor`, which is itself journaled.

use diesel::prelude::*;

use super::{Actor, GENESIS, last_mark, record};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::audit_log;
use crate::secrets::{AuditKey, Mark};

fn genesis() -> Mark {
    Mark {
        seq: 0,
        hash: GENESIS.to_string(),
    }
}

fn io_error(e: std::io::Error) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(
        format!("the audit head cannot be written: {e}").into(),
    )
}

fn hash_at(conn: &mut Conn, last: &Mark, seq: i64) -> QueryResult<Option<String>> {
    if seq == last.seq {
        return Ok(Some(last.hash.clone()));
    }
    if seq == 0 {
        return Ok(Some(GENESIS.to_string()));
    }
    audit_log::table
        .find(seq)
        .select(audit_log::hash)
        .first(conn)
        .optional()
}

/// Whether the head on file still describes this table, whose newest entry is `last`.
fn agrees(conn: &mut Conn, key: &AuditKey, last: &Mark) -> QueryResult<Result<(), String>> {
    let head = match key.read_head() {
        Err(e) => return Ok(Err(e)),
        Ok(Some(h)) => h,
        Ok(None) => {
            // No head yet: right only while the table held no keyed entry (before the one pending).
            let keyed: i64 = audit_log::table
                .filter(audit_log::chain_version.ge(2))
                .filter(audit_log::seq.le(last.seq))
                .count()
                .get_result(conn)?;
            return Ok(if keyed == 0 {
                Ok(())
            } else {
                Err("the signed head is missing".into())
            });
        }
    };
    // The pending entry is in the table when its transaction committed; otherwise it rolled back.
    let known = match head.pending {
        Some(p) if p.seq <= last.seq => p,
        _ => head.committed,
    };
    if known.seq > last.seq || hash_at(conn, last, known.seq)?.as_deref() != Some(&known.hash) {
        return Ok(Err(format!(
            "the signed head names entry {} but the journal ends at {}",
            known.seq, last.seq
        )));
    }
    Ok(Ok(()))
}

/// Moves the head after `last` (the newest committed entry) with `pending` being written.
pub(super) fn advance(
    conn: &mut Conn,
    key: &AuditKey,
    last: Option<Mark>,
    pending: Option<Mark>,
) -> QueryResult<()> {
    let last = last.unwrap_or_else(genesis);
    match agrees(conn, key, &last)? {
        Ok(()) => key.write_head(last, pending).map_err(io_error),
        Err(problem) => {
            // Keep the evidence: the entry is recorded, the head stays where it was.
            tracing::error!(%problem, "audit journal: the signed head does not match the table");
            Ok(())
        }
    }
}

/// After a legitimate restore of the database: journals the old head and what is wrong, then signs a
/// new head at the end of the table. Returns the problem that was found, if any.
pub fn reanchor(conn: &mut Conn) -> Result<Option<String>, ApiError> {
    let key = db::audit_key(conn).ok_or_else(super::no_key)?;
    db::transaction(conn, |conn| {
        let last = last_mark(conn)?.unwrap_or_else(genesis);
        let problem = match agrees(conn, &key, &last)? {
            Ok(()) => return Ok(None),
            Err(p) => p,
        };
        let previous = key.read_head().ok().flatten();
        record(
            conn,
            &Actor::system(),
            "audit.reanchor",
            "audit_log",
            None,
            serde_json::json!({
                "problem": problem,
                "previous_head": previous.map(|h| h.pending.unwrap_or(h.committed)),
                "table_ended_at": last,
            }),
        )?;
        let newest = last_mark(conn)?.unwrap_or_else(genesis);
        key.write_head(newest, None).map_err(io_error)?;
        Ok(Some(problem))
    })
}
