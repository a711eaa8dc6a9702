//! Reassigning a bilan: a workflow of both features, so it lives here (appointments depend on
//! bilans): the assignment, the beneficiary told, and the future appointments handed over, in one
//! transaction.

use actix_web::{post, web};
use boussole_shared::bilans::{Bilan, NewAssignment};
use boussole_shared::users::Role;

use super::handover;
use crate::AppState;
use crate::auth::caller::{ApiCaller, BilansWrite, Viewer};
use crate::bilans::{BilanPath, assignment, model};
use crate::error::ApiError;
use crate::json::JsonBody;

/// Assigns the bilan to another consultant (admins, or an API key with `bilans:write`); the history of assignments is kept, the
/// beneficiary is told, and the future appointments go to the new consultant (or are cancelled).
#[utoipa::path(tag = "bilans", params(BilanPath), request_body = NewAssignment,
    responses((status = 200, description = "OK", body = Bilan), crate::problems::Write, crate::problems::NotFound),
    security(("bearer" = []), ("api_key" = [])))]
#[post("/bilans/{id}/assignments")]
async fn reassign_bilan(
    caller: ApiCaller<BilansWrite>,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<NewAssignment>,
) -> Result<web::Json<Bilan>, ApiError> {
    let consultant = body.parse()?.consultant_id;
    let id = path.id.to_string();
    let min = state.config.min_accompaniment_hours * 60;
    let config = state.config.clone();
    let dto = crate::notifications::tx(&state, move |conn| {
        let by = caller.user_id().to_string();
        let row = model::load_for(conn, &id, &Viewer::Admin(by.clone()))?;
        model::require_user(conn, &consultant, Role::Consultant, "consultant_id")?;
        let (actor, to) = (caller.actor(), consultant.to_string());
        assignment::reassign(conn, &config, &actor, &by, &id, &row.beneficiary_id, &to)?;
        handover::hand_over(conn, &config, &actor, &id, Some(&to))?;
        model::to_dto(conn, row, min)
    })
    .await?;
    Ok(web::Json(dto))
}
