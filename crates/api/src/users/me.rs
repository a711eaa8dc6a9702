//! What every logged-in person does on their own account: profile, password, sessions, second factor.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use boussole_shared::Slug;
use boussole_shared::field_rules::FieldRule;

use boussole_shared::auth::{
    ChangePasswordRequest, RecoveryCodes, Session, TotpCodeRequest, TotpDisableRequest, TotpSetup,
};
use boussole_shared::users::{MePatch, User};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use utoipa::IntoParams;

use super::account::check_new_password;
use crate::AppState;
use crate::accounts::{self, UserRow, search_text};
use crate::auth::caller::AnyUser;
use crate::auth::throttle::{self, LOGIN_PER_ACCOUNT, TOTP_PER_ACCOUNT};
use crate::auth::{password, totp};
use crate::db;
use crate::error::ApiError;
use crate::journal;
use crate::json::JsonBody;
use crate::notify::templates;
use crate::schema::{sessions, users};

/// The logged-in account.
#[utoipa::path(tag = "me", responses((status = 200, description = "OK", body = User), crate::problems::Caller), security(("bearer" = [])))]
#[get("/me")]
async fn get_me(AnyUser(me): AnyUser) -> Result<web::Json<User>, ApiError> {
    Ok(web::Json(me.user.try_into()?))
}

/// Changes one's own profile; answers the updated account.
#[utoipa::path(
    tag = "me",
    request_body = MePatch,
    responses((status = 200, description = "OK", body = User), crate::problems::Write, crate::problems::BusinessRule),
    security(("bearer" = []))
)]
#[patch("/me")]
async fn update_me(
    AnyUser(me): AnyUser,
    state: web::Data<AppState>,
    body: JsonBody<MePatch>,
) -> Result<web::Json<User>, ApiError> {
    let patch = body.validated()?;
    let updated = db::tx(&state.pool, move |conn| {
        let mut row = accounts::find_by_id(conn, &me.user.id)?.ok_or(ApiError::NotFound)?;
        if let Some(c) = patch.civility {
            row.civility = Some(c.as_str().into());
        }
        if let Some(f) = &patch.first_name {
            row.first_name = f.trim().into();
        }
        if let Some(l) = &patch.last_name {
            row.last_name = l.trim().into();
        }
        if let Some(p) = &patch.phone {
            row.phone = Some(p.trim().to_string()).filter(|p| !p.is_empty());
        }
        if let Some(l) = patch.locale {
            row.locale = l.as_str().into();
        }
        if let Some(sms) = patch.sms_reminders {
            row.sms_reminders = sms;
        }
        accounts::set_qualification(&mut row, patch.qualification.as_deref())?;
        // Reminders by SMS go to a mobile number: refuse an opt-in that could never be honoured.
        if row.sms_reminders
            && !row
                .phone
                .as_deref()
                .is_some_and(crate::notify::sms::is_french_mobile)
        {
            return Err(ApiError::field(
                "sms_reminders",
                FieldRule::MobileRequired,
                "Les rappels par SMS demandent un numéro de mobile (06 ou 07).",
            ));
        }
        row.search = search_text(&row.email, &row.first_name, &row.last_name);
        row.updated_at = db::now();
        diesel::update(users::table.find(&row.id))
            .set((
                users::civility.eq(&row.civility),
                users::first_name.eq(&row.first_name),
                users::last_name.eq(&row.last_name),
                users::phone.eq(&row.phone),
                users::locale.eq(&row.locale),
                users::sms_reminders.eq(row.sms_reminders),
                users::qualification.eq(&row.qualification),
                users::search.eq(&row.search),
                users::updated_at.eq(row.updated_at),
            ))
            .execute(conn)?;
        let changed = serde_json::to_value(&patch).unwrap_or_default();
        journal::record(
            conn,
            &me.actor(),
            "user.update_profile",
            "user",
            Some(&row.id),
            fields_only(changed),
        )?;
        Ok(row)
    })
    .await?;
    Ok(web::Json(updated.try_into()?))
}

/// The journal keeps which fields changed, not their values (personal data stays out of it).
fn fields_only(changed: serde_json::Value) -> serde_json::Value {
    let fields: Vec<String> = changed
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default();
    serde_json::json!({ "fields": fields })
}

