//! The settings routes (admins).

use actix_web::{get, patch, web};
use boussole_shared::users::SecuritySettings;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{SECURITY, put, security};
use crate::AppState;
use crate::auth::caller::Admin;
use crate::db;
use crate::error::ApiError;
use crate::json::JsonBody;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_security_settings)
        .service(update_security_settings);
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

/// Changes the security settings (admins), e.g. makes TOTP mandatory for admins and consultants.
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
    body: JsonBody<SecuritySettings>,
) -> Result<web::Json<SecuritySettings>, ApiError> {
    let new = body.parse()?;
    let saved = db::tx(&state.pool, move |conn| {
        let value = serde_json::to_value(&new).map_err(ApiError::internal)?;
        put(conn, SECURITY, &value)?;
        crate::audit::record(
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
