//! Brute-force protection: attempts are counted per bucket (an account, an IP address) over a sliding
//! window in the database, so that several API processes share the count.

use chrono::Duration;
use diesel::prelude::*;

use crate::db::Conn;
use crate::error::ApiError;
use crate::schema::auth_attempts;

/// How many attempts a bucket may make within `window_secs`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

/// Wrong passwords per account: the 11th rapid attempt is refused.
pub const LOGIN_PER_ACCOUNT: Limit = Limit {
    max: 10,
    window_secs: 15 * 60,
};
/// Wrong passwords per IP address, across accounts (password spraying).
pub const LOGIN_PER_IP: Limit = Limit {
    max: 50,
    window_secs: 15 * 60,
};
/// Wrong TOTP or recovery codes per account.
pub const TOTP_PER_ACCOUNT: Limit = Limit {
    max: 5,
    window_secs: 15 * 60,
};
/// Password-reset and verification emails per address, and per IP address.
pub const EMAIL_PER_ACCOUNT: Limit = Limit {
    max: 5,
    window_secs: 60 * 60,
};
pub const EMAIL_PER_IP: Limit = Limit {
    max: 30,
    window_secs: 60 * 60,
};

/// Refuses with 429 when any bucket has used up its limit.
pub fn check(conn: &mut Conn, buckets: &[(&str, Limit)]) -> Result<(), ApiError> {
    let now = crate::db::now();
    for (bucket, limit) in buckets {
        let since = now - Duration::seconds(limit.window_secs);
        let recent: Vec<chrono::NaiveDateTime> = auth_attempts::table
            .filter(auth_attempts::bucket.eq(*bucket))
            .filter(auth_attempts::at.gt(since))
            .order(auth_attempts::at.asc())
            .select(auth_attempts::at)
            .limit(limit.max)
            .load(conn)?;
        if recent.len() as i64 >= limit.max {
            let oldest = recent.first().copied().unwrap_or(now);
            let retry_after = (oldest + Duration::seconds(limit.window_secs) - now).num_seconds();
            return Err(ApiError::TooManyRequests {
                retry_after_secs: retry_after.max(1),
            });
        }
    }
    Ok(())
}

/// Counts one attempt against each bucket.
pub fn record(conn: &mut Conn, buckets: &[&str]) -> QueryResult<()> {
    let now = crate::db::now();
    for bucket in buckets {
        diesel::insert_into(auth_attempts::table)
            .values((auth_attempts::bucket.eq(*bucket), auth_attempts::at.eq(now)))
            .execute(conn)?;
    }
    // Old attempts are of no use: prune them as we go.
    diesel::delete(auth_attempts::table.filter(auth_attempts::at.lt(now - Duration::days(1))))
        .execute(conn)?;
    Ok(())
}

/// Forgets an account's failures after it succeeds.
pub fn clear(conn: &mut Conn, bucket: &str) -> QueryResult<()> {
    diesel::delete(auth_attempts::table.filter(auth_attempts::bucket.eq(bucket)))
        .execute(conn)
        .map(|_| ())
}

pub fn account_bucket(kind: &str, email_or_id: &str) -> String {
    format!("{kind}:acct:{}", email_or_id.trim().to_lowercase())
}

pub fn ip_bucket(kind: &str, ip: Option<&str>) -> String {
    format!("{kind}:ip:{}", ip.unwrap_or("unknown"))
}