/// The password's guesses are counted in one place whatever the route: a stolen session guessing the
/// current password here uses up the same ten attempts as the login page.
fn password_bucket(user: &UserRow) -> String {
    throttle::account_bucket("login", &user.email)
}

/// Likewise for the TOTP and recovery codes (the login's second step).
fn code_bucket(user: &UserRow) -> String {
    throttle::account_bucket("totp", &user.id)
}

/// Checks the account's password for a sensitive change, the attempt counted (and committed) before
/// the Argon2 check; 429 once the account's attempts are used up.
async fn reauth_password(
    state: &AppState,
    user: &UserRow,
    given: String,
) -> Result<bool, ApiError> {
    throttle::attempt(state, vec![(password_bucket(user), LOGIN_PER_ACCOUNT)]).await?;
    let stored = user
        .password_hash
        .clone()
        .unwrap_or_else(|| state.dummy_hash.clone());
    let has_password = user.password_hash.is_some();
    Ok(web::block(move || password::verify(&given, &stored)).await? && has_password)
}

/// Changes one's password; every other session ends, this one too (log in again).
#[utoipa::path(
    tag = "me",
    request_body = ChangePasswordRequest,
    responses((status = 204, description = "Changed"), crate::problems::Write, crate::problems::TooManyRequests),
    security(("bearer" = []))
)]
#[post("/me/password")]
async fn change_password(
    AnyUser(me): AnyUser,
    state: web::Data<AppState>,
    body: JsonBody<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let ChangePasswordRequest {
        current_password,
        new_password,
    } = body.validated()?;
    if !reauth_password(&state, &me.user, current_password).await? {
        return Err(ApiError::field(
            "current_password",
            FieldRule::WrongPassword,
            "mot de passe actuel incorrect",
        ));
    }
    check_new_password(&me.user, &new_password, "new_password")?;
    let hash = web::block(move || password::hash(&new_password)).await??;
    let st = state.clone();
    db::tx(&state.pool, move |conn| {
        throttle::clear(conn, &password_bucket(&me.user))?;
        diesel::update(users::table.find(&me.user.id))
            .set((
                users::password_hash.eq(&hash),
                users::updated_at.eq(db::now()),
            ))
            .execute(conn)?;
        accounts::revoke_all_sessions(conn, &me.user.id)?;
        journal::record(
            conn,
            &me.actor(),
            "user.change_password",
            "user",
            Some(&me.user.id),
            serde_json::json!({}),
        )?;
        let user = &me.user;
        let email = templates::password_changed(&user.email, user.locale(), &user.first_name);
        super::account::queue(conn, &st, "account.password_changed", &email, None)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One's open sessions, newest first.
#[utoipa::path(tag = "me", responses((status = 200, description = "OK", body = Vec<Session>), crate::problems::Caller), security(("bearer" = [])))]
#[get("/me/sessions")]
async fn list_sessions(
    AnyUser(me): AnyUser,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<Session>>, ApiError> {
    let current = me.session_id.clone();
    type Row = (
        String,
        NaiveDateTime,
        NaiveDateTime,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = db::run(&state.pool, move |conn| {
        Ok(sessions::table
            .filter(sessions::user_id.eq(&me.user.id))
            .filter(sessions::revoked_at.is_null())
            .filter(sessions::expires_at.gt(db::now()))
            .order(sessions::last_used_at.desc())
            .select((
                sessions::id,
                sessions::created_at,
                sessions::last_used_at,
                sessions::ip,
                sessions::user_agent,
            ))
            .load(conn)?)
    })
    .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|(id, created_at, last_used_at, ip, user_agent)| {
                Ok(Session {
                    current: id == current,
                    id: db::uuid_of(&id)?,
                    created_at: created_at.and_utc(),
                    last_used_at: last_used_at.and_utc(),
                    ip,
                    user_agent,
                })
            })
            .collect::<Result<_, ApiError>>()?,
    ))
}

#[derive(Debug, serde::Deserialize, IntoParams)]
struct SessionPath {
    /// Session id.
    id: uuid::Uuid,
}

/// Ends one of one's sessions (a lost phone, a shared computer).
#[utoipa::path(
    tag = "me",
    params(SessionPath),
    responses((status = 204, description = "Ended"), crate::problems::Read),
    security(("bearer" = []))
)]
#[delete("/me/sessions/{id}")]
async fn delete_session(
    AnyUser(me): AnyUser,
    state: web::Data<AppState>,
    path: web::Path<SessionPath>,
) -> Result<HttpResponse, ApiError> {
    let sid = path.id.to_string();
    db::tx(&state.pool, move |conn| {
        let updated = diesel::update(
            sessions::table
                .find(&sid)
                .filter(sessions::user_id.eq(&me.user.id))
                .filter(sessions::revoked_at.is_null()),
        )
        .set(sessions::revoked_at.eq(db::now()))
        .execute(conn)?;
        if updated == 0 {
            return Err(ApiError::NotFound);
        }
        Ok(journal::record(
            conn,
            &me.actor(),
            "auth.logout",
            "session",
            Some(&sid),
            serde_json::json!({}),
        )?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Starts TOTP enrolment: a new secret and its QR code. Nothing changes until `/me/totp/enable` confirms a code.
#[utoipa::path(
    tag = "me",
    responses((status = 200, description = "OK", body = TotpSetup), crate::problems::Caller, crate::problems::Conflict),
    security(("bearer" = []))
)]
#[post("/me/totp/setup")]
async fn setup_totp(
    AnyUser(me): AnyUser,
    state: web::Data<AppState>,
) -> Result<web::Json<TotpSetup>, ApiError> {
    if me.user.totp_enabled() {
        return Err(ApiError::conflict(
            Slug::TOTP_ALREADY_ENABLED,
            "La double authentification est déjà active.",
        ));
    }
    let secret = zeroize::Zeroizing::new(totp::new_secret());
    let uri = totp::build(&secret, &me.user.email)?
        .to_url()
        .map_err(|e| ApiError::internal(format!("otpauth uri: {e:?}")))?;
    let qr_svg = totp::qr_svg(&uri)?;
    let sealed = totp::seal_secret(&state.config.master_key, &me.user.id, &secret)?;
    db::run(&state.pool, move |conn| {
        diesel::update(
            users::table
                .find(&me.user.id)
                .filter(users::totp_enabled_at.is_null()),
        )
        .set(users::totp_secret.eq(&sealed))
        .execute(conn)?;
        Ok(())
    })
    .await?;
    Ok(web::Json(TotpSetup {
        secret: secret.to_string(),
        otpauth_uri: uri,
        qr_svg,
    }))
}

/// Confirms enrolment with a first code; answers the recovery codes, shown once.
#[utoipa::path(
    tag = "me",
    request_body = TotpCodeRequest,
    responses((status = 200, description = "OK", body = RecoveryCodes), crate::problems::Write, crate::problems::Conflict),
    security(("bearer" = []))
)]
#[post("/me/totp/enable")]
async fn enable_totp(
    AnyUser(me): AnyUser,
    state: web::Data<AppState>,
    body: JsonBody<TotpCodeRequest>,
) -> Result<web::Json<RecoveryCodes>, ApiError> {
    let code = body.validated()?.code;
    let st = state.clone();
    let codes = db::tx(&state.pool, move |conn| {
        let user = accounts::find_by_id(conn, &me.user.id)?.ok_or(ApiError::NotFound)?;
        if user.totp_enabled() {
            return Err(ApiError::conflict(
                Slug::TOTP_ALREADY_ENABLED,
                "La double authentification est déjà active.",
            ));
        }
        let stored = user.totp_secret.as_deref().ok_or_else(|| {
            ApiError::field(
                "code",
                FieldRule::NotAllowed,
                "commencez par /me/totp/setup",
            )
        })?;
        let secret = totp::open_secret(&st.config.master_key, &user.id, stored)?;
        if !totp::check_code(conn, &user, &secret, &code)? {
            return Err(ApiError::field(
                "code",
                FieldRule::WrongCode,
                "code incorrect",
            ));
        }
        diesel::update(users::table.find(&user.id))
            .set(users::totp_enabled_at.eq(db::now()))
            .execute(conn)?;
        let codes = totp::new_recovery_codes(conn, &user.id)?;
        journal::record(
            conn,
            &me.actor(),
            "user.totp_enable",
            "user",
            Some(&user.id),
            serde_json::json!({}),
        )?;
        Ok(codes)
    })
    .await?;
    Ok(web::Json(RecoveryCodes { codes }))
}

