use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

use crate::users::{Civility, Locale, User};

/// Self-registration of a beneficiary (`POST /api/v1/auth/register`).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    /// Email address: a verification link is sent there.
    #[validate(email, length(max = 254))]
    pub email: String,
    /// Password: 12 to 128 characters, not a common or easily guessed one (CNIL délibération 2022-100).
    #[validate(length(min = 12, max = 128))]
    pub password: String,
    /// Civility, optional.
    pub civility: Option<Civility>,
    /// First name.
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::users::printable")
    )]
    pub first_name: String,
    /// Last name.
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::users::printable")
    )]
    pub last_name: String,
    /// Phone number, optional.
    #[validate(length(max = 30))]
    pub phone: Option<String>,
    /// Interface language (default `fr`).
    pub locale: Option<Locale>,
}

/// A single-use token from an emailed link (`POST /api/v1/auth/verify-email`).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenRequest {
    /// The token from the link.
    #[validate(length(min = 1, max = 200))]
    pub token: String,
}

/// An email address alone (forgotten password, new verification link).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailRequest {
    /// The account's email address.
    #[validate(email, length(max = 254))]
    pub email: String,
}

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// The account's email address.
    #[validate(length(min = 1, max = 254))]
    pub email: String,
    /// The password.
    #[validate(length(min = 1, max = 128))]
    pub password: String,
}

/// A successful authentication: a short-lived access token. The refresh token comes in the
/// `boussole_refresh` HttpOnly cookie.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Lifetime of the access token, in seconds.
    pub expires_in: i64,
    /// The logged-in account.
    pub user: User,
    /// True when the organisation requires a second factor for this staff account and none is enrolled yet:
    /// only the profile and TOTP enrolment are open until it is.
    pub totp_enrolment_required: bool,
}

/// The password was right and the account has a second factor: answer the challenge at `/api/v1/auth/totp`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpChallenge {
    /// Always true.
    pub totp_required: bool,
    /// Opaque challenge, valid 5 minutes.
    pub challenge: String,
}

/// What `POST /api/v1/auth/login` answers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
// Read through one flat struct: an untagged enum is read by buffering the object into serde's
// generic `Content` tree and trying each variant on it, which compiled a second reader of `User` (and
// of every field of both answers) into the wasm. Written (the API) and documented as before.
#[serde(try_from = "LoginWire")]
pub enum LoginResponse {
    /// Logged in.
    Tokens(TokenResponse),
    /// A TOTP code is needed.
    Totp(TotpChallenge),
}

/// Every field of both answers of the login; which are present says which answer it is.
#[derive(Deserialize)]
struct LoginWire {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<i64>,
    user: Option<User>,
    totp_enrolment_required: Option<bool>,
    totp_required: Option<bool>,
    challenge: Option<String>,
}

impl TryFrom<LoginWire> for LoginResponse {
    type Error = &'static str;

    /// As the untagged enum read it: the tokens when all their fields are there, else the
    /// challenge when both of its are.
    fn try_from(w: LoginWire) -> Result<Self, Self::Error> {
        match w {
            LoginWire {
                access_token: Some(access_token),
                token_type: Some(token_type),
                expires_in: Some(expires_in),
                user: Some(user),
                totp_enrolment_required: Some(totp_enrolment_required),
                ..
            } => Ok(LoginResponse::Tokens(TokenResponse {
                access_token,
                token_type,
                expires_in,
                user,
                totp_enrolment_required,
            })),
            LoginWire {
                totp_required: Some(totp_required),
                challenge: Some(challenge),
                ..
            } => Ok(LoginResponse::Totp(TotpChallenge {
                totp_required,
                challenge,
            })),
            _ => Err("data did not match any variant of untagged enum LoginResponse"),
        }
    }
}

/// `POST /api/v1/auth/totp`: the second step of a login.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpLoginRequest {
    /// The challenge from the login answer.
    #[validate(length(min = 1, max = 2000))]
    pub challenge: String,
    /// A 6-digit code from the authenticator app, or one of the recovery codes.
    #[validate(length(min = 6, max = 32))]
    pub code: String,
}

