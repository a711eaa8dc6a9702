//! Background work of the server. Each job is a plain function over a connection (tested directly),
//! run periodically by [`spawn`]. Jobs are idempotent and their writes conditional, so two API
//! processes running the same job at once do the work once.

use std::time::Duration;

pub mod privacy;
pub mod trust;

use diesel::prelude::*;

use crate::audit::Actor;
use crate::bilans::lifecycle::destroy_content;
use crate::bilans::model::BilanRow;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::bilans;

/// R6313-7: content kept under the beneficiary's agreement is destroyed when the agreed period ends.
/// Returns the bilans destroyed (their stored files are then deleted by the caller).
pub fn destroy_expired_retention(conn: &mut Conn) -> Result<Vec<String>, ApiError> {
    let due: Vec<BilanRow> = bilans::table
        .filter(bilans::retention_until.lt(db::now()))
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
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(every);
        loop {
            tick.tick().await;
            match db::run(&pool, destroy_expired_retention).await {
                Ok(ids) => {
                    for id in &ids {
                        if let Err(e) = storage.delete_prefix(&format!("bilans/{id}")).await {
                            tracing::error!(error = ?e, bilan = %id, "stored files not deleted");
                        }
                    }
                    if !ids.is_empty() {
                        tracing::info!(
                            bilans = ids.len(),
                            "retention period over: content destroyed"
                        );
                    }
                }
                Err(e) => tracing::error!(error = ?e, "retention job failed"),
            }
        }
    }
    .instrument(tracing::info_span!("job", name = "retention")));
}
