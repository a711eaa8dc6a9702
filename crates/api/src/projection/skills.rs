//! Experiences and the skills identified from them: the beneficiary and the assigned consultants both
//! write them; each says who recorded it and who changed it last.

use actix_web::{HttpResponse, delete, get, post, put, web};
use boussole_shared::Slug;
use boussole_shared::access::AccessKind;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::projection::{Authorship, Experience, NewExperience, NewSkill, Skill};

use super::ItemPath;
use super::store::{self, Kind, Record};
use crate::AppState;
use crate::auth::caller::Viewer;
use crate::bilans::BilanPath;
use crate::db::Conn;
use crate::error::ApiError;
use crate::json::JsonBody;

/// The bilan's experiences as DTOs, oldest first.
pub fn experiences(conn: &mut Conn, key: &[u8], bilan: &str) -> Result<Vec<Experience>, ApiError> {
    let records = store::list(conn, key, bilan, Kind::Experience)?;
    store::with_authors(conn, records, experience)
}

/// The bilan's skills as DTOs, oldest first.
pub fn skills(conn: &mut Conn, key: &[u8], bilan: &str) -> Result<Vec<Skill>, ApiError> {
    let records = store::list(conn, key, bilan, Kind::Skill)?;
    store::with_authors(conn, records, skill)
}

fn experience(id: uuid::Uuid, fields: NewExperience, authorship: Authorship) -> Experience {
    Experience {
        id,
        fields,
        authorship,
    }
}

fn skill(id: uuid::Uuid, fields: NewSkill, authorship: Authorship) -> Skill {
    Skill {
        id,
        fields,
        authorship,
    }
}

fn checked_experience(body: JsonBody<NewExperience>) -> Result<NewExperience, ApiError> {
    let new = body.validated()?;
    match new.period_error() {
        Some((field, rule, message)) => Err(ApiError::field(field, rule, message)),
        None => Ok(new),
    }
}

/// A skill's experience must be one of the bilan's.
fn check_skill(conn: &mut Conn, key: &[u8], bilan: &str, new: &NewSkill) -> Result<(), ApiError> {
    if let Some(exp) = new.experience_id {
        store::find::<NewExperience>(conn, key, bilan, Kind::Experience, &exp.to_string())
            .map_err(|e| match e {
                ApiError::NotFound => ApiError::field(
                    "experience_id",
                    FieldRule::Unknown,
                    "aucune expérience de ce bilan",
                ),
                other => other,
            })?;
    }
    Ok(())
}

