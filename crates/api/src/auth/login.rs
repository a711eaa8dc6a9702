//! Login, the TOTP step, refresh and logout.

use actix_web::{HttpRequest, HttpResponse, post, web};
use boussole_shared::Slug;

use boussole_shared::auth::{
    LoginRequest, LoginResponse, RefreshRequest, TokenResponse, TotpChallenge, TotpLoginRequest,
};
use diesel::prelude::*;

use crate::AppState;
use crate::accounts::{self, UserRow};
use crate::auth::caller::AnyUser;
use crate::auth::extract::ClientInfo;
use crate::auth::sessions::{self, REFRESH_COOKIE};
use crate::auth::throttle::{
    self, LOGIN_PER_ACCOUNT, LOGIN_PER_DEVICE, LOGIN_PER_IP, TOTP_PER_ACCOUNT,
};
use crate::auth::tokens::{TOTP_CHALLENGE, TOTP_CHALLENGE_TTL_SECS, sha256_hex};
use crate::auth::{device, password, totp};
use crate::db;
use crate::error::ApiError;
use crate::journal::{self, Actor};
use crate::json::JsonBody;
use crate::schema::{refresh_tokens, sessions as sessions_t, users};

fn wrong_credentials() -> ApiError {
    ApiError::unauthorized(
        Slug::INVALID_CREDENTIALS,
        "Adresse e-mail ou mot de passe incorrect.",
    )
}

/// Logs in with email and password. With a second factor enrolled, answers a TOTP challenge instead of tokens.
///
/// The attempt is counted before the password is checked (see `throttle`): against the account and the
/// IP address, or, from a device that has logged in to this account before (its device cookie), against
/// that device only, so that an attacker's failures do not lock the owner out.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses((status = 200, body = LoginResponse, description = "Tokens (refresh token in the `boussole_refresh` cookie, device cookie `boussole_device`), or a TOTP challenge"), crate::problems::PublicWrite, crate::problems::Unauthorized, crate::problems::Forbidden, crate::problems::TooManyRequests)
)]
#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    client: ClientInfo,
    body: JsonBody<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.validated()?;
    let device = device::read(&state, &req);
    let account = throttle::account_bucket("login", &email);
    let ip = throttle::ip_bucket("login", client.ip.as_deref());
    let (acc, ipb, dev) = (account.clone(), ip.clone(), device.clone());
    let clock = state.config.clock.clone();
    let (user, trusted) = db::tx(&state.pool, move |conn| {
        let user = accounts::find_by_email(conn, &email)?;
        let trusted = dev
            .clone()
            .filter(|d| user.as_ref().is_some_and(|u| d.is_for(u)));
        match &trusted {
            Some(d) => throttle::take(conn, clock.utc_now(), &[(&d.bucket(), LOGIN_PER_DEVICE)])?,
            None => throttle::take(
                conn,
                clock.utc_now(),
                &[(&acc, LOGIN_PER_ACCOUNT), (&ipb, LOGIN_PER_IP)],
            )?,
        };
        Ok((user, trusted))
    })
    .await?;
    // Counted and committed: now the slow check, with no lock held.
    let stored = user
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| state.dummy_hash.clone());
    let ok = web::block(move || password::verify(&password, &stored)).await?
        && user.as_ref().is_some_and(|u| u.password_hash.is_some());
    let Some(user) = user.filter(|_| ok) else {
        return Err(wrong_credentials());
    };
    // The right password: the failures of the bucket it was counted in are forgotten (an attacker's
    // lock on the account stays when the owner came in through their device).
    db::tx(&state.pool, move |conn| {
        match &trusted {
            Some(d) => throttle::clear(conn, &d.bucket())?,
            None => {
                throttle::clear(conn, &account)?;
                throttle::refund(conn, &ip)?;
            }
        }
        Ok(())
    })
    .await?;
    if !user.is_active {
        return Err(ApiError::forbidden(
            Slug::ACCOUNT_DISABLED,
            "Ce compte a été désactivé.",
        ));
    }
    if user.email_verified_at.is_none() {
        return Err(ApiError::forbidden(
            Slug::EMAIL_NOT_VERIFIED,
            "Confirmez d'abord votre adresse e-mail avec le lien reçu.",
        ));
    }
    if user.totp_enabled() {
        let challenge = state.keys.issue(
            TOTP_CHALLENGE,
            &user.id,
            "",
            &user.role,
            user.token_version,
            TOTP_CHALLENGE_TTL_SECS,
        )?;
        return Ok(HttpResponse::Ok().json(LoginResponse::Totp(TotpChallenge {
            totp_required: true,
            challenge,
        })));
    }
    start_session(state, client, user, None, device, "auth.login").await
}

