//! Sharing a resource with beneficiaries, and the access log (Qualiopi indicator 19: which resources
//! each beneficiary used). What staff see of beneficiaries is scoped: an admin every beneficiary, a
//! consultant the beneficiaries of the bilans assigned to them now.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use boussole_shared::Page;
use boussole_shared::Slug;
use boussole_shared::bilans::PersonRef;
use boussole_shared::notifications::NotificationKind;
use boussole_shared::resources::{
    ResourceAccess, ResourceAccessFilter, ResourceShare, ResourceShares,
};
use boussole_shared::users::Role;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use utoipa::IntoParams;

use super::ResourcePath;
use super::store;
use crate::AppState;
use crate::auth::caller::{Staff, Viewer};
use crate::bilans::model;
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::journal;
use crate::json::JsonBody;
use crate::notifications::{Delivery, NewNotification};
use crate::paged::Paged;
use crate::schema::{resource_accesses as ra, resource_shares as rs, resources as r, users};

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct SharePath {
    /// Resource id.
    pub id: uuid::Uuid,
    /// The beneficiary's account id.
    pub beneficiary_id: uuid::Uuid,
}

fn person(
    people: &std::collections::HashMap<String, PersonRef>,
    id: &str,
) -> Result<PersonRef, ApiError> {
    people
        .get(id)
        .cloned()
        .ok_or(ApiError::Database(diesel::result::Error::NotFound))
}

/// The resource's shares that `viewer` may see, newest first.
fn shares(conn: &mut Conn, id: &str, viewer: &Viewer) -> Result<Vec<ResourceShare>, ApiError> {
    let mut query = rs::table.filter(rs::resource_id.eq(id)).into_boxed();
    if let Some(people) = store::scope(conn, viewer)? {
        query = query.filter(rs::beneficiary_id.eq_any(people));
    }
    let rows: Vec<(String, String, NaiveDateTime)> = query
        .order((rs::shared_at.desc(), rs::beneficiary_id.asc()))
        .select((rs::beneficiary_id, rs::shared_by, rs::shared_at))
        .load(conn)?;
    let ids: Vec<&str> = rows
        .iter()
        .flat_map(|(b, s, _)| [b.as_str(), s.as_str()])
        .collect();
    let people = model::people(conn, &ids)?;
    rows.iter()
        .map(|(beneficiary, by, at)| {
            Ok(ResourceShare {
                beneficiary: person(&people, beneficiary)?,
                shared_by: person(&people, by)?,
                shared_at: at.and_utc(),
            })
        })
        .collect()
}

/// Who the resource is shared with (a consultant: among their beneficiaries).
#[utoipa::path(tag = "resources", params(ResourcePath),
    responses((status = 200, description = "OK", body = Vec<ResourceShare>), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/resources/{id}/shares")]
async fn list_resource_shares(
    Staff { viewer, .. }: Staff,
    state: web::Data<AppState>,
    path: web::Path<ResourcePath>,
) -> Result<web::Json<Vec<ResourceShare>>, ApiError> {
    let id = path.id.to_string();
    let list = db::run(&state.pool, move |conn| {
        store::visible(conn, &id, &viewer)?;
        shares(conn, &id, &viewer)
    })
    .await?;
    Ok(web::Json(list))
}

/// Refuses the whole request when one id is not a beneficiary `viewer` may share with: a consultant
/// 403 `not-your-beneficiary` (whether the account exists or not: they learn nothing of others'),
/// an admin 422 `not-a-beneficiary`.
fn check_recipients(conn: &mut Conn, viewer: &Viewer, ids: &[String]) -> Result<(), ApiError> {
    let known: Vec<String> = users::table
        .filter(users::id.eq_any(ids))
        .filter(users::role.eq(Role::Beneficiary.as_str()))
        .filter(users::is_active.eq(true))
        .select(users::id)
        .load(conn)?;
    let allowed = match store::scope(conn, viewer)? {
        None => known,
        Some(mine) => known.into_iter().filter(|k| mine.contains(k)).collect(),
    };
    if ids.iter().all(|id| allowed.contains(id)) {
        return Ok(());
    }
    Err(match viewer {
        Viewer::Admin(_) => ApiError::Rule {
            slug: Slug::NOT_A_BENEFICIARY,
            detail: "Une ressource se partage avec des comptes de bénéficiaires actifs.".into(),
            missing: vec!["beneficiary_ids".into()],
        },
        _ => ApiError::forbidden(
            Slug::NOT_YOUR_BENEFICIARY,
            "Vous ne partagez une ressource qu'avec les bénéficiaires des bilans qui vous sont confiés.",
        ),
    })
}

/// Shares the resource with beneficiaries (1 to 100; one already there keeps its first date). All or
/// nothing: one id refused refuses the request. Answers who it is shared with now.
#[utoipa::path(tag = "resources", params(ResourcePath), request_body = ResourceShares,
    responses((status = 200, description = "Who it is shared with now", body = Vec<ResourceShare>), crate::problems::Write, crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/resources/{id}/shares")]
async fn share_resource(
    Staff { viewer, user }: Staff,
    state: web::Data<AppState>,
    path: web::Path<ResourcePath>,
    body: JsonBody<ResourceShares>,
) -> Result<web::Json<Vec<ResourceShare>>, ApiError> {
    let new = body.validated()?;
    let (id, actor) = (path.id.to_string(), user.actor());
    let mut ids: Vec<String> = new
        .beneficiary_ids
        .iter()
        .map(ToString::to_string)
        .collect();
    ids.sort();
    ids.dedup();
    let url = state.config.public_url.clone();
    let list = crate::notifications::tx(&state, move |conn| {
        let row = store::visible(conn, &id, &viewer)?;
        if row.archived_at.is_some() {
            return Err(ApiError::conflict(
                Slug::RESOURCE_ARCHIVED,
                "Cette ressource est archivée : elle ne se partage plus.",
            ));
        }
        check_recipients(conn, &viewer, &ids)?;
        let now = db::now();
        let mut added = Vec::new();
        for beneficiary in &ids {
            let n = crate::on_backend!(conn, |co| {
                diesel::insert_into(rs::table)
                    .values((
                        rs::resource_id.eq(&id),
                        rs::beneficiary_id.eq(beneficiary),
                        rs::shared_by.eq(viewer.id()),
                        rs::shared_at.eq(now),
                    ))
                    .on_conflict_do_nothing()
                    .execute(co)
            })?;
            if n == 1 {
                added.push(beneficiary.clone());
            }
        }
        // Each beneficiary it is newly shared with is told (a repeated share says nothing again).
        for beneficiary in &added {
            tell_shared(conn, &url, beneficiary, &row.title)?;
        }
        let details = serde_json::json!({ "beneficiary_ids": added });
        journal::record(
            conn,
            &actor,
            "resource.share",
            "resource",
            Some(&id),
            details,
        )?;
        shares(conn, &id, &viewer)
    })
    .await?;
    Ok(web::Json(list))
}

/// The `resource_shared` notification: the resource's title is library content, not bilan content.
fn tell_shared(conn: &mut Conn, url: &str, beneficiary: &str, title: &str) -> Result<(), ApiError> {
    let heading = "Une ressource a été partagée avec vous".to_string();
    crate::notifications::notify(
        conn,
        &NewNotification {
            user_id: beneficiary.to_string(),
            kind: NotificationKind::ResourceShared,
            title: format!("{heading} : « {title} »"),
            subject: Some(title.to_string()),
            link: "/ressources".into(),
            email: Some((
                format!("Boussole : {heading}"),
                format!(
                    "Bonjour,\n\nVotre consultant a partagé avec vous une ressource dans Boussole : « {title} ».\n\nPour la consulter : {url}/ressources\n"
                ),
            )),
            sms: Some(format!(
                "Boussole : {heading}. Connectez-vous pour la consulter."
            )),
            delivery: Delivery::default(),
        },
    )?;
    Ok(())
}

/// Stops sharing the resource with a beneficiary (a consultant: one of theirs; else 404). What they
/// opened stays in the log.
#[utoipa::path(tag = "resources", params(SharePath),
    responses((status = 204, description = "No longer shared"), crate::problems::Read),
    security(("bearer" = [])))]
