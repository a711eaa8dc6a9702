//! TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s, one step of clock skew) and recovery codes.
//! The secret is kept sealed under a key derived from the master key (`v1:` + base64): a copy of the
//! database alone cannot make codes. Recovery codes are kept as SHA-256 hashes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use diesel::prelude::*;
use rand::Rng;
use totp_rs::{Builder, Secret, Totp};
use zeroize::Zeroizing;

use crate::accounts::UserRow;
use crate::db::Conn;
use crate::error::ApiError;
use crate::schema::{recovery_codes, users};

pub const ISSUER: &str = "Boussole";

pub fn new_secret() -> String {
    Secret::generate().to_base32()
}

/// What `users.totp_secret` holds: the version of the sealing, then the sealed secret.
const SEALED: &str = "v1:";
const PURPOSE: &str = "totp-secret";

/// The form kept in the database of the base32 secret of `user_id`.
pub fn seal_secret(master: &[u8; 32], user_id: &str, secret: &str) -> Result<String, ApiError> {
    let sealed = crate::crypto::seal_secret(master, PURPOSE, user_id, secret.as_bytes())?;
    Ok(format!("{SEALED}{}", B64.encode(sealed)))
}

/// The base32 secret from its stored form. A secret in clear is refused: start-up seals those, and
/// one written in clear later was not written by this server.
pub fn open_secret(
    master: &[u8; 32],
    user_id: &str,
    stored: &str,
) -> Result<Zeroizing<String>, ApiError> {
    let sealed = stored
        .strip_prefix(SEALED)
        .and_then(|b| B64.decode(b).ok())
        .ok_or_else(|| ApiError::internal("TOTP secret not sealed"))?;
    let bytes = crate::crypto::open_secret(master, PURPOSE, user_id, &sealed)?;
    let text = std::str::from_utf8(&bytes).map_err(ApiError::internal)?;
    Ok(Zeroizing::new(text.to_string()))
}

/// Start-up step: seals the secrets written in clear before they were sealed. Conditional on the old
/// value, so two processes starting at once do it once. Answers how many were sealed.
pub fn seal_clear_secrets(conn: &mut Conn, master: &[u8; 32]) -> Result<usize, ApiError> {
    let clear: Vec<(String, String)> = users::table
        .filter(users::totp_secret.is_not_null())
        .filter(users::totp_secret.not_like(format!("{SEALED}%")))
        .select((users::id, users::totp_secret.assume_not_null()))
        .load(conn)?;
    let mut done = 0;
    for (id, secret) in clear {
        let secret = Zeroizing::new(secret);
        let sealed = seal_secret(master, &id, &secret)?;
        done += diesel::update(
            users::table
                .find(&id)
                .filter(users::totp_secret.eq(secret.as_str())),
        )
        .set(users::totp_secret.eq(sealed))
        .execute(conn)?;
    }
    Ok(done)
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
    master: &[u8; 32],
    user: &UserRow,
    code: &str,
) -> Result<bool, ApiError> {
    let Some(stored) = user.totp_secret.as_deref().filter(|_| user.totp_enabled()) else {
        return Ok(false);
    };
    // An unreadable secret (a master key changed by mistake) leaves the recovery codes working.
    match open_secret(master, &user.id, stored) {
        Ok(secret) => {
            if check_code(conn, user, &secret, code)? {
                return Ok(true);
            }
        }
        Err(e) => tracing::error!(error = ?e, user = %user.id, "TOTP secret unreadable"),
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
