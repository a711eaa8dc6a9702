//! Issuing an invoice or a credit note, in one transaction: the rules (what is left on the funding
//! line, the self-funded rules of L6353-5/-6, the organisation's identity complete), the next number
//! of the series, the PDF rendered from the row, sealed and stored, then the row and its journal entry.
//! The PDF is stored before the transaction commits, so a committed invoice always has its PDF; a
//! transaction that fails gives its number back (no gap) and leaves at most an unreferenced file.

use boussole_shared::Slug;
use boussole_shared::bilans::SessionKind;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::money::{
    Invoice, InvoiceKind, InvoiceLine, MAX_AMOUNT_CENTS, NewCreditNote, NewInvoice, NewInvoiceLine,
    PayerKind, format_cents,
};
use boussole_shared::time::paris_date;
use chrono::{Datelike, Days, NaiveDate};
use diesel::prelude::*;

use super::rows::{self, InvoiceRow};
use super::rules::{funding_rules, rule, self_funded_rules, seller};
use super::{numbering, pdf, vat};
use crate::AppState;
use crate::bilans::model::{self, BilanRow};
use crate::bilans::sealed_names::stored_hash;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::Actor;
use crate::money::fundings::{self, FundingRow};
use crate::money::payers::{self as payers_mod, PayerRow};
use crate::money::{Errors, optional};
use crate::schema::{bilan_sessions, bilans, invoices};

/// The purpose of the derived key invoice PDFs are sealed under: administrative proofs kept ten years,
/// not under the bilan's key (destroyed with the content, R6313-7).
pub const SEAL_PURPOSE: &str = "issued-invoice";

/// One issue at a time in this process. The numbering needs no help (the counter's row lock on
/// PostgreSQL, the write lock on SQLite, across processes too); this only keeps a burst of issues from
/// waiting on SQLite's busy timeout while each renders its PDF under the write lock: they wait here,
/// without holding a connection or a blocking thread.
pub(crate) static ISSUING: std::sync::LazyLock<tokio::sync::Mutex<()>> =
    std::sync::LazyLock::new(|| tokio::sync::Mutex::new(()));

pub fn storage_key(id: &str) -> String {
    format!("invoices/{id}")
}

/// The lines of an invoice or a quote checked: each field's errors are added to `e`.
pub(crate) fn check_lines(e: &mut Errors, lines: &[NewInvoiceLine]) {
    if lines.is_empty() || lines.len() > 20 {
        e.add("lines", FieldRule::Range, "de 1 à 20 lignes");
    }
    for (i, l) in lines.iter().enumerate() {
        e.text(
            &format!("lines[{i}].description"),
            &l.description,
            300,
            false,
        );
        if !(1..=1000).contains(&l.quantity) {
            e.add(
                &format!("lines[{i}].quantity"),
                FieldRule::Range,
                "de 1 à 1 000",
            );
        }
        e.amount(&format!("lines[{i}].unit_price_cents"), l.unit_price_cents);
    }
}

/// Checked lines totalled (quantity × unit price); a total over the maximum is refused.
pub(crate) fn priced_lines(lines: &[NewInvoiceLine]) -> Result<Vec<InvoiceLine>, ApiError> {
    let lines: Vec<InvoiceLine> = lines
        .iter()
        .map(|l| InvoiceLine {
            description: l.description.trim().to_string(),
            quantity: l.quantity,
            unit_price_cents: l.unit_price_cents,
            total_cents: l.quantity * l.unit_price_cents,
        })
        .collect();
    if lines.iter().map(|l| l.total_cents).sum::<i64>() > MAX_AMOUNT_CENTS {
        return Err(ApiError::field(
            "lines",
            FieldRule::Range,
            "le total dépasse 1 000 000 €",
        ));
    }
    Ok(lines)
}

