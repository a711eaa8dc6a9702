//! The invoice row, what its payments and credit notes make of it (paid, credited, balance, status),
//! who may read it, and the list with its totals.

use std::collections::HashMap;

use boussole_shared::documents::OrganisationIdentity;
use boussole_shared::money::{
    Invoice, InvoiceFilter, InvoiceKind, InvoiceLine, InvoiceList, InvoiceStatus, InvoiceTotals,
    Payer,
};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::auth::caller::Viewer;
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::paged::Paged;
use crate::schema::{bilans, invoices, payments};

/// An issued invoice or credit note: inserted once, never updated (a trigger refuses it).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = invoices)]
pub struct InvoiceRow {
    pub id: String,
    pub kind: String,
    pub series: String,
    pub year: i64,
    pub seq: i64,
    pub number: String,
    pub bilan_id: String,
    pub funding_id: Option<String>,
    pub corrects_invoice_id: Option<String>,
    pub payer_id: String,
    /// The buyer as printed (a `Payer`, JSON).
    pub buyer: String,
    pub buyer_name: String,
    pub buyer_user_id: Option<String>,
    pub beneficiary_name: String,
    /// The organisation's identity as printed (an `OrganisationIdentity`, JSON).
    pub seller: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub service_from: Option<NaiveDate>,
    pub service_to: Option<NaiveDate>,
    /// `Vec<InvoiceLine>`, JSON.
    pub lines: String,
    pub total_excl_vat_cents: i64,
    pub vat_rate_bp: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
    pub vat_mention: Option<String>,
    pub purchase_order: Option<String>,
    pub late_penalty_rate: String,
    /// A credit note's reason.
    pub reason: Option<String>,
    pub sha256: String,
    pub size: i64,
    pub issued_by: String,
    pub issued_at: NaiveDateTime,
}

fn json<T: serde::de::DeserializeOwned>(value: &str, column: &str) -> Result<T, ApiError> {
    serde_json::from_str(value).map_err(|e| {
        ApiError::Internal(anyhow::Error::new(e).context(format!("{column} does not parse")))
    })
}

impl InvoiceRow {
    pub fn kind(&self) -> Result<InvoiceKind, ApiError> {
        db::stored(InvoiceKind::parse(&self.kind), "invoices.kind", &self.kind)
    }
    pub fn buyer(&self) -> Result<Payer, ApiError> {
        json(&self.buyer, "invoices.buyer")
    }
    pub fn seller(&self) -> Result<OrganisationIdentity, ApiError> {
        json(&self.seller, "invoices.seller")
    }
    pub fn lines(&self) -> Result<Vec<InvoiceLine>, ApiError> {
        json(&self.lines, "invoices.lines")
    }
}

/// What was paid on an invoice and credited against it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settled {
    pub paid: i64,
    /// Positive.
    pub credited: i64,
}

/// Payments and credit notes of the invoices `ids`, in two statements.
pub fn settled(conn: &mut Conn, ids: &[&str]) -> QueryResult<HashMap<String, Settled>> {
    let mut out: HashMap<String, Settled> = HashMap::new();
    let paid: Vec<(String, i64)> = payments::table
        .filter(payments::invoice_id.eq_any(ids))
        .select((payments::invoice_id, payments::amount_cents))
        .load(conn)?;
    for (id, amount) in paid {
        out.entry(id).or_default().paid += amount;
    }
    let credits: Vec<(Option<String>, i64)> = invoices::table
        .filter(invoices::corrects_invoice_id.eq_any(ids))
        .select((invoices::corrects_invoice_id, invoices::total_cents))
        .load(conn)?;
    for (id, total) in credits {
        if let Some(id) = id {
            out.entry(id).or_default().credited -= total;
        }
    }
    Ok(out)
}

/// Where an invoice stands on `today` (Paris). A credit note is `credited`: it owes nothing.
pub fn status(
    kind: InvoiceKind,
    total: i64,
    s: Settled,
    due: NaiveDate,
    today: NaiveDate,
) -> InvoiceStatus {
    if kind == InvoiceKind::CreditNote || s.credited >= total {
        return InvoiceStatus::Credited;
    }
    if total - s.credited - s.paid <= 0 {
        InvoiceStatus::Paid
    } else if due < today {
        InvoiceStatus::Overdue
    } else if s.paid > 0 {
        InvoiceStatus::PartiallyPaid
    } else {
        InvoiceStatus::Unpaid
    }
}