/// `POST /api/v1/auth/refresh`: the refresh token comes from the cookie, or from this body for clients
/// that do not keep cookies.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    /// The refresh token, when not sent as the cookie.
    pub refresh_token: Option<String>,
}

/// `POST /api/v1/auth/password/reset`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetPasswordRequest {
    /// The token from the emailed link.
    #[validate(length(min = 1, max = 200))]
    pub token: String,
    /// The new password.
    #[validate(length(min = 12, max = 128))]
    pub password: String,
}

/// `POST /api/v1/me/password`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    /// The current password.
    #[validate(length(min = 1, max = 128))]
    pub current_password: String,
    /// The new password.
    #[validate(length(min = 12, max = 128))]
    pub new_password: String,
}

/// A new TOTP secret to enrol in an authenticator app (not active until confirmed with a code).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpSetup {
    /// The secret in base32, for manual entry.
    pub secret: String,
    /// The `otpauth://` URI the QR code encodes.
    pub otpauth_uri: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}

/// A TOTP code (`POST /api/v1/me/totp/enable`, `/me/totp/recovery-codes`).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpCodeRequest {
    /// The 6-digit code shown by the authenticator app.
    #[validate(length(min = 6, max = 6))]
    pub code: String,
}

/// `POST /api/v1/me/totp/disable`: both the password and a current code.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpDisableRequest {
    /// The account password.
    #[validate(length(min = 1, max = 128))]
    pub password: String,
    /// A current code or a recovery code.
    #[validate(length(min = 6, max = 32))]
    pub code: String,
}

/// Single-use recovery codes, shown once.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    /// Ten codes; each works once in place of a TOTP code.
    pub codes: Vec<String>,
}

/// A logged-in session (one per login, kept alive by its refresh token).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    /// Session id.
    pub id: Uuid,
    /// When it started (UTC).
    pub created_at: DateTime<Utc>,
    /// When its refresh token was last used (UTC).
    pub last_used_at: DateTime<Utc>,
    /// The IP address it started from.
    pub ip: Option<String>,
    /// The browser or client that started it.
    pub user_agent: Option<String>,
    /// True for the session making this request.
    pub current: bool,
}

/// What an API key may do.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ApiScope {
    /// Read accounts (`GET /api/v1/users`).
    #[serde(rename = "users:read")]
    UsersRead,
    /// Read the audit journal.
    #[serde(rename = "audit:read")]
    AuditRead,
    /// Read invoices, credit notes and their payments (`GET /api/v1/invoices`).
    #[serde(rename = "invoices:read")]
    InvoicesRead,
    /// Pull the accounting exports (`GET /api/v1/exports/accounting.csv`, `GET /api/v1/exports/fec`).
    #[serde(rename = "accounting:read")]
    AccountingRead,
    /// Read beneficiaries' records (`GET /api/v1/beneficiaries`, `?external_ref=`), never
    /// special-category data.
    #[serde(rename = "beneficiaries:read")]
    BeneficiariesRead,
    /// Create beneficiaries (`POST /api/v1/beneficiaries`, which invites them) and update their
    /// administrative record.
    #[serde(rename = "beneficiaries:write")]
    BeneficiariesWrite,
    /// Read bilans' administrative facts (`GET /api/v1/bilans`): status, dates, hours, funding; never
    /// content (notes, files, results, messages, synthèse).
    #[serde(rename = "bilans:read")]
    BilansRead,
    /// Open bilans and keep their administrative side as the organisation does (`POST /api/v1/bilans`,
    /// status, abandon, completion, administrative dates, consultants, `external_ref`); never content,
    /// and a key is never a consultant.
    #[serde(rename = "bilans:write")]
    BilansWrite,
    /// Read appointments (`GET /api/v1/appointments`, a bilan's appointments).
    #[serde(rename = "appointments:read")]
    AppointmentsRead,
    /// Book, move and cancel appointments as the organisation does; attendance is signed by the
    /// people, never by a key.
    #[serde(rename = "appointments:write")]
    AppointmentsWrite,
    /// Register, change and delete webhook endpoints, read their delivery logs and replay deliveries
    /// (`/api/v1/webhooks`).
    #[serde(rename = "webhooks:manage")]
    WebhooksManage,
}

