use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An RFC 9457 problem document (`application/problem+json`): every error the API answers.
///
/// `type` is `urn:boussole:problem:<slug>`, one slug per kind of problem, so that a client can tell
/// them apart (and show its own words for them) without reading `detail`; the slugs are listed on
/// `type`. `validation` (400) comes with `errors` and `rules`; `already-exists` (409) with `existing_id` (an email
/// or a CRM id already in use); `import-invalid` (422, a CSV import with bad lines) with `errors` as the
/// list of [`crate::imports::ImportLineError`] (nothing was created); other 422 problems may come with
/// `missing`. `conflict` (409) and `business-rule` (422) are left only for the database's own guards
/// (a unique key, a reference or a check the handler did not test first).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:boussole:problem:<slug>`, e.g.
    /// `urn:boussole:problem:validation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem, the same for every occurrence.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, for a person to read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For validation failures: field name → messages for a person to read: in French, which may name
    /// a limit or a date, or, when the request's `Accept-Language` prefers English, the English of
    /// each message's rule (`rules`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, Vec<String>>>,
    /// For validation failures: field name → the rule each of its messages in `errors` breaks, in the
    /// same order, as codes (`FieldRule`) a client can say in its own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    // The SPA reads `errors`, which the API writes in the language it asks for (`Accept-Language`):
    // its wasm, whose size has a budget, does not read the codes.
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<BTreeMap<String, Vec<crate::field_rules::FieldRule>>>)
    )]
    pub rules: Option<BTreeMap<String, Vec<String>>>,
    /// For some 422 problems: what is missing or wrong, one entry each: a field's path, or for
    /// `bilan-conditions-missing`, `minimum-hours` and `maximum-hours` a workflow condition's code
    /// (`Condition`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<String>>,
}

/// The name of a kind of problem, the last part of its `type` (`urn:boussole:problem:<slug>`). The API
/// can only send one of the constants below ([`Slug::ALL`]): the SPA keeps its own message for each,
/// and the OpenAPI document lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slug(&'static str);

