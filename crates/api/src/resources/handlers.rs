//! The library's records: list and search, create, read, change, archive.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use boussole_shared::Page;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::resources::{
    NewResource, Resource, ResourceFilter, ResourceKind, UpdateResource,
};
use diesel::prelude::*;

use super::store::{self, ResourceRow};
use super::{ResourcePath, may_edit};
use crate::AppState;
use crate::accounts::search_pattern;
use crate::auth::caller::{Staff, Viewer};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::{self, Actor};
use crate::json::JsonBody;
use crate::paged::Paged;
use crate::schema::{resource_shares as rs, resource_tags as rt, resources as r};

/// The library as `viewer` may see it, newest first. Beneficiaries: what is for all or shared with
/// them, not archived, ready. Staff: everything, archived resources with `?include_archived=true`.
#[utoipa::path(tag = "resources", params(ResourceFilter),
    responses((status = 200, description = "OK", body = Page<Resource>), crate::problems::List),
    security(("bearer" = [])))]
#[get("/resources")]
async fn list_resources(
    viewer: Viewer,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<Page<Resource>>, ApiError> {
    let filter: ResourceFilter = crate::json::query(&req)?;
    let paged = Paged::from_request(&req)?;
    let pattern = search_pattern(filter.q.as_deref());
    let page = db::run(&state.pool, move |conn| {
        let query = || {
            let mut q = r::table.into_boxed();
            match &viewer {
                Viewer::Beneficiary(me) => {
                    let mine = rs::table
                        .filter(rs::beneficiary_id.eq(me.clone()))
                        .select(rs::resource_id);
                    q = q
                        .filter(r::archived_at.is_null())
                        .filter(r::kind.eq("link").or(r::file_id.is_not_null()))
                        .filter(r::audience.eq("all").or(r::id.eq_any(mine)));
                }
                _ if filter.include_archived != Some(true) => {
                    q = q.filter(r::archived_at.is_null());
                }
                _ => {}
            }
            if let Some(pattern) = &pattern {
                q = q.filter(r::search.like(pattern.clone()).escape('\\'));
            }
            if let Some(tag) = &filter.tag {
                let tagged = rt::table
                    .filter(rt::tag.eq(tag.clone()))
                    .select(rt::resource_id);
                q = q.filter(r::id.eq_any(tagged));
            }
            q
        };
        let page = paged.load(conn, query, |q| {
            q.order((r::created_at.desc(), r::id.desc()))
                .select(ResourceRow::as_select())
        })?;
        page.try_map_items(|rows| store::to_dtos(conn, &viewer, rows))
    })
    .await?;
    Ok(web::Json(page))
}

fn journal(conn: &mut Conn, actor: &Actor, action: &str, row: &ResourceRow) -> QueryResult<()> {
    let details =
        serde_json::json!({ "title": row.title, "kind": row.kind, "audience": row.audience });
    journal::record(conn, actor, action, "resource", Some(&row.id), details)
}

/// A title with something else than spaces, trimmed.
fn checked_title(title: &str) -> Result<String, ApiError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(ApiError::field(
            "title",
            FieldRule::Required,
            "le titre est vide",
        ));
    }
    Ok(title.to_string())
}

/// A description; empty means none.
fn description(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
}

/// The address a resource of `kind` takes: required for a link, refused for a file.
fn checked_url(kind: ResourceKind, url: Option<&str>) -> Result<Option<String>, ApiError> {
    match (kind, url.map(str::trim)) {
        (ResourceKind::Link, Some(url)) if !url.is_empty() => Ok(Some(url.to_string())),
        (ResourceKind::Link, _) => Err(ApiError::field(
            "url",
            FieldRule::Required,
            "l'adresse du lien est obligatoire",
        )),
        (ResourceKind::File, None) => Ok(None),
        (ResourceKind::File, Some(_)) => Err(ApiError::field(
            "url",
            FieldRule::NotAllowed,
            "une ressource de type fichier n'a pas d'adresse : envoyez le fichier",
        )),
    }
}

/// Adds a link (ready at once) or a file resource (its file comes next, with `PUT …/file`; until then
/// beneficiaries do not see it).
#[utoipa::path(tag = "resources", request_body = NewResource,
    responses((status = 201, description = "Created", body = Resource), crate::problems::Write),
    security(("bearer" = [])))]
