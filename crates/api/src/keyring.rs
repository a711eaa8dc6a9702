//! Wrapping keys (key-encryption keys) and their rotation, so that crypto-shredding reaches backups.
//!
//! Each bilan's content key is stored wrapped under the current wrapping key. Wrapping keys live as
//! files of the key folder (outside the data folder and its backups), themselves sealed under the
//! master key; the database only knows their ids and dates. Every `BOUSSOLE_KEY_ROTATION_DAYS` a new
//! wrapping key is made, every live bilan key is rewrapped under it, and the old one retires; a retired
//! key is destroyed `BOUSSOLE_BACKUP_RETENTION_DAYS` later. A backup taken while a bilan was open holds
//! its key wrapped under a key that is destroyed by the time that backup has aged out: a destroyed
//! bilan is then unreadable in every copy. Bilan keys wrapped directly under the master key (before
//! this) are rewrapped at the first rotation; copies made before then stay readable with the master key.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::RngCore;

use crate::crypto;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::{bilan_keys, wrapping_keys};

/// The type lives below `db`, which carries it on every connection; its methods that touch the
/// database are here.
pub use crate::secrets::Keyring;

/// What one rotation pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Rotation {
    pub created: bool,
    pub rewrapped: usize,
    pub destroyed: usize,
}

/// Serialises the writers of wrapping keys on PostgreSQL until the transaction ends (SQLite's single
/// writer already does).
fn lock(conn: &mut Conn) -> QueryResult<()> {
    if db::is_postgres(conn) {
        diesel::sql_query("SELECT pg_advisory_xact_lock(7274627)").execute(conn)?;
    }
    Ok(())
}

/// Wrapping keys as the database records them: made at first use, rotated, retired, destroyed.
impl Keyring {
    fn create(&self, conn: &mut Conn, now: NaiveDateTime) -> Result<String, ApiError> {
        let id = db::new_id();
        self.write_new(&id)?;
        diesel::insert_into(wrapping_keys::table)
            .values((wrapping_keys::id.eq(&id), wrapping_keys::created_at.eq(now)))
            .execute(conn)?;
        Ok(id)
    }

    /// The newest wrapping key in service.
    fn newest(conn: &mut Conn) -> QueryResult<Option<(String, NaiveDateTime)>> {
        wrapping_keys::table
            .filter(wrapping_keys::retired_at.is_null())
            .order((wrapping_keys::created_at.desc(), wrapping_keys::id.desc()))
            .select((wrapping_keys::id, wrapping_keys::created_at))
            .first(conn)
            .optional()
    }

    /// A new bilan key, wrapped under the current wrapping key (made at first use): what to store
    /// in `bilan_keys.wrapped` and `wrapping_key_id`.
    pub fn new_bilan_key(
        &self,
        conn: &mut Conn,
        bilan_id: &str,
    ) -> Result<(Vec<u8>, String), ApiError> {
        let id = match Self::newest(conn)? {
            Some((id, _)) => id,
            None => {
                // The first one: made once even when the rotation job or another process races us.
                lock(conn)?;
                match Self::newest(conn)? {
                    Some((id, _)) => id,
                    None => self.create(conn, db::now())?,
                }
            }
        };
        let kek = self.load(&id)?;
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Ok((crypto::wrap_with(&kek, bilan_id, &key)?, id))
    }

    /// Makes a new wrapping key when the newest is `rotation_days` old, rewraps every live bilan key
    /// under the newest, retires the others, and destroys those retired `retention_days` ago.
    pub fn rotate(
        &self,
        conn: &mut Conn,
        now: NaiveDateTime,
        rotation_days: i64,
        retention_days: i64,
    ) -> Result<Rotation, ApiError> {
        db::transaction(conn, |conn| {
            lock(conn)?;
            let mut done = Rotation::default();
            let newest = match Self::newest(conn)? {
                Some((id, created)) if created > now - chrono::Duration::days(rotation_days) => id,
                _ => {
                    done.created = true;
                    self.create(conn, now)?
                }
            };
            let kek = self.load(&newest)?;
            let stale: Vec<(String, Option<Vec<u8>>, Option<String>)> = bilan_keys::table
                .filter(bilan_keys::wrapped.is_not_null())
                .filter(
                    bilan_keys::wrapping_key_id
                        .is_null()
                        .or(bilan_keys::wrapping_key_id.ne(&newest)),
                )
                .select((
                    bilan_keys::bilan_id,
                    bilan_keys::wrapped,
                    bilan_keys::wrapping_key_id,
                ))
                .load(conn)?;
            for (bilan_id, wrapped, old) in stale {
                let Some(wrapped) = wrapped else { continue };
                let key = self.unwrap(&bilan_id, old.as_deref(), &wrapped)?;
                diesel::update(bilan_keys::table.find(&bilan_id))
                    .set((
                        bilan_keys::wrapped.eq(Some(crypto::wrap_with(&kek, &bilan_id, &key)?)),
                        bilan_keys::wrapping_key_id.eq(Some(&newest)),
                    ))
                    .execute(conn)?;
                done.rewrapped += 1;
            }
            diesel::update(
                wrapping_keys::table
                    .filter(wrapping_keys::retired_at.is_null())
                    .filter(wrapping_keys::id.ne(&newest)),
            )
            .set(wrapping_keys::retired_at.eq(now))
            .execute(conn)?;
            let due: Vec<String> = wrapping_keys::table
                .filter(wrapping_keys::retired_at.le(now - chrono::Duration::days(retention_days)))
                .filter(wrapping_keys::destroyed_at.is_null())
                .select(wrapping_keys::id)
                .load(conn)?;
            for id in due {
                self.destroy_file(&id)?;
                diesel::update(wrapping_keys::table.find(&id))
                    .set(wrapping_keys::destroyed_at.eq(now))
                    .execute(conn)?;
                done.destroyed += 1;
            }
            Ok(done)
        })
    }
}
