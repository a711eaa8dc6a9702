//! Beneficiary records: only what has a direct and necessary link with the bilan (L6313-4). Admins see
//! the administrative facts; accessibility needs (special-category data) are recorded only with the
//! beneficiary's explicit consent, encrypted, and shown only to them and their assigned consultants.
//! An integration's key reads (`beneficiaries:read`) and writes (`beneficiaries:write`) as admins do.

mod create;

pub(crate) use create::{checked, insert, inviter, refuse_existing};

use actix_web::{HttpRequest, get, put, web};
use boussole_shared::bilans::{
    BeneficiaryFilter, BeneficiaryProfile, BeneficiaryProfileUpdate, Employer, PersonRef, Situation,
};
use boussole_shared::field_rules::FieldRule;
use boussole_shared::rules::{birth_date_is_plausible, siret_is_valid};
use boussole_shared::users::Role;
use boussole_shared::{Page, PageQuery};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::AppState;
use crate::accounts::UserRow;
use crate::auth::caller::{
    BeneficiariesRead, BeneficiariesWrite, ReaderOrKey, StaffOrKey, Viewer, ViewerOrKey,
};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::external_ref::{self, Kind};
use crate::journal;
use crate::json::JsonBody;
use crate::schema::{beneficiary_profiles as bp, bilan_consultants, bilans, users};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = bp, treat_none_as_null = true)]
struct ProfileRow {
    user_id: String,
    date_of_birth: Option<NaiveDate>,
    situation: String,
    current_job: Option<String>,
    education_level: Option<String>,
    employer_name: Option<String>,
    employer_siret: Option<String>,
    employer_contact: Option<String>,
    cep_adviser: Option<String>,
    accessibility_consent_at: Option<NaiveDateTime>,
    accessibility_needs: Option<Vec<u8>>,
    updated_at: NaiveDateTime,
    external_ref: Option<String>,
}

#[derive(Debug, serde::Deserialize, IntoParams)]
struct BeneficiaryPath {
    /// The beneficiary's account id.
    id: uuid::Uuid,
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_beneficiaries)
        .service(create::create_beneficiary)
        .service(get_beneficiary)
        .service(update_beneficiary);
}

/// Whether this viewer may see this beneficiary, and whether they may see the special-category data.
fn access(conn: &mut Conn, viewer: &Viewer, beneficiary_id: &str) -> Result<bool, ApiError> {
    match viewer {
        Viewer::Admin(_) => Ok(false),
        Viewer::Beneficiary(id) if id == beneficiary_id => Ok(true),
        Viewer::Beneficiary(_) => Err(ApiError::NotFound),
        Viewer::Consultant(id) => {
            let n: i64 = bilan_consultants::table
                .inner_join(bilans::table)
                .filter(bilan_consultants::consultant_id.eq(id))
                .filter(bilan_consultants::unassigned_at.is_null())
                .filter(bilans::beneficiary_id.eq(beneficiary_id))
                .count()
                .get_result(conn)?;
            if n > 0 {
                Ok(true)
            } else {
                Err(ApiError::NotFound)
            }
        }
    }
}

fn load(
    conn: &mut Conn,
    state: &AppState,
    user: UserRow,
    sensitive: bool,
) -> Result<BeneficiaryProfile, ApiError> {
    let row: Option<ProfileRow> = bp::table
        .find(&user.id)
        .select(ProfileRow::as_select())
        .first(conn)
        .optional()?;
    let person = PersonRef {
        id: user.uuid()?,
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
    };
    let Some(row) = row else {
        return Ok(BeneficiaryProfile {
            person,
            email: user.email,
            date_of_birth: None,
            situation: Situation::Other,
            current_job: None,
            education_level: None,
            employer: None,
            cep_adviser: None,
            accessibility_consent: false,
            accessibility_needs: None,
            external_ref: None,
        });
    };
    let needs = match (&row.accessibility_needs, sensitive) {
        (Some(sealed), true) => Some(crate::crypto::decrypt(
            state.config.master_key.as_slice(),
            &format!("accessibility:{}", row.user_id),
            sealed,
        )?),
        _ => None,
    };
    Ok(BeneficiaryProfile {
        person,
        email: user.email,
        date_of_birth: row.date_of_birth,
        situation: db::stored(
            Situation::parse(&row.situation),
            "beneficiary_profiles.situation",
            &row.situation,
        )?,
        current_job: row.current_job,
        education_level: row.education_level,
        employer: row.employer_name.map(|name| Employer {
            name,
            siret: row.employer_siret,
            contact: row.employer_contact,
        }),
        cep_adviser: row.cep_adviser,
        accessibility_consent: row.accessibility_consent_at.is_some(),
        accessibility_needs: needs,
        external_ref: row.external_ref,
    })
}

