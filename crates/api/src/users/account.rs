//! Self-registration, email verification and the forgotten-password flow. These answers never say
//! whether an address has an account (no enumeration): the mailbox owner learns it by email. Neither
//! does their timing: every email is queued in the outbox and sent by its job after the answer.

use actix_web::{HttpResponse, post, web};
use boussole_shared::field_rules::FieldRule;

use boussole_shared::auth::{EmailRequest, RegisterRequest, ResetPasswordRequest, TokenRequest};
use boussole_shared::users::Role;
use diesel::prelude::*;

use crate::AppState;
use crate::accounts::{self, UserRow};
use crate::auth::extract::ClientInfo;
use crate::auth::one_time::{self, Purpose};
use crate::auth::password;
use crate::auth::throttle::{self, EMAIL_PER_ACCOUNT, EMAIL_PER_IP};
use crate::db;
use crate::error::ApiError;
use crate::journal::{self, Actor};
use crate::json::JsonBody;
use crate::notify::{Email, outbox, templates};
use crate::schema::users;

/// Queues an account email in the request's transaction; its link, when it has one, is the secret
/// part that nobody reading the outbox sees (`outbox::enqueue_email`).
pub fn queue(
    conn: &mut db::Conn,
    state: &AppState,
    kind: &'static str,
    email: &Email,
    secret: Option<&str>,
) -> Result<(), ApiError> {
    outbox::enqueue_email(conn, &state.config.master_key, kind, email, secret)
}

fn invalid_link() -> ApiError {
    ApiError::field(
        "token",
        FieldRule::LinkInvalid,
        "lien invalide, expiré ou déjà utilisé",
    )
}

/// Counts a request that sends an email, per address and per IP, and refuses past the limit.
fn email_throttle(
    conn: &mut db::Conn,
    kind: &str,
    email: &str,
    client: &ClientInfo,
) -> Result<(), ApiError> {
    let account = throttle::account_bucket(kind, email);
    let ip = throttle::ip_bucket(kind, client.ip.as_deref());
    throttle::take(
        conn,
        db::now(),
        &[(&account, EMAIL_PER_ACCOUNT), (&ip, EMAIL_PER_IP)],
    )
    .map(|_| ())
}

