//! The payer directory (`/api/v1/payers`, admins): companies, OPCOs, France Travail, the Caisse des
//! Dépôts and self-funded beneficiaries. A company's or an OPCO's SIRET is required and checked
//! (Luhn key): it is printed on their invoices (the buyer's SIREN, DOMAIN.md §4.2) and names them in
//! Factur-X. Invoices keep a snapshot of their buyer: editing a payer never changes an issued invoice.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use boussole_shared::field_rules::FieldRule;
use boussole_shared::money::{NewPayer, Payer, PayerFilter, PayerKind};
use boussole_shared::users::Role;
use boussole_shared::{Page, PageQuery};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Errors, optional};
use crate::AppState;
use crate::auth::caller::Admin;
use crate::db::{self, Conn, uuid_of};
use crate::error::ApiError;
use crate::external_ref::{self, Kind};
use crate::json::JsonBody;
use crate::schema::payers;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct PayerPath {
    /// Payer id.
    pub id: uuid::Uuid,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = payers, treat_none_as_null = true)]
pub struct PayerRow {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    pub address: String,
    pub contact_name: String,
    pub email: String,
    pub user_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// A company's id in the CRM, unique among payers.
    pub external_ref: Option<String>,
}

impl PayerRow {
    pub fn kind(&self) -> Result<PayerKind, ApiError> {
        db::stored(PayerKind::parse(&self.kind), "payers.kind", &self.kind)
    }
}

pub fn dto(row: &PayerRow) -> Result<Payer, ApiError> {
    Ok(Payer {
        id: uuid_of(&row.id)?,
        kind: row.kind()?,
        name: row.name.clone(),
        siret: row.siret.clone(),
        vat_number: row.vat_number.clone(),
        address: row.address.clone(),
        contact_name: row.contact_name.clone(),
        email: row.email.clone(),
        user_id: row.user_id.as_deref().map(uuid_of).transpose()?,
        created_at: row.created_at.and_utc(),
        external_ref: row.external_ref.clone(),
    })
}