/// The rules the validator cannot say: a SIRET's Luhn key, a plausible birth date.
fn check_facts(birth: Option<NaiveDate>, employer: Option<&Employer>) -> Result<(), ApiError> {
    if let Some(siret) = employer.and_then(|e| e.siret.as_deref())
        && !siret_is_valid(siret)
    {
        return Err(ApiError::field(
            "employer.siret",
            FieldRule::Siret,
            "SIRET invalide (14 chiffres, clé de contrôle)",
        ));
    }
    if let Some(birth) = birth
        && !birth_date_is_plausible(
            birth,
            boussole_shared::time::paris_date(chrono::Utc::now().naive_utc()),
        )
    {
        return Err(ApiError::field(
            "date_of_birth",
            FieldRule::Range,
            "date de naissance invraisemblable",
        ));
    }
    Ok(())
}

fn beneficiary(conn: &mut Conn, id: &str) -> Result<UserRow, ApiError> {
    match crate::accounts::find_by_id(conn, id)? {
        Some(u) if u.role()? == Role::Beneficiary => Ok(u),
        _ => Err(ApiError::NotFound),
    }
}

/// Beneficiaries: all for admins and API keys with `beneficiaries:read`, those of their bilans for
/// consultants (without special-category data); `external_ref` finds the one a CRM knows by its own id.
#[utoipa::path(tag = "beneficiaries", params(PageQuery, BeneficiaryFilter),
    responses((status = 200, description = "OK", body = Page<BeneficiaryProfile>), crate::problems::List),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/beneficiaries")]
async fn list_beneficiaries(
    StaffOrKey { viewer, .. }: StaffOrKey<BeneficiariesRead>,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<Page<BeneficiaryProfile>>, ApiError> {
    let filter: BeneficiaryFilter = crate::json::query(&req)?;
    let paged = crate::paged::Paged::from_request(&req)?;
    let q = crate::accounts::search_pattern(filter.q.as_deref());
    let st = state.clone();
    let result = db::run(&state.pool, move |conn| {
        let query = || {
            let mut query = users::table
                .filter(users::role.eq("beneficiary"))
                .into_boxed();
            if let Viewer::Consultant(id) = &viewer {
                let theirs = bilan_consultants::table
                    .inner_join(bilans::table)
                    .filter(bilan_consultants::consultant_id.eq(id.clone()))
                    .filter(bilan_consultants::unassigned_at.is_null())
                    .select(bilans::beneficiary_id);
                query = query.filter(users::id.eq_any(theirs));
            }
            if let Some(q) = &q {
                query = query.filter(users::search.like(q.clone()).escape('\\'));
            }
            if let Some(r) = &filter.external_ref {
                let holder = bp::table
                    .filter(bp::external_ref.eq(r.clone()))
                    .select(bp::user_id);
                query = query.filter(users::id.eq_any(holder));
            }
            query
        };
        let page = paged.load(conn, query, |q| {
            q.order((
                users::last_name.asc(),
                users::first_name.asc(),
                users::id.asc(),
            ))
            .select(UserRow::as_select())
        })?;
        page.try_map_items(|rows: Vec<UserRow>| {
            rows.into_iter()
                .map(|u| load(conn, &st, u, false))
                .collect::<Result<Vec<_>, _>>()
        })
    })
    .await?;
    Ok(web::Json(result))
}

/// One beneficiary's record (admins and API keys with `beneficiaries:read`, their assigned consultants,
/// themselves).
#[utoipa::path(tag = "beneficiaries", params(BeneficiaryPath),
    responses((status = 200, description = "OK", body = BeneficiaryProfile), crate::problems::Read),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/beneficiaries/{id}")]
async fn get_beneficiary(
    ViewerOrKey { viewer, .. }: ViewerOrKey<BeneficiariesRead>,
    state: web::Data<AppState>,
    path: web::Path<BeneficiaryPath>,
) -> Result<web::Json<BeneficiaryProfile>, ApiError> {
    let id = path.id.to_string();
    let st = state.clone();
    let profile = db::run(&state.pool, move |conn| {
        let sensitive = access(conn, &viewer, &id)?;
        let user = beneficiary(conn, &id)?;
        load(conn, &st, user, sensitive)
    })
    .await?;
    Ok(web::Json(profile))
}

/// Updates the record: the beneficiary all of it; an admin or an API key with `beneficiaries:write` the
/// administrative fields (accessibility needs are left as they are). Accessibility needs require
/// `accessibility_consent`; withdrawing it erases them. `external_ref` absent keeps the CRM's id; one
/// another beneficiary holds answers 409 `already-exists` with `existing_id`.
#[utoipa::path(tag = "beneficiaries", params(BeneficiaryPath), request_body = BeneficiaryProfileUpdate,
    responses((status = 200, description = "OK", body = BeneficiaryProfile), crate::problems::Write, crate::problems::NotFound, crate::problems::Duplicate),
    security(("bearer" = []), ("api_key" = [])))]