/// Opens a session for an authenticated account and answers the tokens with the refresh cookie, and
/// the device cookie that lets this device through an account lockout later.
async fn start_session(
    state: web::Data<AppState>,
    client: ClientInfo,
    user: UserRow,
    clear_bucket: Option<String>,
    known_device: Option<device::Device>,
    action: &'static str,
) -> Result<HttpResponse, ApiError> {
    let st = state.clone();
    let device_cookie = device::cookie(&state, &user, known_device.as_ref())?;
    let (response, refresh_token) = db::tx(&state.pool, move |conn| {
        if let Some(bucket) = &clear_bucket {
            throttle::clear(conn, bucket)?;
        }
        let (sid, new_refresh) =
            sessions::open(conn, &user.id, &client, st.config.refresh_token_ttl_secs)?;
        let actor = Actor::user(&user.id, client.ip.clone());
        journal::record(
            conn,
            &actor,
            action,
            "session",
            Some(&sid),
            serde_json::json!({ "user_agent": client.user_agent }),
        )?;
        let response = sessions::token_response(&st, conn, user.clone(), &sid)?;
        Ok((response, new_refresh))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .cookie(sessions::refresh_cookie(&state, &refresh_token))
        .cookie(device_cookie)
        .json(LoginResponse::Tokens(response)))
}

/// Second step of a login: the TOTP code (or a recovery code) for the challenge.
///
/// The attempt is counted in the same transaction, before the code is checked, and that transaction
/// commits whatever the code: five wrong codes, concurrent or not, and the account waits.
#[utoipa::path(
    tag = "auth",
    request_body = TotpLoginRequest,
    responses((status = 200, description = "OK", body = TokenResponse), crate::problems::PublicWrite, crate::problems::Unauthorized, crate::problems::TooManyRequests)
)]
#[post("/auth/totp")]
async fn login_totp(
    state: web::Data<AppState>,
    req: HttpRequest,
    client: ClientInfo,
    body: JsonBody<TotpLoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.validated()?;
    let claims = state.keys.verify(&body.challenge, TOTP_CHALLENGE)?;
    let bucket = throttle::account_bucket("totp", &claims.sub);
    let b = bucket.clone();
    let clock = state.config.clock.clone();
    let st = state.clone();
    let user = db::tx(&state.pool, move |conn| {
        let user = accounts::find_by_id(conn, &claims.sub)?
            .filter(|u| u.is_active && u.token_version == claims.tv)
            .ok_or_else(|| {
                ApiError::unauthorized(Slug::INVALID_TOKEN, "Défi expiré : reconnectez-vous.")
            })?;
        throttle::take(conn, clock.utc_now(), &[(&b, TOTP_PER_ACCOUNT)])?;
        // A wrong code answers Ok(None): the counted attempt must be committed.
        let master = &st.config.master_key;
        Ok(totp::check_code_or_recovery(conn, master, &user, &body.code)?.then_some(user))
    })
    .await?;
    let Some(user) = user else {
        return Err(ApiError::unauthorized(
            Slug::INVALID_CODE,
            "Code incorrect.",
        ));
    };
    let device = device::read(&state, &req);
    start_session(state, client, user, Some(bucket), device, "auth.login").await
}

enum Refreshed {
    Ok(Box<TokenResponse>, String),
    Reused,
    Invalid,
}

