//! The instruments: listed and read by every person (a definition is not bilan content), built by
//! staff (custom questionnaires, checked like the shipped files).

use actix_web::{HttpResponse, get, post, web};
use boussole_shared::Slug;
use boussole_shared::assessments::{Instrument, InstrumentSummary};
use boussole_shared::field_rules::FieldRule;
use utoipa::IntoParams;

use super::{catalogue, validate};
use crate::AppState;
use crate::auth::caller::{Staff, Viewer};
use crate::db;
use crate::error::ApiError;
use crate::json::JsonBody;

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct InstrumentPath {
    /// Instrument id.
    id: String,
}

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct VersionQuery {
    /// A version (default: the latest).
    version: Option<i32>,
}

/// The instruments, latest version of each, with their source, licence and attribution.
#[utoipa::path(tag = "assessments",
    responses((status = 200, description = "OK", body = Vec<InstrumentSummary>), crate::problems::Caller),
    security(("bearer" = [])))]
#[get("/instruments")]
async fn list_instruments(
    _viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<InstrumentSummary>>, ApiError> {
    let list = db::run(&state.pool, catalogue::list).await?;
    Ok(web::Json(list))
}

/// One instrument's definition (sections, items, scales), latest version unless one is named.
#[utoipa::path(tag = "assessments", params(InstrumentPath, VersionQuery),
    responses((status = 200, description = "OK", body = Instrument), crate::problems::Read, crate::problems::BadRequest),
    security(("bearer" = [])))]
#[get("/instruments/{id}")]
async fn get_instrument(
    _viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<InstrumentPath>,
    query: web::Query<VersionQuery>,
) -> Result<web::Json<Instrument>, ApiError> {
    let (id, version) = (path.into_inner().id, query.version);
    let inst = db::run(&state.pool, move |conn| catalogue::get(conn, &id, version)).await?;
    Ok(web::Json(inst))
}

/// Staff build a questionnaire of their own: checked like the shipped files (`errors` names the
/// field). Its version is the next one of its id; a shipped instrument's id is refused (409).
#[utoipa::path(tag = "assessments", request_body = Instrument,
    responses((status = 201, description = "Created", body = Instrument), crate::problems::Write, crate::problems::Conflict),
    security(("bearer" = [])))]
#[post("/instruments")]
async fn create_instrument(
    staff: Staff,
    state: web::Data<AppState>,
    body: JsonBody<Instrument>,
) -> Result<HttpResponse, ApiError> {
    let mut inst = body.parse()?;
    let by = staff.viewer.id().to_string();
    let inst = db::tx(&state.pool, move |conn| {
        if catalogue::is_shipped(conn, &inst.id)? {
            return Err(ApiError::conflict(
                Slug::INSTRUMENT_ID_RESERVED,
                "Cet identifiant est celui d'un questionnaire fourni avec Boussole.",
            ));
        }
        inst.version = catalogue::next_version(conn, &inst.id)?;
        validate::instrument(&inst).map_err(|e| match e.split_once(": ") {
            Some((field, message)) => ApiError::field(field, FieldRule::Format, message),
            None => ApiError::field("instrument", FieldRule::Format, e),
        })?;
        catalogue::store(conn, &inst, true, Some(&by))?;
        Ok(inst.clone())
    })
    .await?;
    Ok(HttpResponse::Created().json(inst))
}
