//! Payments received on an invoice (`/api/v1/invoices/{id}/payments`): admins record them; the
//! invoice's readers (admins, its beneficiary buyer) list them. A payment is positive, at most the
//! balance, not in the future, and never on a credit note or a wholly credited invoice (422, nothing
//! recorded). Once every invoice of a funding line is settled, the line is `paid`.

use actix_web::{HttpResponse, get, post, web};
use boussole_shared::Slug;
use boussole_shared::money::{
    InvoiceKind, InvoiceStatus, NewPayment, Payment, PaymentMethod, format_cents,
};
use boussole_shared::time::paris_date;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

use super::Errors;
use super::invoices::InvoicePath;
use super::invoices::rows::{self, InvoiceRow};
use crate::AppState;
use crate::auth::caller::{Admin, InvoicesRead, ReaderOrKey};
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::journal::Actor;
use crate::json::JsonBody;
use crate::schema::payments;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = payments)]
pub struct PaymentRow {
    pub id: String,
    pub invoice_id: String,
    pub amount_cents: i64,
    pub method: String,
    pub paid_on: NaiveDate,
    pub reference: String,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

pub fn dto(row: &PaymentRow) -> Result<Payment, ApiError> {
    Ok(Payment {
        id: uuid_of(&row.id)?,
        invoice_id: uuid_of(&row.invoice_id)?,
        amount_cents: row.amount_cents,
        method: db::stored(
            PaymentMethod::parse(&row.method),
            "payments.method",
            &row.method,
        )?,
        paid_on: row.paid_on,
        reference: row.reference.clone(),
        recorded_by: uuid_of(&row.recorded_by)?,
        recorded_at: row.recorded_at.and_utc(),
    })
}

fn rule(slug: Slug, detail: String) -> ApiError {
    ApiError::Rule {
        slug,
        detail,
        missing: vec![],
    }
}

/// Checks `new` against the invoice and records it (inside the caller's transaction).
pub fn record(
    conn: &mut Conn,
    invoice: &InvoiceRow,
    new: &NewPayment,
    today: NaiveDate,
    by: &str,
    actor: &Actor,
) -> Result<PaymentRow, ApiError> {
    if invoice.kind()? != InvoiceKind::Invoice {
        return Err(rule(
            Slug::NOT_AN_INVOICE,
            "Un paiement s'enregistre sur une facture, pas sur un avoir.".into(),
        ));
    }
    let s = rows::settled(conn, &[invoice.id.as_str()])?
        .get(&invoice.id)
        .copied()
        .unwrap_or_default();
    if rows::status(
        InvoiceKind::Invoice,
        invoice.total_cents,
        s,
        invoice.due_date,
        today,
    ) == InvoiceStatus::Credited
    {
        return Err(rule(
            Slug::INVOICE_CREDITED,
            "Cette facture est entièrement annulée par des avoirs.".into(),
        ));
    }
    if new.paid_on > today {
        return Err(rule(
            Slug::PAYMENT_IN_FUTURE,
            "La date du paiement ne peut pas être dans le futur.".into(),
        ));
    }
    let balance = rows::balance(InvoiceKind::Invoice, invoice.total_cents, s);
    if new.amount_cents > balance {
        return Err(rule(
            Slug::PAYMENT_EXCEEDS_BALANCE,
            format!(
                "Le paiement ({}) dépasse le solde de la facture ({}).",
                format_cents(new.amount_cents),
                format_cents(balance.max(0))
            ),
        ));
    }
    let row = PaymentRow {
        id: db::new_id(),
        invoice_id: invoice.id.clone(),
        amount_cents: new.amount_cents,
        method: new.method.as_str().to_string(),
        paid_on: new.paid_on,
        reference: new.reference.trim().to_string(),
        recorded_by: by.to_string(),
        recorded_at: db::now(),
    };
    diesel::insert_into(payments::table)
        .values(&row)
        .execute(conn)?;
    let details = serde_json::json!({
        "invoice_id": row.invoice_id, "number": invoice.number, "amount_cents": row.amount_cents,
        "method": row.method, "paid_on": row.paid_on,
    });
    crate::journal::record(
        conn,
        actor,
        "payment.record",
        "payment",
        Some(&row.id),
        details,
    )?;
    if let Some(f) = &invoice.funding_id {
        super::fundings::refresh_status(conn, f)?;
    }
    let data = crate::webhooks::PaymentEvent {
        payment_id: row.id.clone(),
        invoice_id: row.invoice_id.clone(),
        amount_cents: row.amount_cents,
        method: new.method,
        paid_on: row.paid_on,
    };
    crate::webhooks::emit(
        conn,
        crate::webhooks::WebhookEventKind::PaymentRecorded,
        &data,
    )?;
    Ok(row)
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_payments).service(create_payment);
}

/// The payments of an invoice, in the order they were received (its readers).
#[utoipa::path(tag = "money", params(InvoicePath),
    responses((status = 200, description = "OK", body = Vec<Payment>), crate::problems::Read),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/invoices/{id}/payments")]
async fn list_payments(
    ReaderOrKey { viewer, .. }: ReaderOrKey<InvoicesRead>,
    state: web::Data<AppState>,
    path: web::Path<InvoicePath>,
) -> Result<web::Json<Vec<Payment>>, ApiError> {
    let id = path.id.to_string();
    let rows: Vec<PaymentRow> = db::run(&state.pool, move |conn| {
        rows::load_visible(conn, &id, &viewer)?;
        Ok(payments::table
            .filter(payments::invoice_id.eq(&id))
            .order((
                payments::paid_on.asc(),
                payments::recorded_at.asc(),
                payments::id.asc(),
            ))
            .select(PaymentRow::as_select())
            .load(conn)?)
    })
    .await?;
    Ok(web::Json(rows.iter().map(dto).collect::<Result<_, _>>()?))
}

/// Records a payment on an invoice (admins). 422: `payment-exceeds-balance`, `payment-in-future`,
/// `invoice-credited`, `not-an-invoice`; nothing recorded.
#[utoipa::path(tag = "money", params(InvoicePath), request_body = NewPayment,
    responses((status = 201, description = "Recorded", body = Payment), crate::problems::Write,
        crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/invoices/{id}/payments")]
async fn create_payment(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<InvoicePath>,
    body: JsonBody<NewPayment>,
) -> Result<HttpResponse, ApiError> {
    let new = body.parse()?;
    let mut e = Errors::default();
    e.amount("amount_cents", new.amount_cents);
    e.text("reference", &new.reference, 100, true);
    e.done()?;
    let (id, by, actor, st) = (
        path.id.to_string(),
        admin.user.id.clone(),
        admin.actor(),
        state.clone(),
    );
    let row = db::tx(&state.pool, move |conn| {
        let invoice = rows::find(conn, &id)?;
        let today = paris_date(st.config.clock.utc_now());
        record(conn, &invoice, &new, today, &by, &actor)
    })
    .await?;
    Ok(HttpResponse::Created().json(dto(&row)?))
}