/// The lines of the body, checked (400 naming each bad field) and totalled.
fn checked_lines(new: &NewInvoice) -> Result<Vec<InvoiceLine>, ApiError> {
    let mut e = Errors::default();
    check_lines(&mut e, &new.lines);
    if new.payment_days.is_some_and(|d| !(0..=90).contains(&d)) {
        e.add("payment_days", FieldRule::Range, "de 0 à 90 jours");
    }
    if let Some(po) = &new.purchase_order {
        e.text("purchase_order", po, 100, true);
    }
    if new.funding_id.is_none() && new.payer_id.is_none() {
        e.add(
            "funding_id",
            FieldRule::Required,
            "une ligne de financement, ou un payeur (payer_id), est nécessaire",
        );
    }
    e.done()?;
    priced_lines(&new.lines)
}

/// The bilan, the funding line and the buyer named (400 for an unknown or mismatched one).
pub(crate) fn parties(
    conn: &mut Conn,
    bilan_id: uuid::Uuid,
    funding_id: Option<uuid::Uuid>,
    payer_id: Option<uuid::Uuid>,
) -> Result<(BilanRow, Option<FundingRow>, PayerRow), ApiError> {
    let bilan: Option<BilanRow> = bilans::table
        .find(bilan_id.to_string())
        .select(BilanRow::as_select())
        .first(conn)
        .optional()?;
    let bilan =
        bilan.ok_or_else(|| ApiError::field("bilan_id", FieldRule::Unknown, "bilan inconnu"))?;
    let funding = match funding_id {
        None => None,
        Some(f) => Some(
            fundings::load(conn, &bilan.id, &f.to_string()).map_err(|_| {
                ApiError::field(
                    "funding_id",
                    FieldRule::Unknown,
                    "aucune ligne de financement de ce bilan",
                )
            })?,
        ),
    };
    let payer_id = match (&funding, payer_id) {
        (Some(f), Some(p)) if f.payer_id != p.to_string() => {
            return Err(ApiError::field(
                "payer_id",
                FieldRule::NotAllowed,
                "n'est pas le payeur de cette ligne de financement",
            ));
        }
        (Some(f), _) => f.payer_id.clone(),
        (None, Some(p)) => p.to_string(),
        (None, None) => {
            return Err(ApiError::field(
                "funding_id",
                FieldRule::Required,
                "obligatoire",
            ));
        }
    };
    let payer = payers_mod::load(conn, &payer_id)
        .map_err(|_| ApiError::field("payer_id", FieldRule::Unknown, "payeur inconnu"))?;
    Ok((bilan, funding, payer))
}

/// VAT on `excl` for the organisation on `today`: (rate in basis points, VAT, exemption wording).
pub(crate) fn vat_for(
    org: &boussole_shared::documents::OrganisationIdentity,
    excl: i64,
    today: NaiveDate,
) -> Result<(i64, i64, Option<String>), ApiError> {
    if org.vat_exempt {
        let mention = vat::exemption_mention(today).ok_or_else(|| {
            rule(
                Slug::VAT_MENTION_UNKNOWN,
                "La mention d'exonération de TVA applicable à cette date n'est pas connue.".into(),
            )
        })?;
        Ok((0, 0, Some(mention.to_string())))
    } else {
        Ok((
            vat::STANDARD_RATE_BP,
            vat::vat_of(excl, vat::STANDARD_RATE_BP),
            None,
        ))
    }
}