impl Slug {
    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// The problem `type` naming this slug.
    pub fn uri(self) -> String {
        format!("urn:boussole:problem:{}", self.0)
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

macro_rules! slugs {
    ($($(#[$doc:meta])* $name:ident = $text:literal,)*) => {
        impl Slug {
            $($(#[$doc])* pub const $name: Slug = Slug($text);)*
            /// Every slug the API sends.
            pub const ALL: &'static [Slug] = &[$(Slug::$name),*];
        }
    };
}

slugs! {
    // 400, 404, 413, 415, 429, 500, 503: the shapes of a request and the server's state.
    BAD_REQUEST = "bad-request",
    VALIDATION = "validation",
    NOT_FOUND = "not-found",
    PAYLOAD_TOO_LARGE = "payload-too-large",
    UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type",
    TOO_MANY_REQUESTS = "too-many-requests",
    INTERNAL = "internal",
    UNAVAILABLE = "unavailable",
    // 401: no usable credential.
    MISSING_TOKEN = "missing-token",
    INVALID_TOKEN = "invalid-token",
    TOKEN_EXPIRED = "token-expired",
    SESSION_ENDED = "session-ended",
    INVALID_CREDENTIALS = "invalid-credentials",
    INVALID_CODE = "invalid-code",
    INVALID_API_KEY = "invalid-api-key",
    EXPIRED_API_KEY = "expired-api-key",
    REFRESH_REUSED = "refresh-reused",
    // 403: a known caller who may not do this.
    WRONG_ROLE = "wrong-role",
    API_KEY_NOT_ALLOWED = "api-key-not-allowed",
    MISSING_SCOPE = "missing-scope",
    TOTP_ENROLMENT_REQUIRED = "totp-enrolment-required",
    ACCOUNT_DISABLED = "account-disabled",
    EMAIL_NOT_VERIFIED = "email-not-verified",
    BILAN_CONTENT = "bilan-content",
    NOT_YOUR_CONSULTANT = "not-your-consultant",
    NOT_A_PARTY = "not-a-party",
    NOT_YOUR_CALENDAR = "not-your-calendar",
    CONSULTANT_ONLY = "consultant-only",
    METRICS_LOCAL_ONLY = "metrics-local-only",
    AMOUNTS_HIDDEN = "amounts-hidden",
    NOT_A_BENEFICIARY = "not-a-beneficiary",
    NOT_YOUR_BENEFICIARY = "not-your-beneficiary",
    NOT_RESOURCE_CREATOR = "not-resource-creator",
    NOT_A_COLLEAGUE = "not-a-colleague",
    NOT_AUTHOR = "not-author",
    // 405: an issued money document never changes.
    INVOICE_IMMUTABLE = "invoice-immutable",
    QUOTE_IMMUTABLE = "quote-immutable",
    // 409: the request conflicts with the record's current state.
    /// The database refused a duplicate that no handler checked first.
    CONFLICT = "conflict",
    ALREADY_EXISTS = "already-exists",
    EMAIL_TAKEN = "email-taken",
    IDEMPOTENCY_KEY_IN_USE = "idempotency-key-in-use",
    TOTP_ALREADY_ENABLED = "totp-already-enabled",
    TOTP_NOT_ENABLED = "totp-not-enabled",
    SLOT_TAKEN = "slot-taken",
    BENEFICIARY_BUSY = "beneficiary-busy",
    APPOINTMENT_NOT_UPCOMING = "appointment-not-upcoming",
    ATTENDANCE_NOT_EXPECTED = "attendance-not-expected",
    ATTENDANCE_ALREADY_SIGNED = "attendance-already-signed",
    BILAN_TRANSITION_NOT_ALLOWED = "bilan-transition-not-allowed",
    CPF_FILE_TAKEN = "cpf-file-taken",
    CPF_FILE_CHANGED = "cpf-file-changed",
    QUOTE_ALREADY_ANSWERED = "quote-already-answered",
    QUOTE_ALREADY_INVOICED = "quote-already-invoiced",
    ASSESSMENT_ALREADY_ASSIGNED = "assessment-already-assigned",
    ASSESSMENT_SUBMITTED = "assessment-submitted",
    ASSESSMENT_NOT_SUBMITTED = "assessment-not-submitted",
    INSTRUMENT_ID_RESERVED = "instrument-id-reserved",
    EXPERIENCE_HAS_SKILLS = "experience-has-skills",
    SYNTHESIS_CHANGED = "synthesis-changed",
    SYNTHESIS_ISSUED = "synthesis-issued",
    SYNTHESIS_NOT_SUBMITTED = "synthesis-not-submitted",
    SYNTHESIS_ALREADY_APPROVED = "synthesis-already-approved",
    SYNTHESIS_NOT_APPROVED = "synthesis-not-approved",
    SIGNATURE_ALREADY_REQUESTED = "signature-already-requested",
    TEMPLATE_CHANGED = "template-changed",
    RESOURCE_ARCHIVED = "resource-archived",
    WEBHOOK_DISABLED = "webhook-disabled",
    OUTBOX_NOT_FAILED = "outbox-not-failed",
    // 410: a personal link that no longer works.
    SHARE_CODE_EXPIRED = "share-code-expired",
    SHARE_CODE_INVALID = "share-code-invalid",
    SHARE_LINK_LOCKED = "share-link-locked",
    SHARE_LINK_USED = "share-link-used",
    SHARE_LINK_CANCELLED = "share-link-cancelled",
    SHARE_LINK_EXPIRED = "share-link-expired",
    SIGNATURE_CODE_EXPIRED = "signature-code-expired",
    SIGNATURE_CODE_INVALID = "signature-code-invalid",
    SIGNATURE_LINK_USED = "signature-link-used",
    SIGNATURE_REQUEST_CLOSED = "signature-request-closed",
    MESSAGE_WITHDRAWN = "message-withdrawn",
    // 422: a well-formed request that breaks a business rule.
    /// The database refused a reference or a value that no handler checked first.
    BUSINESS_RULE = "business-rule",
    IMPORT_INVALID = "import-invalid",
    IMPORT_TOO_MANY_LINES = "import-too-many-lines",
    IDEMPOTENCY_KEY_REUSED = "idempotency-key-reused",
    TOTP_REQUIRED = "totp-required",
    CANNOT_DISABLE_SELF = "cannot-disable-self",
    QUALIFICATIONS_FOR_CONSULTANTS = "qualifications-for-consultants",
    SMS_NEEDS_MOBILE = "sms-needs-mobile",
    BILAN_NOT_RUNNING = "bilan-not-running",
    BILAN_CONTENT_DESTROYED = "bilan-content-destroyed",
    BILAN_CONDITIONS_MISSING = "bilan-conditions-missing",
    MINIMUM_HOURS = "minimum-hours",
    MAXIMUM_HOURS = "maximum-hours",
    APPOINTMENT_KIND_MISMATCH = "appointment-kind-mismatch",
    APPOINTMENT_KIND_NOT_OFFERED = "appointment-kind-not-offered",
    SLOT_NOT_OFFERED = "slot-not-offered",
    SLOT_IN_PAST = "slot-in-past",
    APPOINTMENT_CHANGE_TOO_LATE = "appointment-change-too-late",
    ATTENDANCE_WINDOW_CLOSED = "attendance-window-closed",
    ABSENCE_TOO_EARLY = "absence-too-early",
    VIDEO_ROOM_CLOSED = "video-room-closed",
    ANSWERS_MISSING = "answers-missing",
    INVALID_ANSWER = "invalid-answer",
    UNKNOWN_ROME_CODE = "unknown-rome-code",
    NOT_CPF_FUNDED = "not-cpf-funded",
    CPF_TRANSITION_NOT_ALLOWED = "cpf-transition-not-allowed",
    ATTACHMENT_OUTSIDE_BILAN = "attachment-outside-bilan",
    NOT_A_FILE = "not-a-file",
    EDIT_WINDOW_CLOSED = "edit-window-closed",
    DOCUMENT_DATA_MISSING = "document-data-missing",
    DOCUMENT_NOT_SIGNABLE = "document-not-signable",
    DOCUMENT_SUPERSEDED = "document-superseded",
    SIGNATURE_NOT_YOUR_TURN = "signature-not-your-turn",
    REGLEMENT_INTERIEUR_NOT_ISSUED = "reglement-interieur-not-issued",
    TEMPLATE_INVALID = "template-invalid",
    RETENTION_OUT_OF_BOUNDS = "retention-out-of-bounds",
    SYNTHESIS_INCOMPLETE = "synthesis-incomplete",
    SYNTHESIS_NOT_ISSUED = "synthesis-not-issued",
    SHARE_CONSENT_MISSING = "share-consent-missing",
    SHARE_CONSENT_REVOKED = "share-consent-revoked",
    SHARE_CONSENT_SCOPE = "share-consent-scope",
    SENDING_CLOSED = "sending-closed",
    SIRET_MISSING = "siret-missing",
    FUNDING_INVOICED = "funding-invoiced",
    FUNDING_NOT_AGREED = "funding-not-agreed",
    FUNDING_EXCEEDED = "funding-exceeded",
    ADVANCE_OVER_30_PERCENT = "advance-over-30-percent",
    WITHDRAWAL_PERIOD = "withdrawal-period",
    PAYER_NOT_BENEFICIARY = "payer-not-beneficiary",
    VAT_MENTION_UNKNOWN = "vat-mention-unknown",
    NOT_AN_INVOICE = "not-an-invoice",
    INVOICE_CREDITED = "invoice-credited",
    CREDIT_NOTE_EXCEEDS_INVOICE = "credit-note-exceeds-invoice",
    PAYMENT_EXCEEDS_BALANCE = "payment-exceeds-balance",
    PAYMENT_IN_FUTURE = "payment-in-future",
    QUOTE_EXPIRED = "quote-expired",
    QUOTE_NOT_ACCEPTED = "quote-not-accepted",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for slug in Slug::ALL {
            let s = slug.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                !s.is_empty()
                    && !s.starts_with('-')
                    && !s.ends_with('-')
                    && !s.contains("--")
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{s} is not kebab-case"
            );
        }
        assert_eq!(Slug::SLOT_TAKEN.uri(), "urn:boussole:problem:slot-taken");
    }
}
