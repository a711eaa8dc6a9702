//! What happens to signature requests while nobody acts: the employee's silence past the 10 days of
//! R6313-8 ends a tripartite convention's request as refused, a request past its expiry expires, a
//! signer who has not signed 3 days after their link gets one reminder, and a request whose signers
//! all signed but that a stopped process left unfinished is completed. Every write is conditional,
//! so two processes running it at once do each thing once.

use std::time::Duration;

use actix_web::web;
use boussole_shared::signatures::{SignatureStatus, SignerRole};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::store::{self, Mailing, RequestRow};
use crate::db::{self, Conn};
use crate::documents::store::DocumentRow;
use crate::error::ApiError;
use crate::schema::{issued_documents, signature_requests as q};
use crate::{AppState, Config};

/// A signer is reminded once, this long after their link was sent.
pub const REMIND_AFTER_DAYS: i64 = 3;

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Run {
    pub ended: Vec<(String, SignatureStatus)>,
    pub reminded: usize,
    /// Requests whose signers all signed: to complete (outside the transaction: storage).
    pub to_complete: Vec<String>,
}

/// Lapses, reminders and the list of requests to complete, as of `now`.
pub fn sweep(conn: &mut Conn, config: &Config, now: NaiveDateTime) -> Result<Run, ApiError> {
    let pending: Vec<RequestRow> = q::table
        .filter(q::status.eq(SignatureStatus::Pending.as_str()))
        .select(RequestRow::as_select())
        .load(conn)?;
    let mut run = Run::default();
    for row in pending {
        let signers = store::signers(conn, &row.id)?;
        let employee_signed = signers
            .iter()
            .any(|s| s.role == SignerRole::Beneficiary.as_str() && s.signed_at.is_some());
        if let Some(status) = store::lapsed(&row, employee_signed, now) {
            if store::end(conn, &row.id, status, now)? {
                run.ended.push((row.id.clone(), status));
            }
            continue;
        }
        let Some(current) = signers.iter().find(|s| s.signed_at.is_none()) else {
            run.to_complete.push(row.id.clone());
            continue;
        };
        let due = current.reminded_at.is_none()
            && current
                .invited_at
                .is_some_and(|at| now >= at + chrono::Duration::days(REMIND_AFTER_DAYS));
        if due {
            let doc: DocumentRow = issued_documents::table
                .find(&row.document_id)
                .select(DocumentRow::as_select())
                .first(conn)?;
            let org = crate::settings::organisation(conn)?;
            let mailing = Mailing {
                master: &config.master_key,
                public_url: &config.public_url,
                organisation: org.name.trim(),
                document_title: &doc.title,
            };
            db::transaction(conn, |conn| {
                store::invite_next(conn, &row.id, now, &mailing, true).map(|_| ())
            })?;
            run.reminded += 1;
        }
    }
    Ok(run)
}

/// One run: the sweep, then the completions.
pub async fn run_once(state: &web::Data<AppState>, now: NaiveDateTime) -> Result<Run, ApiError> {
    let config = state.config.clone();
    let run = db::run(&state.pool, move |conn| sweep(conn, &config, now)).await?;
    for id in &run.to_complete {
        super::complete::finish(state, id).await?;
    }
    Ok(run)
}

/// Runs [`run_once`] every `every`, as the system.
pub fn spawn(state: web::Data<AppState>, every: Duration) {
    use tracing::Instrument;
    actix_web::rt::spawn(
        async move {
            let mut tick = actix_web::rt::time::interval(every);
            loop {
                tick.tick().await;
                let now = state.config.clock.utc_now();
                match run_once(&state, now).await {
                    Ok(run) if !run.ended.is_empty() || run.reminded > 0 => tracing::info!(
                        ended = run.ended.len(),
                        reminded = run.reminded,
                        "signature requests swept"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = ?e, "signature job failed"),
                }
            }
        }
        .instrument(tracing::info_span!("job", name = "signatures")),
    );
}
