//! Career paths ("pistes"): occupations of the ROME, motivations, the skills they need against the
//! skills identified (the gap list, computed at each read so it follows the grid), constraints and
//! field research interviews.

use actix_web::{HttpResponse, delete, get, post, put, web};
use boussole_shared::Slug;
use boussole_shared::access::AccessKind;
use boussole_shared::projection::{CareerPath, NewCareerPath, NewSkill, gaps};

use super::ItemPath;
use super::rome::Catalogue;
use super::store::{self, Kind, Record};
use crate::AppState;
use crate::auth::caller::Viewer;
use crate::bilans::BilanPath;
use crate::db::Conn;
use crate::error::ApiError;
use crate::json::JsonBody;

/// The bilan's career paths as stored (for the matrix and the plan).
pub fn records(
    conn: &mut Conn,
    key: &[u8],
    bilan: &str,
) -> Result<Vec<Record<NewCareerPath>>, ApiError> {
    store::list(conn, key, bilan, Kind::CareerPath)
}

/// The records as DTOs: occupations named, gap lists against the skills identified now.
fn dtos(
    conn: &mut Conn,
    key: &[u8],
    bilan: &str,
    rome: &Catalogue,
    records: Vec<Record<NewCareerPath>>,
) -> Result<Vec<CareerPath>, ApiError> {
    let skills: Vec<Record<NewSkill>> = store::list(conn, key, bilan, Kind::Skill)?;
    let identified: Vec<_> = skills
        .iter()
        .map(|s| (s.uuid, s.body.name.clone(), s.body.level))
        .collect();
    let authors = store::authors(conn, &records)?;
    Ok(records
        .into_iter()
        .zip(authors)
        .map(|(r, authorship)| CareerPath {
            id: r.uuid,
            occupations: r
                .body
                .rome_codes
                .iter()
                .filter_map(|c| rome.get(c).cloned())
                .collect(),
            gaps: gaps(&r.body.required_skills, &identified),
            fields: r.body,
            authorship,
        })
        .collect())
}

/// Every ROME code known (422 naming the field and the code otherwise), stored in capitals, once each.
pub fn check_codes(rome: &Catalogue, mut new: NewCareerPath) -> Result<NewCareerPath, ApiError> {
    let mut codes: Vec<String> = Vec::with_capacity(new.rome_codes.len());
    for (i, code) in new.rome_codes.iter().enumerate() {
        let Some(found) = rome.get(code) else {
            return Err(ApiError::Rule {
                slug: Slug::UNKNOWN_ROME_CODE,
                detail: format!("rome_codes[{i}] : « {code} » n'est pas un code du ROME 4.0."),
                missing: vec![format!("rome_codes[{i}]")],
            });
        };
        if !codes.contains(&found.code) {
            codes.push(found.code.clone());
        }
    }
    new.rome_codes = codes;
    Ok(new)
}

/// The career paths, each with its occupations and gap list.
#[utoipa::path(tag = "projection", params(BilanPath),
    responses((status = 200, description = "OK", body = Vec<CareerPath>), crate::problems::Read, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[get("/bilans/{id}/career-paths")]
async fn list_career_paths(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Vec<CareerPath>>, ApiError> {
    let st = state.clone();
    let list = super::read(
        &state,
        path.id,
        viewer,
        AccessKind::Projection,
        move |conn, key, id| {
            let all = records(conn, key, id)?;
            dtos(conn, key, id, &st.rome, all)
        },
    )
    .await?;
    Ok(web::Json(list))
}

/// Adds a career path (the beneficiary or an assigned consultant); an unknown ROME code is a 422.
#[utoipa::path(tag = "projection", params(BilanPath), request_body = NewCareerPath,
    responses((status = 201, description = "Created", body = CareerPath), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/career-paths")]
async fn create_career_path(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<NewCareerPath>,
) -> Result<HttpResponse, ApiError> {
    super::may_write(&state, path.id, &viewer).await?;
    let new = body.validated()?;
    let st = state.clone();
    let out = super::write(&state, path.id, viewer, move |conn, key, id, viewer| {
        let new = check_codes(&st.rome, new.clone())?;
        let r = store::insert(conn, key, id, Kind::CareerPath, viewer.id(), &new)?;
        dtos(conn, key, id, &st.rome, vec![r])?
            .pop()
            .ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Replaces a career path.
#[utoipa::path(tag = "projection", params(ItemPath), request_body = NewCareerPath,
    responses((status = 200, description = "OK", body = CareerPath), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[put("/bilans/{id}/career-paths/{item_id}")]
async fn update_career_path(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<ItemPath>,
    body: JsonBody<NewCareerPath>,
) -> Result<web::Json<CareerPath>, ApiError> {
    super::may_write(&state, path.id, &viewer).await?;
    let new = body.validated()?;
    let item = path.item_id.to_string();
    let st = state.clone();
    let out = super::write(&state, path.id, viewer, move |conn, key, id, viewer| {
        let new = check_codes(&st.rome, new.clone())?;
        let r = store::update(conn, key, id, Kind::CareerPath, &item, viewer.id(), &new)?;
        dtos(conn, key, id, &st.rome, vec![r])?
            .pop()
            .ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(web::Json(out))
}

/// Deletes a career path (its scores leave the matrix with it).
#[utoipa::path(tag = "projection", params(ItemPath),
    responses((status = 204, description = "Deleted"), crate::problems::Read, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[delete("/bilans/{id}/career-paths/{item_id}")]
async fn delete_career_path(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, ApiError> {
    let item = path.item_id.to_string();
    super::write(&state, path.id, viewer, move |conn, _key, id, viewer| {
        store::delete(conn, id, Kind::CareerPath, &item, viewer.id())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
