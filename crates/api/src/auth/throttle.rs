//! Brute-force protection: attempts are counted per bucket (an account, an IP address, a device, an
//! appointment's on-site code) over a sliding window in the database, so that several API processes
//! share the count.
//!
//! An attempt is counted *before* it is verified ([`take`]), in a write transaction that commits
//! before the password hash or the code is checked: a thousand parallel guesses are counted one after
//! the other, and no more than the limit ever reach the verification. A success then forgets the
//! bucket's failures ([`clear`]) or gives its own attempt back ([`refund`]).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::db::{self, AnyConnection, Conn};
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
/// Wrong passwords from a device that already logged in to the account (its device cookie): a limit
/// of its own, so that an attacker's failures do not lock the owner out (see `device`).
pub const LOGIN_PER_DEVICE: Limit = Limit {
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
/// Wrong on-site attendance codes per appointment (6 digits, like TOTP).
pub const ATTENDANCE_CODE: Limit = Limit {
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

/// Counts one attempt against every bucket, or refuses with 429 (counting nothing) when one of them
/// is used up. Returns how many attempts are left in the tightest bucket after this one (0: this was
/// the last one the window allows).
///
/// Must run inside a write transaction (`db::tx`) that commits whatever the verification says: on
/// SQLite that transaction holds the write lock from its start; on PostgreSQL each bucket is locked
/// here until the commit, so two concurrent attempts never both read the same count.
pub fn take(
    conn: &mut Conn,
    now: NaiveDateTime,
    buckets: &[(&str, Limit)],
) -> Result<i64, ApiError> {
    lock(conn, buckets)?;
    let mut left = i64::MAX;
    for (bucket, limit) in buckets {
        let since = now - Duration::seconds(limit.window_secs);
        let recent: Vec<NaiveDateTime> = auth_attempts::table
            .filter(auth_attempts::bucket.eq(*bucket))
            .filter(auth_attempts::at.gt(since))
            .order(auth_attempts::at.asc())
            .select(auth_attempts::at)
            .limit(limit.max)
            .load(conn)?;
        let used = recent.len() as i64;
        if used >= limit.max {
            let oldest = recent.first().copied().unwrap_or(now);
            let retry_after = (oldest + Duration::seconds(limit.window_secs) - now).num_seconds();
            return Err(ApiError::TooManyRequests {
                retry_after_secs: retry_after.max(1),
            });
        }
        left = left.min(limit.max - used - 1);
    }
    for (bucket, _) in buckets {
        diesel::insert_into(auth_attempts::table)
            .values((auth_attempts::bucket.eq(*bucket), auth_attempts::at.eq(now)))
            .execute(conn)?;
    }
    // Old attempts are of no use: prune them as we go.
    diesel::delete(auth_attempts::table.filter(auth_attempts::at.lt(now - Duration::days(1))))
        .execute(conn)?;
    Ok(left)
}

/// [`take`] in a transaction of its own, committed before the caller verifies anything: the way to
/// count an attempt whose verification is slow (Argon2 must not run under the write lock).
pub async fn attempt(state: &AppState, buckets: Vec<(String, Limit)>) -> Result<i64, ApiError> {
    let clock = state.config.clock.clone();
    db::tx(&state.pool, move |conn| {
        let refs: Vec<(&str, Limit)> = buckets.iter().map(|(b, l)| (b.as_str(), *l)).collect();
        take(conn, clock.utc_now(), &refs)
    })
    .await
}

/// PostgreSQL: a transaction-scoped advisory lock per bucket, taken in a fixed order (no deadlock
/// between two attempts on the same buckets). The two-key form keeps these locks apart from the
/// audit chain's single-key one.
fn lock(conn: &mut Conn, buckets: &[(&str, Limit)]) -> QueryResult<()> {
    const NAMESPACE: i32 = 0x7468_726f; // "thro"
    let AnyConnection::Postgresql(pg) = conn else {
        return Ok(());
    };
    let mut keys: Vec<i32> = buckets
        .iter()
        .map(|(b, _)| {
            let digest = Sha256::digest(b.as_bytes());
            i32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1, $2)")
            .bind::<diesel::sql_types::Integer, _>(NAMESPACE)
            .bind::<diesel::sql_types::Integer, _>(key)
            .execute(pg)?;
    }
    Ok(())
}

/// Forgets a bucket's failures after a success.
pub fn clear(conn: &mut Conn, bucket: &str) -> QueryResult<()> {
    diesel::delete(auth_attempts::table.filter(auth_attempts::bucket.eq(bucket)))
        .execute(conn)
        .map(|_| ())
}

/// Gives one attempt back to a bucket (a success that must not count, where the bucket's other
/// failures must: the IP address's count against password spraying).
pub fn refund(conn: &mut Conn, bucket: &str) -> QueryResult<()> {
    let newest: Option<i64> = auth_attempts::table
        .filter(auth_attempts::bucket.eq(bucket))
        .order(auth_attempts::id.desc())
        .select(auth_attempts::id)
        .first(conn)
        .optional()?;
    if let Some(id) = newest {
        diesel::delete(auth_attempts::table.find(id)).execute(conn)?;
    }
    Ok(())
}

pub fn account_bucket(kind: &str, email_or_id: &str) -> String {
    format!("{kind}:acct:{}", email_or_id.trim().to_lowercase())
}

pub fn ip_bucket(kind: &str, ip: Option<&str>) -> String {
    format!("{kind}:ip:{}", ip.unwrap_or("unknown"))
}
