//! Who is calling: the bearer token, the session or API key behind it, the client's address. The
//! extractors that say who may call a handler are in `caller`.

use boussole_shared::Slug;
use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use boussole_shared::auth::ApiScope;
use boussole_shared::users::Role;
use diesel::prelude::*;

use crate::AppState;
use crate::accounts::UserRow;
use crate::auth::tokens::{self, ACCESS};
use crate::error::ApiError;
use crate::journal::Actor;
use crate::schema::{api_keys, sessions, users};

pub const API_KEY_PREFIX: &str = "bsl_";

/// The caller's address and browser, for the audit journal and the sessions list.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl ClientInfo {
    pub fn of(req: &HttpRequest) -> ClientInfo {
        let trusted = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.config.trusted_proxies.as_slice())
            .unwrap_or_default();
        let ip = req
            .peer_addr()
            .map(|peer| super::client_ip::client_ip(peer.ip(), req.headers(), trusted).to_string());
        let user_agent = req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(300).collect());
        ClientInfo { ip, user_agent }
    }
}

impl FromRequest for ClientInfo {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(ClientInfo::of(req)))
    }
}

/// A logged-in account with a live session.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: UserRow,
    pub session_id: String,
    pub client: ClientInfo,
    /// The organisation requires TOTP for staff and this staff account has none yet.
    pub totp_enrolment_required: bool,
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        Actor::user(&self.user.id, self.client.ip.clone())
    }
}

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("application state missing"))
}

pub(super) fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or_else(|| {
            ApiError::unauthorized(
                Slug::MISSING_TOKEN,
                "Connectez-vous pour accéder à cette ressource.",
            )
        })?;
    let value = header.to_str().unwrap_or_default();
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_string())
        }
        _ => Err(ApiError::unauthorized(
            Slug::INVALID_TOKEN,
            "En-tête Authorization invalide.",
        )),
    }
}

/// Sessions recently found live, keyed by user, session and token version (see `crate::cache`).
pub type AuthCache = crate::cache::ReadCache<(UserRow, bool)>;

pub(super) async fn authenticate(req: HttpRequest) -> Result<CurrentUser, ApiError> {
    let token = bearer(&req)?;
    if token.starts_with(API_KEY_PREFIX) {
        return Err(ApiError::forbidden(
            Slug::API_KEY_NOT_ALLOWED,
            "Une clé d'API ne donne pas accès à cette ressource.",
        ));
    }
    let state = state(&req)?;
    let claims = state.keys.verify(&token, ACCESS)?;
    let client = ClientInfo::of(&req);
    let session_id = claims.sid.clone();
    let cache_key = format!("{}:{}:{}", claims.sub, claims.sid, claims.tv);
    let pool = state.pool.clone();
    let lookup = crate::db::run(&pool, move |conn| {
        let user: Option<UserRow> = users::table
            .inner_join(sessions::table)
            .filter(users::id.eq(&claims.sub))
            .filter(sessions::id.eq(&claims.sid))
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::expires_at.gt(crate::db::now()))
            .filter(users::is_active.eq(true))
            .filter(users::token_version.eq(claims.tv))
            .select(UserRow::as_select())
            .first(conn)
            .optional()?;
        let Some(user) = user else {
            return Err(ApiError::unauthorized(
                Slug::SESSION_ENDED,
                "Session terminée : reconnectez-vous.",
            ));
        };
        let totp_required = user.role()? != Role::Beneficiary
            && !user.totp_enabled()
            && crate::settings::security(conn)?.totp_required_for_staff;
        Ok((user, totp_required))
    });
    let (user, totp_required) = state.auth_cache.get_or_load(cache_key, lookup).await?;
    crate::spans::record_caller(&req, &user.id, user.role()?.as_str());
    Ok(CurrentUser {
        user,
        session_id,
        client,
        totp_enrolment_required: totp_required,
    })
}

/// The API key behind `token` (which starts with [`API_KEY_PREFIX`]): its id, scopes and the client.
pub(super) async fn key_caller(
    req: &HttpRequest,
    token: String,
) -> Result<(String, String, Vec<ApiScope>, ClientInfo), ApiError> {
    let state = state(req)?;
    let client = ClientInfo::of(req);
    let hash = tokens::sha256_hex(&token);
    let ip = client.ip.clone();
    let (id, owner, scopes) = crate::db::run(&state.pool, move |conn| {
        type Found = (
            String,
            String,
            String,
            Option<chrono::NaiveDateTime>,
            Option<String>,
            Option<chrono::NaiveDateTime>,
        );
        let found: Option<Found> = api_keys::table
            .filter(api_keys::key_hash.eq(&hash))
            .filter(api_keys::revoked_at.is_null())
            .select((
                api_keys::id,
                api_keys::created_by,
                api_keys::scopes,
                api_keys::last_used_at,
                api_keys::last_used_ip,
                api_keys::expires_at,
            ))
            .first(conn)
            .optional()?;
        let Some((id, owner, scopes, last_used, last_ip, expires_at)) = found else {
            return Err(ApiError::unauthorized(
                Slug::INVALID_API_KEY,
                "Clé d'API inconnue ou révoquée.",
            ));
        };
        let now = crate::db::now();
        if expires_at.is_some_and(|t| t <= now) {
            return Err(ApiError::unauthorized(
                Slug::EXPIRED_API_KEY,
                "Cette clé d'API a expiré : demandez-en une nouvelle à un administrateur.",
            ));
        }
        // "Last used" to the minute: one write a minute at most, not one per request (or at once
        // when the key is used from another address, so the list shows where it is used from).
        if last_used.is_none_or(|t| now - t > chrono::Duration::minutes(1)) || last_ip != ip {
            diesel::update(api_keys::table.find(&id))
                .set((
                    api_keys::last_used_at.eq(now),
                    api_keys::last_used_ip.eq(&ip),
                ))
                .execute(conn)?;
        }
        Ok((id, owner, crate::auth::api_keys::parse_scopes(&scopes)))
    })
    .await?;
    crate::spans::record_caller(req, &id, "api_key");
    Ok((id, owner, scopes, client))
}
