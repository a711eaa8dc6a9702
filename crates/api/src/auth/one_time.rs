//! Single-use tokens sent by email (verification, password reset, invitation): stored as SHA-256,
//! consumed with a conditional update so that a link works once even under concurrent clicks.

use chrono::Duration;
use diesel::prelude::*;

use crate::auth::tokens::{random_token, sha256_hex};
use crate::db::Conn;
use crate::schema::user_tokens;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    PasswordReset,
    Invitation,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::PasswordReset => "password_reset",
            Purpose::Invitation => "invitation",
        }
    }

    pub fn ttl(self) -> Duration {
        match self {
            Purpose::VerifyEmail => Duration::hours(48),
            Purpose::PasswordReset => Duration::hours(1),
            Purpose::Invitation => Duration::days(7),
        }
    }
}

/// Creates a token for the account and returns it in clear (for the link) with its expiry.
/// Earlier unused tokens of the same purpose stop working: only the latest link counts.
pub fn create(
    conn: &mut Conn,
    user_id: &str,
    purpose: Purpose,
) -> QueryResult<(String, chrono::NaiveDateTime)> {
    let now = crate::db::now();
    diesel::update(
        user_tokens::table
            .filter(user_tokens::user_id.eq(user_id))
            .filter(user_tokens::purpose.eq(purpose.as_str()))
            .filter(user_tokens::used_at.is_null()),
    )
    .set(user_tokens::expires_at.eq(now))
    .execute(conn)?;
    let token = random_token();
    let expires_at = now + purpose.ttl();
    diesel::insert_into(user_tokens::table)
        .values((
            user_tokens::token_hash.eq(sha256_hex(&token)),
            user_tokens::user_id.eq(user_id),
            user_tokens::purpose.eq(purpose.as_str()),
            user_tokens::created_at.eq(now),
            user_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok((token, expires_at))
}

/// The account a live token belongs to, without using it up.
pub fn peek(conn: &mut Conn, token: &str, purpose: Purpose) -> QueryResult<Option<String>> {
    user_tokens::table
        .filter(user_tokens::token_hash.eq(sha256_hex(token)))
        .filter(user_tokens::purpose.eq(purpose.as_str()))
        .filter(user_tokens::used_at.is_null())
        .filter(user_tokens::expires_at.gt(crate::db::now()))
        .select(user_tokens::user_id)
        .first(conn)
        .optional()
}

/// Uses the token up; returns its account, or None when it is unknown, expired or already used.
pub fn consume(conn: &mut Conn, token: &str, purpose: Purpose) -> QueryResult<Option<String>> {
    let Some(user_id) = peek(conn, token, purpose)? else {
        return Ok(None);
    };
    let updated = diesel::update(
        user_tokens::table
            .filter(user_tokens::token_hash.eq(sha256_hex(token)))
            .filter(user_tokens::used_at.is_null()),
    )
    .set(user_tokens::used_at.eq(crate::db::now()))
    .execute(conn)?;
    Ok((updated == 1).then_some(user_id))
}