/// Turns the second factor off (password and a code required). Refused when the organisation requires it.
#[utoipa::path(
    tag = "me",
    request_body = TotpDisableRequest,
    responses((status = 204, description = "Disabled"), crate::problems::Write, crate::problems::BusinessRule, crate::problems::TooManyRequests),
    security(("bearer" = []))
)]
#[post("/me/totp/disable")]
async fn disable_totp(
    AnyUser(me): AnyUser,
    state: web::Data<AppState>,
    body: JsonBody<TotpDisableRequest>,
) -> Result<HttpResponse, ApiError> {
    let TotpDisableRequest { password: pw, code } = body.validated()?;
    if !reauth_password(&state, &me.user, pw).await? {
        return Err(ApiError::field(
            "password",
            FieldRule::WrongPassword,
            "mot de passe incorrect",
        ));
    }
    throttle::attempt(&state, vec![(code_bucket(&me.user), TOTP_PER_ACCOUNT)]).await?;
    let st = state.clone();
    db::tx(&state.pool, move |conn| {
        let user = accounts::find_by_id(conn, &me.user.id)?.ok_or(ApiError::NotFound)?;
        if !user.totp_enabled() {
            return Err(ApiError::conflict(
                Slug::TOTP_NOT_ENABLED,
                "La double authentification n'est pas active.",
            ));
        }
        if user.role()? != boussole_shared::users::Role::Beneficiary
            && crate::settings::security(conn)?.totp_required_for_staff
        {
            return Err(ApiError::Rule {
                slug: Slug::TOTP_REQUIRED,
                detail: "Votre organisme exige la double authentification pour votre rôle.".into(),
                missing: vec![],
            });
        }
        if !totp::check_code_or_recovery(conn, &st.config.master_key, &user, &code)? {
            return Err(ApiError::field(
                "code",
                FieldRule::WrongCode,
                "code incorrect",
            ));
        }
        throttle::clear(conn, &password_bucket(&user))?;
        throttle::clear(conn, &code_bucket(&user))?;
        diesel::update(users::table.find(&user.id))
            .set((
                users::totp_enabled_at.eq(None::<NaiveDateTime>),
                users::totp_secret.eq(None::<String>),
            ))
            .execute(conn)?;
        diesel::delete(
            crate::schema::recovery_codes::table
                .filter(crate::schema::recovery_codes::user_id.eq(&user.id)),
        )
        .execute(conn)?;
        Ok(journal::record(
            conn,
            &me.actor(),
            "user.totp_disable",
            "user",
            Some(&user.id),
            serde_json::json!({}),
        )?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replaces the recovery codes (a current code required); the old ones stop working.
#[utoipa::path(
    tag = "me",
    request_body = TotpCodeRequest,
    responses((status = 200, description = "OK", body = RecoveryCodes), crate::problems::Write, crate::problems::TooManyRequests),
    security(("bearer" = []))
)]
#[post("/me/totp/recovery-codes")]
async fn regenerate_recovery_codes(
    AnyUser(me): AnyUser,
    state: web::Data<AppState>,
    body: JsonBody<TotpCodeRequest>,
) -> Result<web::Json<RecoveryCodes>, ApiError> {
    let code = body.validated()?.code;
    throttle::attempt(&state, vec![(code_bucket(&me.user), TOTP_PER_ACCOUNT)]).await?;
    let st = state.clone();
    let codes = db::tx(&state.pool, move |conn| {
        let user = accounts::find_by_id(conn, &me.user.id)?.ok_or(ApiError::NotFound)?;
        let stored = user.totp_secret.as_deref().filter(|_| user.totp_enabled());
        let Some(stored) = stored else {
            return Err(ApiError::conflict(
                Slug::TOTP_NOT_ENABLED,
                "La double authentification n'est pas active.",
            ));
        };
        let secret = totp::open_secret(&st.config.master_key, &user.id, stored)?;
        if !totp::check_code(conn, &user, &secret, &code)? {
            return Err(ApiError::field(
                "code",
                FieldRule::WrongCode,
                "code incorrect",
            ));
        }
        throttle::clear(conn, &code_bucket(&user))?;
        let codes = totp::new_recovery_codes(conn, &user.id)?;
        journal::record(
            conn,
            &me.actor(),
            "user.recovery_codes",
            "user",
            Some(&user.id),
            serde_json::json!({}),
        )?;
        Ok(codes)
    })
    .await?;
    Ok(web::Json(RecoveryCodes { codes }))
}
