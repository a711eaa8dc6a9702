//! What the retention pass finds due (R6313-7), bilan by bilan: the follow-up period over (the
//! bilan closes by itself) and the agreed retention over (the kept content goes). Here, beside the
//! pass (`destroy.rs`) that runs them and deletes the stored files, not in `jobs`: the job runner
//! only calls the pass.

use boussole_shared::bilans::BilanStatus;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::bilans::lifecycle::{destroy_content, end_of_action};
use crate::bilans::model::{self, BilanRow, Happened};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::Actor;
use crate::schema::bilans;

/// A bilan the follow-up job closed, and whether its content was destroyed (or kept under agreement).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoClosed {
    pub id: String,
    pub content_destroyed: bool,
}

/// R6313-7: a bilan left `completed` would keep its content for ever. When the follow-up period of
/// the settings (6 months by default) has passed since completion, the bilan closes by itself, as the
/// system, and the end of the action runs as for a manual closure: the content is destroyed unless the
/// beneficiary agreed in writing to keep it. `now` is the job's clock (tests pass a later one).
pub fn close_after_follow_up(
    conn: &mut Conn,
    now: NaiveDateTime,
) -> Result<Vec<AutoClosed>, ApiError> {
    let months = crate::settings::security(conn)?.follow_up_months;
    let Some(cutoff) = now.checked_sub_months(chrono::Months::new(months)) else {
        return Ok(vec![]);
    };
    let completed = BilanStatus::Completed.as_str();
    let due: Vec<BilanRow> = bilans::table
        .filter(bilans::status.eq(completed))
        .filter(bilans::status_changed_at.le(cutoff))
        .select(BilanRow::as_select())
        .load(conn)?;
    let mut done = Vec::new();
    for mut row in due {
        let closed = db::transaction(conn, |conn| {
            // Conditional: another process, or a person, may have moved it meanwhile.
            let at = db::now();
            let moved = diesel::update(
                bilans::table
                    .filter(bilans::id.eq(&row.id))
                    .filter(bilans::status.eq(completed)),
            )
            .set((
                bilans::status.eq(BilanStatus::Closed.as_str()),
                bilans::status_changed_at.eq(at),
                bilans::updated_at.eq(at),
            ))
            .execute(conn)?;
            if moved == 0 {
                return Ok::<_, ApiError>(None);
            }
            row.status = BilanStatus::Closed.as_str().into();
            row.status_changed_at = at;
            crate::bilans::lifecycle::status_changed(conn, &row, BilanStatus::Completed, true)?;
            let details = serde_json::json!({
                "from": completed,
                "to": BilanStatus::Closed.as_str(),
                "automatic": true,
                "follow_up_months": months,
            });
            let what = Happened {
                event: "transition",
                action: "bilan.auto_close",
                details,
                content: false,
            };
            model::journal(conn, &Actor::system(), &row.id, what)?;
            end_of_action(conn, &mut row, &Actor::system())?;
            Ok(Some(AutoClosed {
                id: row.id.clone(),
                content_destroyed: row.content_destroyed_at.is_some(),
            }))
        })?;
        done.extend(closed);
    }
    Ok(done)
}

/// R6313-7: content kept under the beneficiary's agreement is destroyed when the agreed period ends
/// (before `now`, the job's clock). Returns the bilans destroyed (their stored files are then deleted
/// by the caller).
pub fn destroy_expired_retention(
    conn: &mut Conn,
    now: NaiveDateTime,
) -> Result<Vec<String>, ApiError> {
    let due: Vec<BilanRow> = bilans::table
        .filter(bilans::retention_until.lt(now))
        .filter(bilans::content_destroyed_at.is_null())
        .select(BilanRow::as_select())
        .load(conn)?;
    let mut done = Vec::new();
    for mut row in due {
        db::transaction(conn, |conn| {
            // Re-check inside the transaction: another process may have done it meanwhile.
            let still: i64 = bilans::table
                .filter(bilans::id.eq(&row.id))
                .filter(bilans::content_destroyed_at.is_null())
                .count()
                .get_result(conn)?;
            if still == 1 {
                destroy_content(conn, &mut row, &Actor::system())?;
                done.push(row.id.clone());
            }
            Ok::<_, ApiError>(())
        })?;
    }
    Ok(done)
}
