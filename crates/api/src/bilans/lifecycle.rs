//! The end of a bilan's action (R6313-7): content kept under agreement, or destroyed. Used by the
//! transition that ends the action and by the job that ends agreed retention periods.

use diesel::prelude::*;

use super::model::{self, BilanRow};
use crate::audit;
use crate::db;
use crate::error::ApiError;
use crate::schema::{bilan_consents, bilan_files, bilan_keys, bilan_notes, bilans};

/// R6313-7: the documents of the bilan are destroyed when the action ends, unless the beneficiary agreed in
/// writing to keep them for follow-up (then until the agreed date, 3 years at most). Destroying the
/// bilan's key makes every copy of the content unreadable; the ciphertexts are removed as well.
pub fn end_of_action(
    conn: &mut db::Conn,
    row: &mut BilanRow,
    actor: &audit::Actor,
) -> Result<(), ApiError> {
    let retention: Option<Option<i64>> = bilan_consents::table
        .filter(bilan_consents::bilan_id.eq(&row.id))
        .filter(bilan_consents::kind.eq("retention"))
        .filter(bilan_consents::revoked_at.is_null())
        .order(bilan_consents::given_at.desc())
        .select(bilan_consents::retention_months)
        .first(conn)
        .optional()?;
    let now = db::now();
    if let Some(months) = retention {
        let months = months.unwrap_or(36).clamp(1, 36) as u32;
        let until = now
            .checked_add_months(chrono::Months::new(months))
            .unwrap_or(now);
        row.retention_until = Some(until);
        diesel::update(bilans::table.find(&row.id))
            .set(bilans::retention_until.eq(until))
            .execute(conn)?;
        model::event(
            conn,
            &row.id,
            "retention",
            None,
            serde_json::json!({ "until": until }),
            false,
        )?;
        return Ok(());
    }
    destroy_content(conn, row, actor)
}

pub fn destroy_content(
    conn: &mut db::Conn,
    row: &mut BilanRow,
    actor: &audit::Actor,
) -> Result<(), ApiError> {
    let now = db::now();
    diesel::update(bilan_keys::table.find(&row.id))
        .set((
            bilan_keys::wrapped.eq(None::<Vec<u8>>),
            bilan_keys::destroyed_at.eq(now),
        ))
        .execute(conn)?;
    let notes = diesel::update(bilan_notes::table.filter(bilan_notes::bilan_id.eq(&row.id)))
        .set(bilan_notes::body.eq(None::<Vec<u8>>))
        .execute(conn)?;
    let files = diesel::update(
        bilan_files::table
            .filter(bilan_files::bilan_id.eq(&row.id))
            .filter(bilan_files::destroyed_at.is_null()),
    )
    .set(bilan_files::destroyed_at.eq(now))
    .execute(conn)?;
    diesel::update(bilans::table.find(&row.id))
        .set(bilans::content_destroyed_at.eq(now))
        .execute(conn)?;
    row.content_destroyed_at = Some(now);
    let details = serde_json::json!({ "key": true, "notes": notes, "files": files });
    model::event(
        conn,
        &row.id,
        "content_destroyed",
        None,
        details.clone(),
        false,
    )?;
    audit::record(
        conn,
        actor,
        "bilan.content_destroyed",
        "bilan",
        Some(&row.id),
        details,
    )?;
    Ok(())
}
