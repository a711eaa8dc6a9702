//! Electronic signature of issued documents (issue 12, item 3): the organisation asks the parties
//! of a tripartite convention or an individual contract to sign it, in order; each signs through a
//! personal link and a one-time code (`sign.rs`); the last signature makes the signed original with
//! its evidence page (`complete.rs`, `evidence.rs`), which `GET /documents/verify` recognises.
//!
//! Who: the staff of the bilan (its admins and assigned consultants) ask, follow, remind and
//! cancel; they and the beneficiary read the requests and download the signed original. None of
//! this is bilan content: the documents signed are administrative.

pub mod complete;
pub mod demo;
pub mod evidence;
pub mod job;
pub mod sign;
pub mod store;

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, post, web};
use boussole_shared::Slug;
use boussole_shared::signatures::{NewSignatureRequest, SignatureRequest, SignatureStatus};
use diesel::prelude::*;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::AppState;
use crate::auth::caller::{Staff, Viewer};
use crate::bilans::model;
use crate::db::{self, Conn};
use crate::documents::DocumentPath;
use crate::documents::store::DocumentRow;
use crate::error::ApiError;
use crate::journal;
use crate::json::JsonBody;
use crate::schema::{issued_documents, signature_requests as q};
use store::{Mailing, RequestRow};

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct RequestPath {
    /// Signature request id.
    pub id: uuid::Uuid,
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create_request)
        .service(list_requests)
        .service(cancel_request)
        .service(remind_signer)
        .service(signed_pdf)
        .service(sign::signing_view)
        .service(sign::signing_pdf)
        .service(sign::send_code)
        .service(sign::sign);
}

/// The document if `viewer` may see its bilan (404 otherwise).
fn document_for(conn: &mut Conn, id: &str, viewer: &Viewer) -> Result<DocumentRow, ApiError> {
    let doc: DocumentRow = issued_documents::table
        .find(id)
        .select(DocumentRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    model::load_for(conn, &doc.bilan_id, viewer)?;
    Ok(doc)
}

/// The request and its document if `viewer` may see its bilan (404 otherwise).
fn request_for(
    conn: &mut Conn,
    id: &str,
    viewer: &Viewer,
) -> Result<(RequestRow, DocumentRow), ApiError> {
    let row = store::find(conn, id)?;
    let doc = document_for(conn, &row.document_id, viewer)?;
    Ok((row, doc))
}

fn mailing<'a>(state: &'a AppState, organisation: &'a str, doc: &'a DocumentRow) -> Mailing<'a> {
    Mailing {
        master: &state.config.master_key,
        public_url: &state.config.public_url,
        organisation,
        document_title: &doc.title,
    }
}

