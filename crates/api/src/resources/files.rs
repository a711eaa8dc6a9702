//! A file resource's file (typed from its content, encrypted before storage), its download, and
//! opening a link. Each download or opening by a beneficiary is one entry of the access log.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use boussole_shared::Slug;
use boussole_shared::resources::{Resource, ResourceKind, ResourceOpened};
use diesel::prelude::*;

use super::ResourcePath;
use super::handlers::editable;
use super::store;
use crate::AppState;
use crate::auth::caller::{Staff, Viewer};
use crate::bilans::files::{read_upload, sniffed_type, upload_name};
use crate::bilans::sealed_names::stored_hash;
use crate::crypto;
use crate::db;
use crate::error::ApiError;
use crate::journal;
use crate::schema::resources as r;

/// The purpose of the key files are sealed under (derived from the master key).
const PURPOSE: &str = "resource-file";

fn storage_key(resource: &str, file: &str) -> String {
    format!("resources/{resource}/{file}")
}

/// A file resource that `viewer` may change (404, 403 `not-resource-creator`, 422 `not-a-file`).
fn file_resource(
    conn: &mut db::Conn,
    id: &str,
    viewer: &Viewer,
) -> Result<store::ResourceRow, ApiError> {
    let row = editable(conn, id, viewer)?;
    if row.kind()? != ResourceKind::File {
        return Err(ApiError::Rule {
            slug: Slug::NOT_A_FILE,
            detail: "Cette ressource est un lien : elle ne prend pas de fichier.".into(),
            missing: vec!["kind".into()],
        });
    }
    Ok(row)
}

/// Uploads (or replaces) the file of a file resource: the body is the file, `?name=` its name. PDF,
/// images and office files, 10 MiB at most, typed from the content whatever the name says.
#[utoipa::path(tag = "resources", params(ResourcePath, boussole_shared::bilans::UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, description = "The resource with its file", body = Resource), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[put("/resources/{id}/file")]
async fn upload_resource_file(
    Staff { viewer, user }: Staff,
    state: web::Data<AppState>,
    path: web::Path<ResourcePath>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<web::Json<Resource>, ApiError> {
    let id = path.id.to_string();
    // Who may, and whether it takes a file, before reading a byte.
    let (v, rid) = (viewer.clone(), id.clone());
    db::run(&state.pool, move |conn| {
        file_resource(conn, &rid, &v).map(|_| ())
    })
    .await?;
    let name = upload_name(&req)?;
    let bytes = read_upload(&mut payload).await?;
    let content_type = sniffed_type(&bytes)?;
    let file_id = db::new_id();
    let size = bytes.len() as i64;
    let stored = crypto::seal_secret(&state.config.master_key, PURPOSE, &file_id, &bytes)?;
    let sha256 = stored_hash(&stored);
    state
        .storage
        .put(&storage_key(&id, &file_id), stored)
        .await?;
    let (actor, rid, fid) = (user.actor(), id.clone(), file_id.clone());
    let saved = db::tx(&state.pool, move |conn| {
        let mut row = file_resource(conn, &rid, &viewer)?;
        let replaced = row.file_id.take();
        row.file_id = Some(fid.clone());
        row.file_name = Some(name.clone());
        row.content_type = Some(content_type.to_string());
        row.size = Some(size);
        row.sha256 = Some(sha256.clone());
        row.updated_at = db::now();
        diesel::update(r::table.find(&rid))
            .set((
                r::file_id.eq(&row.file_id),
                r::file_name.eq(&row.file_name),
                r::content_type.eq(&row.content_type),
                r::size.eq(row.size),
                r::sha256.eq(&row.sha256),
                r::updated_at.eq(row.updated_at),
            ))
            .execute(conn)?;
        let details =
            serde_json::json!({ "file_id": fid, "size": size, "content_type": content_type });
        journal::record(
            conn,
            &actor,
            "resource.file_upload",
            "resource",
            Some(&rid),
            details,
        )?;
        Ok((store::dto(conn, &viewer, row)?, replaced))
    })
    .await;
    let (resource, replaced) = match saved {
        Ok(saved) => saved,
        Err(e) => {
            // Nothing refers to the new object: it goes (best effort; the error is the answer).
            let _ = state.storage.delete(&storage_key(&id, &file_id)).await;
            return Err(e);
        }
    };
    if let Some(old) = replaced {
        state.storage.delete(&storage_key(&id, &old)).await?;
    }
    Ok(web::Json(resource))
}

/// Downloads a file resource's file, decrypted. A beneficiary's download is logged.
#[utoipa::path(tag = "resources", params(ResourcePath),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/resources/{id}/file")]
async fn download_resource_file(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<ResourcePath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.id.to_string();
    let rid = id.clone();
    let row = db::tx(&state.pool, move |conn| {
        let row = store::visible(conn, &rid, &viewer)?;
        if row.file_id.is_none() {
            return Err(ApiError::NotFound);
        }
        // Logged once the file is found: a download that fails later still shows as an access.
        store::log_access(conn, &rid, &viewer)?;
        Ok(row)
    })
    .await?;
    let (Some(file_id), Some(name), Some(content_type), Some(sha256)) =
        (row.file_id, row.file_name, row.content_type, row.sha256)
    else {
        return Err(ApiError::NotFound);
    };
    let stored = state.storage.get(&storage_key(&id, &file_id)).await?;
    if stored_hash(&stored) != sha256 {
        return Err(ApiError::internal(
            "stored resource file does not match its SHA-256",
        ));
    }
    let bytes = crypto::open_secret(&state.config.master_key, PURPOSE, &file_id, &stored)?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(name)],
        })
        .body(bytes.to_vec()))
}

/// Opens a resource: for a link, its address, and a beneficiary's opening is logged. For a file the
/// address is `null` and nothing is logged here: its download (`GET …/file`) logs itself, so that
/// one opening is one entry.
#[utoipa::path(tag = "resources", params(ResourcePath),
    responses((status = 200, description = "OK", body = ResourceOpened), crate::problems::Read),
    security(("bearer" = [])))]
#[post("/resources/{id}/open")]
async fn open_resource(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<ResourcePath>,
) -> Result<web::Json<ResourceOpened>, ApiError> {
    let id = path.id.to_string();
    let opened = db::tx(&state.pool, move |conn| {
        let row = store::visible(conn, &id, &viewer)?;
        if row.kind()? == ResourceKind::Link {
            store::log_access(conn, &id, &viewer)?;
        }
        Ok(ResourceOpened { url: row.url })
    })
    .await?;
    Ok(web::Json(opened))
}
