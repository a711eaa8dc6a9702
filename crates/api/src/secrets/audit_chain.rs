//! The keyed part of the audit chain. Since chain version 2 each entry's hash is an HMAC-SHA-256 under a
//! key derived from the master key (which never enters the database), and the IP is covered only
//! through its own HMAC (`ip_mac`), so that the clear IP can be blanked after its retention period
//! without breaking the chain. A signed head (the last sequence number and hash, MAC'ed) is kept in
//! a file of the key folder, outside the database: deleting the last entries, or rolling the whole
//! table back to an older copy, no longer verifies.
//!
//! The key reaches `record` through the connection itself (its diesel instrumentation, see
//! `db::Instrumented`), so the journal's callers keep their one-line `journal::record(conn, …)`.

use std::path::{Path, PathBuf};

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};

type HmacSha256 = Hmac<sha2_11::Sha256>;

/// The chain's secret and where its signed head lives.
#[derive(Clone)]
pub struct AuditKey {
    mac: [u8; 32],
    head_path: PathBuf,
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditKey")
            .field("head_path", &self.head_path)
            .finish_non_exhaustive()
    }
}

/// HMAC-SHA-256 of `parts`, each prefixed with its length (no ambiguity between fields).
fn mac(key: &[u8], parts: &[&[u8]]) -> String {
    let mut m = match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        // HMAC takes keys of any length: this branch cannot happen.
        Err(_) => return String::new(),
    };
    for p in parts {
        m.update(&(p.len() as u64).to_be_bytes());
        m.update(p);
    }
    hex::encode(m.finalize().into_bytes())
}

impl AuditKey {
    /// Derived from the master key with a label of its own (an HMAC used as a key-derivation
    /// function, HKDF-expand style): it never equals a key that wraps content.
    pub fn derive(master: &[u8; 32], key_dir: &Path) -> AuditKey {
        let derived = mac(master, &[b"boussole/audit-chain/v2"]);
        let mut key = [0u8; 32];
        if let Ok(bytes) = hex::decode(derived) {
            key.copy_from_slice(&bytes[..32]);
        }
        AuditKey {
            mac: key,
            head_path: key_dir.join("audit-head.json"),
        }
    }

    /// The entry's hash (chain version 2) over its canonical form.
    pub fn entry_hash(&self, canonical: &str) -> String {
        mac(&self.mac, &[b"entry", canonical.as_bytes()])
    }

    /// The keyed hash of an IP, what the chain covers (an unkeyed hash of 2^32 addresses would be
    /// reversed in seconds).
    pub fn ip_mac(&self, ip: &str) -> String {
        mac(&self.mac, &[b"ip", ip.as_bytes()])
    }

    fn head_mac(&self, committed: &Mark, pending: &Option<Mark>) -> String {
        let pending = pending
            .as_ref()
            .map(|p| format!("{}:{}", p.seq, p.hash))
            .unwrap_or_default();
        mac(
            &self.mac,
            &[
                b"head",
                format!("{}:{}", committed.seq, committed.hash).as_bytes(),
                pending.as_bytes(),
            ],
        )
    }

    /// The signed head, when there is one and its MAC holds; `Err` when the file is there but forged.
    pub fn read_head(&self) -> Result<Option<Head>, String> {
        let text = match std::fs::read_to_string(&self.head_path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{}: {e}", self.head_path.display())),
        };
        let head: Head = serde_json::from_str(&text)
            .map_err(|e| format!("{}: {e}", self.head_path.display()))?;
        if head.mac != self.head_mac(&head.committed, &head.pending) {
            return Err("the signed head's MAC does not hold".into());
        }
        Ok(Some(head))
    }

    /// Writes the head atomically (a new file renamed over the old one).
    pub fn write_head(&self, committed: Mark, pending: Option<Mark>) -> std::io::Result<()> {
        let head = Head {
            mac: self.head_mac(&committed, &pending),
            committed,
            pending,
        };
        let tmp = self.head_path.with_extension(format!(
            "tmp-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&tmp, serde_json::to_vec(&head).unwrap_or_default())?;
        std::fs::rename(&tmp, &self.head_path)
    }
}

/// A place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub seq: i64,
    pub hash: String,
}

/// The signed head. `committed` is an entry known to be in the database (the writer read it there);
/// `pending` is the one being written, whose transaction may still roll back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Head {
    pub committed: Mark,
    pub pending: Option<Mark>,
    pub mac: String,
}
