//! Invoices and credit notes (`/api/v1/invoices`): issued at once, numbered without gap, never edited
//! (there is no PUT or PATCH: a correction is a credit note). Admins issue and read all of them; a
//! beneficiary reads those addressed to them for their own bilans; consultants are refused.

pub mod issue;
pub mod numbering;
pub mod pdf;
pub mod rows;
pub mod rules;
pub mod vat;

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, guard, post, web};
use boussole_shared::Slug;
use boussole_shared::money::{Invoice, InvoiceFilter, InvoiceList, NewCreditNote, NewInvoice};
use boussole_shared::time::paris_date;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::AppState;
use crate::auth::caller::{Admin, InvoicesRead, ReaderOrKey};
use crate::db;
use crate::error::ApiError;
use crate::json::JsonBody;

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct InvoicePath {
    /// Invoice (or credit note) id.
    pub id: uuid::Uuid,
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_invoices)
        .service(create_invoice)
        .service(get_invoice)
        .service(download_invoice)
        .service(create_credit_note)
        // Not an operation of the API: the answer that says so.
        .route(
            "/invoices/{id}",
            web::route()
                .guard(
                    guard::Any(guard::Put())
                        .or(guard::Patch())
                        .or(guard::Delete()),
                )
                .to(refuse_edit),
        );
}

/// 405 to any PUT, PATCH or DELETE of an invoice: an issued invoice never changes (C. com. L441-9);
/// a correction is a credit note (`POST /api/v1/invoices/{id}/credit-notes`).
async fn refuse_edit() -> HttpResponse {
    immutable(
        Slug::INVOICE_IMMUTABLE,
        "Une facture émise ne se modifie pas : corrigez-la par un avoir.",
    )
}

/// The 405 problem of an issued money document (only GET is allowed on it).
pub(crate) fn immutable(slug: Slug, detail: &str) -> HttpResponse {
    let problem = boussole_shared::Problem {
        kind: slug.uri(),
        title: "Méthode non autorisée".into(),
        status: 405,
        detail: Some(detail.into()),
        errors: None,
        rules: None,
        missing: None,
    };
    HttpResponse::MethodNotAllowed()
        .content_type("application/problem+json")
        .insert_header((actix_web::http::header::ALLOW, "GET"))
        .json(problem)
}

fn today(state: &AppState) -> chrono::NaiveDate {
    paris_date(state.config.clock.utc_now())
}

/// Invoices and credit notes, newest first, with the totals of the whole selection (admins: all; a
/// beneficiary: their own). `status` is computed: `overdue` past the due date with a balance,
/// `credited` wholly cancelled by credit notes (and every credit note).
#[utoipa::path(tag = "money", params(InvoiceFilter),
    responses((status = 200, description = "OK", body = InvoiceList), crate::problems::List),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/invoices")]
async fn list_invoices(
    ReaderOrKey { viewer, .. }: ReaderOrKey<InvoicesRead>,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<InvoiceList>, ApiError> {
    let filter: InvoiceFilter = crate::json::query(&req)?;
    let paged = crate::paged::Paged::from_request(&req)?;
    let today = today(&state);
    let list = db::run(&state.pool, move |conn| {
        rows::list(conn, &viewer, &filter, paged, today)
    })
    .await?;
    Ok(web::Json(list))
}

/// Issues an invoice at once (admins): numbered `F-<year>-<n>`, its PDF stored, never edited after.
/// 422 when a rule refuses it: `document-data-missing` (the organisation's identity, `missing` lists
/// it), `funding-not-agreed`, `funding-exceeded`, `withdrawal-period` and `advance-over-30-percent`
/// (a self-funded beneficiary, L6353-5/-6), `payer-not-beneficiary`. Nothing is numbered on refusal.
#[utoipa::path(tag = "money", request_body = NewInvoice,
    responses((status = 201, description = "Issued", body = Invoice), crate::problems::Write,
        crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/invoices")]
async fn create_invoice(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    body: JsonBody<NewInvoice>,
) -> Result<HttpResponse, ApiError> {
    let new = body.parse()?;
    let invoice = issue::invoice(&state, new, &admin.user.id, admin.actor()).await?;
    Ok(HttpResponse::Created().json(invoice))
}

/// One invoice or credit note, with its payments, credits, balance and status.
#[utoipa::path(tag = "money", params(InvoicePath),
    responses((status = 200, description = "OK", body = Invoice), crate::problems::Read),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/invoices/{id}")]
async fn get_invoice(
    ReaderOrKey { viewer, .. }: ReaderOrKey<InvoicesRead>,
    state: web::Data<AppState>,
    path: web::Path<InvoicePath>,
) -> Result<web::Json<Invoice>, ApiError> {
    let (id, today) = (path.id.to_string(), today(&state));
    let invoice = db::run(&state.pool, move |conn| {
        let row = rows::load_visible(conn, &id, &viewer)?;
        rows::dto_of(conn, &row, today)
    })
    .await?;
    Ok(web::Json(invoice))
}

/// The PDF, exactly as issued (its SHA-256 is the invoice's `sha256`); each download is journaled.
#[utoipa::path(tag = "money", params(InvoicePath),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), crate::problems::Read),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/invoices/{id}/pdf")]
async fn download_invoice(
    ReaderOrKey { viewer, actor, .. }: ReaderOrKey<InvoicesRead>,
    state: web::Data<AppState>,
    path: web::Path<InvoicePath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.id.to_string();
    let row = db::tx(&state.pool, move |conn| {
        let row = rows::load_visible(conn, &id, &viewer)?;
        let details = serde_json::json!({ "number": row.number });
        crate::journal::record(
            conn,
            &actor,
            "invoice.download",
            "invoice",
            Some(&row.id),
            details,
        )?;
        Ok(row)
    })
    .await?;
    let pdf = issue::read_pdf(&state, &row).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!("{}.pdf", row.number))],
        })
        .body(pdf))
}

/// Issues a credit note against an invoice (admins): numbered `A-<year>-<n>`, a negative total, its own
/// PDF. `amount_cents` (incl. VAT) defaults to all the invoice still holds; more is 422
/// `credit-note-exceeds-invoice`, an invoice already wholly credited 422 `invoice-credited`.
#[utoipa::path(tag = "money", params(InvoicePath), request_body = NewCreditNote,
    responses((status = 201, description = "Issued", body = Invoice), crate::problems::Write,
        crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/invoices/{id}/credit-notes")]
async fn create_credit_note(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<InvoicePath>,
    body: JsonBody<NewCreditNote>,
) -> Result<HttpResponse, ApiError> {
    let new = body.parse()?;
    let id = path.id.to_string();
    let note = issue::credit_note(&state, id, new, &admin.user.id, admin.actor()).await?;
    Ok(HttpResponse::Created().json(note))
}
