//! Issuing a quote, and its answer: accepted (online by the beneficiary buyer, or a signed copy
//! recorded by an admin), declined or withdrawn, then turned into an invoice. Each step is one
//! transaction with its journal entry; a step that finds the quote already moved on answers 409.

use boussole_shared::Slug;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::money::{
    AcceptanceMethod, Invoice, NewAcceptance, NewDecline, NewInvoice, NewInvoiceLine, NewQuote,
    Quote, QuoteStatus, QuoteToInvoice,
};
use chrono::{Datelike, Days, NaiveDate};
use diesel::prelude::*;

use super::pdf;
use super::rows::{self, QuoteRow};
use crate::AppState;
use crate::auth::caller::Viewer;
use crate::bilans::model;
use crate::bilans::sealed_names::stored_hash;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::Actor;
use crate::money::Errors;
use crate::money::invoices::issue::{
    ISSUING, Issuer, check_lines, issue_in, parties, priced_lines, vat_for,
};
use crate::money::invoices::rows as invoice_rows;
use crate::money::invoices::rules::{rule, seller};
use crate::money::payers as payers_mod;
use crate::schema::{quote_counters as c, quotes};

/// Quote PDFs are sealed under their own purpose: administrative proofs like invoices.
pub const SEAL_PURPOSE: &str = "issued-quote";

pub fn storage_key(id: &str) -> String {
    format!("quotes/{id}")
}

