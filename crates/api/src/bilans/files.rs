//! Documents on a bilan (bilan content): uploaded by the beneficiary or an assigned consultant, typed
//! by their first bytes rather than their name, encrypted under the bilan's key before they reach storage.
//! Their names are sealed under the same key, and only the hash of the encrypted bytes is kept
//! (`sealed_names`): destroying the key leaves nothing that identifies a document.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use boussole_shared::field_rules::FieldRule;

use boussole_shared::access::AccessKind;
use boussole_shared::bilans::{BilanFile, MAX_FILE_BYTES, UploadQuery};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use futures_util::StreamExt;
use utoipa::IntoParams;

use super::BilanPath;
use super::model;
use super::sealed_names;
use crate::AppState;
use crate::auth::caller::{Person, Viewer};
use crate::crypto;
use crate::db;
use crate::error::ApiError;
use crate::journal;
use crate::schema::bilan_files;

/// What may be uploaded, as recognised from the content.
const ALLOWED: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/msword",
    "application/vnd.ms-excel",
];

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct FilePath {
    /// Bilan id.
    id: uuid::Uuid,
    /// File id.
    file_id: uuid::Uuid,
}

/// Id, name (in clear), content type, size, SHA-256 of the stored bytes, uploader, creation.
type FileRow = (String, String, String, i64, String, String, NaiveDateTime);

fn dto(
    (id, name, content_type, size, sha256, uploaded_by, created_at): FileRow,
) -> Result<BilanFile, ApiError> {
    let uuid = db::uuid_of;
    Ok(BilanFile {
        id: uuid(&id)?,
        name,
        content_type,
        size,
        sha256,
        uploaded_by: uuid(&uploaded_by)?,
        created_at: created_at.and_utc(),
    })
}

/// The `?name=` of an upload: 1 to 200 characters, no path, no control character.
pub(crate) fn upload_name(req: &HttpRequest) -> Result<String, ApiError> {
    let query = web::Query::<UploadQuery>::from_query(req.query_string()).map_err(|_| {
        ApiError::field(
            "name",
            FieldRule::Required,
            "le paramètre ?name= est obligatoire",
        )
    })?;
    let name = query.into_inner().name.trim().to_string();
    if name.is_empty()
        || name.chars().count() > 200
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
    {
        return Err(ApiError::field(
            "name",
            FieldRule::Format,
            "nom de fichier invalide (1 à 200 caractères, sans chemin)",
        ));
    }
    Ok(name)
}

/// The uploaded bytes: 413 past 10 MiB (read no further), 400 when empty.
pub(crate) async fn read_upload(payload: &mut web::Payload) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("corps illisible : {e}")))?;
        if bytes.len() + chunk.len() > MAX_FILE_BYTES {
            return Err(ApiError::PayloadTooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    if bytes.is_empty() {
        return Err(ApiError::field(
            "file",
            FieldRule::Required,
            "le fichier est vide",
        ));
    }
    Ok(bytes)
}

/// The type of an upload as its content says (whatever its name claims): one of [`ALLOWED`], else 415.
pub(crate) fn sniffed_type(bytes: &[u8]) -> Result<&'static str, ApiError> {
    infer::get(bytes)
        .map(|t| t.mime_type())
        .filter(|m| ALLOWED.contains(m))
        .ok_or(ApiError::UnsupportedMediaType)
}

pub(crate) fn storage_key(bilan: &str, file: &str) -> String {
    format!("bilans/{bilan}/{file}")
}

