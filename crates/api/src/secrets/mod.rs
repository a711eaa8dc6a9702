//! The keys the process holds, with no database and no HTTP: the audit chain's key and its signed head
//! (`audit_chain`), and the keyring that wraps bilan keys (`keyring`). Every connection carries both
//! (`db::Keys`), so they sit below `db`; the journal and the keyring's rotation, which need the
//! database, are above it (`journal`, `crate::keyring`).

mod audit_chain;
mod keyring;

use std::path::Path;

pub use audit_chain::{AuditKey, Head, Mark};
pub use keyring::Keyring;

/// Writes a new key file that only its owner may read (never over an existing one).
pub(crate) fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(content.as_bytes())
}
