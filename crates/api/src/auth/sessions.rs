//! Sessions and their rotating refresh tokens. One session per login; each refresh token works once
//! and is replaced; presenting a used one again means it was stolen, and ends the whole session.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use boussole_shared::auth::TokenResponse;
use boussole_shared::users::Role;
use chrono::Duration;
use diesel::prelude::*;

use crate::AppState;
use crate::accounts::UserRow;
use crate::auth::extract::ClientInfo;
use crate::auth::tokens::{ACCESS, random_token, sha256_hex};
use crate::db::Conn;
use crate::error::ApiError;
use crate::schema::{refresh_tokens, sessions};

pub const REFRESH_COOKIE: &str = "boussole_refresh";
const COOKIE_PATH: &str = "/api/v1/auth";

/// Opens a session; returns its id and the first refresh token.
pub fn open(
    conn: &mut Conn,
    user_id: &str,
    client: &ClientInfo,
    ttl_secs: i64,
) -> QueryResult<(String, String)> {
    let now = crate::db::now();
    let id = crate::db::new_id();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&id),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
            sessions::last_used_at.eq(now),
            sessions::expires_at.eq(now + Duration::seconds(ttl_secs)),
            sessions::ip.eq(&client.ip),
            sessions::user_agent.eq(&client.user_agent),
        ))
        .execute(conn)?;
    let refresh = add_refresh_token(conn, &id)?;
    Ok((id, refresh))
}

pub fn add_refresh_token(conn: &mut Conn, session_id: &str) -> QueryResult<String> {
    let token = random_token();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(sha256_hex(&token)),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::created_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(token)
}

pub fn revoke(conn: &mut Conn, session_id: &str) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .find(session_id)
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(crate::db::now()))
    .execute(conn)
}

/// The access token and the account, as login, TOTP and refresh answer them.
pub fn token_response(
    state: &AppState,
    conn: &mut Conn,
    user: UserRow,
    session_id: &str,
) -> Result<TokenResponse, ApiError> {
    let ttl = state.config.access_token_ttl_secs;
    let access_token = state.keys.issue(
        ACCESS,
        &user.id,
        session_id,
        &user.role,
        user.token_version,
        ttl,
    )?;
    let totp_enrolment_required = user.role()? != Role::Beneficiary
        && !user.totp_enabled()
        && crate::settings::security(conn)?.totp_required_for_staff;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: ttl,
        user: user.try_into()?,
        totp_enrolment_required,
    })
}

pub fn refresh_cookie(state: &AppState, token: &str) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, token.to_string())
        .path(COOKIE_PATH)
        .http_only(true)
        .secure(state.config.secure_cookies())
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::seconds(state.config.refresh_token_ttl_secs))
        .finish()
}

pub fn clear_cookie(state: &AppState) -> Cookie<'static> {
    let mut cookie = refresh_cookie(state, "");
    cookie.make_removal();
    cookie
}