#[post("/resources")]
async fn create_resource(
    Staff { viewer, user }: Staff,
    state: web::Data<AppState>,
    body: JsonBody<NewResource>,
) -> Result<HttpResponse, ApiError> {
    let new = body.validated()?;
    let title = checked_title(&new.title)?;
    let url = checked_url(new.kind, new.url.as_deref())?;
    let description = description(new.description.as_deref());
    let now = db::now();
    let row = ResourceRow {
        id: db::new_id(),
        search: store::search_text(&title, description.as_deref(), &new.tags),
        title,
        description,
        kind: new.kind.as_str().to_string(),
        audience: new.audience.as_str().to_string(),
        url,
        file_id: None,
        file_name: None,
        content_type: None,
        size: None,
        sha256: None,
        created_by: viewer.id().to_string(),
        created_at: now,
        updated_at: now,
        archived_at: None,
    };
    let actor = user.actor();
    let resource = db::tx(&state.pool, move |conn| {
        diesel::insert_into(r::table).values(&row).execute(conn)?;
        store::set_tags(conn, &row.id, &new.tags)?;
        journal(conn, &actor, "resource.create", &row)?;
        store::dto(conn, &viewer, row.clone())
    })
    .await?;
    Ok(HttpResponse::Created().json(resource))
}

/// One resource (beneficiaries: one they may see).
#[utoipa::path(tag = "resources", params(ResourcePath),
    responses((status = 200, description = "OK", body = Resource), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/resources/{id}")]
async fn get_resource(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<ResourcePath>,
) -> Result<web::Json<Resource>, ApiError> {
    let id = path.id.to_string();
    let resource = db::run(&state.pool, move |conn| {
        let row = store::visible(conn, &id, &viewer)?;
        store::dto(conn, &viewer, row)
    })
    .await?;
    Ok(web::Json(resource))
}

/// The resource if it exists and `viewer` may change it (404, then 403 `not-resource-creator`).
pub fn editable(conn: &mut Conn, id: &str, viewer: &Viewer) -> Result<ResourceRow, ApiError> {
    let row = store::visible(conn, id, viewer)?;
    may_edit(viewer, &row)?;
    Ok(row)
}

/// Changes a resource's title, description, address (links), tags or audience. A consultant changes
/// the resources they added; an admin any.
#[utoipa::path(tag = "resources", params(ResourcePath), request_body = UpdateResource,
    responses((status = 200, description = "Updated", body = Resource), crate::problems::Write, crate::problems::NotFound),
    security(("bearer" = [])))]
#[patch("/resources/{id}")]
async fn update_resource(
    Staff { viewer, user }: Staff,
    state: web::Data<AppState>,
    path: web::Path<ResourcePath>,
    body: JsonBody<UpdateResource>,
) -> Result<web::Json<Resource>, ApiError> {
    let patch = body.validated()?;
    let (id, actor) = (path.id.to_string(), user.actor());
    let resource = db::tx(&state.pool, move |conn| {
        let mut row = editable(conn, &id, &viewer)?;
        if let Some(title) = &patch.title {
            row.title = checked_title(title)?;
        }
        if patch.description.is_some() {
            row.description = description(patch.description.as_deref());
        }
        if patch.url.is_some() {
            row.url = checked_url(row.kind()?, patch.url.as_deref())?;
        }
        if let Some(audience) = patch.audience {
            row.audience = audience.as_str().to_string();
        }
        if let Some(tags) = &patch.tags {
            store::set_tags(conn, &id, tags)?;
        }
        let tags: Vec<String> = rt::table
            .filter(rt::resource_id.eq(&id))
            .select(rt::tag)
            .load(conn)?;
        row.search = store::search_text(&row.title, row.description.as_deref(), &tags);
        row.updated_at = db::now();
        diesel::update(r::table.find(&id))
            .set((
                r::title.eq(&row.title),
                r::description.eq(&row.description),
                r::url.eq(&row.url),
                r::audience.eq(&row.audience),
                r::search.eq(&row.search),
                r::updated_at.eq(row.updated_at),
            ))
            .execute(conn)?;
        journal(conn, &actor, "resource.update", &row)?;
        store::dto(conn, &viewer, row)
    })
    .await?;
    Ok(web::Json(resource))
}

/// Archives a resource: beneficiaries no longer see it; staff still find it with
/// `?include_archived=true`, and its accesses stay in the log. Archiving it again changes nothing.
#[utoipa::path(tag = "resources", params(ResourcePath),
    responses((status = 204, description = "Archived"), crate::problems::Read),
    security(("bearer" = [])))]
#[delete("/resources/{id}")]
async fn archive_resource(
    Staff { viewer, user }: Staff,
    state: web::Data<AppState>,
    path: web::Path<ResourcePath>,
) -> Result<HttpResponse, ApiError> {
    let (id, actor) = (path.id.to_string(), user.actor());
    db::tx(&state.pool, move |conn| {
        let row = editable(conn, &id, &viewer)?;
        if row.archived_at.is_some() {
            return Ok(());
        }
        let now = db::now();
        diesel::update(r::table.find(&id))
            .set((r::archived_at.eq(now), r::updated_at.eq(now)))
            .execute(conn)?;
        Ok(journal(conn, &actor, "resource.archive", &row)?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
