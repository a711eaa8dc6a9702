//! TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s, one step of clock skew) and recovery codes.

use diesel::prelude::*;
use rand::Rng;
use totp_rs::{Builder, Secret, Totp};

use crate::db::Conn;
use crate::error::ApiError;
use crate::schema::{recovery_codes, users};
use crate::users::model::UserRow;

pub const ISSUER: &str = "Boussole";

pub fn new_secret() -> String {
    Secret::generate().to_base32()
}

pub fn build(secret_b32: &str, account: &str) -> Result<Totp, ApiError> {
    let secret = Secret::try_from_base32(secret_b32)
        .map_err(|e| ApiError::internal(format!("bad TOTP secret: {e:?}")))?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| ApiError::internal(format!("cannot build TOTP: {e:?}")))
}

pub fn qr_svg(uri: &str) -> Result<String, ApiError> {
    let code = qrcode::QrCode::new(uri.as_bytes())
        .map_err(|e| ApiError::internal(format!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// Checks a 6-digit code against `secret`, refusing a code of a time step already used (RFC 6238
/// §5.2: a code works once). Records the step on success.
pub fn check_code(
    conn: &mut Conn,
    user: &UserRow,
    secret: &str,
    code: &str,
) -> Result<bool, ApiError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(false);
    }
    let totp = build(secret, &user.email)?;
    let Some(step) = totp.check_current(&code) else {
        return Ok(false);
    };
    let step = step as i64;
    // Conditional update: two concurrent uses of one code cannot both pass.
    let updated = diesel::update(
        users::table
            .find(&user.id)
            .filter(users::totp_last_step.lt(step)),
    )
    .set(users::totp_last_step.eq(step))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Checks a TOTP code or, failing that, consumes one unused recovery code.
pub fn check_code_or_recovery(
    conn: &mut Conn,
    user: &UserRow,
    code: &str,
) -> Result<bool, ApiError> {
    let Some(secret) = user.totp_secret.as_deref().filter(|_| user.totp_enabled()) else {
        return Ok(false);
    };
    if check_code(conn, user, secret, code)? {
        return Ok(true);
    }
    let normalized = normalize_recovery(code);
    if normalized.len() != 10 {
        return Ok(false);
    }
    let hash = crate::auth::tokens::sha256_hex(&normalized);
    let used = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::code_hash.eq(hash))
            .filter(recovery_codes::user_id.eq(&user.id))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(crate::db::now()))
    .execute(conn)?;
    Ok(used == 1)
}

fn normalize_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Replaces the account's recovery codes with ten new ones, returned once (`xxxxx-xxxxx`).
pub fn new_recovery_codes(conn: &mut Conn, user_id: &str) -> Result<Vec<String>, ApiError> {
    // Unambiguous characters only (no 0/o, 1/l/i).
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)?;
    let mut rng = rand::rng();
    let now = crate::db::now();
    let mut codes = Vec::with_capacity(10);
    for _ in 0..10 {
        let raw: String = (0..10)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect();
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::code_hash.eq(crate::auth::tokens::sha256_hex(&raw)),
                recovery_codes::user_id.eq(user_id),
                recovery_codes::created_at.eq(now),
            ))
            .execute(conn)?;
        codes.push(format!("{}-{}", &raw[..5], &raw[5..]));
    }
    Ok(codes)
}