#[delete("/resources/{id}/shares/{beneficiary_id}")]
async fn unshare_resource(
    Staff { viewer, user }: Staff,
    state: web::Data<AppState>,
    path: web::Path<SharePath>,
) -> Result<HttpResponse, ApiError> {
    let (id, beneficiary) = (path.id.to_string(), path.beneficiary_id.to_string());
    let actor = user.actor();
    db::tx(&state.pool, move |conn| {
        store::visible(conn, &id, &viewer)?;
        if let Some(mine) = store::scope(conn, &viewer)?
            && !mine.contains(&beneficiary)
        {
            return Err(ApiError::NotFound);
        }
        let n = diesel::delete(rs::table.find((&id, &beneficiary))).execute(conn)?;
        if n == 0 {
            return Err(ApiError::NotFound);
        }
        let details = serde_json::json!({ "beneficiary_id": beneficiary });
        Ok(journal::record(
            conn,
            &actor,
            "resource.unshare",
            "resource",
            Some(&id),
            details,
        )?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The access log, newest first: each time a beneficiary opened a link or downloaded a file — the
/// evidence of Qualiopi indicator 19. A consultant sees their beneficiaries' only.
#[utoipa::path(tag = "resources", params(ResourceAccessFilter),
    responses((status = 200, description = "OK", body = Page<ResourceAccess>), crate::problems::List),
    security(("bearer" = [])))]
#[get("/resources/accesses")]
async fn list_resource_accesses(
    Staff { viewer, .. }: Staff,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<Page<ResourceAccess>>, ApiError> {
    let filter: ResourceAccessFilter = crate::json::query(&req)?;
    let paged = Paged::from_request(&req)?;
    let page = db::run(&state.pool, move |conn| {
        let scope = store::scope(conn, &viewer)?;
        let query = || {
            let mut q = ra::table.inner_join(r::table).into_boxed();
            if let Some(people) = &scope {
                q = q.filter(ra::user_id.eq_any(people.clone()));
            }
            if let Some(b) = filter.beneficiary_id {
                q = q.filter(ra::user_id.eq(b.to_string()));
            }
            if let Some(res) = filter.resource_id {
                q = q.filter(ra::resource_id.eq(res.to_string()));
            }
            q
        };
        let page: Page<(String, String, String, NaiveDateTime)> = paged.load(conn, query, |q| {
            q.order((ra::at.desc(), ra::id.desc())).select((
                ra::resource_id,
                r::title,
                ra::user_id,
                ra::at,
            ))
        })?;
        page.try_map_items(|rows| {
            let ids: Vec<&str> = rows.iter().map(|row| row.2.as_str()).collect();
            let people = model::people(conn, &ids)?;
            rows.iter()
                .map(|(resource, title, user, at)| {
                    Ok(ResourceAccess {
                        resource_id: uuid_of(resource)?,
                        resource_title: title.clone(),
                        person: person(&people, user)?,
                        at: at.and_utc(),
                    })
                })
                .collect()
        })
    })
    .await?;
    Ok(web::Json(page))
}