/// The documents of the bilan (content: beneficiary and assigned consultants only).
#[utoipa::path(tag = "bilans", params(BilanPath),
    responses((status = 200, description = "OK", body = Vec<BilanFile>), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/bilans/{id}/files")]
async fn list_files(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Vec<BilanFile>>, ApiError> {
    let id = path.id.to_string();
    let st = state.clone();
    let rows: Vec<FileRow> = db::run(&state.pool, move |conn| {
        super::access::read_content(conn, &id, &viewer, AccessKind::Files, None)?;
        // `name` is '' in the table once sealed.
        let rows: Vec<(FileRow, Option<Vec<u8>>)> = bilan_files::table
            .filter(bilan_files::bilan_id.eq(&id))
            .filter(bilan_files::destroyed_at.is_null())
            .order(bilan_files::created_at.asc())
            .select((
                (
                    bilan_files::id,
                    bilan_files::name,
                    bilan_files::content_type,
                    bilan_files::size,
                    bilan_files::sha256,
                    bilan_files::uploaded_by,
                    bilan_files::created_at,
                ),
                bilan_files::name_sealed,
            ))
            .load(conn)?;
        if rows.is_empty() {
            // Nothing to open (a destroyed bilan has no key left, and lists no document).
            return Ok(Vec::new());
        }
        let key = model::content_key(conn, &st.config.master_key, &id)?;
        rows.into_iter()
            .map(|(mut row, sealed)| {
                row.1 = sealed_names::open(&key, &row.0, sealed.as_deref(), row.1)?;
                Ok(row)
            })
            .collect()
    })
    .await?;
    Ok(web::Json(
        rows.into_iter().map(dto).collect::<Result<_, _>>()?,
    ))
}

/// Uploads a document: the request body is the file itself, `?name=` its name. PDF, images and office
/// files, 10 MiB at most; the type is read from the content, whatever the name says.
#[utoipa::path(tag = "bilans", params(BilanPath, UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, description = "Created", body = BilanFile), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/files")]
async fn upload_file(
    Person { viewer, user }: Person,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = path.id.to_string();
    // Check access before reading anything: a refused caller learns nothing and uploads nothing.
    let (v, bid, st) = (viewer.clone(), id.clone(), state.clone());
    let key = db::run(&state.pool, move |conn| {
        model::load_for_content(conn, &bid, &v)?;
        model::content_key(conn, &st.config.master_key, &bid)
    })
    .await?;
    // The query is read here, after the caller was authorised (extractors would race).
    let name = upload_name(&req)?;
    let bytes = read_upload(&mut payload).await?;
    let content_type = sniffed_type(&bytes)?;
    let file_id = db::new_id();
    let size = bytes.len() as i64;
    let stored = crypto::encrypt_bytes(&key, &file_id, &bytes)?;
    let sha256 = sealed_names::stored_hash(&stored);
    let sealed_name = sealed_names::seal(&key, &file_id, &name)?;
    state
        .storage
        .put(&storage_key(&id, &file_id), stored)
        .await?;
    let actor = user.actor();
    let row: FileRow = (
        file_id,
        name,
        content_type.to_string(),
        size,
        sha256,
        viewer.id().to_string(),
        db::now(),
    );
    let saved = row.clone();
    db::tx(&state.pool, move |conn| {
        diesel::insert_into(bilan_files::table)
            .values((
                bilan_files::id.eq(&row.0),
                bilan_files::bilan_id.eq(&id),
                bilan_files::name.eq(""),
                bilan_files::name_sealed.eq(&sealed_name),
                bilan_files::content_type.eq(&row.2),
                bilan_files::size.eq(row.3),
                bilan_files::sha256.eq(&row.4),
                bilan_files::uploaded_by.eq(&row.5),
                bilan_files::created_at.eq(row.6),
            ))
            .execute(conn)?;
        model::event(
            conn,
            &id,
            "file",
            Some(&row.5),
            serde_json::json!({ "file_id": row.0 }),
            true,
        )?;
        Ok(journal::record(
            conn,
            &actor,
            "bilan.file_upload",
            "bilan",
            Some(&id),
            serde_json::json!({ "file_id": row.0, "size": row.3 }),
        )?)
    })
    .await?;
    Ok(HttpResponse::Created().json(dto(saved)?))
}

/// Downloads a document, decrypted.
#[utoipa::path(tag = "bilans", params(FilePath),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), crate::problems::Read, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[get("/bilans/{id}/files/{file_id}")]
async fn download_file(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<FilePath>,
) -> Result<HttpResponse, ApiError> {
    let (id, file_id) = (path.id.to_string(), path.file_id.to_string());
    let (i, f, st) = (id.clone(), file_id.clone(), state.clone());
    let (key, name, sealed, content_type, sha256) = db::run(&state.pool, move |conn| {
        model::load_for_content(conn, &i, &viewer)?;
        let key = model::content_key(conn, &st.config.master_key, &i)?;
        let (name, sealed, content_type, sha256): (String, Option<Vec<u8>>, String, String) =
            bilan_files::table
                .filter(bilan_files::id.eq(&f))
                .filter(bilan_files::bilan_id.eq(&i))
                .filter(bilan_files::destroyed_at.is_null())
                .select((
                    bilan_files::name,
                    bilan_files::name_sealed,
                    bilan_files::content_type,
                    bilan_files::sha256,
                ))
                .first(conn)
                .optional()?
                .ok_or(ApiError::NotFound)?;
        // Journaled once the document is found: a download that fails later still shows as a read.
        super::access::journal_read(conn, &i, &viewer, AccessKind::FileDownload, Some(&f))?;
        Ok((key, name, sealed, content_type, sha256))
    })
    .await?;
    let stored = state.storage.get(&storage_key(&id, &file_id)).await?;
    let bytes = crypto::decrypt_bytes(&key, &file_id, &stored)?;
    // A row not yet brought up to date (no sealed name) still has the hash of the clear bytes.
    let hashed: &[u8] = if sealed.is_some() { &stored } else { &bytes };
    if sealed_names::stored_hash(hashed) != sha256 {
        return Err(ApiError::internal("stored file does not match its SHA-256"));
    }
    let name = sealed_names::open(&key, &file_id, sealed.as_deref(), name)?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(name)],
        })
        .body(bytes))
}
