//! The signing secret of an endpoint and the `Boussole-Signature` header (Stripe's scheme):
//! `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, the key being the whole secret
//! string (`whsec_…`) as UTF-8. The secret is kept sealed under a key derived from the master key,
//! bound to the endpoint's id: a copy of the database alone cannot sign.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, KeyInit, Mac};
use zeroize::Zeroizing;

use crate::error::ApiError;

type HmacSha256 = Hmac<sha2_11::Sha256>;

pub const HEADER: &str = "Boussole-Signature";
const PREFIX: &str = "whsec_";
const SEALED: &str = "v1:";
const PURPOSE: &str = "webhook-secret";

/// A new secret: `whsec_` and 32 random bytes, URL-safe base64.
pub fn new_secret() -> Zeroizing<String> {
    Zeroizing::new(format!("{PREFIX}{}", crate::auth::tokens::random_token()))
}

/// What `webhook_endpoints.secret` keeps.
pub fn seal(master: &[u8; 32], endpoint_id: &str, secret: &str) -> Result<String, ApiError> {
    let sealed = crate::crypto::seal_secret(master, PURPOSE, endpoint_id, secret.as_bytes())?;
    Ok(format!("{SEALED}{}", B64.encode(sealed)))
}

/// The secret from its stored form.
pub fn open(
    master: &[u8; 32],
    endpoint_id: &str,
    stored: &str,
) -> Result<Zeroizing<String>, ApiError> {
    let sealed = stored
        .strip_prefix(SEALED)
        .and_then(|b| B64.decode(b).ok())
        .ok_or_else(|| ApiError::internal("webhook secret not sealed"))?;
    let bytes = crate::crypto::open_secret(master, PURPOSE, endpoint_id, &sealed)?;
    let text = std::str::from_utf8(&bytes).map_err(ApiError::internal)?;
    Ok(Zeroizing::new(text.to_string()))
}

/// The header's value for `body` sent at `timestamp` (unix seconds).
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = match HmacSha256::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        // HMAC takes keys of any length: this branch cannot happen.
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_the_hmac_of_timestamp_dot_body() {
        // Python: hmac.new(b"whsec_test", b"1700000000.{}", hashlib.sha256).hexdigest()
        assert_eq!(
            signature("whsec_test", 1_700_000_000, "{}"),
            "t=1700000000,v1=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91"
        );
    }

    #[test]
    fn sealed_secret_opens_only_for_its_endpoint() {
        let master = [7u8; 32];
        let secret = new_secret();
        assert!(secret.starts_with("whsec_"));
        let stored = seal(&master, "e1", &secret).unwrap_or_default();
        assert!(!stored.contains(secret.as_str()));
        let opened = open(&master, "e1", &stored).ok().map(|s| s.to_string());
        assert_eq!(opened, Some(secret.to_string()));
        assert!(open(&master, "e2", &stored).is_err());
    }
}
