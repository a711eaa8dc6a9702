//! Envelope encryption of bilan content (DOMAIN.md §5.8): each bilan has its own random key, stored
//! only wrapped (AES-256-GCM) under the master key from the configuration. Content is encrypted under
//! the bilan's key, bound to its bilan and record by the associated data. Destroying the wrapped key
//! destroys the content everywhere it was copied, backups included (crypto-shredding).
//! Secrets that belong to no bilan (TOTP secrets) are sealed under keys derived from the master key,
//! one per purpose. Every key and secret held in clear is wiped from memory when dropped (`Zeroizing`).

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::ApiError;

const NONCE: usize = 12;

fn seal(key: &[u8], plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, ApiError> {
    let cipher =
        Aes256Gcm::new_from_slice(key).map_err(|e| ApiError::internal(format!("key: {e}")))?;
    let mut nonce = [0u8; NONCE];
    rand::rng().fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|e| ApiError::internal(format!("encrypt: {e}")))?;
    Ok([nonce.as_slice(), &sealed].concat())
}

fn open(key: &[u8], sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, ApiError> {
    if sealed.len() < NONCE {
        return Err(ApiError::internal("ciphertext too short"));
    }
    let cipher =
        Aes256Gcm::new_from_slice(key).map_err(|e| ApiError::internal(format!("key: {e}")))?;
    let (nonce, body) = sealed.split_at(NONCE);
    cipher
        .decrypt(Nonce::from_slice(nonce), Payload { msg: body, aad })
        .map_err(|_| ApiError::internal("content does not decrypt: wrong key or altered data"))
}

/// A new bilan key, returned wrapped under the master key (what the database keeps).
pub fn new_wrapped_key(master: &[u8; 32], bilan_id: &str) -> Result<Vec<u8>, ApiError> {
    let mut key = Zeroizing::new([0u8; 32]);
    rand::rng().fill_bytes(key.as_mut());
    seal(master, key.as_ref(), bilan_id.as_bytes())
}

/// The bilan's key, unwrapped; the caller holds it only while it encrypts or decrypts, and it is
/// wiped when dropped.
pub fn unwrap_key(
    master: &[u8; 32],
    bilan_id: &str,
    wrapped: &[u8],
) -> Result<Zeroizing<Vec<u8>>, ApiError> {
    open(master, wrapped, bilan_id.as_bytes()).map(Zeroizing::new)
}

/// The key of one `purpose`, derived from the master key: what is sealed for one purpose never opens
/// as another, nor as a bilan key.
pub fn derived_key(master: &[u8; 32], purpose: &str) -> Zeroizing<[u8; 32]> {
    let mut hash = Sha256::new();
    hash.update(b"boussole derived key\0");
    hash.update(purpose.as_bytes());
    hash.update(b"\0");
    hash.update(master);
    Zeroizing::new(hash.finalize().into())
}

/// Seals a secret of `purpose` (e.g. `totp-secret`) under its derived key, bound to `record_id`.
pub fn seal_secret(
    master: &[u8; 32],
    purpose: &str,
    record_id: &str,
    secret: &[u8],
) -> Result<Vec<u8>, ApiError> {
    seal(
        derived_key(master, purpose).as_ref(),
        secret,
        record_id.as_bytes(),
    )
}

/// Opens what [`seal_secret`] sealed; the secret is wiped when dropped.
pub fn open_secret(
    master: &[u8; 32],
    purpose: &str,
    record_id: &str,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, ApiError> {
    open(
        derived_key(master, purpose).as_ref(),
        sealed,
        record_id.as_bytes(),
    )
    .map(Zeroizing::new)
}

/// A bilan key wrapped under a wrapping key (see `keyring`).
pub fn wrap_with(kek: &[u8], bilan_id: &str, key: &[u8]) -> Result<Vec<u8>, ApiError> {
    seal(kek, key, bilan_id.as_bytes())
}

/// The reverse of [`wrap_with`].
pub fn unwrap_key_with(kek: &[u8], bilan_id: &str, wrapped: &[u8]) -> Result<Vec<u8>, ApiError> {
    open(kek, wrapped, bilan_id.as_bytes())
}

pub fn encrypt_bytes(key: &[u8], record_id: &str, bytes: &[u8]) -> Result<Vec<u8>, ApiError> {
    seal(key, bytes, record_id.as_bytes())
}

pub fn decrypt_bytes(key: &[u8], record_id: &str, sealed: &[u8]) -> Result<Vec<u8>, ApiError> {
    open(key, sealed, record_id.as_bytes())
}

pub fn encrypt(key: &[u8], record_id: &str, text: &str) -> Result<Vec<u8>, ApiError> {
    seal(key, text.as_bytes(), record_id.as_bytes())
}

pub fn decrypt(key: &[u8], record_id: &str, sealed: &[u8]) -> Result<String, ApiError> {
    String::from_utf8(open(key, sealed, record_id.as_bytes())?).map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_opens_only_with_its_key_and_its_record() {
        let master = [7u8; 32];
        let wrapped = new_wrapped_key(&master, "bilan-1").unwrap();
        let key = unwrap_key(&master, "bilan-1", &wrapped).unwrap();
        let sealed = encrypt(&key, "note-1", "Projet : devenir ébéniste").unwrap();
        assert!(
            !sealed.windows(6).any(|w| w == b"Projet"),
            "no clear text in the ciphertext"
        );
        assert_eq!(
            decrypt(&key, "note-1", &sealed).unwrap(),
            "Projet : devenir ébéniste"
        );
        assert!(
            decrypt(&key, "note-2", &sealed).is_err(),
            "bound to its record"
        );
        assert!(
            unwrap_key(&master, "bilan-2", &wrapped).is_err(),
            "bound to its bilan"
        );
        assert!(
            unwrap_key(&[8u8; 32], "bilan-1", &wrapped).is_err(),
            "needs the master key"
        );
    }

    #[test]
    fn keys_and_secrets_in_clear_are_wiped_when_dropped() {
        use zeroize::Zeroize;
        // The types carry the promise: what is answered in clear is `Zeroizing`, whose drop wipes it.
        let master = [7u8; 32];
        let wrapped = new_wrapped_key(&master, "bilan-1").unwrap();
        let key: Zeroizing<Vec<u8>> = unwrap_key(&master, "bilan-1", &wrapped).unwrap();
        let derived: Zeroizing<[u8; 32]> = derived_key(&master, "totp-secret");
        let sealed = seal_secret(&master, "totp-secret", "u", b"secret").unwrap();
        let secret: Zeroizing<Vec<u8>> = open_secret(&master, "totp-secret", "u", &sealed).unwrap();
        let mut copy = *derived;
        assert!(copy.iter().any(|b| *b != 0) && key.len() == 32 && !secret.is_empty());
        copy.zeroize();
        assert_eq!(copy, [0u8; 32], "what drop does to them");
    }

    #[test]
    fn a_secret_opens_only_for_its_purpose_and_record() {
        let master = [7u8; 32];
        let sealed = seal_secret(&master, "totp-secret", "user-1", b"JBSWY3DPEHPK3PXP").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"JBSWY3"));
        let opened = open_secret(&master, "totp-secret", "user-1", &sealed).unwrap();
        assert_eq!(opened.as_slice(), b"JBSWY3DPEHPK3PXP");
        assert!(open_secret(&master, "totp-secret", "user-2", &sealed).is_err());
        assert!(open_secret(&master, "other", "user-1", &sealed).is_err());
        assert!(open_secret(&[8u8; 32], "totp-secret", "user-1", &sealed).is_err());
        assert!(
            unwrap_key(&master, "user-1", &sealed).is_err(),
            "not a bilan key"
        );
    }
}
