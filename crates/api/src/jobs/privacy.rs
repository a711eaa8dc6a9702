//! Connection logs are kept 12 months at most (CNIL's recommendation for connection data): after
//! that, the clear IP of journal entries, sessions, consents and API keys' last use is replaced by a
//! marker. The audit chain covers the IP's keyed hash, not the IP, so blanking it breaks nothing;
//! the journal's triggers allow that one change and nothing else.

use chrono::{Months, NaiveDateTime};
use diesel::prelude::*;

use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::{self, Actor, IP_EXPIRED};
use crate::schema::{api_keys, audit_log, bilan_consents, sessions};

/// How many IPs one run blanked, per table.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ExpiredIps {
    pub audit_log: usize,
    pub sessions: usize,
    pub consents: usize,
    /// API keys last used before the cutoff (their last use's address).
    pub api_keys: usize,
}

/// Blanks the IPs recorded before `now` minus `months`; journals the run when it changed something.
pub fn expire_ips(
    conn: &mut Conn,
    now: NaiveDateTime,
    months: u32,
) -> Result<ExpiredIps, ApiError> {
    let cutoff = now
        .checked_sub_months(Months::new(months))
        .ok_or_else(|| ApiError::internal("retention cutoff out of range"))?;
    db::transaction(conn, |conn| {
        let done = ExpiredIps {
            // Entries of the old, unkeyed chain (version 1) hash the clear IP: they keep it.
            audit_log: diesel::update(
                audit_log::table
                    .filter(audit_log::at.lt(cutoff))
                    .filter(audit_log::chain_version.ge(2))
                    .filter(audit_log::ip.ne(IP_EXPIRED)),
            )
            .set(audit_log::ip.eq(IP_EXPIRED))
            .execute(conn)?,
            sessions: diesel::update(
                sessions::table
                    .filter(sessions::created_at.lt(cutoff))
                    .filter(sessions::ip.ne(IP_EXPIRED)),
            )
            .set(sessions::ip.eq(IP_EXPIRED))
            .execute(conn)?,
            consents: diesel::update(
                bilan_consents::table
                    .filter(bilan_consents::given_at.lt(cutoff))
                    .filter(bilan_consents::ip.ne(IP_EXPIRED)),
            )
            .set(bilan_consents::ip.eq(IP_EXPIRED))
            .execute(conn)?,
            api_keys: diesel::update(
                api_keys::table
                    .filter(api_keys::last_used_at.lt(cutoff))
                    .filter(api_keys::last_used_ip.ne(IP_EXPIRED)),
            )
            .set(api_keys::last_used_ip.eq(IP_EXPIRED))
            .execute(conn)?,
        };
        if done != ExpiredIps::default() {
            journal::record(
                conn,
                &Actor::system(),
                "privacy.ip_expired",
                "audit_log",
                None,
                serde_json::json!({ "before": cutoff.and_utc(), "counts": done }),
            )?;
        }
        Ok(done)
    })
}
