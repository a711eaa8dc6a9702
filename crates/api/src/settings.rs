//! Organisation settings, kept as key → JSON value rows. This module is the store, with no HTTP (the
//! session check reads it, so it sits below `auth`); the admin routes are `settings_routes`.

use boussole_shared::documents::OrganisationIdentity;
use boussole_shared::money::AccountingSettings;
use boussole_shared::users::SecuritySettings;
use diesel::prelude::*;

use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::settings;

pub const SECURITY: &str = "security";
pub const ORGANISATION: &str = "organisation";
pub const ACCOUNTING: &str = "accounting";

/// The security settings; the defaults until an admin saves them. A stored value that does not parse
/// is an error, never the defaults: the session check must fail closed rather than stop requiring TOTP.
pub fn security(conn: &mut Conn) -> Result<SecuritySettings, ApiError> {
    read(conn, SECURITY)
}

/// The organisation's identity as its documents print it; blank until an admin saves it.
pub fn organisation(conn: &mut Conn) -> Result<OrganisationIdentity, ApiError> {
    read(conn, ORGANISATION)
}

/// Journals, accounts and who sees amounts (issue 13); the defaults until an admin saves them.
pub fn accounting(conn: &mut Conn) -> Result<AccountingSettings, ApiError> {
    read(conn, ACCOUNTING)
}

/// The setting `key`, or its default while none was saved; one that does not parse is a 500.
pub(crate) fn read<T: serde::de::DeserializeOwned + Default>(
    conn: &mut Conn,
    key: &str,
) -> Result<T, ApiError> {
    let value: Option<String> = settings::table
        .find(key)
        .select(settings::value)
        .first(conn)
        .optional()?;
    match value {
        None => Ok(T::default()),
        Some(v) => serde_json::from_str(&v).map_err(|e| {
            ApiError::Internal(
                anyhow::Error::new(e)
                    .context(format!("settings.value for key `{key}` does not parse")),
            )
        }),
    }
}

/// Writes a setting in one statement (`INSERT … ON CONFLICT (key) DO UPDATE`), so two writers cannot
/// both find it missing and collide. MultiConnection has no upsert: each backend's own connection runs it.
pub fn put(conn: &mut Conn, key: &str, value: &serde_json::Value) -> QueryResult<()> {
    let now = db::now();
    let value = value.to_string();
    crate::on_backend!(conn, |c| {
        diesel::insert_into(settings::table)
            .values((
                settings::key.eq(key),
                settings::value.eq(&value),
                settings::updated_at.eq(now),
            ))
            .on_conflict(settings::key)
            .do_update()
            .set((settings::value.eq(&value), settings::updated_at.eq(now)))
            .execute(c)
    })?;
    Ok(())
}
