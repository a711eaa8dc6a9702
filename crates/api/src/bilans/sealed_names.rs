//! What identifies a document, kept so that destroying the bilan's key leaves nothing of it: the name
//! is sealed under the bilan's key, and the hash kept is that of the stored (encrypted) bytes. Rows
//! written in clear by earlier versions are brought to that form once, at start-up.

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::model;
use crate::AppState;
use crate::crypto;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::bilan_files;

/// The associated data of a name: bound to its file, and distinct from the file's own bytes.
fn aad(file_id: &str) -> String {
    format!("name:{file_id}")
}

pub fn seal(key: &[u8], file_id: &str, name: &str) -> Result<Vec<u8>, ApiError> {
    crypto::encrypt(key, &aad(file_id), name)
}

/// The name to show: sealed, or (a row not yet brought up to date) the clear one.
pub fn open(
    key: &[u8],
    file_id: &str,
    sealed: Option<&[u8]>,
    clear: String,
) -> Result<String, ApiError> {
    match sealed {
        Some(sealed) => crypto::decrypt(key, &aad(file_id), sealed),
        None => Ok(clear),
    }
}

/// The hash kept of a document: SHA-256 of what storage holds.
pub fn stored_hash(stored: &[u8]) -> String {
    hex::encode(Sha256::digest(stored))
}

/// Start-up step: destroyed documents lose what named or identified them (destroyed before this was
/// done at destruction).
pub fn blank_destroyed(conn: &mut Conn) -> Result<usize, ApiError> {
    Ok(diesel::update(
        bilan_files::table
            .filter(bilan_files::destroyed_at.is_not_null())
            .filter(
                bilan_files::name
                    .ne("")
                    .or(bilan_files::sha256.ne(""))
                    .or(bilan_files::name_sealed.is_not_null())
                    .or(bilan_files::size.ne(0)),
            ),
    )
    .set((
        bilan_files::name.eq(""),
        bilan_files::sha256.eq(""),
        bilan_files::name_sealed.eq(None::<Vec<u8>>),
        bilan_files::size.eq(0),
    ))
    .execute(conn)?)
}

/// Start-up step, in the background (it reads storage): each live document still named in clear gets
/// its name sealed and the hash of its stored bytes, once its bytes were checked against the old hash.
/// Conditional writes: two processes do it once. Failures are logged and retried at the next start.
pub async fn seal_clear_names(state: actix_web::web::Data<AppState>) -> usize {
    let pending = db::run(&state.pool, |conn| {
        Ok(bilan_files::table
            .filter(bilan_files::destroyed_at.is_null())
            .filter(bilan_files::name_sealed.is_null())
            .select((
                bilan_files::id,
                bilan_files::bilan_id,
                bilan_files::name,
                bilan_files::sha256,
            ))
            .load::<(String, String, String, String)>(conn)?)
    })
    .await;
    let pending = match pending {
        Ok(rows) => rows,
        Err(e) => {
            tracing::error!(error = ?e, "documents named in clear: not listed");
            return 0;
        }
    };
    let mut done = 0;
    for (file_id, bilan_id, name, plain_hash) in pending {
        match seal_one(&state, &file_id, &bilan_id, &name, &plain_hash).await {
            Ok(n) => done += n,
            Err(e) => tracing::error!(error = ?e, file = %file_id, "document name not sealed"),
        }
    }
    if done > 0 {
        tracing::info!(documents = done, "document names sealed");
    }
    done
}

async fn seal_one(
    state: &AppState,
    file_id: &str,
    bilan_id: &str,
    name: &str,
    plain_hash: &str,
) -> Result<usize, ApiError> {
    let (st, b) = (state.config.clone(), bilan_id.to_string());
    let key = db::run(&state.pool, move |conn| {
        model::content_key(conn, &st.master_key, &b)
    })
    .await?;
    let stored = state
        .storage
        .get(&super::files::storage_key(bilan_id, file_id))
        .await?;
    let bytes = zeroize::Zeroizing::new(crypto::decrypt_bytes(&key, file_id, &stored)?);
    if stored_hash(&bytes) != plain_hash {
        return Err(ApiError::internal("stored file does not match its SHA-256"));
    }
    let (id, sealed, hash) = (
        file_id.to_string(),
        seal(&key, file_id, name)?,
        stored_hash(&stored),
    );
    db::run(&state.pool, move |conn| {
        Ok(diesel::update(
            bilan_files::table
                .find(&id)
                .filter(bilan_files::name_sealed.is_null())
                .filter(bilan_files::destroyed_at.is_null()),
        )
        .set((
            bilan_files::name.eq(""),
            bilan_files::name_sealed.eq(sealed),
            bilan_files::sha256.eq(hash),
        ))
        .execute(conn)?)
    })
    .await
}