/// The payer `id`, or 404.
pub fn load(conn: &mut Conn, id: &str) -> Result<PayerRow, ApiError> {
    payers::table
        .find(id)
        .select(PayerRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// The body checked and normalised (trimmed, SIRET without spaces): every field error at once.
pub(crate) fn checked(conn: &mut Conn, new: NewPayer) -> Result<(PayerKind, NewPayer), ApiError> {
    let mut e = Errors::default();
    let siret = optional(new.siret.clone()).map(|s| s.replace(' ', ""));
    let kind = new.kind;
    match kind {
        None => e.add("kind", FieldRule::Required, "obligatoire"),
        Some(k @ (PayerKind::Company | PayerKind::Opco)) if siret.is_none() => {
            e.add(
                "siret",
                FieldRule::Required,
                format!("obligatoire pour un payeur « {} »", k.as_str()),
            );
        }
        _ => {}
    }
    if siret
        .as_deref()
        .is_some_and(|s| !boussole_shared::rules::siret_is_valid(s))
    {
        e.add(
            "siret",
            FieldRule::Siret,
            "SIRET invalide (14 chiffres, clé de contrôle)",
        );
    }
    e.text("name", &new.name, 200, false);
    e.text("address", &new.address, 500, false);
    e.text("contact_name", &new.contact_name, 200, true);
    let email = new.email.trim().to_string();
    if email.chars().count() > 254 || (!email.is_empty() && !email_like(&email)) {
        e.add("email", FieldRule::Email, "adresse e-mail invalide");
    }
    let vat = optional(new.vat_number.clone()).map(|v| v.replace(' ', "").to_uppercase());
    if vat
        .as_deref()
        .is_some_and(|v| v.len() > 20 || !v.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        e.add(
            "vat_number",
            FieldRule::Format,
            "numéro de TVA invalide (20 lettres ou chiffres au plus)",
        );
    }
    match (kind, new.user_id) {
        (Some(PayerKind::Beneficiary), Some(user)) if !active_beneficiary(conn, &user)? => {
            e.add(
                "user_id",
                FieldRule::Unknown,
                "aucun compte bénéficiaire actif",
            );
        }
        (Some(PayerKind::Beneficiary), _) | (_, None) | (None, _) => {}
        (Some(_), Some(_)) => e.add(
            "user_id",
            FieldRule::NotAllowed,
            "seul un payeur bénéficiaire a un compte",
        ),
    }
    if let Some(r) = &new.external_ref {
        if kind.is_some_and(|k| k != PayerKind::Company) {
            e.add(
                "external_ref",
                FieldRule::NotAllowed,
                "seule une entreprise porte une référence externe",
            );
        } else if let Err(err) = boussole_shared::rules::external_ref(r) {
            e.add(
                "external_ref",
                FieldRule::Format,
                err.message.unwrap_or_default(),
            );
        }
    }
    e.done()?;
    let kind = kind.ok_or_else(|| ApiError::field("kind", FieldRule::Required, "obligatoire"))?;
    Ok((
        kind,
        NewPayer {
            kind: Some(kind),
            name: new.name.trim().to_string(),
            siret,
            vat_number: vat,
            address: new.address.trim().to_string(),
            contact_name: new.contact_name.trim().to_string(),
            email,
            user_id: new.user_id,
            external_ref: new.external_ref,
        },
    ))
}

fn active_beneficiary(conn: &mut Conn, id: &uuid::Uuid) -> Result<bool, ApiError> {
    Ok(match crate::accounts::find_by_id(conn, &id.to_string())? {
        Some(u) => u.is_active && u.role()? == Role::Beneficiary,
        None => false,
    })
}

fn email_like(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn row_of(id: String, kind: PayerKind, new: NewPayer, created_at: NaiveDateTime) -> PayerRow {
    PayerRow {
        id,
        kind: kind.as_str().to_string(),
        name: new.name,
        siret: new.siret,
        vat_number: new.vat_number,
        address: new.address,
        contact_name: new.contact_name,
        email: new.email,
        user_id: new.user_id.map(|u| u.to_string()),
        created_at,
        updated_at: db::now(),
        external_ref: new.external_ref,
    }
}

fn journal(
    conn: &mut Conn,
    admin: &crate::journal::Actor,
    action: &str,
    row: &PayerRow,
) -> Result<(), ApiError> {
    // The directory holds company data, and a beneficiary's name: the journal keeps the kind only.
    let details = serde_json::json!({ "kind": row.kind });
    crate::journal::record(conn, admin, action, "payer", Some(&row.id), details)?;
    Ok(())
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_payers)
        .service(create_payer)
        .service(get_payer)
        .service(update_payer);
}

/// The payer directory (admins), by name; `q` matches part of the name or the SIRET, `external_ref`
/// finds a company by its CRM id.
#[utoipa::path(tag = "money", params(PageQuery, PayerFilter),
    responses((status = 200, description = "OK", body = Page<Payer>), crate::problems::List),
    security(("bearer" = [])))]
