//! Background work of the server. Each job is a plain function over a connection (tested directly),
//! kept in the module it belongs to (the retention pass in `retention`) and run periodically by
//! [`spawn`]. Jobs are idempotent and their writes conditional, so two API
//! processes running the same job at once do the work once.

use std::time::Duration;

pub mod privacy;
pub mod trust;

use crate::db;
use crate::journal::Actor;

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
                // A pass reads the bilans, documents and invoices it checks: give the heap back.
                let _ = actix_web::web::block(crate::memory::give_back).await;
            }
        }
        .instrument(tracing::info_span!("job", name = "retention")),
    );
}