/// What is left to pay (0 for a credit note).
pub fn balance(kind: InvoiceKind, total: i64, s: Settled) -> i64 {
    match kind {
        InvoiceKind::Invoice => total - s.credited - s.paid,
        InvoiceKind::CreditNote => 0,
    }
}

pub fn dto(row: &InvoiceRow, s: Settled, today: NaiveDate) -> Result<Invoice, ApiError> {
    let kind = row.kind()?;
    let s = if kind == InvoiceKind::CreditNote {
        Settled::default()
    } else {
        s
    };
    Ok(Invoice {
        id: uuid_of(&row.id)?,
        kind,
        number: row.number.clone(),
        bilan_id: uuid_of(&row.bilan_id)?,
        funding_id: row.funding_id.as_deref().map(uuid_of).transpose()?,
        corrects_invoice_id: row
            .corrects_invoice_id
            .as_deref()
            .map(uuid_of)
            .transpose()?,
        buyer: row.buyer()?,
        beneficiary_name: row.beneficiary_name.clone(),
        issue_date: row.issue_date,
        due_date: row.due_date,
        lines: row.lines()?,
        total_excl_vat_cents: row.total_excl_vat_cents,
        vat_rate_bp: row.vat_rate_bp,
        vat_cents: row.vat_cents,
        total_cents: row.total_cents,
        vat_mention: row.vat_mention.clone(),
        purchase_order: row.purchase_order.clone(),
        paid_cents: s.paid,
        credited_cents: s.credited,
        balance_cents: balance(kind, row.total_cents, s),
        status: status(kind, row.total_cents, s, row.due_date, today),
        sha256: row.sha256.clone(),
        issued_by: uuid_of(&row.issued_by)?,
        issued_at: row.issued_at.and_utc(),
    })
}

/// The DTO of one row, its payments and credit notes read.
pub fn dto_of(conn: &mut Conn, row: &InvoiceRow, today: NaiveDate) -> Result<Invoice, ApiError> {
    let s = settled(conn, &[row.id.as_str()])?;
    dto(row, s.get(&row.id).copied().unwrap_or_default(), today)
}

pub fn find(conn: &mut Conn, id: &str) -> Result<InvoiceRow, ApiError> {
    invoices::table
        .find(id)
        .select(InvoiceRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// The invoice if `viewer` may read it: admins all; a beneficiary those addressed to them for their
/// own bilans (a self-funded share), never their employer's or a funder's; others 404.
pub fn load_visible(conn: &mut Conn, id: &str, viewer: &Viewer) -> Result<InvoiceRow, ApiError> {
    let row = find(conn, id)?;
    if readable_by(conn, viewer, row.buyer_user_id.as_deref(), &row.bilan_id)? {
        Ok(row)
    } else {
        Err(ApiError::NotFound)
    }
}

/// Whether `viewer` may read a money document (invoice, quote) addressed to `buyer_user_id` for
/// `bilan_id`: admins always; a beneficiary when they are its buyer and the bilan is theirs.
pub fn readable_by(
    conn: &mut Conn,
    viewer: &Viewer,
    buyer_user_id: Option<&str>,
    bilan_id: &str,
) -> Result<bool, ApiError> {
    match viewer {
        Viewer::Admin(_) => Ok(true),
        Viewer::Beneficiary(me) if buyer_user_id == Some(me.as_str()) => {
            let theirs: i64 = bilans::table
                .filter(bilans::id.eq(bilan_id))
                .filter(bilans::beneficiary_id.eq(me))
                .count()
                .get_result(conn)?;
            Ok(theirs > 0)
        }
        _ => Ok(false),
    }
}

/// The ids of one page of `matching` (already in order).
pub fn page_of<'a>(matching: &[&'a str], paged: Paged) -> Vec<&'a str> {
    let start = usize::try_from((paged.page - 1) * paged.per_page).unwrap_or(usize::MAX);
    matching
        .iter()
        .skip(start)
        .take(usize::try_from(paged.per_page).unwrap_or(0))
        .copied()
        .collect()
}