#[get("/payers")]
async fn list_payers(
    _admin: Admin,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<Page<Payer>>, ApiError> {
    let filter: PayerFilter = crate::json::query(&req)?;
    let paged = crate::paged::Paged::from_request(&req)?;
    let q = crate::accounts::search_pattern(filter.q.as_deref());
    let page = db::run(&state.pool, move |conn| {
        let query = || {
            let mut query = payers::table.into_boxed();
            if let Some(kind) = filter.kind {
                query = query.filter(payers::kind.eq(kind.as_str()));
            }
            if let Some(r) = &filter.external_ref {
                query = query.filter(payers::external_ref.eq(r.clone()));
            }
            if let Some(q) = &q {
                let compact = q.replace(' ', "");
                query = query.filter(
                    lower(payers::name)
                        .like(q.clone())
                        .escape('\\')
                        .or(payers::siret.like(compact).escape('\\')),
                );
            }
            query
        };
        let page = paged.load(conn, query, |q| {
            q.order((payers::name.asc(), payers::id.asc()))
                .select(PayerRow::as_select())
        })?;
        page.try_map_items(|rows: Vec<PayerRow>| rows.iter().map(dto).collect())
    })
    .await?;
    Ok(web::Json(page))
}

/// Adds a payer (admins): 400 naming each invalid field (a company's or an OPCO's SIRET is required);
/// 409 `already-exists` with `existing_id` when another payer holds the `external_ref`.
#[utoipa::path(tag = "money", request_body = NewPayer,
    responses((status = 201, description = "Created", body = Payer), crate::problems::Write, crate::problems::Duplicate),
    security(("bearer" = [])))]
#[post("/payers")]
async fn create_payer(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    body: JsonBody<NewPayer>,
) -> Result<HttpResponse, ApiError> {
    let new = body.parse()?;
    let actor = admin.actor();
    let row = db::tx(&state.pool, move |conn| create(conn, &actor, new.clone())).await?;
    Ok(HttpResponse::Created().json(dto(&row)?))
}

/// Checks and adds a payer in the caller's transaction: 400 naming each invalid field, 409 when
/// another payer holds the `external_ref` (also used by the CSV import of companies).
pub(crate) fn create(
    conn: &mut Conn,
    actor: &crate::journal::Actor,
    new: NewPayer,
) -> Result<PayerRow, ApiError> {
    let (kind, new) = checked(conn, new)?;
    external_ref::ensure_free(conn, Kind::Payer, new.external_ref.as_deref(), None)?;
    let row = row_of(db::new_id(), kind, new, db::now());
    diesel::insert_into(payers::table)
        .values(&row)
        .execute(conn)?;
    journal(conn, actor, "payer.create", &row)?;
    Ok(row)
}

/// One payer (admins).
#[utoipa::path(tag = "money", params(PayerPath),
    responses((status = 200, description = "OK", body = Payer), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/payers/{id}")]
async fn get_payer(
    _admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<PayerPath>,
) -> Result<web::Json<Payer>, ApiError> {
    let id = path.id.to_string();
    let row = db::run(&state.pool, move |conn| load(conn, &id)).await?;
    Ok(web::Json(dto(&row)?))
}

/// Replaces a payer's details (admins). Invoices already issued keep the buyer they were issued to.
#[utoipa::path(tag = "money", params(PayerPath), request_body = NewPayer,
    responses((status = 200, description = "OK", body = Payer), crate::problems::Write, crate::problems::Duplicate,
        crate::problems::NotFound),
    security(("bearer" = [])))]
#[put("/payers/{id}")]
async fn update_payer(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<PayerPath>,
    body: JsonBody<NewPayer>,
) -> Result<web::Json<Payer>, ApiError> {
    let new = body.parse()?;
    let (id, actor) = (path.id.to_string(), admin.actor());
    let row = db::tx(&state.pool, move |conn| {
        let old = load(conn, &id)?;
        let (kind, mut new) = checked(conn, new.clone())?;
        external_ref::ensure_free(
            conn,
            Kind::Payer,
            new.external_ref.as_deref(),
            Some(&old.id),
        )?;
        // Absent keeps the CRM's id (a screen that does not show it must not erase it); only a
        // company keeps one.
        if new.external_ref.is_none() && kind == PayerKind::Company {
            new.external_ref = old.external_ref.clone();
        }
        let row = row_of(old.id, kind, new, old.created_at);
        diesel::update(payers::table.find(&row.id))
            .set(&row)
            .execute(conn)?;
        journal(conn, &actor, "payer.update", &row)?;
        Ok(row)
    })
    .await?;
    Ok(web::Json(dto(&row)?))
}