/// The next quote number of `year`, taken in the issuing transaction like an invoice's.
fn next_seq(conn: &mut Conn, year: i64) -> Result<i64, ApiError> {
    let seq = crate::on_backend!(conn, |conn| {
        diesel::insert_into(c::table)
            .values((c::year.eq(year), c::last_seq.eq(0_i64)))
            .on_conflict_do_nothing()
            .execute(conn)?;
        diesel::update(c::table.find(year))
            .set(c::last_seq.eq(c::last_seq + 1))
            .returning(c::last_seq)
            .get_result::<i64>(conn)
    })?;
    Ok(seq)
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

fn checked(new: &NewQuote) -> Result<(), ApiError> {
    let mut e = Errors::default();
    check_lines(&mut e, &new.lines);
    if new.valid_days.is_some_and(|d| !(1..=180).contains(&d)) {
        e.add("valid_days", FieldRule::Range, "de 1 à 180 jours");
    }
    if new.funding_id.is_none() && new.payer_id.is_none() {
        e.add(
            "funding_id",
            FieldRule::Required,
            "une ligne de financement, ou un payeur (payer_id), est nécessaire",
        );
    }
    e.done()
}

fn draft(conn: &mut Conn, new: &NewQuote, today: NaiveDate) -> Result<QuoteRow, ApiError> {
    let lines = priced_lines(&new.lines)?;
    let (bilan, funding, payer) = parties(conn, new.bilan_id, new.funding_id, new.payer_id)?;
    if payer
        .user_id
        .as_ref()
        .is_some_and(|u| *u != bilan.beneficiary_id)
    {
        return Err(rule(
            Slug::PAYER_NOT_BENEFICIARY,
            "Ce payeur n'est pas le bénéficiaire de ce bilan.".into(),
        ));
    }
    let org = seller(conn)?;
    let excl: i64 = lines.iter().map(|l| l.total_cents).sum();
    let (rate, vat_cents, mention) = vat_for(&org, excl, today)?;
    let person = model::person(conn, &bilan.beneficiary_id)?;
    Ok(QuoteRow {
        id: db::new_id(),
        year: i64::from(today.year()),
        seq: 0,
        number: String::new(),
        bilan_id: bilan.id.clone(),
        funding_id: funding.map(|f| f.id),
        payer_id: payer.id.clone(),
        buyer: json(&payers_mod::dto(&payer)?)?,
        buyer_user_id: payer.user_id.clone(),
        beneficiary_name: format!("{} {}", person.first_name, person.last_name),
        seller: json(&org)?,
        issue_date: today,
        valid_until: today + Days::new(new.valid_days.unwrap_or(30) as u64),
        lines: json(&lines)?,
        total_excl_vat_cents: excl,
        vat_rate_bp: rate,
        vat_cents,
        total_cents: excl + vat_cents,
        vat_mention: mention,
        status: QuoteStatus::Pending.as_str().into(),
        acceptance_method: None,
        signer_name: None,
        signer_role: None,
        signed_on: None,
        accepted_at: None,
        accepted_by: None,
        decline_reason: None,
        invoice_id: None,
        sha256: String::new(),
        size: 0,
        issued_by: String::new(),
        issued_at: chrono::NaiveDateTime::default(),
    })
}

/// Issues the quote `new` as the admin `by` (`POST /api/v1/quotes`): numbered `D-<year>-<n>`, its PDF
/// rendered, sealed and stored before the row commits.
pub async fn create(
    state: &AppState,
    new: NewQuote,
    by: &str,
    actor: Actor,
) -> Result<Quote, ApiError> {
    checked(&new)?;
    let (st, by) = (Issuer::of(state), by.to_string());
    let _turn = ISSUING.lock().await;
    db::tx(&state.pool, move |conn| {
        let today = st.today();
        let mut row = draft(conn, &new, today)?;
        row.seq = next_seq(conn, row.year)?;
        row.number = format!("D-{}-{:06}", row.year, row.seq);
        row.issued_by = by.clone();
        row.issued_at = st.config.clock.utc_now();
        let pdf = pdf::render(&row)?;
        row.sha256 = stored_hash(&pdf);
        row.size = pdf.len() as i64;
        let sealed =
            crate::crypto::seal_secret(&st.config.master_key, SEAL_PURPOSE, &row.id, &pdf)?;
        tokio::runtime::Handle::current()
            .block_on(st.storage.put(&storage_key(&row.id), sealed))?;
        diesel::insert_into(quotes::table)
            .values(&row)
            .execute(conn)?;
        let details = serde_json::json!({
            "number": row.number, "bilan_id": row.bilan_id, "total_cents": row.total_cents,
            "sha256": row.sha256,
        });
        crate::journal::record(conn, &actor, "quote.issue", "quote", Some(&row.id), details)?;
        rows::dto(&row, today)
    })
    .await
}

/// 409 unless the quote is still open to an answer; 422 once it has expired.
fn still_open(row: &QuoteRow, today: NaiveDate) -> Result<(), ApiError> {
    match row.status(today)? {
        QuoteStatus::Pending => Ok(()),
        QuoteStatus::Expired => Err(rule(
            Slug::QUOTE_EXPIRED,
            format!(
                "Ce devis n'est plus valable depuis le {} : émettez-en un nouveau.",
                row.valid_until.format("%d/%m/%Y")
            ),
        )),
        other => Err(ApiError::conflict(
            Slug::QUOTE_ALREADY_ANSWERED,
            format!("Ce devis a déjà reçu une réponse ({}).", other.as_str()),
        )),
    }
}

/// The answer written, from `pending` only: a concurrent second answer updates nothing and gets 409.
#[derive(AsChangeset)]
#[diesel(table_name = quotes)]
struct Answer {
    status: String,
    acceptance_method: Option<String>,
    signer_name: Option<String>,
    signer_role: Option<String>,
    signed_on: Option<NaiveDate>,
    accepted_at: Option<chrono::NaiveDateTime>,
    accepted_by: Option<String>,
    decline_reason: Option<String>,
}

fn write_answer(conn: &mut Conn, id: &str, from: QuoteStatus, a: Answer) -> Result<(), ApiError> {
    let n = diesel::update(quotes::table.find(id))
        .filter(quotes::status.eq(from.as_str()))
        .set(a)
        .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(ApiError::conflict(
            Slug::QUOTE_ALREADY_ANSWERED,
            "Ce devis vient de recevoir une autre réponse.",
        ))
    }
}