/// Whether every invoice on the funding line is settled, with at least one not wholly credited.
pub fn funding_settled(conn: &mut Conn, funding_id: &str) -> Result<bool, ApiError> {
    let rows: Vec<(String, i64)> = invoices::table
        .filter(invoices::funding_id.eq(funding_id))
        .filter(invoices::kind.eq(InvoiceKind::Invoice.as_str()))
        .select((invoices::id, invoices::total_cents))
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let s = settled(conn, &ids)?;
    let mut owed = false;
    for (id, total) in &rows {
        let s = s.get(id).copied().unwrap_or_default();
        if s.credited < *total {
            owed = true;
        }
        if balance(InvoiceKind::Invoice, *total, s) > 0 {
            return Ok(false);
        }
    }
    Ok(owed)
}

type Head = (String, String, i64, NaiveDate);

/// The invoices `viewer` may read that `filter` matches, newest first, one page of them, and the
/// totals of them all. The status depends on today's date and on the payments, so the matching heads
/// are read (four statements whatever the page size) and the status filter and totals are applied here.
pub fn list(
    conn: &mut Conn,
    viewer: &Viewer,
    filter: &InvoiceFilter,
    paged: Paged,
    today: NaiveDate,
) -> Result<InvoiceList, ApiError> {
    let mut q = invoices::table.into_boxed();
    if let Viewer::Beneficiary(me) = viewer {
        let own = bilans::table
            .filter(bilans::beneficiary_id.eq(me.clone()))
            .select(bilans::id);
        q = q
            .filter(invoices::buyer_user_id.eq(me.clone()))
            .filter(invoices::bilan_id.eq_any(own));
    }
    if let Some(kind) = filter.kind {
        q = q.filter(invoices::kind.eq(kind.as_str()));
    }
    if let Some(p) = filter.payer_id {
        q = q.filter(invoices::payer_id.eq(p.to_string()));
    }
    if let Some(b) = filter.bilan_id {
        q = q.filter(invoices::bilan_id.eq(b.to_string()));
    }
    if let Some(from) = filter.from {
        q = q.filter(invoices::issue_date.ge(from));
    }
    if let Some(to) = filter.to {
        q = q.filter(invoices::issue_date.le(to));
    }
    let heads: Vec<Head> = q
        .order((invoices::issued_at.desc(), invoices::id.desc()))
        .select((
            invoices::id,
            invoices::kind,
            invoices::total_cents,
            invoices::due_date,
        ))
        .load(conn)?;
    let ids: Vec<&str> = heads.iter().map(|h| h.0.as_str()).collect();
    let settled = settled(conn, &ids)?;
    let mut totals = InvoiceTotals {
        invoiced_cents: 0,
        paid_cents: 0,
        balance_cents: 0,
        overdue_cents: 0,
    };
    let mut matching = Vec::new();
    for (id, kind, total, due) in &heads {
        let kind = db::stored(InvoiceKind::parse(kind), "invoices.kind", kind)?;
        let s = settled.get(id).copied().unwrap_or_default();
        let st = status(kind, *total, s, *due, today);
        if filter.status.is_some_and(|f| f != st) {
            continue;
        }
        let left = balance(kind, *total, s);
        totals.invoiced_cents += total;
        totals.paid_cents += if kind == InvoiceKind::Invoice {
            s.paid
        } else {
            0
        };
        totals.balance_cents += left;
        if st == InvoiceStatus::Overdue {
            totals.overdue_cents += left;
        }
        matching.push(id.as_str());
    }
    let page = page_of(&matching, paged);
    let mut rows: Vec<InvoiceRow> = invoices::table
        .filter(invoices::id.eq_any(&page))
        .select(InvoiceRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|r| page.iter().position(|id| *id == r.id));
    let items = rows
        .iter()
        .map(|r| dto(r, settled.get(&r.id).copied().unwrap_or_default(), today))
        .collect::<Result<_, _>>()?;
    Ok(InvoiceList {
        items,
        total: matching.len() as i64,
        page: paged.page,
        per_page: paged.per_page,
        totals,
    })
}
