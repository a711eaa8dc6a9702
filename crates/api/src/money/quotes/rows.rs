//! The quote row, what its answer makes of it (status, acceptance), who may read it, and the list
//! with its totals.

use boussole_shared::documents::OrganisationIdentity;
use boussole_shared::money::{
    AcceptanceMethod, InvoiceLine, Payer, Quote, QuoteAcceptance, QuoteFilter, QuoteList,
    QuoteStatus, QuoteTotals,
};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::auth::caller::Viewer;
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::money::invoices::rows::{page_of, readable_by};
use crate::paged::Paged;
use crate::schema::{bilans, quotes};

/// An issued quote. Its offer (buyer, seller, lines, totals, PDF) is never updated (a trigger refuses
/// it); its answer (status, acceptance, decline, invoice) is.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = quotes)]
pub struct QuoteRow {
    pub id: String,
    pub year: i64,
    pub seq: i64,
    pub number: String,
    pub bilan_id: String,
    pub funding_id: Option<String>,
    pub payer_id: String,
    /// The buyer as printed (a `Payer`, JSON).
    pub buyer: String,
    pub buyer_user_id: Option<String>,
    pub beneficiary_name: String,
    /// The organisation's identity as printed (JSON).
    pub seller: String,
    pub issue_date: NaiveDate,
    pub valid_until: NaiveDate,
    /// `Vec<InvoiceLine>`, JSON.
    pub lines: String,
    pub total_excl_vat_cents: i64,
    pub vat_rate_bp: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
    pub vat_mention: Option<String>,
    pub status: String,
    pub acceptance_method: Option<String>,
    pub signer_name: Option<String>,
    pub signer_role: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub accepted_at: Option<NaiveDateTime>,
    pub accepted_by: Option<String>,
    pub decline_reason: Option<String>,
    pub invoice_id: Option<String>,
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

impl QuoteRow {
    pub fn buyer(&self) -> Result<Payer, ApiError> {
        json(&self.buyer, "quotes.buyer")
    }
    pub fn seller(&self) -> Result<OrganisationIdentity, ApiError> {
        json(&self.seller, "quotes.seller")
    }
    pub fn lines(&self) -> Result<Vec<InvoiceLine>, ApiError> {
        json(&self.lines, "quotes.lines")
    }
    /// The stored status (`expired` is never stored).
    pub fn stored_status(&self) -> Result<QuoteStatus, ApiError> {
        db::stored(
            QuoteStatus::parse(&self.status),
            "quotes.status",
            &self.status,
        )
    }
    /// Where it stands on `today` (Paris): a pending quote past its validity date has expired.
    pub fn status(&self, today: NaiveDate) -> Result<QuoteStatus, ApiError> {
        Ok(status(self.stored_status()?, self.valid_until, today))
    }
}

pub fn status(stored: QuoteStatus, valid_until: NaiveDate, today: NaiveDate) -> QuoteStatus {
    if stored == QuoteStatus::Pending && valid_until < today {
        QuoteStatus::Expired
    } else {
        stored
    }
}

fn acceptance(row: &QuoteRow) -> Result<Option<QuoteAcceptance>, ApiError> {
    let (Some(method), Some(signer_name), Some(signed_on), Some(recorded_at)) = (
        &row.acceptance_method,
        &row.signer_name,
        row.signed_on,
        row.accepted_at,
    ) else {
        return Ok(None);
    };
    Ok(Some(QuoteAcceptance {
        method: db::stored(
            AcceptanceMethod::parse(method),
            "quotes.acceptance_method",
            method,
        )?,
        signer_name: signer_name.clone(),
        signer_role: row.signer_role.clone(),
        signed_on,
        recorded_at: recorded_at.and_utc(),
        sha256: row.sha256.clone(),
    }))
}

pub fn dto(row: &QuoteRow, today: NaiveDate) -> Result<Quote, ApiError> {
    Ok(Quote {
        id: uuid_of(&row.id)?,
        number: row.number.clone(),
        bilan_id: uuid_of(&row.bilan_id)?,
        funding_id: row.funding_id.as_deref().map(uuid_of).transpose()?,
        buyer: row.buyer()?,
        beneficiary_name: row.beneficiary_name.clone(),
        issue_date: row.issue_date,
        valid_until: row.valid_until,
        lines: row.lines()?,
        total_excl_vat_cents: row.total_excl_vat_cents,
        vat_rate_bp: row.vat_rate_bp,
        vat_cents: row.vat_cents,
        total_cents: row.total_cents,
        vat_mention: row.vat_mention.clone(),
        status: row.status(today)?,
        acceptance: acceptance(row)?,
        decline_reason: row.decline_reason.clone(),
        invoice_id: row.invoice_id.as_deref().map(uuid_of).transpose()?,
        sha256: row.sha256.clone(),
        issued_by: uuid_of(&row.issued_by)?,
        issued_at: row.issued_at.and_utc(),
    })
}

pub fn find(conn: &mut Conn, id: &str) -> Result<QuoteRow, ApiError> {
    quotes::table
        .find(id)
        .select(QuoteRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// The quote if `viewer` may read it, as invoices are read: admins all; a beneficiary those addressed
/// to them for their own bilans (self-funded); others 404.
pub fn load_visible(conn: &mut Conn, id: &str, viewer: &Viewer) -> Result<QuoteRow, ApiError> {
    let row = find(conn, id)?;
    if readable_by(conn, viewer, row.buyer_user_id.as_deref(), &row.bilan_id)? {
        Ok(row)
    } else {
        Err(ApiError::NotFound)
    }
}

type Head = (String, String, i64, NaiveDate);

/// The quotes `viewer` may read that `filter` matches, newest first, one page, and the totals of them
/// all. `expired` depends on today, so the matching heads are read and the status filter and totals
/// applied here (three statements whatever the page size).
pub fn list(
    conn: &mut Conn,
    viewer: &Viewer,
    filter: &QuoteFilter,
    paged: Paged,
    today: NaiveDate,
) -> Result<QuoteList, ApiError> {
    let mut q = quotes::table.into_boxed();
    match viewer {
        Viewer::Admin(_) => {}
        Viewer::Beneficiary(me) => {
            let own = bilans::table
                .filter(bilans::beneficiary_id.eq(me.clone()))
                .select(bilans::id);
            q = q
                .filter(quotes::buyer_user_id.eq(me.clone()))
                .filter(quotes::bilan_id.eq_any(own));
        }
        Viewer::Consultant(_) => return Err(ApiError::NotFound),
    }
    if let Some(p) = filter.payer_id {
        q = q.filter(quotes::payer_id.eq(p.to_string()));
    }
    if let Some(b) = filter.bilan_id {
        q = q.filter(quotes::bilan_id.eq(b.to_string()));
    }
    if let Some(from) = filter.from {
        q = q.filter(quotes::issue_date.ge(from));
    }
    if let Some(to) = filter.to {
        q = q.filter(quotes::issue_date.le(to));
    }
    let heads: Vec<Head> = q
        .order((quotes::issued_at.desc(), quotes::id.desc()))
        .select((
            quotes::id,
            quotes::status,
            quotes::total_cents,
            quotes::valid_until,
        ))
        .load(conn)?;
    let mut totals = QuoteTotals {
        pending_cents: 0,
        accepted_cents: 0,
        invoiced_cents: 0,
    };
    let mut matching = Vec::new();
    for (id, stored, total, valid_until) in &heads {
        let stored = db::stored(QuoteStatus::parse(stored), "quotes.status", stored)?;
        let st = status(stored, *valid_until, today);
        if filter.status.is_some_and(|f| f != st) {
            continue;
        }
        match st {
            QuoteStatus::Pending => totals.pending_cents += total,
            QuoteStatus::Accepted => totals.accepted_cents += total,
            QuoteStatus::Invoiced => totals.invoiced_cents += total,
            QuoteStatus::Declined | QuoteStatus::Expired => {}
        }
        matching.push(id.as_str());
    }
    let page = page_of(&matching, paged);
    let mut rows: Vec<QuoteRow> = quotes::table
        .filter(quotes::id.eq_any(&page))
        .select(QuoteRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|r| page.iter().position(|id| *id == r.id));
    let items = rows
        .iter()
        .map(|r| dto(r, today))
        .collect::<Result<_, _>>()?;
    Ok(QuoteList {
        items,
        total: matching.len() as i64,
        page: paged.page,
        per_page: paged.per_page,
        totals,
    })
}
