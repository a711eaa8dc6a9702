//! The keyring itself: the master key and the folder of the wrapping keys, and what needs no database
//! (reading, unwrapping and destroying a key file). Each connection carries one (`db::Keys`), so it sits
//! below `db`; making and rotating wrapping keys, which records them in the database, is in `keyring`.

use std::path::{Path, PathBuf};

use crate::crypto;
use crate::error::ApiError;

/// The master key and the folder of the wrapping keys.
#[derive(Clone)]
pub struct Keyring {
    master: zeroize::Zeroizing<[u8; 32]>,
    dir: PathBuf,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// What a wrapping key's sealed file is bound to.
fn aad(id: &str) -> String {
    format!("wrapping-key:{id}")
}

impl Keyring {
    pub fn new(master: &[u8; 32], dir: &Path) -> Keyring {
        Keyring {
            master: zeroize::Zeroizing::new(*master),
            dir: dir.to_path_buf(),
        }
    }

    fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("wrapping-{id}.key"))
    }

    /// Makes a new wrapping key's file, sealed under the master key (its row is `keyring`'s).
    pub(crate) fn write_new(&self, id: &str) -> Result<(), ApiError> {
        let sealed = crypto::new_wrapped_key(&self.master, &aad(id))?;
        super::write_private(&self.path(id), &hex::encode(sealed))
            .map_err(|e| ApiError::internal(format!("wrapping key file: {e}")))
    }

    /// A wrapping key's bytes; an error once it is destroyed.
    pub fn load(&self, id: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, ApiError> {
        let hex_text = std::fs::read_to_string(self.path(id))
            .map_err(|e| ApiError::internal(format!("wrapping key {id}: {e}")))?;
        let sealed = hex::decode(hex_text.trim()).map_err(ApiError::internal)?;
        crypto::unwrap_key(&self.master, &aad(id), &sealed)
    }

    /// A bilan key, unwrapped: under its wrapping key, or under the master key for keys made before
    /// wrapping keys existed (`wrapping_key_id` NULL).
    pub fn unwrap(
        &self,
        bilan_id: &str,
        wrapping_key_id: Option<&str>,
        wrapped: &[u8],
    ) -> Result<zeroize::Zeroizing<Vec<u8>>, ApiError> {
        match wrapping_key_id {
            Some(id) => crypto::unwrap_key_with(&self.load(id)?, bilan_id, wrapped)
                .map(zeroize::Zeroizing::new),
            None => crypto::unwrap_key(&self.master, bilan_id, wrapped),
        }
    }

    /// Overwrites the key file, then removes it.
    pub(crate) fn destroy_file(&self, id: &str) -> Result<(), ApiError> {
        use std::io::Write;
        let path = self.path(id);
        if let Ok(mut file) = std::fs::OpenOptions::new().write(true).open(&path) {
            let len = file.metadata().map(|m| m.len()).unwrap_or(0);
            file.write_all(&vec![0u8; len as usize])
                .and_then(|()| file.sync_all())
                .map_err(|e| ApiError::internal(format!("wrapping key {id}: {e}")))?;
        }
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(ApiError::internal(format!("wrapping key {id}: {e}")))
            }
            _ => Ok(()),
        }
    }
}