#[put("/beneficiaries/{id}")]
async fn update_beneficiary(
    ReaderOrKey { viewer, actor, .. }: ReaderOrKey<BeneficiariesWrite>,
    state: web::Data<AppState>,
    path: web::Path<BeneficiaryPath>,
    body: JsonBody<BeneficiaryProfileUpdate>,
) -> Result<web::Json<BeneficiaryProfile>, ApiError> {
    let update = body.validated()?;
    check_facts(update.date_of_birth, update.employer.as_ref())?;
    // The CRM's id is the organisation's to give: one a beneficiary chose could later point the
    // CRM's lookup, or its 409's `existing_id`, at the wrong person.
    if matches!(viewer, Viewer::Beneficiary(_)) && update.external_ref.is_some() {
        return Err(ApiError::field(
            "external_ref",
            FieldRule::NotAllowed,
            "seul votre organisme renseigne cette référence",
        ));
    }
    if update
        .accessibility_needs
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty())
        && !update.accessibility_consent
    {
        return Err(ApiError::field(
            "accessibility_needs",
            FieldRule::ConsentRequired,
            "ne peut être enregistré qu'avec votre consentement explicite",
        ));
    }
    let id = path.id.to_string();
    let st = state.clone();
    let profile = db::tx(&state.pool, move |conn| {
        let sensitive = access(conn, &viewer, &id)?;
        let user = beneficiary(conn, &id)?;
        let existing: Option<ProfileRow> = bp::table
            .find(&id)
            .select(ProfileRow::as_select())
            .first(conn)
            .optional()?;
        let now = db::now();
        let (consent_at, needs) = if let Viewer::Beneficiary(_) = viewer {
            match (
                update.accessibility_consent,
                update
                    .accessibility_needs
                    .as_deref()
                    .map(str::trim)
                    .filter(|n| !n.is_empty()),
            ) {
                (false, _) => (None, None),
                (true, needs) => (
                    existing
                        .as_ref()
                        .and_then(|e| e.accessibility_consent_at)
                        .or(Some(now)),
                    needs
                        .map(|n| {
                            crate::crypto::encrypt(
                                st.config.master_key.as_slice(),
                                &format!("accessibility:{id}"),
                                n,
                            )
                        })
                        .transpose()?,
                ),
            }
        } else {
            (
                existing.as_ref().and_then(|e| e.accessibility_consent_at),
                existing
                    .as_ref()
                    .and_then(|e| e.accessibility_needs.clone()),
            )
        };
        external_ref::ensure_free(
            conn,
            Kind::Beneficiary,
            update.external_ref.as_deref(),
            Some(&id),
        )?;
        let external_ref = update
            .external_ref
            .clone()
            .or_else(|| existing.as_ref().and_then(|e| e.external_ref.clone()));
        let employer = update.employer.clone();
        let row = ProfileRow {
            user_id: id.clone(),
            date_of_birth: update.date_of_birth,
            situation: update.situation.as_str().into(),
            current_job: update.current_job.clone(),
            education_level: update.education_level.clone(),
            employer_name: employer.as_ref().map(|e| e.name.clone()),
            employer_siret: employer.as_ref().and_then(|e| e.siret.clone()),
            employer_contact: employer.as_ref().and_then(|e| e.contact.clone()),
            cep_adviser: update.cep_adviser.clone(),
            accessibility_consent_at: consent_at,
            accessibility_needs: needs,
            updated_at: now,
            external_ref,
        };
        if existing.is_some() {
            diesel::update(bp::table.find(&id))
                .set(&row)
                .execute(conn)?;
        } else {
            diesel::insert_into(bp::table).values(&row).execute(conn)?;
        }
        journal::record(
            conn,
            &actor,
            "beneficiary.update",
            "user",
            Some(&id),
            serde_json::json!({ "accessibility_consent": row.accessibility_consent_at.is_some() }),
        )?;
        load(conn, &st, user, sensitive)
    })
    .await?;
    Ok(web::Json(profile))
}
