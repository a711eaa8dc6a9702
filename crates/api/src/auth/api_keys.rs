//! API keys for the organisation's integrations (CRM, accounting): created by an admin, shown once,
//! stored as SHA-256, scoped, revocable, optionally expiring. A key never reads bilan content.

use actix_web::{HttpResponse, delete, get, post, web};
use boussole_shared::field_rules::FieldRule;

use boussole_shared::auth::{ApiKey, ApiScope, CreatedApiKey, NewApiKey};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use utoipa::IntoParams;

use crate::AppState;
use crate::auth::caller::Admin;
use crate::auth::extract::API_KEY_PREFIX;
use crate::auth::tokens::{random_token, sha256_hex};
use crate::db;
use crate::error::ApiError;
use crate::journal;
use crate::json::JsonBody;
use crate::schema::api_keys;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_keys)]
struct ApiKeyRow {
    id: String,
    name: String,
    prefix: String,
    key_hash: String,
    scopes: String,
    created_by: String,
    created_at: NaiveDateTime,
    last_used_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
    expires_at: Option<NaiveDateTime>,
    last_used_ip: Option<String>,
}

impl TryFrom<ApiKeyRow> for ApiKey {
    type Error = ApiError;

    fn try_from(row: ApiKeyRow) -> Result<ApiKey, ApiError> {
        Ok(ApiKey {
            id: db::uuid_of(&row.id)?,
            scopes: parse_scopes(&row.scopes),
            name: row.name,
            prefix: row.prefix,
            created_at: row.created_at.and_utc(),
            last_used_at: row.last_used_at.map(|t| t.and_utc()),
            last_used_ip: row.last_used_ip,
            expires_at: row.expires_at.map(|t| t.and_utc()),
            revoked_at: row.revoked_at.map(|t| t.and_utc()),
        })
    }
}

/// Scopes are stored space-separated; unknown ones (from a newer version) are ignored.
pub fn parse_scopes(s: &str) -> Vec<ApiScope> {
    s.split_whitespace().filter_map(ApiScope::parse).collect()
}

#[derive(Debug, serde::Deserialize, IntoParams)]
struct KeyPath {
    /// Key id.
    id: uuid::Uuid,
}

/// Every API key, revoked and expired ones included, with its last use (time and client address) (admins).
#[utoipa::path(
    tag = "api-keys",
    responses((status = 200, description = "OK", body = Vec<ApiKey>), crate::problems::Caller),
    security(("bearer" = []))
)]
#[get("/api-keys")]
async fn list_api_keys(
    _admin: Admin,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<ApiKey>>, ApiError> {
    let rows = db::run(&state.pool, |conn| {
        Ok(api_keys::table
            .order(api_keys::created_at.desc())
            .select(ApiKeyRow::as_select())
            .load(conn)?)
    })
    .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(ApiKey::try_from)
            .collect::<Result<_, _>>()?,
    ))
}

/// Creates a key; its secret is in this answer only.
#[utoipa::path(
    tag = "api-keys",
    request_body = NewApiKey,
    responses((status = 201, description = "Created", body = CreatedApiKey), crate::problems::Write),
    security(("bearer" = []))
)]
#[post("/api-keys")]
async fn create_api_key(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    body: JsonBody<NewApiKey>,
) -> Result<HttpResponse, ApiError> {
    let body = body.validated()?;
    let expires_at = body.expires_at.map(|t| t.naive_utc());
    if expires_at.is_some_and(|t| t <= db::now()) {
        return Err(ApiError::field(
            "expires_at",
            FieldRule::InFuture,
            "doit être dans le futur",
        ));
    }
    let key = format!("{API_KEY_PREFIX}{}", random_token());
    let mut scopes: Vec<&str> = body.scopes.iter().map(|s| s.as_str()).collect();
    scopes.sort_unstable();
    scopes.dedup();
    let row = ApiKeyRow {
        id: db::new_id(),
        name: body.name.trim().to_string(),
        prefix: key.chars().take(12).collect(),
        key_hash: sha256_hex(&key),
        scopes: scopes.join(" "),
        created_by: admin.user.id.clone(),
        created_at: db::now(),
        last_used_at: None,
        revoked_at: None,
        expires_at,
        last_used_ip: None,
    };
    let saved = row.clone();
    db::tx(&state.pool, move |conn| {
        diesel::insert_into(api_keys::table)
            .values(&row)
            .execute(conn)?;
        let details = serde_json::json!({
            "name": row.name,
            "scopes": row.scopes,
            "expires_at": row.expires_at.map(|t| t.and_utc()),
        });
        Ok(journal::record(
            conn,
            &admin.actor(),
            "api_key.create",
            "api_key",
            Some(&row.id),
            details,
        )?)
    })
    .await?;
    Ok(HttpResponse::Created().json(CreatedApiKey {
        key,
        api_key: saved.try_into()?,
    }))
}

/// Revokes a key: it is refused from now on.
#[utoipa::path(
    tag = "api-keys",
    params(KeyPath),
    responses((status = 204, description = "Revoked"), crate::problems::Read),
    security(("bearer" = []))
)]
#[delete("/api-keys/{id}")]
async fn revoke_api_key(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    path: web::Path<KeyPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.id.to_string();
    db::tx(&state.pool, move |conn| {
        let updated = diesel::update(
            api_keys::table
                .find(&id)
                .filter(api_keys::revoked_at.is_null()),
        )
        .set(api_keys::revoked_at.eq(db::now()))
        .execute(conn)?;
        if updated == 0 {
            return Err(ApiError::NotFound);
        }
        Ok(journal::record(
            conn,
            &admin.actor(),
            "api_key.revoke",
            "api_key",
            Some(&id),
            serde_json::json!({}),
        )?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
