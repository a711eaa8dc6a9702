//! Documents issued for a bilan (issue 12): the certificat de réalisation, the attendance sheet, the
//! pre-contract information, the tripartite convention and the individual contract, the consent to
//! start with the GDPR notice, the funder's convention (D6353-1) and the règlement intérieur (whose
//! acknowledgement is [`acknowledge`]), rendered to PDF from the bilan's administrative records, the
//! organisation's identity (`settings`) and its templates (`templates`). An issued document is immutable — issuing again
//! makes the next version — stored encrypted with its SHA-256, and verifiable by that hash.
//!
//! Who: the staff of the bilan (its admins and assigned consultants) issue; they and the
//! beneficiary list and download (others 404). These kinds hold no bilan content, so admins read
//! them too; the content kind (the synthèse, issued by `crate::synthesis`) answers admins 403 like
//! the rest of the content and is left out of their list (`DocumentKind::is_content`). Each issue
//! and each download is journaled.

pub mod acknowledge;
pub mod contracts;
pub mod data;
pub mod demo;
pub mod legal;
pub mod render;
pub mod store;
pub mod templates;

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, post, web};
use boussole_shared::documents::{
    DocumentKind, DocumentVerification, IssuedDocument, NewDocument, VerifyQuery,
};
use boussole_shared::field_rules::FieldRule;
use diesel::prelude::*;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::AppState;
use crate::auth::caller::{Person, Staff, Viewer};
use crate::bilans::{BilanPath, model};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal;
use crate::json::JsonBody;
use crate::schema::issued_documents;
use store::DocumentRow;

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct DocumentPath {
    /// Document id.
    pub id: uuid::Uuid,
}

pub fn routes(cfg: &mut ServiceConfig) {
    // `verify` before `{id}`: the literal segment must win.
    cfg.service(verify_document)
        .service(verify_upload)
        .service(issue_document)
        .service(list_documents)
        .service(get_document)
        .service(download_document)
        .service(acknowledge::acknowledge_reglement);
}

/// Issues a document of the bilan (its admins and assigned consultants): 422 `document-data-missing`
/// with `missing` listing every absent datum (`organisation.siret`, `bilan.sessions`…), nothing
/// stored. Issuing the pre-contract information records the `pre_contract_info` fact, dated today.
#[utoipa::path(tag = "documents", params(BilanPath), request_body = NewDocument,
    responses((status = 201, description = "Issued", body = IssuedDocument), crate::problems::Write,
        crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/bilans/{id}/documents")]
async fn issue_document(
    Staff { viewer, user }: Staff,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<NewDocument>,
) -> Result<HttpResponse, ApiError> {
    let kind = body.parse()?.kind;
    if kind.is_content() {
        return Err(ApiError::field(
            "kind",
            FieldRule::NotAllowed,
            "le document de synthèse s'émet depuis la synthèse approuvée (POST /bilans/{id}/synthesis/issue)",
        ));
    }
    let issued = store::issue(&state, &path.id.to_string(), kind, &viewer, &user.actor()).await?;
    Ok(HttpResponse::Created().json(issued))
}

/// The documents issued for the bilan, every version, oldest first (its staff and its beneficiary).
/// Admins do not see the content kinds (the synthèse) in it.
#[utoipa::path(tag = "documents", params(BilanPath),
    responses((status = 200, description = "OK", body = Vec<IssuedDocument>), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/bilans/{id}/documents")]
async fn list_documents(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Vec<IssuedDocument>>, ApiError> {
    let id = path.id.to_string();
    let rows: Vec<DocumentRow> = db::run(&state.pool, move |conn| {
        model::load_for(conn, &id, &viewer)?;
        let mut q = issued_documents::table
            .filter(issued_documents::bilan_id.eq(&id))
            .into_boxed();
        if let Viewer::Admin(_) = viewer {
            let content: Vec<&str> = DocumentKind::ALL
                .iter()
                .filter(|k| k.is_content())
                .map(|k| k.as_str())
                .collect();
            q = q.filter(issued_documents::kind.ne_all(content));
        }
        Ok(q.order((
            issued_documents::issued_at.asc(),
            issued_documents::version.asc(),
        ))
        .select(DocumentRow::as_select())
        .load(conn)?)
    })
    .await?;
    Ok(web::Json(
        rows.into_iter().map(store::dto).collect::<Result<_, _>>()?,
    ))
}

/// The document if `viewer` may read it: 404 for someone else's, 403 for an admin on content.
fn load_visible(conn: &mut Conn, id: &str, viewer: &Viewer) -> Result<DocumentRow, ApiError> {
    let row: DocumentRow = issued_documents::table
        .find(id)
        .select(DocumentRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    if store::kind_of(&row)?.is_content() {
        model::load_for_content(conn, &row.bilan_id, viewer)?;
    } else {
        model::load_for(conn, &row.bilan_id, viewer)?;
    }
    Ok(row)
}

/// One issued document's metadata.
#[utoipa::path(tag = "documents", params(DocumentPath),
    responses((status = 200, description = "OK", body = IssuedDocument), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/documents/{id}")]
async fn get_document(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<DocumentPath>,
) -> Result<web::Json<IssuedDocument>, ApiError> {
    let id = path.id.to_string();
    let row = db::run(&state.pool, move |conn| load_visible(conn, &id, &viewer)).await?;
    Ok(web::Json(store::dto(row)?))
}

/// The PDF, exactly as issued (its SHA-256 is the one listed); each download is journaled.
#[utoipa::path(tag = "documents", params(DocumentPath),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/documents/{id}/pdf")]
async fn download_document(
    Person { viewer, user }: Person,
    state: web::Data<AppState>,
    path: web::Path<DocumentPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.id.to_string();
    let actor = user.actor();
    let row = db::tx(&state.pool, move |conn| {
        let row = load_visible(conn, &id, &viewer)?;
        let details =
            serde_json::json!({ "document_id": row.id, "kind": row.kind, "version": row.version });
        journal::record(
            conn,
            &actor,
            "document.download",
            "bilan",
            Some(&row.bilan_id),
            details,
        )?;
        Ok(row)
    })
    .await?;
    let pdf = store::read_pdf(&state, &row).await?;
    let name = format!("{}-v{}.pdf", row.kind.replace('_', "-"), row.version);
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(name)],
        })
        .body(pdf))
}

/// Whether Boussole issued a document whose PDF has this SHA-256 (anyone may ask: a funder or an
/// auditor holding a copy), and whether it is the signed original of a signature request. The answer
/// names the kind, version and dates, never the bilan or a person.
#[utoipa::path(tag = "documents", params(VerifyQuery),
    responses((status = 200, description = "OK", body = DocumentVerification),
        (status = 400, description = "Not a SHA-256", content_type = "application/problem+json", body = boussole_shared::Problem)))]