/// Exchanges the refresh token (cookie, or body) for a new access token and a new refresh token.
#[utoipa::path(
    tag = "auth",
    request_body(content = Option<RefreshRequest>, description = "Only for clients that do not keep the cookie"),
    responses((status = 200, description = "OK", body = TokenResponse), crate::problems::PublicWrite, crate::problems::Unauthorized)
)]
#[post("/auth/refresh")]
async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Option<web::Json<RefreshRequest>>,
) -> Result<HttpResponse, ApiError> {
    let token = body
        .and_then(|b| b.into_inner().refresh_token)
        .or_else(|| req.cookie(REFRESH_COOKIE).map(|c| c.value().to_string()))
        .filter(|t| !t.is_empty() && t.len() <= 200)
        .ok_or_else(|| {
            ApiError::unauthorized(Slug::MISSING_TOKEN, "Aucune session à prolonger.")
        })?;
    let client = ClientInfo::of(&req);
    let hash = sha256_hex(&token);
    let st = state.clone();
    let outcome = db::tx(&state.pool, move |conn| {
        let found: Option<(Option<chrono::NaiveDateTime>, String)> = refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(&hash))
            .select((refresh_tokens::used_at, refresh_tokens::session_id))
            .first(conn)
            .optional()?;
        let Some((used_at, sid)) = found else {
            return Ok(Refreshed::Invalid);
        };
        let now = db::now();
        let user: Option<UserRow> = users::table
            .inner_join(sessions_t::table)
            .filter(sessions_t::id.eq(&sid))
            .filter(sessions_t::revoked_at.is_null())
            .filter(sessions_t::expires_at.gt(now))
            .filter(users::is_active.eq(true))
            .select(UserRow::as_select())
            .first(conn)
            .optional()?;
        let Some(user) = user else {
            return Ok(Refreshed::Invalid);
        };
        // A second use of one token (or losing a race for it) means two holders: end the session.
        let claimed = used_at.is_none()
            && diesel::update(
                refresh_tokens::table
                    .find(&hash)
                    .filter(refresh_tokens::used_at.is_null()),
            )
            .set(refresh_tokens::used_at.eq(now))
            .execute(conn)?
                == 1;
        if !claimed {
            sessions::revoke(conn, &sid)?;
            let actor = Actor::user(&user.id, client.ip.clone());
            journal::record(
                conn,
                &actor,
                "auth.refresh_reuse",
                "session",
                Some(&sid),
                serde_json::json!({}),
            )?;
            return Ok(Refreshed::Reused);
        }
        diesel::update(sessions_t::table.find(&sid))
            .set(sessions_t::last_used_at.eq(now))
            .execute(conn)?;
        let new_refresh = sessions::add_refresh_token(conn, &sid)?;
        let response = sessions::token_response(&st, conn, user, &sid)?;
        Ok(Refreshed::Ok(Box::new(response), new_refresh))
    })
    .await?;
    match outcome {
        Refreshed::Ok(response, new_refresh) => Ok(HttpResponse::Ok()
            .cookie(sessions::refresh_cookie(&state, &new_refresh))
            .json(*response)),
        Refreshed::Reused => Err(ApiError::unauthorized(
            Slug::REFRESH_REUSED,
            "Ce jeton a déjà servi : la session a été fermée par sécurité. Reconnectez-vous.",
        )),
        Refreshed::Invalid => Err(ApiError::unauthorized(
            Slug::SESSION_ENDED,
            "Session terminée : reconnectez-vous.",
        )),
    }
}

/// Ends the current session.
#[utoipa::path(
    tag = "auth",
    responses((status = 204, description = "Logged out"), crate::problems::Caller),
    security(("bearer" = []))
)]
#[post("/auth/logout")]
async fn logout(
    AnyUser(user): AnyUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let actor = user.actor();
    let sid = user.session_id.clone();
    db::tx(&state.pool, move |conn| {
        sessions::revoke(conn, &sid)?;
        Ok(journal::record(
            conn,
            &actor,
            "auth.logout",
            "session",
            Some(&sid),
            serde_json::json!({}),
        )?)
    })
    .await?;
    Ok(HttpResponse::NoContent()
        .cookie(sessions::clear_cookie(&state))
        .finish())
}

/// Ends every session of the account, on every device.
#[utoipa::path(
    tag = "auth",
    responses((status = 204, description = "All sessions ended"), crate::problems::Caller),
    security(("bearer" = []))
)]
#[post("/auth/logout-all")]
async fn logout_all(
    AnyUser(user): AnyUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let actor = user.actor();
    let id = user.user.id.clone();
    db::tx(&state.pool, move |conn| {
        accounts::revoke_all_sessions(conn, &id)?;
        Ok(journal::record(
            conn,
            &actor,
            "auth.logout_all",
            "user",
            Some(&id),
            serde_json::json!({}),
        )?)
    })
    .await?;
    Ok(HttpResponse::NoContent()
        .cookie(sessions::clear_cookie(&state))
        .finish())
}
