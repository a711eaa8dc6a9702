//! Creating a beneficiary from the office or a CRM: the account without a password, the record's
//! administrative facts, and the same invitation staff get, to choose a password (7 days).

use actix_web::{HttpResponse, post, web};
use boussole_shared::bilans::{BeneficiaryProfile, NewBeneficiary};
use boussole_shared::users::Role;
use diesel::prelude::*;

use super::{ProfileRow, check_facts, load};
use crate::AppState;
use crate::accounts::{self, UserRow};
use crate::auth::caller::{ApiCaller, BeneficiariesWrite};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::external_ref::{self, Kind};
use crate::json::JsonBody;
use crate::schema::beneficiary_profiles as bp;

/// Creates a beneficiary (admins, or an API key with `beneficiaries:write`) and emails them an
/// invitation to choose a password (valid 7 days). An address already in use answers 409
/// `already-exists`, with `existing_id` when it is a beneficiary's account (link to it rather than
/// creating another); so does an `external_ref` another beneficiary holds. Nothing is written on a
/// 400 or a 409. Send an `Idempotency-Key` to retry safely.
#[utoipa::path(tag = "beneficiaries", request_body = NewBeneficiary,
    responses((status = 201, description = "Created; the invitation is on its way", body = BeneficiaryProfile),
        crate::problems::Write, crate::problems::Duplicate),
    security(("bearer" = []), ("api_key" = [])))]
#[post("/beneficiaries")]
pub(super) async fn create_beneficiary(
    caller: ApiCaller<BeneficiariesWrite>,
    state: web::Data<AppState>,
    body: JsonBody<NewBeneficiary>,
) -> Result<HttpResponse, ApiError> {
    let new = body.parse()?;
    checked(&new)?;
    let st = state.clone();
    let profile = db::tx(&state.pool, move |conn| {
        let inviter = inviter(conn, &caller)?;
        insert(conn, &st, &caller.actor(), &inviter, &new)
    })
    .await?;
    Ok(HttpResponse::Created().json(profile))
}

/// The body's field rules (400 naming each field), before anything is looked up.
pub(crate) fn checked(new: &NewBeneficiary) -> Result<(), ApiError> {
    crate::error::validate(new)?;
    check_facts(new.date_of_birth, new.employer.as_ref())
}

/// Creates the account, its record and its invitation in the caller's transaction (409 when the
/// address or the CRM id is taken); the invitation email goes through the outbox in that transaction.
pub(crate) fn insert(
    conn: &mut Conn,
    st: &AppState,
    actor: &crate::journal::Actor,
    inviter: &str,
    new: &NewBeneficiary,
) -> Result<BeneficiaryProfile, ApiError> {
    refuse_existing(conn, new)?;
    let row = UserRow::new(
        &new.email,
        Role::Beneficiary,
        new.civility,
        &new.first_name,
        &new.last_name,
        new.phone.as_deref(),
        new.locale.unwrap_or_default(),
        None,
    );
    accounts::insert(conn, &row)?;
    diesel::insert_into(bp::table)
        .values(&profile_row(&row.id, new))
        .execute(conn)?;
    crate::webhooks::emit(
        conn,
        crate::webhooks::WebhookEventKind::BeneficiaryCreated,
        &crate::webhooks::BeneficiaryEvent {
            beneficiary_id: row.id.clone(),
            external_ref: new.external_ref.clone(),
        },
    )?;
    crate::journal::record(
        conn,
        actor,
        "beneficiary.create",
        "user",
        Some(&row.id),
        serde_json::json!({ "external_ref": new.external_ref.is_some() }),
    )?;
    crate::users::admin::invitation_for(conn, st, actor, inviter, &row)?;
    load(conn, st, row, false)
}

/// 409 when the address or the CRM id is taken. The existing account's id is given only when it is a
/// beneficiary's: a staff account's id is none of an integration's business.
pub(crate) fn refuse_existing(conn: &mut Conn, new: &NewBeneficiary) -> Result<(), ApiError> {
    if let Some(existing) = accounts::find_by_email(conn, &new.email)? {
        let beneficiary = existing.role()? == Role::Beneficiary;
        return Err(ApiError::AlreadyExists {
            detail: "Un compte existe déjà avec cette adresse.".into(),
            existing_id: beneficiary.then_some(existing.id),
        });
    }
    external_ref::ensure_free(conn, Kind::Beneficiary, new.external_ref.as_deref(), None)
}

fn profile_row(user_id: &str, new: &NewBeneficiary) -> ProfileRow {
    let employer = new.employer.as_ref();
    ProfileRow {
        user_id: user_id.to_string(),
        date_of_birth: new.date_of_birth,
        situation: new.situation.as_str().into(),
        current_job: new.current_job.clone(),
        education_level: new.education_level.clone(),
        employer_name: employer.map(|e| e.name.clone()),
        employer_siret: employer.and_then(|e| e.siret.clone()),
        employer_contact: employer.and_then(|e| e.contact.clone()),
        cep_adviser: new.cep_adviser.clone(),
        accessibility_consent_at: None,
        accessibility_needs: None,
        updated_at: db::now(),
        external_ref: new.external_ref.clone(),
    }
}

/// Who the invitation says invites: the admin by name, or the organisation for a key.
pub(crate) fn inviter(
    conn: &mut Conn,
    caller: &ApiCaller<BeneficiariesWrite>,
) -> Result<String, ApiError> {
    Ok(match caller {
        ApiCaller::Admin(admin) => admin.user.display_name(),
        ApiCaller::Key { .. } => {
            let name = crate::settings::organisation(conn)?.name;
            if name.trim().is_empty() {
                "Votre organisme de bilans de compétences".into()
            } else {
                name
            }
        }
    })
}
