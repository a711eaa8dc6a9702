//! The weighted decision matrix that ranks the career paths (computed here, never trusted from the
//! client), and the action plan of the chosen project for the conclusion phase.

use actix_web::{get, put, web};
use boussole_shared::access::AccessKind;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::projection::{
    ActionPlan, ActionPlanInput, DecisionMatrix, DecisionMatrixInput, PathStatus, default_criteria,
    matrix_error, plan_error, rank,
};

use super::paths;
use super::store::{self, Kind, Record};
use crate::AppState;
use crate::auth::caller::Viewer;
use crate::bilans::{BilanPath, model};
use crate::db::Conn;
use crate::error::ApiError;
use crate::json::JsonBody;

/// The matrix: saved criteria (or the defaults), the scores of the paths that still exist (a dropped
/// path keeps its scores, should it be taken up again), and the paths not dropped ranked by weighted
/// total.
pub fn matrix(conn: &mut Conn, key: &[u8], bilan: &str) -> Result<DecisionMatrix, ApiError> {
    let saved: Option<Record<DecisionMatrixInput>> =
        store::single(conn, key, bilan, Kind::DecisionMatrix)?;
    let all = paths::records(conn, key, bilan)?;
    let existing: Vec<uuid::Uuid> = all.iter().map(|p| p.uuid).collect();
    let live: Vec<(uuid::Uuid, String)> = all
        .into_iter()
        .filter(|p| p.body.status != PathStatus::Dropped)
        .map(|p| (p.uuid, p.body.title))
        .collect();
    let (input, updated_by, updated_at) = match saved {
        Some(r) => (
            r.body,
            Some(model::person(conn, &r.updated_by)?),
            Some(r.updated_at.and_utc()),
        ),
        None => (
            DecisionMatrixInput {
                criteria: default_criteria(),
                scores: vec![],
            },
            None,
            None,
        ),
    };
    let scores: Vec<_> = input
        .scores
        .into_iter()
        .filter(|s| existing.contains(&s.path_id))
        .collect();
    Ok(DecisionMatrix {
        ranking: rank(&input.criteria, &live, &scores),
        criteria: input.criteria,
        scores,
        updated_by,
        updated_at,
    })
}

/// Saves the criteria and scores at once: each score on a path of this bilan and a listed criterion.
pub fn save_matrix(
    conn: &mut Conn,
    key: &[u8],
    bilan: &str,
    by: &str,
    input: &DecisionMatrixInput,
) -> Result<DecisionMatrix, ApiError> {
    let known: Vec<uuid::Uuid> = paths::records(conn, key, bilan)?
        .iter()
        .map(|p| p.uuid)
        .collect();
    if let Some(i) = input
        .scores
        .iter()
        .position(|s| !known.contains(&s.path_id))
    {
        return Err(ApiError::field(
            &format!("scores[{i}].path_id"),
            FieldRule::Unknown,
            "aucune piste de ce bilan",
        ));
    }
    store::put_single(conn, key, bilan, Kind::DecisionMatrix, by, input)?;
    matrix(conn, key, bilan)
}

/// The plan, or an empty one before the first save.
pub fn plan(conn: &mut Conn, key: &[u8], bilan: &str) -> Result<ActionPlan, ApiError> {
    let saved: Option<Record<ActionPlanInput>> = store::single(conn, key, bilan, Kind::ActionPlan)?;
    Ok(match saved {
        Some(r) => ActionPlan {
            updated_by: Some(model::person(conn, &r.updated_by)?),
            updated_at: Some(r.updated_at.and_utc()),
            fields: r.body,
        },
        None => ActionPlan {
            fields: ActionPlanInput::default(),
            updated_by: None,
            updated_at: None,
        },
    })
}

/// Saves the plan: its path, when given, is one of this bilan's.
pub fn save_plan(
    conn: &mut Conn,
    key: &[u8],
    bilan: &str,
    by: &str,
    input: &ActionPlanInput,
) -> Result<ActionPlan, ApiError> {
    if let Some(path) = input.career_path_id {
        let known = paths::records(conn, key, bilan)?
            .iter()
            .any(|p| p.uuid == path);
        if !known {
            return Err(ApiError::field(
                "career_path_id",
                FieldRule::Unknown,
                "aucune piste de ce bilan",
            ));
        }
    }
    store::put_single(conn, key, bilan, Kind::ActionPlan, by, input)?;
    plan(conn, key, bilan)
}

/// The decision matrix, its weighted totals and the ranking (computed by the server).
#[utoipa::path(tag = "projection", params(BilanPath),
    responses((status = 200, description = "OK", body = DecisionMatrix), crate::problems::Read, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[get("/bilans/{id}/decision-matrix")]
async fn get_decision_matrix(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<DecisionMatrix>, ApiError> {
    let out = super::read(&state, path.id, viewer, AccessKind::Projection, matrix).await?;
    Ok(web::Json(out))
}

/// Replaces the criteria (weights 1–10) and the scores (1–5); answers the new ranking.
#[utoipa::path(tag = "projection", params(BilanPath), request_body = DecisionMatrixInput,
    responses((status = 200, description = "OK", body = DecisionMatrix), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[put("/bilans/{id}/decision-matrix")]
async fn put_decision_matrix(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<DecisionMatrixInput>,
) -> Result<web::Json<DecisionMatrix>, ApiError> {
    super::may_write(&state, path.id, &viewer).await?;
    let input = body.validated()?;
    if let Some((field, rule, message)) = matrix_error(&input) {
        return Err(ApiError::field(&field, rule, message));
    }
    let out = super::write(&state, path.id, viewer, move |conn, key, id, viewer| {
        save_matrix(conn, key, id, viewer.id(), &input)
    })
    .await?;
    Ok(web::Json(out))
}

/// The action plan of the chosen project.
#[utoipa::path(tag = "projection", params(BilanPath),
    responses((status = 200, description = "OK", body = ActionPlan), crate::problems::Read, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[get("/bilans/{id}/action-plan")]
async fn get_action_plan(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<ActionPlan>, ApiError> {
    let out = super::read(&state, path.id, viewer, AccessKind::Projection, plan).await?;
    Ok(web::Json(out))
}

/// Replaces the action plan (steps with due dates and done flags, training, resources).
#[utoipa::path(tag = "projection", params(BilanPath), request_body = ActionPlanInput,
    responses((status = 200, description = "OK", body = ActionPlan), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[put("/bilans/{id}/action-plan")]
async fn put_action_plan(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<ActionPlanInput>,
) -> Result<web::Json<ActionPlan>, ApiError> {
    super::may_write(&state, path.id, &viewer).await?;
    let input = body.validated()?;
    if let Some((field, rule, message)) = plan_error(&input) {
        return Err(ApiError::field(&field, rule, message));
    }
    let out = super::write(&state, path.id, viewer, move |conn, key, id, viewer| {
        save_plan(conn, key, id, viewer.id(), &input)
    })
    .await?;
    Ok(web::Json(out))
}