impl ApiScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiScope::UsersRead => "users:read",
            ApiScope::AuditRead => "audit:read",
            ApiScope::InvoicesRead => "invoices:read",
            ApiScope::AccountingRead => "accounting:read",
            ApiScope::BeneficiariesRead => "beneficiaries:read",
            ApiScope::BeneficiariesWrite => "beneficiaries:write",
            ApiScope::BilansRead => "bilans:read",
            ApiScope::BilansWrite => "bilans:write",
            ApiScope::AppointmentsRead => "appointments:read",
            ApiScope::AppointmentsWrite => "appointments:write",
            ApiScope::WebhooksManage => "webhooks:manage",
        }
    }

    pub fn parse(s: &str) -> Option<ApiScope> {
        match s {
            "users:read" => Some(ApiScope::UsersRead),
            "audit:read" => Some(ApiScope::AuditRead),
            "invoices:read" => Some(ApiScope::InvoicesRead),
            "accounting:read" => Some(ApiScope::AccountingRead),
            "beneficiaries:read" => Some(ApiScope::BeneficiariesRead),
            "beneficiaries:write" => Some(ApiScope::BeneficiariesWrite),
            "bilans:read" => Some(ApiScope::BilansRead),
            "bilans:write" => Some(ApiScope::BilansWrite),
            "appointments:read" => Some(ApiScope::AppointmentsRead),
            "appointments:write" => Some(ApiScope::AppointmentsWrite),
            "webhooks:manage" => Some(ApiScope::WebhooksManage),
            _ => None,
        }
    }
}

/// `POST /api/v1/api-keys`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewApiKey {
    /// A name that says which integration uses it.
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    /// What it may do; at least one.
    #[validate(length(min = 1, max = 16))]
    pub scopes: Vec<ApiScope>,
    /// When it stops working (UTC, in the future); absent: until revoked. An expired key answers 401
    /// `expired-api-key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// An API key, without its secret.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKey {
    /// Key id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// The first characters of the key, to recognise it.
    pub prefix: String,
    /// What it may do.
    pub scopes: Vec<ApiScope>,
    /// When it was created (UTC).
    pub created_at: DateTime<Utc>,
    /// When it was last used (UTC), to the minute.
    pub last_used_at: Option<DateTime<Utc>>,
    /// The client address of that last use (`expired` once the IP retention period has passed).
    #[serde(default)]
    pub last_used_ip: Option<String>,
    /// When it stops working (UTC), if it was given an end.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was revoked (UTC); a revoked key is refused.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A newly created key: the secret is shown this once and never stored in clear.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    /// The key to send as `Authorization: Bearer …`.
    pub key: String,
    /// The key's record.
    pub api_key: ApiKey,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn user() -> User {
        serde_json::from_value(json!({
            "id": Uuid::from_u128(1), "email": "camille@example.org", "role": "consultant",
            "civility": null, "first_name": "Camille", "last_name": "Durand", "phone": null,
            "locale": "fr", "sms_reminders": false, "email_verified": true, "totp_enabled": true,
            "is_active": true, "has_password": true, "created_at": "2026-12-07T10:00:00Z"
        }))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn login_answers_read_back_as_sent() {
        let answers = [
            LoginResponse::Tokens(TokenResponse {
                access_token: "a.b.c".into(),
                token_type: "Bearer".into(),
                expires_in: 900,
                user: user(),
                totp_enrolment_required: true,
            }),
            LoginResponse::Totp(TotpChallenge {
                totp_required: true,
                challenge: "opaque".into(),
            }),
        ];
        for answer in answers {
            let sent = serde_json::to_value(&answer).unwrap_or_default();
            let read: LoginResponse =
                serde_json::from_value(sent.clone()).unwrap_or_else(|e| panic!("{e}: {sent}"));
            assert_eq!(read, answer);
        }
    }

    #[test]
    fn an_answer_that_is_neither_is_refused() {
        for body in [
            json!({}),
            json!({ "challenge": "opaque" }),
            json!({ "access_token": "a.b.c", "token_type": "Bearer", "expires_in": 900,
                    "totp_enrolment_required": false }),
        ] {
            assert!(
                serde_json::from_value::<LoginResponse>(body.clone()).is_err(),
                "{body}"
            );
        }
    }
}
