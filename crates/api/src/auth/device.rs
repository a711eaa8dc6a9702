//! The device cookie, against lockout as a weapon (OWASP "Slow Down Online Guessing Attacks with
//! Device Cookies"): ten wrong passwords lock an account, but a browser that has already logged in to
//! that account presents a signed cookie saying so, and its attempts are counted in a bucket of its own
//! instead. An attacker without the cookie can lock the account for cookie-less clients only; the owner
//! still gets in from their usual device, and the cookie holder cannot brute force either.
//!
//! The cookie is a JWT (HS256) under a key derived from the server's secret for this use only, so no
//! other token can pass for it. It names the account, a random device id (the bucket) and the
//! account's token version: "log out everywhere", a new password or a deactivation forget every device.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::accounts::UserRow;
use crate::auth::tokens::{Keys, random_token};
use crate::error::ApiError;

pub const DEVICE_COOKIE: &str = "boussole_device";
/// Only the login routes read it.
const COOKIE_PATH: &str = "/api/v1/auth";
const TYP: &str = "device";
/// A year: the devices one uses every week stay known.
pub const TTL_SECS: i64 = 365 * 24 * 3600;

/// A device cookie whose signature and expiry are good (whose account it names is checked by the caller).
#[derive(Debug, Clone)]
pub struct Device {
    pub user_id: String,
    pub id: String,
    pub token_version: i64,
}

impl Device {
    /// Whether this device has logged in to `user` since the account last forgot its devices.
    pub fn is_for(&self, user: &UserRow) -> bool {
        self.user_id == user.id && self.token_version == user.token_version
    }

    /// The throttle bucket of this device's own failures.
    pub fn bucket(&self) -> String {
        format!("login:device:{}", self.id)
    }
}

fn keys(state: &AppState) -> Result<Keys, ApiError> {
    let derived = Sha256::new()
        .chain_update(b"boussole/device-cookie/v1\0")
        .chain_update(&state.config.jwt_secret)
        .finalize();
    Keys::new(&derived).map_err(ApiError::internal)
}

/// The request's device cookie, when it is one this server signed and has not expired.
pub fn read(state: &AppState, req: &HttpRequest) -> Option<Device> {
    let cookie = req.cookie(DEVICE_COOKIE)?;
    let value = cookie.value();
    if value.is_empty() || value.len() > 1000 {
        return None;
    }
    let claims = keys(state).ok()?.verify(value, TYP).ok()?;
    Some(Device {
        user_id: claims.sub,
        id: claims.sid,
        token_version: claims.tv,
    })
}

/// The cookie for a successful login of `user` from a device. The device keeps its id when it
/// already had a valid cookie for this account (its failure count follows it).
pub fn cookie(
    state: &AppState,
    user: &UserRow,
    known: Option<&Device>,
) -> Result<Cookie<'static>, ApiError> {
    let id = known
        .filter(|d| d.is_for(user))
        .map_or_else(random_token, |d| d.id.clone());
    let value = keys(state)?.issue(TYP, &user.id, &id, "", user.token_version, TTL_SECS)?;
    Ok(Cookie::build(DEVICE_COOKIE, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .secure(state.config.secure_cookies())
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::seconds(TTL_SECS))
        .finish())
}