/// A beneficiary creates an account; a verification link is emailed. Answers 202 whether or not the
/// address already had an account (its owner is told by email).
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses((status = 202, description = "Check your mailbox"), crate::problems::PublicWrite, crate::problems::TooManyRequests)
)]
#[post("/auth/register")]
async fn register(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: JsonBody<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.validated()?;
    let local_part = body.email.split('@').next().unwrap_or_default().to_string();
    password::check_policy(
        "password",
        &body.password,
        &[&local_part, &body.first_name, &body.last_name],
    )?;
    let pw = body.password.clone();
    let hash = web::block(move || password::hash(&pw)).await??;
    let st = state.clone();
    db::tx(&state.pool, move |conn| {
        email_throttle(conn, "register", &body.email, &client)?;
        let locale = body.locale.unwrap_or_default();
        if let Some(existing) = accounts::find_by_email(conn, &body.email)? {
            let link = format!("{}/mot-de-passe-oublie", st.config.public_url);
            let email = templates::already_registered(&existing.email, existing.locale(), &link);
            return queue(conn, &st, "account.already_registered", &email, None);
        }
        let row = UserRow::new(
            &body.email,
            Role::Beneficiary,
            body.civility,
            &body.first_name,
            &body.last_name,
            body.phone.as_deref(),
            locale,
            Some(hash.clone()),
        );
        accounts::insert(conn, &row)?;
        let (token, _) = one_time::create(conn, &row.id, Purpose::VerifyEmail)?;
        crate::webhooks::emit(
            conn,
            crate::webhooks::WebhookEventKind::BeneficiaryCreated,
            &crate::webhooks::BeneficiaryEvent {
                beneficiary_id: row.id.clone(),
                external_ref: None,
            },
        )?;
        let actor = Actor::anonymous(client.ip.clone());
        journal::record(
            conn,
            &actor,
            "user.register",
            "user",
            Some(&row.id),
            serde_json::json!({ "role": "beneficiary" }),
        )?;
        let link = format!("{}/verifier-email?token={token}", st.config.public_url);
        let email = templates::verify_email(&row.email, locale, &row.first_name, &link);
        queue(conn, &st, "account.verify_email", &email, Some(&link))
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Confirms an email address with the token from the link.
#[utoipa::path(
    tag = "auth",
    request_body = TokenRequest,
    responses((status = 204, description = "Verified"), crate::problems::PublicWrite)
)]
#[post("/auth/verify-email")]
async fn verify_email(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: JsonBody<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body.validated()?.token;
    db::tx(&state.pool, move |conn| {
        let user_id =
            one_time::consume(conn, &token, Purpose::VerifyEmail)?.ok_or_else(invalid_link)?;
        let now = db::now();
        diesel::update(
            users::table
                .find(&user_id)
                .filter(users::email_verified_at.is_null()),
        )
        .set((users::email_verified_at.eq(now), users::updated_at.eq(now)))
        .execute(conn)?;
        let actor = Actor::user(&user_id, client.ip.clone());
        Ok(journal::record(
            conn,
            &actor,
            "user.verify_email",
            "user",
            Some(&user_id),
            serde_json::json!({}),
        )?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sends a new verification link to an unverified account. Always 202.
#[utoipa::path(
    tag = "auth",
    request_body = EmailRequest,
    responses((status = 202, description = "Check your mailbox"), crate::problems::PublicWrite, crate::problems::TooManyRequests)
)]
#[post("/auth/verify-email/resend")]
async fn resend_verification(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: JsonBody<EmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = body.validated()?.email;
    let st = state.clone();
    db::tx(&state.pool, move |conn| {
        email_throttle(conn, "verify", &email, &client)?;
        let Some(user) = accounts::find_by_email(conn, &email)?
            .filter(|u| u.email_verified_at.is_none() && u.password_hash.is_some())
        else {
            return Ok(());
        };
        let (token, _) = one_time::create(conn, &user.id, Purpose::VerifyEmail)?;
        let link = format!("{}/verifier-email?token={token}", st.config.public_url);
        let email = templates::verify_email(&user.email, user.locale(), &user.first_name, &link);
        queue(conn, &st, "account.verify_email", &email, Some(&link))
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Emails a password-reset link (valid 1 hour, single use) when the address has an active account. Always 202.
#[utoipa::path(
    tag = "auth",
    request_body = EmailRequest,
    responses((status = 202, description = "Check your mailbox"), crate::problems::PublicWrite, crate::problems::TooManyRequests)
)]
#[post("/auth/password/forgot")]
async fn forgot_password(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: JsonBody<EmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = body.validated()?.email;
    let st = state.clone();
    db::tx(&state.pool, move |conn| {
        email_throttle(conn, "reset", &email, &client)?;
        let Some(user) = accounts::find_by_email(conn, &email)?.filter(|u| u.is_active) else {
            return Ok(());
        };
        let (token, _) = one_time::create(conn, &user.id, Purpose::PasswordReset)?;
        let actor = Actor::anonymous(client.ip.clone());
        journal::record(
            conn,
            &actor,
            "user.password_reset_request",
            "user",
            Some(&user.id),
            serde_json::json!({}),
        )?;
        let link = format!(
            "{}/reinitialiser-mot-de-passe?token={token}",
            st.config.public_url
        );
        let email = templates::password_reset(&user.email, user.locale(), &user.first_name, &link);
        queue(conn, &st, "account.password_reset", &email, Some(&link))
    })
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Sets a new password with the token from the reset link; every session of the account ends.
#[utoipa::path(
    tag = "auth",
    request_body = ResetPasswordRequest,
    responses((status = 204, description = "Password changed"), crate::problems::PublicWrite)
)]
#[post("/auth/password/reset")]
async fn reset_password(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: JsonBody<ResetPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let ResetPasswordRequest {
        token,
        password: new_password,
    } = body.validated()?;
    let t = token.clone();
    let user = db::run(&state.pool, move |conn| {
        let id = one_time::peek(conn, &t, Purpose::PasswordReset)?.ok_or_else(invalid_link)?;
        accounts::find_by_id(conn, &id)?.ok_or_else(invalid_link)
    })
    .await?;
    check_new_password(&user, &new_password, "password")?;
    let hash = web::block(move || password::hash(&new_password)).await??;
    let user_id = user.id.clone();
    let st = state.clone();
    db::tx(&state.pool, move |conn| {
        one_time::consume(conn, &token, Purpose::PasswordReset)?
            .filter(|id| *id == user_id)
            .ok_or_else(invalid_link)?;
        let now = db::now();
        diesel::update(users::table.find(&user_id))
            .set((users::password_hash.eq(&hash), users::updated_at.eq(now)))
            .execute(conn)?;
        // Following the link proves the mailbox is theirs.
        diesel::update(
            users::table
                .find(&user_id)
                .filter(users::email_verified_at.is_null()),
        )
        .set(users::email_verified_at.eq(now))
        .execute(conn)?;
        accounts::revoke_all_sessions(conn, &user_id)?;
        let actor = Actor::user(&user_id, client.ip.clone());
        journal::record(
            conn,
            &actor,
            "user.password_reset",
            "user",
            Some(&user_id),
            serde_json::json!({}),
        )?;
        let email = templates::password_changed(&user.email, user.locale(), &user.first_name);
        queue(conn, &st, "account.password_changed", &email, None)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The policy check for a new password of this account (its own email and names count as guessable).
pub fn check_new_password(user: &UserRow, new_password: &str, field: &str) -> Result<(), ApiError> {
    let local_part = user.email.split('@').next().unwrap_or_default();
    password::check_policy(
        field,
        new_password,
        &[local_part, &user.first_name, &user.last_name],
    )
}