/// The first and last days of accompaniment held (Paris), when there are any.
fn service_dates(
    conn: &mut Conn,
    bilan_id: &str,
) -> QueryResult<(Option<NaiveDate>, Option<NaiveDate>)> {
    let rows: Vec<(chrono::NaiveDateTime, chrono::NaiveDateTime)> = bilan_sessions::table
        .filter(bilan_sessions::bilan_id.eq(bilan_id))
        .filter(bilan_sessions::kind.eq(SessionKind::Accompaniment.as_str()))
        .select((bilan_sessions::starts_at, bilan_sessions::ends_at))
        .load(conn)?;
    Ok((
        rows.iter().map(|r| paris_date(r.0)).min(),
        rows.iter().map(|r| paris_date(r.1)).max(),
    ))
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

/// The invoice row of `new`, every rule checked, not numbered yet.
fn draft(
    conn: &mut Conn,
    new: &NewInvoice,
    lines: &[InvoiceLine],
    today: NaiveDate,
) -> Result<InvoiceRow, ApiError> {
    let (bilan, funding, payer) = parties(conn, new.bilan_id, new.funding_id, new.payer_id)?;
    let org = seller(conn)?;
    let excl: i64 = lines.iter().map(|l| l.total_cents).sum();
    let (rate, vat_cents, mention) = vat_for(&org, excl, today)?;
    let total = excl + vat_cents;
    if let Some(f) = &funding {
        funding_rules(conn, f, total)?;
    }
    if payer.kind()? == PayerKind::Beneficiary {
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
        self_funded_rules(conn, &bilan, funding.as_ref(), &org, total, today)?;
    }
    let person = model::person(conn, &bilan.beneficiary_id)?;
    let (service_from, service_to) = service_dates(conn, &bilan.id)?;
    let penalty = crate::money::settings::accounting(conn)?.late_penalty_rate;
    let due = today + Days::new(new.payment_days.unwrap_or(30) as u64);
    Ok(InvoiceRow {
        id: db::new_id(),
        kind: InvoiceKind::Invoice.as_str().into(),
        series: numbering::INVOICES.into(),
        year: i64::from(today.year()),
        seq: 0,
        number: String::new(),
        bilan_id: bilan.id.clone(),
        funding_id: funding.map(|f| f.id),
        corrects_invoice_id: None,
        payer_id: payer.id.clone(),
        buyer: json(&payers_mod::dto(&payer)?)?,
        buyer_name: payer.name.clone(),
        buyer_user_id: payer.user_id.clone(),
        beneficiary_name: format!("{} {}", person.first_name, person.last_name),
        seller: json(&org)?,
        issue_date: today,
        due_date: due,
        service_from,
        service_to,
        lines: json(&lines)?,
        total_excl_vat_cents: excl,
        vat_rate_bp: rate,
        vat_cents,
        total_cents: total,
        vat_mention: mention,
        purchase_order: optional(new.purchase_order.clone()),
        late_penalty_rate: penalty,
        reason: None,
        sha256: String::new(),
        size: 0,
        issued_by: String::new(),
        issued_at: chrono::NaiveDateTime::default(),
    })
}

/// The credit note's row: `amount` (incl. VAT, at most what the invoice still holds) taken off it.
fn credit_draft(
    conn: &mut Conn,
    original: &InvoiceRow,
    new: &NewCreditNote,
    today: NaiveDate,
) -> Result<InvoiceRow, ApiError> {
    if original.kind()? != InvoiceKind::Invoice {
        return Err(rule(
            Slug::NOT_AN_INVOICE,
            "Un avoir corrige une facture, pas un autre avoir.".into(),
        ));
    }
    let s = rows::settled(conn, &[original.id.as_str()])?
        .get(&original.id)
        .copied()
        .unwrap_or_default();
    let left = original.total_cents - s.credited;
    if left <= 0 {
        return Err(rule(
            Slug::INVOICE_CREDITED,
            "Cette facture est déjà entièrement annulée par des avoirs.".into(),
        ));
    }
    let amount = new.amount_cents.unwrap_or(left);
    if amount > left {
        return Err(rule(
            Slug::CREDIT_NOTE_EXCEEDS_INVOICE,
            format!(
                "L'avoir ({}) dépasse ce que la facture porte encore ({}).",
                format_cents(amount),
                format_cents(left)
            ),
        ));
    }
    let org = seller(conn)?;
    let (excl, vat_cents) = vat::split(amount, original.vat_rate_bp);
    let reason = new.reason.trim().to_string();
    let lines = vec![InvoiceLine {
        description: format!("Avoir sur la facture {} : {reason}", original.number),
        quantity: 1,
        unit_price_cents: -excl,
        total_cents: -excl,
    }];
    Ok(InvoiceRow {
        id: db::new_id(),
        kind: InvoiceKind::CreditNote.as_str().into(),
        series: numbering::CREDIT_NOTES.into(),
        year: i64::from(today.year()),
        corrects_invoice_id: Some(original.id.clone()),
        seller: json(&org)?,
        issue_date: today,
        due_date: today,
        lines: json(&lines)?,
        total_excl_vat_cents: -excl,
        vat_cents: -vat_cents,
        total_cents: -amount,
        reason: Some(reason),
        ..original.clone()
    })
}

/// What issuing needs of the application: its clock and master key, and the file storage.
#[derive(Clone)]
pub struct Issuer {
    pub config: std::sync::Arc<crate::Config>,
    pub storage: crate::storage::Storage,
}

impl Issuer {
    pub fn of(state: &AppState) -> Issuer {
        Issuer {
            config: state.config.clone(),
            storage: state.storage.clone(),
        }
    }

    pub(crate) fn today(&self) -> NaiveDate {
        paris_date(self.config.clock.utc_now())
    }
}

/// A business buyer's invoice or credit note carries its Factur-X XML (CII, EN 16931) as the PDF/A-3's
/// associated file, so that the buyer's software reads it without retyping (DOMAIN.md §4.3); a
/// beneficiary's stays a plain PDF. The hash is taken after embedding: it is the file handed out.
fn with_facturx(
    row: &InvoiceRow,
    corrected: Option<&InvoiceRow>,
    pdf: Vec<u8>,
    today: NaiveDate,
) -> Result<Vec<u8>, ApiError> {
    let buyer = row.buyer()?;
    if !buyer.kind.is_business() {
        return Ok(pdf);
    }
    let invoice = rows::dto(row, rows::Settled::default(), today)?;
    let context = crate::money::facturx::Context {
        late_penalty_rate: Some(row.late_penalty_rate.clone()),
        corrected_number: corrected.map(|c| c.number.clone()),
    };
    let xml = crate::money::facturx::cii_xml_with(&row.seller()?, &invoice, &context);
    crate::money::facturx::embed(&pdf, &xml, &invoice)
}

/// Numbers, renders, seals, stores and writes `row` (inside the caller's transaction).
fn write(
    conn: &mut Conn,
    state: &Issuer,
    mut row: InvoiceRow,
    by: &str,
    actor: &Actor,
) -> Result<InvoiceRow, ApiError> {
    row.seq = numbering::next(conn, &row.series, row.year)?;
    row.number = numbering::format(&row.series, row.year, row.seq);
    row.issued_by = by.to_string();
    row.issued_at = state.config.clock.utc_now();
    let corrected = match &row.corrects_invoice_id {
        Some(id) => Some(rows::find(conn, id)?),
        None => None,
    };
    let pdf = pdf::render(
        &row,
        corrected
            .as_ref()
            .map(|c| (c.number.as_str(), c.issue_date)),
    )?;
    let pdf = with_facturx(&row, corrected.as_ref(), pdf, state.today())?;
    row.sha256 = stored_hash(&pdf);
    row.size = pdf.len() as i64;
    let sealed = crate::crypto::seal_secret(&state.config.master_key, SEAL_PURPOSE, &row.id, &pdf)?;
    // This runs on a blocking thread of the runtime, which may wait on the storage's future.
    tokio::runtime::Handle::current().block_on(state.storage.put(&storage_key(&row.id), sealed))?;
    diesel::insert_into(invoices::table)
        .values(&row)
        .execute(conn)?;
    let details = serde_json::json!({
        "number": row.number, "kind": row.kind, "bilan_id": row.bilan_id,
        "total_cents": row.total_cents, "sha256": row.sha256,
    });
    crate::journal::record(
        conn,
        actor,
        "invoice.issue",
        "invoice",
        Some(&row.id),
        details,
    )?;
    if let Some(f) = &row.funding_id {
        fundings::refresh_status(conn, f)?;
    }
    let data = crate::webhooks::InvoiceEvent {
        invoice_id: row.id.clone(),
        kind: row.kind()?,
        number: row.number.clone(),
        bilan_id: row.bilan_id.clone(),
        payer_id: row.payer_id.clone(),
        funding_id: row.funding_id.clone(),
        corrects_invoice_id: row.corrects_invoice_id.clone(),
        issue_date: row.issue_date,
        due_date: row.due_date,
        total_excl_vat_cents: row.total_excl_vat_cents,
        vat_cents: row.vat_cents,
        total_cents: row.total_cents,
    };
    crate::webhooks::emit(
        conn,
        crate::webhooks::WebhookEventKind::InvoiceIssued,
        &data,
    )?;
    Ok(row)
}

/// Issues the invoice `new` as the admin `by` (`POST /api/v1/invoices`).
pub async fn invoice(
    state: &AppState,
    new: NewInvoice,
    by: &str,
    actor: Actor,
) -> Result<Invoice, ApiError> {
    checked_lines(&new)?;
    let (st, by) = (Issuer::of(state), by.to_string());
    let _turn = ISSUING.lock().await;
    db::tx(&state.pool, move |conn| {
        let row = issue_in(conn, &st, &new, &by, &actor)?;
        rows::dto_of(conn, &row, st.today())
    })
    .await
}

/// Issues the invoice `new` inside the caller's transaction (a quote's conversion), every rule
/// checked; the caller holds [`ISSUING`].
pub(crate) fn issue_in(
    conn: &mut Conn,
    st: &Issuer,
    new: &NewInvoice,
    by: &str,
    actor: &Actor,
) -> Result<InvoiceRow, ApiError> {
    let lines = checked_lines(new)?;
    let row = draft(conn, new, &lines, st.today())?;
    write(conn, st, row, by, actor)
}

/// Issues a credit note against the invoice `id` (`POST /api/v1/invoices/{id}/credit-notes`).
pub async fn credit_note(
    state: &AppState,
    id: String,
    new: NewCreditNote,
    by: &str,
    actor: Actor,
) -> Result<Invoice, ApiError> {
    let mut e = Errors::default();
    e.text("reason", &new.reason, 300, false);
    if let Some(a) = new.amount_cents {
        e.amount("amount_cents", a);
    }
    e.done()?;
    let (st, by) = (Issuer::of(state), by.to_string());
    let _turn = ISSUING.lock().await;
    db::tx(&state.pool, move |conn| {
        let today = st.today();
        let original = rows::find(conn, &id)?;
        let row = credit_draft(conn, &original, &new, today)?;
        let row = write(conn, &st, row, &by, &actor)?;
        rows::dto_of(conn, &row, today)
    })
    .await
}

/// The PDF of an invoice row, opened and checked against its recorded hash.
pub async fn read_pdf(state: &AppState, row: &InvoiceRow) -> Result<Vec<u8>, ApiError> {
    read_sealed(
        state,
        SEAL_PURPOSE,
        &storage_key(&row.id),
        &row.id,
        &row.sha256,
    )
    .await
}

/// A sealed money PDF (invoice, quote) opened from the storage, refused unless it hashes to `sha256`.
pub async fn read_sealed(
    state: &AppState,
    purpose: &str,
    key: &str,
    id: &str,
    sha256: &str,
) -> Result<Vec<u8>, ApiError> {
    let sealed = state.storage.get(key).await?;
    let pdf = crate::crypto::open_secret(&state.config.master_key, purpose, id, &sealed)?;
    if stored_hash(&pdf) != sha256 {
        return Err(ApiError::internal(format!(
            "stored {key} does not match its SHA-256"
        )));
    }
    Ok(pdf.to_vec())
}