/// The experiences of the skills analysis grid.
#[utoipa::path(tag = "projection", params(BilanPath),
    responses((status = 200, description = "OK", body = Vec<Experience>), crate::problems::Read, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[get("/bilans/{id}/experiences")]
async fn list_experiences(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Vec<Experience>>, ApiError> {
    let list = super::read(&state, path.id, viewer, AccessKind::Skills, experiences).await?;
    Ok(web::Json(list))
}

/// Adds an experience (the beneficiary or an assigned consultant).
#[utoipa::path(tag = "projection", params(BilanPath), request_body = NewExperience,
    responses((status = 201, description = "Created", body = Experience), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/experiences")]
async fn create_experience(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<NewExperience>,
) -> Result<HttpResponse, ApiError> {
    super::may_write(&state, path.id, &viewer).await?;
    let new = checked_experience(body)?;
    let out = super::write(&state, path.id, viewer, move |conn, key, id, viewer| {
        let r = store::insert(conn, key, id, Kind::Experience, viewer.id(), &new)?;
        store::one_with_author(conn, r, experience)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Replaces an experience.
#[utoipa::path(tag = "projection", params(ItemPath), request_body = NewExperience,
    responses((status = 200, description = "OK", body = Experience), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[put("/bilans/{id}/experiences/{item_id}")]
async fn update_experience(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<ItemPath>,
    body: JsonBody<NewExperience>,
) -> Result<web::Json<Experience>, ApiError> {
    super::may_write(&state, path.id, &viewer).await?;
    let new = checked_experience(body)?;
    let item = path.item_id.to_string();
    let out = super::write(&state, path.id, viewer, move |conn, key, id, viewer| {
        let r = store::update(conn, key, id, Kind::Experience, &item, viewer.id(), &new)?;
        store::one_with_author(conn, r, experience)
    })
    .await?;
    Ok(web::Json(out))
}

/// Deletes an experience; 409 while skills still point to it.
#[utoipa::path(tag = "projection", params(ItemPath),
    responses((status = 204, description = "Deleted"), crate::problems::Read, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[delete("/bilans/{id}/experiences/{item_id}")]
async fn delete_experience(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, ApiError> {
    let item = path.item_id.to_string();
    super::write(&state, path.id, viewer, move |conn, key, id, viewer| {
        let linked: Vec<Record<NewSkill>> = store::list(conn, key, id, Kind::Skill)?;
        if linked
            .iter()
            .any(|s| s.body.experience_id.map(|e| e.to_string()) == Some(item.clone()))
        {
            return Err(ApiError::conflict(
                Slug::EXPERIENCE_HAS_SKILLS,
                "Des compétences sont rattachées à cette expérience : modifiez-les d'abord.",
            ));
        }
        store::delete(conn, id, Kind::Experience, &item, viewer.id())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The skills identified (transferable ones flagged).
#[utoipa::path(tag = "projection", params(BilanPath),
    responses((status = 200, description = "OK", body = Vec<Skill>), crate::problems::Read, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[get("/bilans/{id}/skills")]
async fn list_skills(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Vec<Skill>>, ApiError> {
    let list = super::read(&state, path.id, viewer, AccessKind::Skills, skills).await?;
    Ok(web::Json(list))
}

/// Records a skill (the beneficiary or an assigned consultant).
#[utoipa::path(tag = "projection", params(BilanPath), request_body = NewSkill,
    responses((status = 201, description = "Created", body = Skill), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/skills")]
async fn create_skill(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<NewSkill>,
) -> Result<HttpResponse, ApiError> {
    super::may_write(&state, path.id, &viewer).await?;
    let new = body.validated()?;
    let out = super::write(&state, path.id, viewer, move |conn, key, id, viewer| {
        check_skill(conn, key, id, &new)?;
        let r = store::insert(conn, key, id, Kind::Skill, viewer.id(), &new)?;
        store::one_with_author(conn, r, skill)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Replaces a skill.
#[utoipa::path(tag = "projection", params(ItemPath), request_body = NewSkill,
    responses((status = 200, description = "OK", body = Skill), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[put("/bilans/{id}/skills/{item_id}")]
async fn update_skill(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<ItemPath>,
    body: JsonBody<NewSkill>,
) -> Result<web::Json<Skill>, ApiError> {
    super::may_write(&state, path.id, &viewer).await?;
    let new = body.validated()?;
    let item = path.item_id.to_string();
    let out = super::write(&state, path.id, viewer, move |conn, key, id, viewer| {
        check_skill(conn, key, id, &new)?;
        let r = store::update(conn, key, id, Kind::Skill, &item, viewer.id(), &new)?;
        store::one_with_author(conn, r, skill)
    })
    .await?;
    Ok(web::Json(out))
}

/// Deletes a skill.
#[utoipa::path(tag = "projection", params(ItemPath),
    responses((status = 204, description = "Deleted"), crate::problems::Read, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[delete("/bilans/{id}/skills/{item_id}")]
async fn delete_skill(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<ItemPath>,
) -> Result<HttpResponse, ApiError> {
    let item = path.item_id.to_string();
    super::write(&state, path.id, viewer, move |conn, _key, id, viewer| {
        store::delete(conn, id, Kind::Skill, &item, viewer.id())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