/// Asks the parties to sign the document, in the order given (its admins and assigned
/// consultants): the first signer is emailed their personal link at once, each next one when the
/// previous has signed. A tripartite convention is signed by the beneficiary, the organisation and
/// the employer, and the employee's 10 days to accept run from now (R6313-8); an individual
/// contract by the beneficiary and the organisation. 409 when a request is already pending; 422
/// `document-not-signable`, `document-superseded` (a newer version exists).
#[utoipa::path(tag = "signatures", params(DocumentPath), request_body = NewSignatureRequest,
    responses((status = 201, description = "Created; the first signer is invited", body = SignatureRequest),
        crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/documents/{id}/signature-requests")]
async fn create_request(
    Staff { viewer, user }: Staff,
    state: web::Data<AppState>,
    path: web::Path<DocumentPath>,
    body: JsonBody<NewSignatureRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = body.validated()?;
    let id = path.id.to_string();
    let (st, actor) = (state.clone(), user.actor());
    let now = state.config.clock.utc_now();
    let dto = db::tx(&state.pool, move |conn| {
        let doc = document_for(conn, &id, &viewer)?;
        let bilan = model::load_for(conn, &doc.bilan_id, &viewer)?;
        let org = crate::settings::organisation(conn)?;
        let mailing = mailing(&st, org.name.trim(), &doc);
        let rid = store::create(
            conn,
            &doc,
            &bilan.beneficiary_id,
            viewer.id(),
            &new,
            now,
            &mailing,
        )?;
        let details = serde_json::json!({ "document_id": doc.id, "request_id": rid });
        journal::record(
            conn,
            &actor,
            "signature.request",
            "bilan",
            Some(&doc.bilan_id),
            details,
        )?;
        let row = store::find(conn, &rid)?;
        store::dto(conn, row)
    })
    .await?;
    Ok(HttpResponse::Created().json(dto))
}

/// The signature requests of a document, oldest first, with each signer's progress (its staff and
/// its beneficiary).
#[utoipa::path(tag = "signatures", params(DocumentPath),
    responses((status = 200, description = "OK", body = Vec<SignatureRequest>), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/documents/{id}/signature-requests")]
async fn list_requests(
    viewer: Viewer,
    state: web::Data<AppState>,
    path: web::Path<DocumentPath>,
) -> Result<web::Json<Vec<SignatureRequest>>, ApiError> {
    let id = path.id.to_string();
    let list = db::run(&state.pool, move |conn| {
        document_for(conn, &id, &viewer)?;
        let rows: Vec<RequestRow> = q::table
            .filter(q::document_id.eq(&id))
            .order(q::created_at.asc())
            .select(RequestRow::as_select())
            .load(conn)?;
        rows.into_iter().map(|r| store::dto(conn, r)).collect()
    })
    .await?;
    Ok(web::Json(list))
}

/// Cancels a pending request (its staff): the links stop working. 422 `signature-request-closed`
/// when it had already ended.
#[utoipa::path(tag = "signatures", params(RequestPath),
    responses((status = 200, description = "Cancelled", body = SignatureRequest),
        crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/signature-requests/{id}/cancel")]
async fn cancel_request(
    Staff { viewer, user }: Staff,
    state: web::Data<AppState>,
    path: web::Path<RequestPath>,
) -> Result<web::Json<SignatureRequest>, ApiError> {
    let id = path.id.to_string();
    let actor = user.actor();
    let now = state.config.clock.utc_now();
    let dto = db::tx(&state.pool, move |conn| {
        let (row, _) = request_for(conn, &id, &viewer)?;
        if !store::end(conn, &row.id, SignatureStatus::Cancelled, now)? {
            return Err(closed());
        }
        let details = serde_json::json!({ "request_id": row.id });
        journal::record(
            conn,
            &actor,
            "signature.cancel",
            "bilan",
            Some(&row.bilan_id),
            details,
        )?;
        let row = store::find(conn, &id)?;
        store::dto(conn, row)
    })
    .await?;
    Ok(web::Json(dto))
}

fn closed() -> ApiError {
    ApiError::Rule {
        slug: Slug::SIGNATURE_REQUEST_CLOSED,
        detail: "Cette demande de signature est terminée.".into(),
        missing: vec![],
    }
}

/// Sends the signer whose turn it is a fresh link (the previous one stops working). At most one
/// reminder an hour (429).
#[utoipa::path(tag = "signatures", params(RequestPath),
    responses((status = 200, description = "Reminded", body = SignatureRequest),
        crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/signature-requests/{id}/remind")]
async fn remind_signer(
    Staff { viewer, .. }: Staff,
    state: web::Data<AppState>,
    path: web::Path<RequestPath>,
) -> Result<web::Json<SignatureRequest>, ApiError> {
    let id = path.id.to_string();
    let st = state.clone();
    let now = state.config.clock.utc_now();
    let dto = db::tx(&state.pool, move |conn| {
        let (row, doc) = request_for(conn, &id, &viewer)?;
        if row.status != SignatureStatus::Pending.as_str() {
            return Err(closed());
        }
        let current = store::signers(conn, &id)?
            .into_iter()
            .find(|s| s.signed_at.is_none());
        if let Some(at) = current.and_then(|s| s.reminded_at.or(s.invited_at))
            && now < at + chrono::Duration::hours(1)
        {
            let wait = (at + chrono::Duration::hours(1) - now).num_seconds().max(1);
            return Err(ApiError::TooManyRequests {
                retry_after_secs: wait,
            });
        }
        let org = crate::settings::organisation(conn)?;
        store::invite_next(conn, &id, now, &mailing(&st, org.name.trim(), &doc), true)?;
        let row = store::find(conn, &id)?;
        store::dto(conn, row)
    })
    .await?;
    Ok(web::Json(dto))
}

/// The signed original of a completed request: the document followed by its evidence page (its
/// staff and its beneficiary). Each download is journaled.
#[utoipa::path(tag = "signatures", params(RequestPath),
    responses((status = 200, description = "The signed PDF", content_type = "application/pdf"), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/signature-requests/{id}/pdf")]
async fn signed_pdf(
    crate::auth::caller::Person { viewer, user }: crate::auth::caller::Person,
    state: web::Data<AppState>,
    path: web::Path<RequestPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.id.to_string();
    let actor = user.actor();
    let (row, doc) = db::tx(&state.pool, move |conn| {
        let (row, doc) = request_for(conn, &id, &viewer)?;
        if row.signed_sha256.is_none() {
            return Err(ApiError::NotFound);
        }
        let details = serde_json::json!({ "request_id": row.id, "document_id": doc.id });
        journal::record(
            conn,
            &actor,
            "signature.download",
            "bilan",
            Some(&row.bilan_id),
            details,
        )?;
        Ok((row, doc))
    })
    .await?;
    let pdf = complete::read_signed(&state, &row).await?;
    let name = format!("{}-v{}-signe.pdf", doc.kind.replace('_', "-"), doc.version);
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(name)],
        })
        .body(pdf))
}
