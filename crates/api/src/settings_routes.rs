//! The settings routes (admins); the store they read and write is `settings`.

use actix_web::{get, patch, put, web};
use boussole_shared::documents::OrganisationIdentity;
use boussole_shared::users::SecuritySettings;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::AppState;
use crate::auth::caller::{Admin, Staff};
use crate::db;
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::settings::{ORGANISATION, SECURITY, organisation, put, security};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_security_settings)
        .service(update_security_settings)
        .service(get_organisation)
        .service(put_organisation);
}

/// The organisation's security settings (admins).
#[utoipa::path(
    tag = "settings",
    responses((status = 200, description = "OK", body = SecuritySettings), crate::problems::Caller),
    security(("bearer" = []))
)]
#[get("/settings/security")]
async fn get_security_settings(
    _admin: Admin,
    state: web::Data<AppState>,
) -> Result<web::Json<SecuritySettings>, ApiError> {
    Ok(web::Json(db::run(&state.pool, security).await?))
}

/// Changes the settings (admins): only the fields sent, e.g. makes TOTP mandatory for admins and
/// consultants, or the 13-hour minimum blocking. A field left out keeps its value, so a client that
/// knows only some of the settings cannot reset the others.
#[utoipa::path(
    tag = "settings",
    request_body = SecuritySettings,
    responses((status = 200, description = "OK", body = SecuritySettings), crate::problems::Write),
    security(("bearer" = []))
)]
#[patch("/settings/security")]
async fn update_security_settings(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    body: JsonBody<serde_json::Value>,
) -> Result<web::Json<SecuritySettings>, ApiError> {
    let serde_json::Value::Object(changes) = body.parse()? else {
        return Err(ApiError::BadRequest(
            "JSON inattendu : un objet est attendu".into(),
        ));
    };
    let saved = db::tx(&state.pool, move |conn| {
        let mut value = serde_json::to_value(security(conn)?).map_err(ApiError::internal)?;
        if let serde_json::Value::Object(current) = &mut value {
            current.extend(changes.clone());
        }
        let new: SecuritySettings = serde_json::from_value(value)
            .map_err(|e| ApiError::BadRequest(format!("JSON inattendu : {e}")))?;
        crate::error::validate(&new)?;
        let value = serde_json::to_value(&new).map_err(ApiError::internal)?;
        put(conn, SECURITY, &value)?;
        crate::journal::record(
            conn,
            &admin.actor(),
            "settings.security.update",
            "settings",
            Some(SECURITY),
            value,
        )?;
        security(conn)
    })
    .await?;
    Ok(web::Json(saved))
}

/// The organisation's identity as its documents print it (any staff: consultants issue documents).
#[utoipa::path(
    tag = "settings",
    responses((status = 200, description = "OK", body = OrganisationIdentity), crate::problems::Caller),
    security(("bearer" = []))
)]
#[get("/settings/organisation")]
async fn get_organisation(
    _staff: Staff,
    state: web::Data<AppState>,
) -> Result<web::Json<OrganisationIdentity>, ApiError> {
    Ok(web::Json(db::run(&state.pool, organisation).await?))
}

/// Replaces the organisation's identity (admins). Blank fields are accepted — a document that needs
/// one refuses to be issued and names it — but a filled SIRET or NDA must be well formed. Documents
/// already issued keep the identity they were issued with.
#[utoipa::path(
    tag = "settings",
    request_body = OrganisationIdentity,
    responses((status = 200, description = "OK", body = OrganisationIdentity), crate::problems::Write),
    security(("bearer" = []))
)]
#[put("/settings/organisation")]
async fn put_organisation(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    body: JsonBody<OrganisationIdentity>,
) -> Result<web::Json<OrganisationIdentity>, ApiError> {
    let mut new = body.parse()?;
    // Printed as typed, but stored without the spaces people type in numbers.
    new.siret.retain(|c| c != ' ');
    new.nda.retain(|c| c != ' ');
    let errors = new.errors();
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let saved = db::tx(&state.pool, move |conn| {
        let value = serde_json::to_value(&new).map_err(ApiError::internal)?;
        put(conn, ORGANISATION, &value)?;
        crate::journal::record(
            conn,
            &admin.actor(),
            "settings.organisation.update",
            "settings",
            Some(ORGANISATION),
            value,
        )?;
        organisation(conn)
    })
    .await?;
    Ok(web::Json(saved))
}