#[get("/documents/verify")]
async fn verify_document(
    state: web::Data<AppState>,
    query: web::Query<VerifyQuery>,
) -> Result<web::Json<DocumentVerification>, ApiError> {
    let hash = query.into_inner().sha256.trim().to_ascii_lowercase();
    if hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ApiError::field(
            "sha256",
            FieldRule::Format,
            "64 chiffres hexadécimaux attendus",
        ));
    }
    Ok(web::Json(verification(&state, hash).await?))
}

/// The largest PDF `POST /documents/verify` reads.
const MAX_VERIFY_BYTES: usize = 20 << 20;

/// The same answer as `GET /documents/verify`, for the PDF itself sent as the body (20 MiB at
/// most): its SHA-256 is computed here, so a single changed byte is a document Boussole never issued.
#[utoipa::path(tag = "documents",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The PDF file"),
    responses((status = 200, description = "OK", body = DocumentVerification),
        crate::problems::PublicUpload))]
#[post("/documents/verify")]
async fn verify_upload(
    state: web::Data<AppState>,
    mut payload: web::Payload,
) -> Result<web::Json<DocumentVerification>, ApiError> {
    use futures_util::StreamExt;
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("corps illisible : {e}")))?;
        if bytes.len() + chunk.len() > MAX_VERIFY_BYTES {
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
    let hash = crate::bilans::sealed_names::stored_hash(&bytes);
    Ok(web::Json(verification(&state, hash).await?))
}

async fn verification(state: &AppState, hash: String) -> Result<DocumentVerification, ApiError> {
    use crate::schema::signature_requests as q;
    type Found = (
        String,
        i64,
        chrono::NaiveDateTime,
        Option<chrono::NaiveDateTime>,
    );
    let found: Option<Found> = db::run(&state.pool, move |conn| {
        let issued: Option<Found> = issued_documents::table
            .filter(issued_documents::sha256.eq(&hash))
            .order(issued_documents::issued_at.asc())
            .select((
                issued_documents::kind,
                issued_documents::version,
                issued_documents::issued_at,
                None::<chrono::NaiveDateTime>
                    .into_sql::<diesel::sql_types::Nullable<diesel::sql_types::Timestamp>>(),
            ))
            .first(conn)
            .optional()?;
        if issued.is_some() {
            return Ok(issued);
        }
        Ok(q::table
            .inner_join(issued_documents::table)
            .filter(q::signed_sha256.eq(&hash))
            .select((
                issued_documents::kind,
                issued_documents::version,
                issued_documents::issued_at,
                q::ended_at,
            ))
            .first(conn)
            .optional()?)
    })
    .await?;
    Ok(match found {
        Some((kind, version, issued_at, signed_at)) => DocumentVerification {
            issued: true,
            kind: boussole_shared::documents::DocumentKind::parse(&kind),
            version: Some(version),
            issued_at: Some(issued_at.and_utc()),
            signed: signed_at.is_some(),
            signed_at: signed_at.map(|t| t.and_utc()),
        },
        None => DocumentVerification {
            issued: false,
            kind: None,
            version: None,
            issued_at: None,
            signed: false,
            signed_at: None,
        },
    })
}
