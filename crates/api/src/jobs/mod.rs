//! Background work of the server. Each job is a plain function over a connection (tested directly),
//! run periodically by [`spawn`]. Jobs are idempotent and their writes conditional, so two API
//! processes running the same job at once do the work once.

use std::time::Duration;

pub mod privacy;
pub mod trust;

use diesel::prelude::*;

use boussole_shared::bilans::BilanStatus;
use chrono::NaiveDateTime;

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

/// Runs the periodic jobs on the server's runtime until it stops.
pub fn spawn(pool: db::Pool, storage: crate::storage::Storage, every: Duration) {
    use tracing::Instrument;
    actix_web::rt::spawn(
        async move {
            let mut tick = actix_web::rt::time::interval(every);
            loop {
                tick.tick().await;
                // The end of the follow-up period, the end of agreed retention, the issued documents
                // past their rule: one pass, recorded when it destroyed something.
                let now = db::now();
                let pass = crate::retention::destroy::run(
                    &pool,
                    &storage,
                    now,
                    crate::retention::destroy::Source::Job,
                    Actor::system(),
                )
                .await;
                match pass {
                    Ok(Some(run)) => tracing::info!(
                        run = %run.run.id,
                        items = run.run.items,
                        "retention rules applied: destruction recorded"
                    ),
                    Ok(None) => {}
                    Err(e) => tracing::error!(error = ?e, "retention job failed"),
                }
                if let Err(e) =
                    db::run(&pool, |conn| crate::idempotency::purge(conn, db::now())).await
                {
                    tracing::error!(error = ?e, "kept idempotent answers not purged");
                }
                let today = boussole_shared::time::paris_date(db::now());
                match db::run(&pool, move |conn| {
                    crate::money::reminders::send_overdue(conn, today)
                })
                .await
                {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(reminders = n, "overdue invoices reminded"),
                    Err(e) => tracing::error!(error = ?e, "invoice reminders job failed"),
                }
            }
        }
        .instrument(tracing::info_span!("job", name = "retention")),
    );
}
