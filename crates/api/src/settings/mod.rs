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

/// Writes a setting (select then insert or update: MultiConnection has no upsert).
pub fn put(conn: &mut Conn, key: &str, value: &serde_json::Value) -> QueryResult<()> {
    let now = db::now();
    let exists: i64 = settings::table
        .filter(settings::key.eq(key))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        diesel::update(settings::table.find(key))
            .set((
                settings::value.eq(value.to_string()),
                settings::updated_at.eq(now),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(settings::table)
            .values((
                settings::key.eq(key),
                settings::value.eq(value.to_string()),
                settings::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

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
    Ok(web::Json(
        db::run(&state.pool, |conn| Ok(security(conn)?)).await?,
    ))
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
        Ok(security(conn)?)
    })
    .await?;
    Ok(web::Json(saved))
}