/// `POST /api/v1/quotes/{id}/acceptance`: the beneficiary buyer accepts online (today, under their
/// account, the journal keeping when and from where); an admin records a signed copy (signatory and
/// day signed, not in the future nor before the quote).
pub async fn accept(
    state: &AppState,
    id: String,
    viewer: Viewer,
    new: NewAcceptance,
    actor: Actor,
) -> Result<Quote, ApiError> {
    let mut e = Errors::default();
    e.text("signer_name", &new.signer_name, 200, false);
    if let Some(role) = &new.signer_role {
        e.text("signer_role", role, 200, true);
    }
    if !new.agreed {
        e.add(
            "agreed",
            FieldRule::ConsentRequired,
            "cochez « Bon pour accord »",
        );
    }
    let method = match viewer {
        Viewer::Beneficiary(_) => AcceptanceMethod::Online,
        _ => AcceptanceMethod::Recorded,
    };
    if method == AcceptanceMethod::Recorded && new.signed_on.is_none() {
        e.add("signed_on", FieldRule::Required, "obligatoire");
    }
    e.done()?;
    let st = Issuer::of(state);
    db::tx(&state.pool, move |conn| {
        let today = st.today();
        let row = rows::load_visible(conn, &id, &viewer)?;
        still_open(&row, today)?;
        let signed_on = match method {
            AcceptanceMethod::Online => today,
            AcceptanceMethod::Recorded => new.signed_on.unwrap_or(today),
        };
        if signed_on > today || signed_on < row.issue_date {
            return Err(ApiError::field(
                "signed_on",
                FieldRule::Range,
                "entre la date du devis et aujourd'hui",
            ));
        }
        write_answer(
            conn,
            &row.id,
            QuoteStatus::Pending,
            Answer {
                status: QuoteStatus::Accepted.as_str().into(),
                acceptance_method: Some(method.as_str().into()),
                signer_name: Some(new.signer_name.trim().to_string()),
                signer_role: crate::money::optional(new.signer_role.clone()),
                signed_on: Some(signed_on),
                accepted_at: Some(st.config.clock.utc_now()),
                accepted_by: Some(viewer.id().to_string()),
                decline_reason: None,
            },
        )?;
        let details = serde_json::json!({
            "number": row.number, "method": method.as_str(), "signed_on": signed_on,
            "sha256": row.sha256,
        });
        crate::journal::record(
            conn,
            &actor,
            "quote.accept",
            "quote",
            Some(&row.id),
            details,
        )?;
        let data = crate::webhooks::QuoteEvent {
            quote_id: row.id.clone(),
            number: row.number.clone(),
            bilan_id: row.bilan_id.clone(),
            payer_id: row.payer_id.clone(),
            total_cents: row.total_cents,
            method,
            signed_on,
        };
        crate::webhooks::emit(
            conn,
            crate::webhooks::WebhookEventKind::QuoteAccepted,
            &data,
        )?;
        rows::dto(&rows::find(conn, &row.id)?, today)
    })
    .await
}

