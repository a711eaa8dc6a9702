//! Organisation settings, kept as key → JSON value rows.

use actix_web::{get, patch, web};
use boussole_shared::users::SecuritySettings;
use diesel::prelude::*;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::AppState;
use crate::auth::extract::Admin;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::schema::settings;

const SECURITY: &str = "security";

pub fn security(conn: &mut Conn) -> QueryResult<SecuritySettings> {
    let value: Option<String> = settings::table
        .find(SECURITY)
        .select(settings::value)
        .first(conn)
        .optional()?;
    Ok(value
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

/// Writes a setting in one statement (`INSERT … ON CONFLICT (key) DO UPDATE`), so two writers cannot
/// both find it missing and collide. MultiConnection has no upsert: each backend's own connection runs it.
pub fn put(conn: &mut Conn, key: &str, value: &serde_json::Value) -> QueryResult<()> {
    let now = db::now();
    let value = value.to_string();
    crate::on_backend!(conn, |c| {
        diesel::insert_into(settings::table)
            .values((
                settings::key.eq(key),
                settings::value.eq(&value),
                settings::updated_at.eq(now),
            ))
            .on_conflict(settings::key)
            .do_update()
            .set((settings::value.eq(&value), settings::updated_at.eq(now)))
            .execute(c)
    })?;
    Ok(())
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_security_settings)
        .service(update_security_settings);
}

/// The organisation's security settings (admins).
#[utoipa::path(
    tag = "settings",
    responses((status = 200, description = "OK", body = SecuritySettings), (status = 401, description = "Not authenticated (problem document)", body = boussole_shared::Problem), (status = 403, description = "Not allowed (problem document)", body = boussole_shared::Problem)),
    security(("bearer" = []))
)]
#[get("/settings/security")]
async fn get_security_settings(
    _admin: Admin,
    state: web::Data<AppState>,
) -> Result<web::Json<SecuritySettings>, ApiError> {
    Ok(web::Json(
        db::run(&state.pool, |conn| Ok(security(conn)?)).await?,
    ))
}

/// Changes the security settings (admins), e.g. makes TOTP mandatory for admins and consultants.
#[utoipa::path(
    tag = "settings",
    request_body = SecuritySettings,
    responses((status = 200, description = "OK", body = SecuritySettings), (status = 400, description = "Bad input (problem document)", body = boussole_shared::Problem), (status = 401, description = "Not authenticated (problem document)", body = boussole_shared::Problem), (status = 403, description = "Not allowed (problem document)", body = boussole_shared::Problem)),
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
        Ok(security(conn)?)
    })
    .await?;
    Ok(web::Json(saved))
}
