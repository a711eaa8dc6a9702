//! Electronic signature of issued documents (issue 12, item 3): a simple electronic signature with
//! strong evidence (eIDAS art. 25–26, DOMAIN.md §5.9). Each signer, in order, receives a personal
//! single-use link, asks for a one-time code by email or SMS, reads the document and the consent
//! wording, then signs; the signed PDF carries a last page with the evidence of every signature.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

str_enum!(
    /// Who signs, as the document names the parties.
    SignerRole {
        /// The beneficiary (the employee, in a tripartite convention).
        Beneficiary = "beneficiary",
        /// The organisation's representative.
        Organisation = "organisation",
        /// The employer's contact (no account: the link and the code are their identity checks).
        Employer = "employer",
    }
);

str_enum!(
    /// Where a signature request stands.
    SignatureStatus {
        /// Waiting for a signer.
        Pending = "pending",
        /// Every signer signed: the signed PDF exists.
        Completed = "completed",
        /// Cancelled by the organisation.
        Cancelled = "cancelled",
        /// Not signed by everyone before its expiry.
        Expired = "expired",
        /// The employee did not accept the tripartite convention within 10 days of receiving the
        /// draft: silence counts as refusal (R6313-8).
        RefusedBySilence = "refused_by_silence",
    }
);

str_enum!(
    /// How the one-time code reaches the signer.
    CodeChannel { Email = "email", Sms = "sms" }
);

/// One signer of `POST /api/v1/documents/{id}/signature-requests`, in signing order.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSigner {
    pub role: SignerRole,
    /// The signer's name; the beneficiary's comes from their account and may be left out.
    #[validate(length(min = 1, max = 200))]
    pub name: Option<String>,
    /// Where their link is sent; the beneficiary's comes from their account.
    #[validate(email, length(max = 254))]
    pub email: Option<String>,
    /// A French mobile, to receive the code by SMS (the beneficiary's comes from their profile).
    #[validate(length(max = 30))]
    pub phone: Option<String>,
}

/// `POST /api/v1/documents/{id}/signature-requests`: the signers, in the order they sign. A
/// tripartite convention needs the beneficiary, the organisation and the employer; an individual
/// contract the beneficiary and the organisation; each once.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSignatureRequest {
    #[validate(length(min = 1, max = 5), nested)]
    pub signers: Vec<NewSigner>,
}

/// A signer as the organisation follows them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signer {
    pub position: i32,
    pub role: SignerRole,
    pub name: String,
    /// The address their link goes to, partly masked (`m***@exemple.fr`).
    pub email: String,
    /// When their link was sent (their turn came); null while earlier signers have not signed.
    pub invited_at: Option<DateTime<Utc>>,
    pub reminded_at: Option<DateTime<Utc>>,
    pub signed_at: Option<DateTime<Utc>>,
}

/// A signature request of an issued document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignatureRequest {
    pub id: Uuid,
    pub document_id: Uuid,
    pub status: SignatureStatus,
    pub signers: Vec<Signer>,
    pub created_at: DateTime<Utc>,
    /// After this, an unfinished request expires.
    pub expires_at: DateTime<Utc>,
    /// Tripartite convention: the employee's answer is due by then (10 days from the draft's
    /// sending); silence counts as refusal.
    pub answer_by: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// SHA-256 of the signed PDF (the document with its evidence page), once completed.
    pub signed_sha256: Option<String>,
}

str_enum!(
    /// Where a signer stands, as their signing page shows it.
    SignerState {
        /// Earlier signers have not signed yet.
        Waiting = "waiting",
        /// They may sign now.
        YourTurn = "your_turn",
        Signed = "signed",
    }
);

/// `GET /api/v1/sign/{token}`: what the signer sees before signing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigningView {
    pub organisation: String,
    pub document_title: String,
    /// SHA-256 of the PDF to be signed (`GET /api/v1/sign/{token}/pdf`).
    pub document_sha256: String,
    pub signer_name: String,
    pub role: SignerRole,
    pub position: i32,
    pub signers: i32,
    pub state: SignerState,
    /// The exact wording the signer agrees to by signing (kept in the evidence).
    pub consent_text: String,
    /// Where the last code went, masked; null before any.
    pub code_sent_to: Option<String>,
    /// Whether a code can go by SMS (a mobile is known for this signer).
    pub sms_available: bool,
    pub expires_at: DateTime<Utc>,
    pub answer_by: Option<DateTime<Utc>>,
}

/// `POST /api/v1/sign/{token}/code`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRequest {
    pub channel: CodeChannel,
}

/// `POST /api/v1/sign/{token}`: the code received and the signer's agreement to the wording.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignDocument {
    /// The 6-digit one-time code.
    #[validate(length(min = 6, max = 6))]
    pub code: String,
    /// Must be true: the signer agrees to the consent wording shown.
    pub accept: bool,
}
