//! The assessment routes: who may call each is in its signature; the work is in `flow`.

use actix_web::{HttpResponse, get, post, put, web};
use boussole_shared::assessments::{
    Answers, Assessment, AssignInstrument, Interpretation, InterpretationRequest, Results,
    SaveAnswers,
};

use super::{AssessmentPath, flow, results};
use crate::AppState;
use crate::auth::caller::{Beneficiary, Consultant, Viewer};
use crate::bilans::BilanPath;
use crate::db;
use crate::error::ApiError;
use crate::json::JsonBody;

/// An assigned consultant proposes an instrument to the beneficiary (latest version unless named).
#[utoipa::path(tag = "assessments", params(BilanPath), request_body = AssignInstrument,
    responses((status = 201, description = "Assigned", body = Assessment), crate::problems::Write,
        crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/assessments")]
async fn assign_assessment(
    Consultant(user): Consultant,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<AssignInstrument>,
) -> Result<HttpResponse, ApiError> {
    let viewer = Viewer::Consultant(user.user.id.clone());
    let req = body.validated()?;
    let id = path.id.to_string();
    let url = state.config.public_url.clone();
    let a = crate::notifications::tx(&state, move |conn| {
        let a = flow::assign(conn, &id, &viewer, &req)?;
        flow::tell_assigned(conn, &url, &id, viewer.id(), &a)?;
        Ok(a)
    })
    .await?;
    Ok(HttpResponse::Created().json(a))
}

/// The instruments assigned on a bilan (its beneficiary and assigned consultants).
#[utoipa::path(tag = "assessments", params(BilanPath),
    responses((status = 200, description = "OK", body = Vec<Assessment>), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/bilans/{id}/assessments")]
async fn list_assessments(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Vec<Assessment>>, ApiError> {
    let id = path.id.to_string();
    let list = db::run(&state.pool, move |conn| flow::list(conn, &id, &viewer)).await?;
    Ok(web::Json(list))
}

/// One assigned instrument, with its progress.
#[utoipa::path(tag = "assessments", params(AssessmentPath),
    responses((status = 200, description = "OK", body = Assessment), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/assessments/{id}")]
async fn get_assessment(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<AssessmentPath>,
) -> Result<web::Json<Assessment>, ApiError> {
    let id = path.id.to_string();
    let a = db::run(&state.pool, move |conn| flow::get(conn, &id, &viewer)).await?;
    Ok(web::Json(a))
}

/// The answers given so far (bilan content: the read is journaled).
#[utoipa::path(tag = "assessments", params(AssessmentPath),
    responses((status = 200, description = "OK", body = Answers), crate::problems::Read, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[get("/assessments/{id}/answers")]
async fn get_answers(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<AssessmentPath>,
) -> Result<web::Json<Answers>, ApiError> {
    let id = path.id.to_string();
    let st = state.clone();
    let a = db::tx(&state.pool, move |conn| {
        flow::answers(conn, &st.config.master_key, &id, &viewer)
    })
    .await?;
    Ok(web::Json(a))
}

/// The beneficiary saves some answers (autosave): all checked first, nothing stored unless all fit
/// (422 `invalid-answer`, `missing` names the item).
#[utoipa::path(tag = "assessments", params(AssessmentPath), request_body = SaveAnswers,
    responses((status = 200, description = "Saved", body = Answers), crate::problems::Write,
        crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[put("/assessments/{id}/answers")]
async fn save_answers(
    Beneficiary(user): Beneficiary,
    state: web::Data<AppState>,
    path: web::Path<AssessmentPath>,
    body: JsonBody<SaveAnswers>,
) -> Result<web::Json<Answers>, ApiError> {
    let viewer = Viewer::Beneficiary(user.user.id.clone());
    let req = body.validated()?;
    let id = path.id.to_string();
    let st = state.clone();
    let a = db::tx(&state.pool, move |conn| {
        flow::save(conn, &st.config.master_key, &id, &viewer, &req.answers)
    })
    .await?;
    Ok(web::Json(a))
}

/// The beneficiary submits (every required item answered); a second submit is a 409.
#[utoipa::path(tag = "assessments", params(AssessmentPath),
    responses((status = 200, description = "Submitted", body = Assessment), crate::problems::Read,
        crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/assessments/{id}/submit")]
async fn submit_assessment(
    Beneficiary(user): Beneficiary,
    state: web::Data<AppState>,
    path: web::Path<AssessmentPath>,
) -> Result<web::Json<Assessment>, ApiError> {
    let viewer = Viewer::Beneficiary(user.user.id.clone());
    let id = path.id.to_string();
    let st = state.clone();
    let a = db::tx(&state.pool, move |conn| {
        flow::submit(conn, &st.config.master_key, &id, &viewer)
    })
    .await?;
    Ok(web::Json(a))
}

/// The results of a submitted assessment, with the consultant's interpretation (bilan content: the
/// read is journaled). Exploratory: they describe, the consultant interprets.
#[utoipa::path(tag = "assessments", params(AssessmentPath),
    responses((status = 200, description = "OK", body = Results), crate::problems::Read,
        crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[get("/assessments/{id}/results")]
async fn get_results(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<AssessmentPath>,
) -> Result<web::Json<Results>, ApiError> {
    let id = path.id.to_string();
    let st = state.clone();
    let r = db::tx(&state.pool, move |conn| {
        results::results(conn, &st.config.master_key, &id, &viewer)
    })
    .await?;
    Ok(web::Json(r))
}

/// An assigned consultant writes the interpretation of a submitted assessment.
#[utoipa::path(tag = "assessments", params(AssessmentPath), request_body = InterpretationRequest,
    responses((status = 200, description = "Saved", body = Interpretation), crate::problems::Write,
        crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[put("/assessments/{id}/interpretation")]
async fn put_interpretation(
    Consultant(user): Consultant,
    state: web::Data<AppState>,
    path: web::Path<AssessmentPath>,
    body: JsonBody<InterpretationRequest>,
) -> Result<web::Json<Interpretation>, ApiError> {
    let viewer = Viewer::Consultant(user.user.id.clone());
    let req = body.validated()?;
    let id = path.id.to_string();
    let st = state.clone();
    let i = db::tx(&state.pool, move |conn| {
        results::interpret(conn, &st.config.master_key, &id, &viewer, &req.text)
    })
    .await?;
    Ok(web::Json(i))
}
