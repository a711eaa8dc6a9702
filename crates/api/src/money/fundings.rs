//! The funding lines of a bilan (`/api/v1/bilans/{id}/fundings`): who pays how much, under which
//! agreement. Admins write them; the bilan's staff read them, a consultant without the amounts when
//! the organisation hides them (`AccountingSettings::consultants_see_amounts`). A line's status
//! becomes `paid` from its payments (never by hand): a `paid` sent in a body counts as `agreed`.

use boussole_shared::Slug;
use boussole_shared::field_rules::FieldRule;
use std::collections::HashMap;

use actix_web::{HttpResponse, get, post, put, web};
use boussole_shared::money::{Funding, FundingStatus, NewFunding};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::payers::{self, PayerRow};
use super::{Errors, optional};
use crate::AppState;
use crate::auth::caller::{Admin, Staff, Viewer};
use crate::bilans::BilanPath;
use crate::bilans::model;
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::journal::Actor;
use crate::json::JsonBody;
use crate::schema::{fundings, invoices, payers as payers_t};

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct FundingPath {
    /// Bilan id.
    pub id: uuid::Uuid,
    /// Funding line id.
    pub funding_id: uuid::Uuid,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = fundings, treat_none_as_null = true)]
pub struct FundingRow {
    pub id: String,
    pub bilan_id: String,
    pub payer_id: String,
    pub amount_cents: i64,
    pub agreement_number: Option<String>,
    pub agreement_date: Option<NaiveDate>,
    pub status: String,
    pub subrogation: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl FundingRow {
    pub fn status(&self) -> Result<FundingStatus, ApiError> {
        db::stored(
            FundingStatus::parse(&self.status),
            "fundings.status",
            &self.status,
        )
    }
}

/// The funding line `id` of `bilan_id`, or 404.
pub fn load(conn: &mut Conn, bilan_id: &str, id: &str) -> Result<FundingRow, ApiError> {
    fundings::table
        .find(id)
        .filter(fundings::bilan_id.eq(bilan_id))
        .select(FundingRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// What is invoiced on each line, less its credit notes (credit notes carry their invoice's line).
pub fn invoiced(conn: &mut Conn, ids: &[&str]) -> QueryResult<HashMap<String, i64>> {
    let rows: Vec<(Option<String>, i64)> = invoices::table
        .filter(invoices::funding_id.eq_any(ids))
        .select((invoices::funding_id, invoices::total_cents))
        .load(conn)?;
    let mut out = HashMap::new();
    for (id, total) in rows {
        if let Some(id) = id {
            *out.entry(id).or_insert(0) += total;
        }
    }
    Ok(out)
}

/// The lines of a bilan as `viewer` may see them (the caller loaded the bilan for them).
fn list(conn: &mut Conn, bilan_id: &str, viewer: &Viewer) -> Result<Vec<Funding>, ApiError> {
    let rows: Vec<(FundingRow, PayerRow)> = fundings::table
        .inner_join(payers_t::table.on(payers_t::id.eq(fundings::payer_id)))
        .filter(fundings::bilan_id.eq(bilan_id))
        .order((fundings::created_at.asc(), fundings::id.asc()))
        .select((FundingRow::as_select(), PayerRow::as_select()))
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.0.id.as_str()).collect();
    let invoiced = invoiced(conn, &ids)?;
    let amounts = match viewer {
        Viewer::Consultant(_) => super::settings::accounting(conn)?.consultants_see_amounts,
        _ => true,
    };
    rows.iter()
        .map(|(f, p)| {
            dto(
                f,
                p,
                amounts.then(|| *invoiced.get(&f.id).unwrap_or(&0)),
                amounts,
            )
        })
        .collect()
}

fn dto(
    f: &FundingRow,
    p: &PayerRow,
    invoiced: Option<i64>,
    amounts: bool,
) -> Result<Funding, ApiError> {
    Ok(Funding {
        id: uuid_of(&f.id)?,
        bilan_id: uuid_of(&f.bilan_id)?,
        payer: payers::dto(p)?,
        amount_cents: amounts.then_some(f.amount_cents),
        agreement_number: f.agreement_number.clone(),
        agreement_date: f.agreement_date,
        status: f.status()?,
        subrogation: f.subrogation,
        invoiced_cents: invoiced,
        created_at: f.created_at.and_utc(),
    })
}

/// The body checked: every field error at once; the payer must exist.
fn checked(conn: &mut Conn, new: &NewFunding) -> Result<PayerRow, ApiError> {
    let mut e = Errors::default();
    e.amount("amount_cents", new.amount_cents);
    if let Some(n) = &new.agreement_number {
        e.text("agreement_number", n, 100, true);
    }
    let payer = payers_t::table
        .find(new.payer_id.to_string())
        .select(PayerRow::as_select())
        .first(conn)
        .optional()?;
    if payer.is_none() {
        e.add("payer_id", FieldRule::Unknown, "payeur inconnu");
    }
    e.done()?;
    payer.ok_or(ApiError::NotFound)
}

fn row_of(id: String, bilan_id: &str, new: &NewFunding, created_at: NaiveDateTime) -> FundingRow {
    let status = match new.status {
        FundingStatus::Paid => FundingStatus::Agreed,
        s => s,
    };
    FundingRow {
        id,
        bilan_id: bilan_id.to_string(),
        payer_id: new.payer_id.to_string(),
        amount_cents: new.amount_cents,
        agreement_number: optional(new.agreement_number.clone()),
        agreement_date: new.agreement_date,
        status: status.as_str().to_string(),
        subrogation: new.subrogation,
        created_at,
        updated_at: db::now(),
    }
}

fn journal(conn: &mut Conn, actor: &Actor, action: &str, row: &FundingRow) -> Result<(), ApiError> {
    let details = serde_json::json!({
        "bilan_id": row.bilan_id, "payer_id": row.payer_id, "amount_cents": row.amount_cents,
        "status": row.status,
    });
    // The audit journal only, not the bilan's timeline: its beneficiary and consultants read that,
    // and amounts are not theirs to see.
    crate::journal::record(conn, actor, action, "funding", Some(&row.id), details)?;
    Ok(())
}

/// Sets the line `paid` once every invoice on it is settled (at least one, not all cancelled), back
/// to `agreed` when a new invoice or a change leaves something to pay.
pub fn refresh_status(conn: &mut Conn, funding_id: &str) -> Result<(), ApiError> {
    let row: FundingRow = fundings::table
        .find(funding_id)
        .select(FundingRow::as_select())
        .first(conn)?;
    let status = row.status()?;
    if !matches!(status, FundingStatus::Agreed | FundingStatus::Paid) {
        return Ok(());
    }
    let settled = super::invoices::rows::funding_settled(conn, funding_id)?;
    let wanted = if settled {
        FundingStatus::Paid
    } else {
        FundingStatus::Agreed
    };
    if wanted != status {
        diesel::update(fundings::table.find(funding_id))
            .set((
                fundings::status.eq(wanted.as_str()),
                fundings::updated_at.eq(db::now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Replaces the line `id` of `bilan` by `new`: once invoiced, its payer stays and its amount cannot
/// fall below what is invoiced on it.
fn replace(
    conn: &mut Conn,
    bilan: &str,
    id: &str,
    new: &NewFunding,
    actor: &Actor,
) -> Result<Funding, ApiError> {
    let old = load(conn, bilan, id)?;
    let payer = checked(conn, new)?;
    let done = *invoiced(conn, &[id])?.get(id).unwrap_or(&0);
    let issued: i64 = invoices::table
        .filter(invoices::funding_id.eq(id))
        .count()
        .get_result(conn)?;
    if issued > 0 && (old.payer_id != new.payer_id.to_string() || new.amount_cents < done) {
        return Err(ApiError::Rule {
            slug: Slug::FUNDING_INVOICED,
            detail: format!(
                "Cette ligne est déjà facturée ({}) : son payeur ne change plus et son montant ne peut pas être inférieur.",
                boussole_shared::money::format_cents(done)
            ),
            missing: vec![],
        });
    }
    let row = row_of(old.id, bilan, new, old.created_at);
    diesel::update(fundings::table.find(&row.id))
        .set(&row)
        .execute(conn)?;
    refresh_status(conn, &row.id)?;
    let row = load(conn, bilan, &row.id)?;
    journal(conn, actor, "funding.update", &row)?;
    dto(&row, &payer, Some(done), true)
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_fundings)
        .service(create_funding)
        .service(update_funding);
}

/// The bilan's funding lines (its admins and assigned consultants; a consultant sees the amounts
/// unless the organisation hides them). Oldest first.
#[utoipa::path(tag = "money", params(BilanPath),
    responses((status = 200, description = "OK", body = Vec<Funding>), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/bilans/{id}/fundings")]
async fn list_fundings(
    Staff { viewer, .. }: Staff,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
) -> Result<web::Json<Vec<Funding>>, ApiError> {
    let id = path.id.to_string();
    let list = db::run(&state.pool, move |conn| {
        model::load_for(conn, &id, &viewer)?;
        list(conn, &id, &viewer)
    })
    .await?;
    Ok(web::Json(list))
}

/// Adds a funding line to the bilan (admins).
#[utoipa::path(tag = "money", params(BilanPath), request_body = NewFunding,
    responses((status = 201, description = "Created", body = Funding), crate::problems::Write,
        crate::problems::NotFound),
    security(("bearer" = [])))]
#[post("/bilans/{id}/fundings")]
async fn create_funding(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<BilanPath>,
    body: JsonBody<NewFunding>,
) -> Result<HttpResponse, ApiError> {
    let new = body.parse()?;
    let (bilan, actor, viewer) = (
        path.id.to_string(),
        admin.actor(),
        Viewer::Admin(admin.user.id.clone()),
    );
    let funding = db::tx(&state.pool, move |conn| {
        model::load_for(conn, &bilan, &viewer)?;
        let payer = checked(conn, &new)?;
        let row = row_of(db::new_id(), &bilan, &new, db::now());
        diesel::insert_into(fundings::table)
            .values(&row)
            .execute(conn)?;
        journal(conn, &actor, "funding.create", &row)?;
        dto(&row, &payer, Some(0), true)
    })
    .await?;
    Ok(HttpResponse::Created().json(funding))
}

/// Replaces a funding line (admins). Once invoiced, its payer stays and its amount cannot fall below
/// what is invoiced on it (422 `funding-invoiced`).
#[utoipa::path(tag = "money", params(FundingPath), request_body = NewFunding,
    responses((status = 200, description = "OK", body = Funding), crate::problems::Write,
        crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[put("/bilans/{id}/fundings/{funding_id}")]
async fn update_funding(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<FundingPath>,
    body: JsonBody<NewFunding>,
) -> Result<web::Json<Funding>, ApiError> {
    let new = body.parse()?;
    let (bilan, id, actor) = (
        path.id.to_string(),
        path.funding_id.to_string(),
        admin.actor(),
    );
    let funding = db::tx(&state.pool, move |conn| {
        replace(conn, &bilan, &id, &new, &actor)
    })
    .await?;
    Ok(web::Json(funding))
}
