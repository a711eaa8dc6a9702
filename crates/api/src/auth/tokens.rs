//! Access tokens (JWT, HS256), login challenges, and the opaque random tokens used for refresh,
//! email links and API keys, which are stored only as their SHA-256.

use base64::Engine;
use boussole_shared::Slug;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

#[derive(Clone)]
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

/// What an access token says. `tv` is the account's token version: "log out everywhere", a password
/// change or a deactivation bump it and every outstanding token stops working at once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub sid: String,
    pub role: String,
    pub tv: i64,
    pub typ: String,
    pub iat: i64,
    pub exp: i64,
}

pub const ACCESS: &str = "access";
pub const TOTP_CHALLENGE: &str = "totp_challenge";
pub const TOTP_CHALLENGE_TTL_SECS: i64 = 300;

impl Keys {
    pub fn new(secret: &[u8]) -> anyhow::Result<Keys> {
        Ok(Keys {
            encoding: EncodingKey::from_secret(secret)?,
            decoding: DecodingKey::from_secret(secret)?,
        })
    }

    pub fn sign(&self, claims: &Claims) -> Result<String, ApiError> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|e| ApiError::internal(format!("cannot sign token: {e}")))
    }

    /// Checks signature, expiry and type.
    pub fn verify(&self, token: &str, typ: &str) -> Result<Claims, ApiError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).map_err(
            |e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    ApiError::unauthorized(Slug::TOKEN_EXPIRED, "Le jeton a expiré.")
                }
                _ => ApiError::unauthorized(Slug::INVALID_TOKEN, "Jeton invalide."),
            },
        )?;
        if data.claims.typ != typ {
            return Err(ApiError::unauthorized(
                Slug::INVALID_TOKEN,
                "Jeton invalide.",
            ));
        }
        Ok(data.claims)
    }

    pub fn issue(
        &self,
        typ: &str,
        sub: &str,
        sid: &str,
        role: &str,
        tv: i64,
        ttl: i64,
    ) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        self.sign(&Claims {
            sub: sub.into(),
            sid: sid.into(),
            role: role.into(),
            tv,
            typ: typ.into(),
            iat: now,
            exp: now + ttl,
        })
    }
}

/// 32 random bytes, base64url without padding (43 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 hex: what is stored for a high-entropy token (a slow hash buys nothing there).
pub fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}