/// `POST /api/v1/quotes/{id}/decline`: the beneficiary buyer declines, or the organisation withdraws
/// it; a pending or expired quote only.
pub async fn decline(
    state: &AppState,
    id: String,
    viewer: Viewer,
    new: NewDecline,
    actor: Actor,
) -> Result<Quote, ApiError> {
    let mut e = Errors::default();
    e.text("reason", &new.reason, 300, false);
    e.done()?;
    let st = Issuer::of(state);
    db::tx(&state.pool, move |conn| {
        let today = st.today();
        let row = rows::load_visible(conn, &id, &viewer)?;
        if row.stored_status()? != QuoteStatus::Pending {
            return Err(ApiError::conflict(
                Slug::QUOTE_ALREADY_ANSWERED,
                format!(
                    "Ce devis a déjà reçu une réponse ({}).",
                    row.stored_status()?.as_str()
                ),
            ));
        }
        write_answer(
            conn,
            &row.id,
            QuoteStatus::Pending,
            Answer {
                status: QuoteStatus::Declined.as_str().into(),
                acceptance_method: None,
                signer_name: None,
                signer_role: None,
                signed_on: None,
                accepted_at: None,
                accepted_by: None,
                decline_reason: Some(new.reason.trim().to_string()),
            },
        )?;
        let details = serde_json::json!({ "number": row.number });
        crate::journal::record(
            conn,
            &actor,
            "quote.decline",
            "quote",
            Some(&row.id),
            details,
        )?;
        rows::dto(&rows::find(conn, &row.id)?, today)
    })
    .await
}

/// `POST /api/v1/quotes/{id}/invoice`: issues the accepted quote's invoice (its buyer, funding line
/// and lines, every invoice rule checked) and marks the quote invoiced, in one transaction: a second
/// conversion, even concurrent, answers 409 and numbers nothing.
pub async fn to_invoice(
    state: &AppState,
    id: String,
    body: QuoteToInvoice,
    by: &str,
    actor: Actor,
) -> Result<Invoice, ApiError> {
    let (st, by) = (Issuer::of(state), by.to_string());
    let _turn = ISSUING.lock().await;
    db::tx(&state.pool, move |conn| {
        let today = st.today();
        let quote = rows::find(conn, &id)?;
        match quote.stored_status()? {
            QuoteStatus::Accepted => {}
            QuoteStatus::Invoiced => {
                return Err(ApiError::conflict(
                    Slug::QUOTE_ALREADY_INVOICED,
                    "Ce devis est déjà facturé.",
                ));
            }
            _ => {
                return Err(rule(
                    Slug::QUOTE_NOT_ACCEPTED,
                    "Seul un devis accepté se facture.".into(),
                ));
            }
        }
        let new = NewInvoice {
            bilan_id: crate::db::uuid_of(&quote.bilan_id)?,
            funding_id: quote
                .funding_id
                .as_deref()
                .map(crate::db::uuid_of)
                .transpose()?,
            payer_id: Some(crate::db::uuid_of(&quote.payer_id)?),
            lines: quote
                .lines()?
                .into_iter()
                .map(|l| NewInvoiceLine {
                    description: l.description,
                    quantity: l.quantity,
                    unit_price_cents: l.unit_price_cents,
                })
                .collect(),
            payment_days: body.payment_days,
            purchase_order: body.purchase_order.clone(),
        };
        let invoice = issue_in(conn, &st, &new, &by, &actor)?;
        let n = diesel::update(quotes::table.find(&quote.id))
            .filter(quotes::status.eq(QuoteStatus::Accepted.as_str()))
            .set((
                quotes::status.eq(QuoteStatus::Invoiced.as_str()),
                quotes::invoice_id.eq(&invoice.id),
            ))
            .execute(conn)?;
        if n != 1 {
            return Err(ApiError::conflict(
                Slug::QUOTE_ALREADY_INVOICED,
                "Ce devis est déjà facturé.",
            ));
        }
        let details = serde_json::json!({ "number": quote.number, "invoice": invoice.number });
        crate::journal::record(
            conn,
            &actor,
            "quote.invoice",
            "quote",
            Some(&quote.id),
            details,
        )?;
        invoice_rows::dto_of(conn, &invoice, today)
    })
    .await
}

/// The PDF of a quote, opened and checked against its recorded hash.
pub async fn read_pdf(state: &AppState, row: &QuoteRow) -> Result<Vec<u8>, ApiError> {
    crate::money::invoices::issue::read_sealed(
        state,
        SEAL_PURPOSE,
        &storage_key(&row.id),
        &row.id,
        &row.sha256,
    )
    .await
}
