//! Quotes (`/api/v1/quotes`, devis): the offer priced before a bilan is sold, issued at once with its
//! PDF, never edited (a new offer is a new quote), answered by the buyer (accepted online by a
//! beneficiary buyer, or a signed copy recorded by an admin; declined or withdrawn), then turned into
//! an invoice. Admins issue and read them all; a beneficiary reads and answers those addressed to them;
//! consultants are refused.

pub mod answer;
pub mod pdf;
pub mod rows;

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, guard, post, web};
use boussole_shared::Slug;
use boussole_shared::money::{
    Invoice, NewAcceptance, NewDecline, NewQuote, Quote, QuoteFilter, QuoteList, QuoteToInvoice,
};
use boussole_shared::time::paris_date;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::AppState;
use crate::auth::caller::{Admin, AdminOrBeneficiary, InvoicesRead, ReaderOrKey};
use crate::db;
use crate::error::ApiError;
use crate::json::JsonBody;

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct QuotePath {
    /// Quote id.
    pub id: uuid::Uuid,
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_quotes)
        .service(create_quote)
        .service(get_quote)
        .service(download_quote)
        .service(accept_quote)
        .service(decline_quote)
        .service(invoice_quote)
        .route(
            "/quotes/{id}",
            web::route()
                .guard(
                    guard::Any(guard::Put())
                        .or(guard::Patch())
                        .or(guard::Delete()),
                )
                .to(refuse_edit),
        );
}

/// 405 to any PUT, PATCH or DELETE of a quote: what was offered is kept as sent; a changed offer is
/// a new quote, the old one withdrawn (`POST /api/v1/quotes/{id}/decline`).
async fn refuse_edit() -> HttpResponse {
    crate::money::invoices::immutable(
        Slug::QUOTE_IMMUTABLE,
        "Un devis émis ne se modifie pas : retirez-le et émettez-en un nouveau.",
    )
}

fn today(state: &AppState) -> chrono::NaiveDate {
    paris_date(state.config.clock.utc_now())
}

/// Quotes, newest first, with the totals of the whole selection by status (admins: all; a beneficiary:
/// those addressed to them). `expired` is computed: pending past `valid_until`.
#[utoipa::path(tag = "money", params(QuoteFilter),
    responses((status = 200, description = "OK", body = QuoteList), crate::problems::List),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/quotes")]
async fn list_quotes(
    ReaderOrKey { viewer, .. }: ReaderOrKey<InvoicesRead>,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<QuoteList>, ApiError> {
    let filter: QuoteFilter = crate::json::query(&req)?;
    let paged = crate::paged::Paged::from_request(&req)?;
    let today = today(&state);
    let list = db::run(&state.pool, move |conn| {
        rows::list(conn, &viewer, &filter, paged, today)
    })
    .await?;
    Ok(web::Json(list))
}

/// Issues a quote at once (admins): numbered `D-<year>-<n>`, its PDF stored, never edited after. 422
/// `document-data-missing` when the organisation's identity is incomplete, `payer-not-beneficiary`.
#[utoipa::path(tag = "money", request_body = NewQuote,
    responses((status = 201, description = "Issued", body = Quote), crate::problems::Write,
        crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/quotes")]
async fn create_quote(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    body: JsonBody<NewQuote>,
) -> Result<HttpResponse, ApiError> {
    let new = body.parse()?;
    let quote = answer::create(&state, new, &admin.user.id, admin.actor()).await?;
    Ok(HttpResponse::Created().json(quote))
}

/// One quote, with its answer.
#[utoipa::path(tag = "money", params(QuotePath),
    responses((status = 200, description = "OK", body = Quote), crate::problems::Read),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/quotes/{id}")]
async fn get_quote(
    ReaderOrKey { viewer, .. }: ReaderOrKey<InvoicesRead>,
    state: web::Data<AppState>,
    path: web::Path<QuotePath>,
) -> Result<web::Json<Quote>, ApiError> {
    let (id, today) = (path.id.to_string(), today(&state));
    let quote = db::run(&state.pool, move |conn| {
        rows::dto(&rows::load_visible(conn, &id, &viewer)?, today)
    })
    .await?;
    Ok(web::Json(quote))
}

/// The PDF, exactly as issued (its SHA-256 is the quote's `sha256`, the one an acceptance names).
#[utoipa::path(tag = "money", params(QuotePath),
    responses((status = 200, description = "The PDF", content_type = "application/pdf"), crate::problems::Read),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/quotes/{id}/pdf")]
async fn download_quote(
    ReaderOrKey { viewer, .. }: ReaderOrKey<InvoicesRead>,
    state: web::Data<AppState>,
    path: web::Path<QuotePath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.id.to_string();
    let row = db::run(&state.pool, move |conn| {
        rows::load_visible(conn, &id, &viewer)
    })
    .await?;
    let pdf = answer::read_pdf(&state, &row).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!("{}.pdf", row.number))],
        })
        .body(pdf))
}

/// Accepts a pending quote: the beneficiary it is addressed to, online ("bon pour accord", their typed
/// name, today); or an admin recording a signed copy (`signer_name`, `signer_role`, `signed_on`).
/// 409 when it already has an answer, 422 `quote-expired` past its validity date.
#[utoipa::path(tag = "money", params(QuotePath), request_body = NewAcceptance,
    responses((status = 200, description = "Accepted", body = Quote), crate::problems::Write,
        crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/quotes/{id}/acceptance")]
async fn accept_quote(
    AdminOrBeneficiary { viewer, user }: AdminOrBeneficiary,
    state: web::Data<AppState>,
    path: web::Path<QuotePath>,
    body: JsonBody<NewAcceptance>,
) -> Result<web::Json<Quote>, ApiError> {
    let new = body.parse()?;
    let quote = answer::accept(&state, path.id.to_string(), viewer, new, user.actor()).await?;
    Ok(web::Json(quote))
}

/// Declines a pending (or expired) quote: the beneficiary it is addressed to, or the organisation
/// withdrawing it. 409 when it already has an answer.
#[utoipa::path(tag = "money", params(QuotePath), request_body = NewDecline,
    responses((status = 200, description = "Declined", body = Quote), crate::problems::Write,
        crate::problems::NotFound, crate::problems::Conflict),
    security(("bearer" = [])))]
#[post("/quotes/{id}/decline")]
async fn decline_quote(
    AdminOrBeneficiary { viewer, user }: AdminOrBeneficiary,
    state: web::Data<AppState>,
    path: web::Path<QuotePath>,
    body: JsonBody<NewDecline>,
) -> Result<web::Json<Quote>, ApiError> {
    let new = body.parse()?;
    let quote = answer::decline(&state, path.id.to_string(), viewer, new, user.actor()).await?;
    Ok(web::Json(quote))
}

/// Issues the accepted quote's invoice (admins): same buyer, funding line and lines, every invoice
/// rule applied (`funding-exceeded`, the self-funded rules…). 422 `quote-not-accepted`; 409 when it is
/// already invoiced.
#[utoipa::path(tag = "money", params(QuotePath), request_body = QuoteToInvoice,
    responses((status = 201, description = "Invoice issued", body = Invoice), crate::problems::Write,
        crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/quotes/{id}/invoice")]
async fn invoice_quote(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<QuotePath>,
    body: JsonBody<QuoteToInvoice>,
) -> Result<HttpResponse, ApiError> {
    let body = body.parse()?;
    let invoice = answer::to_invoice(
        &state,
        path.id.to_string(),
        body,
        &admin.user.id,
        admin.actor(),
    )
    .await?;
    Ok(HttpResponse::Created().json(invoice))
}
