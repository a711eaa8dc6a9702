//! Accounting exports (issue 13, items 6 and 8): the journal as CSV for a period and the FEC for a
//! financial year, for an admin or the organisation's accounting tool (an API key with
//! `accounting:read`). Both are computed from every invoice, credit note and payment up to the end of
//! the period, so that entry numbers and lettering are the same in every export (`ledger`).

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, web};
use boussole_shared::field_rules::FieldRule;
use boussole_shared::money::{FecQuery, Invoice, Payment, PeriodQuery};
use chrono::NaiveDate;
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

use super::invoices::rows::{self, InvoiceRow};
use super::ledger::{self, Entry};
use super::payments::{self, PaymentRow};
use crate::AppState;
use crate::auth::caller::{AccountingRead, ApiCaller};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::Actor;
use crate::json::query;
use crate::schema::{invoices, payments as payments_table};
use crate::settings;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(accounting_csv).service(fec);
}

/// The longest period one CSV export covers (a financial year may run up to 23 months).
const MAX_PERIOD_DAYS: i64 = 731;

/// Every document and payment up to `to`, as the ledger reads them.
fn documents(conn: &mut Conn, to: NaiveDate) -> Result<(Vec<Invoice>, Vec<Payment>), ApiError> {
    let rows: Vec<InvoiceRow> = invoices::table
        .filter(invoices::issue_date.le(to))
        .select(InvoiceRow::as_select())
        .load(conn)?;
    let paid: Vec<PaymentRow> = payments_table::table
        .filter(payments_table::paid_on.le(to))
        .select(PaymentRow::as_select())
        .load(conn)?;
    let today = boussole_shared::time::paris_date(db::now());
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let settled = rows::settled(conn, &ids)?;
    let invoices = rows
        .iter()
        .map(|r| rows::dto(r, settled.get(&r.id).copied().unwrap_or_default(), today))
        .collect::<Result<Vec<_>, _>>()?;
    let payments = paid
        .iter()
        .map(payments::dto)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((invoices, payments))
}

fn entries(conn: &mut Conn, to: NaiveDate) -> Result<Vec<Entry>, ApiError> {
    let (invoices, payments) = documents(conn, to)?;
    let settings = settings::accounting(conn)?;
    Ok(ledger::from_documents(&invoices, &payments, &settings)?)
}

fn journal(
    conn: &mut Conn,
    actor: &Actor,
    what: &str,
    details: serde_json::Value,
) -> Result<(), ApiError> {
    Ok(crate::journal::record(
        conn, actor, what, "export", None, details,
    )?)
}

fn attachment(content_type: &str, name: String, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(name)],
        })
        .body(body)
}

/// The accounting journal of `from..=to` as CSV (admins, or a key with `accounting:read`): one row per
/// entry line — sales (invoices and credit notes) and bank (payments) — with the journals and
/// accounts of the accounting settings. `;`-separated, decimal comma, UTF-8 with a byte-order mark
/// (French spreadsheets and accounting tools read it as is). A period without entries is the header
/// line alone. Columns: `Journal;Date;N° écriture;Compte;Compte auxiliaire;Libellé compte auxiliaire;
/// Pièce;Libellé;Débit;Crédit;Lettrage`.
#[utoipa::path(tag = "money", params(PeriodQuery),
    responses((status = 200, description = "The journal", content_type = "text/csv", body = String),
        crate::problems::List),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/exports/accounting.csv")]
async fn accounting_csv(
    caller: ApiCaller<AccountingRead>,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let PeriodQuery { from, to } = query(&req)?;
    if to < from {
        return Err(ApiError::field(
            "to",
            FieldRule::Order,
            "la fin précède le début",
        ));
    }
    if (to - from).num_days() > MAX_PERIOD_DAYS {
        return Err(ApiError::field(
            "to",
            FieldRule::PeriodTooLong,
            "deux ans au plus",
        ));
    }
    let actor = caller.actor();
    let text = db::run(&state.pool, move |conn| {
        let all = entries(conn, to)?;
        let details = serde_json::json!({ "format": "csv", "from": from, "to": to });
        journal(conn, &actor, "export.accounting", details)?;
        Ok(ledger::csv::journal(&ledger::entries::within(
            &all, from, to,
        )))
    })
    .await?;
    let name = ledger::csv::file_name(from, to);
    Ok(attachment(
        ledger::csv::CONTENT_TYPE,
        name,
        text.into_bytes(),
    ))
}

/// The FEC (fichier des écritures comptables, LPF A47 A-1) of a calendar financial year (admins, or a
/// key with `accounting:read`): the 18 fields in order, `|`-separated, dates `AAAAMMJJ`, decimal
/// comma, ISO 8859-15, one balanced entry per invoice, credit note and payment, named
/// `<SIREN>FEC<AAAAMMJJ>.txt`. 422 `document-data-missing` without the organisation's SIRET.
#[utoipa::path(tag = "money", params(FecQuery),
    responses((status = 200, description = "The FEC", content_type = "text/plain", body = String),
        crate::problems::List, crate::problems::BusinessRule),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/exports/fec")]
async fn fec(
    caller: ApiCaller<AccountingRead>,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let year = query::<FecQuery>(&req)?.year;
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::field(
            "year",
            FieldRule::Range,
            "entre 2000 et 2100",
        ));
    }
    let end = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| ApiError::field("year", FieldRule::Range, "année invalide"))?;
    let actor = caller.actor();
    let (name, bytes) = db::run(&state.pool, move |conn| {
        let org = settings::organisation(conn)?;
        let all = entries(conn, end)?;
        let file = ledger::fec::file(&org, year, &all)?;
        journal(
            conn,
            &actor,
            "export.fec",
            serde_json::json!({ "year": year }),
        )?;
        Ok(file)
    })
    .await?;
    Ok(attachment(ledger::fec::CONTENT_TYPE, name, bytes))
}
