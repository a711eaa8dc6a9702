//! Withdrawing a consent (`POST /bilans/{id}/consents/{consent_id}/revoke`, under the bilans tag).
//! The route lives here rather than in bilans because a withdrawal reaches the synthèse's sendings:
//! bilans records the withdrawal and applies the retention rule, this module cancels what was sent
//! under the agreement, so bilans never imports synthesis.

use actix_web::{HttpResponse, post, web};

use crate::AppState;
use crate::auth::caller::{Beneficiary, Viewer};
use crate::bilans::ConsentPath;
use crate::bilans::records::{after_withdrawal, withdraw};
use crate::db;
use crate::error::ApiError;

/// The beneficiary withdraws a consent; it stays in the record, marked revoked. Withdrawing a share
/// agreement cancels the synthèse's sendings made under it not downloaded yet. Withdrawing the
/// retention agreement of a bilan whose action has ended destroys at once what it kept (R6313-7).
#[utoipa::path(tag = "bilans", params(ConsentPath),
    responses((status = 204, description = "Revoked"), crate::problems::Read),
    security(("bearer" = [])))]
#[post("/bilans/{id}/consents/{consent_id}/revoke")]
async fn revoke_consent(
    Beneficiary(user): Beneficiary,
    state: web::Data<AppState>,
    path: web::Path<ConsentPath>,
) -> Result<HttpResponse, ApiError> {
    let viewer = Viewer::Beneficiary(user.user.id.clone());
    let (id, cid) = (path.id.to_string(), path.consent_id.to_string());
    let actor = user.actor();
    let bilan = id.clone();
    let now = state.config.clock.utc_now();
    let destroyed = db::tx(&state.pool, move |conn| {
        let mut row = withdraw(conn, &viewer, &actor, &id, &cid)?;
        // What was sent under it and not downloaded yet stops working.
        super::sending::cancel_for_consent(conn, &actor, &id, &cid, now)?;
        after_withdrawal(conn, &mut row, &actor)
    })
    .await?;
    if destroyed {
        // The key is gone; the stored ciphertexts go as well.
        state
            .storage
            .delete_prefix(&format!("bilans/{bilan}"))
            .await?;
    }
    Ok(HttpResponse::NoContent().finish())
}
