use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An RFC 9457 problem document (`application/problem+json`): every error the API answers.
///
/// `type` is `urn:boussole:problem:<slug>`, one slug per kind of problem: `bad-request` (unreadable
/// input), `validation` (field rules, see `errors`), `not-found`, `conflict`, `already-exists` (409 with
/// `existing_id`: an email or a CRM id already in use), `payload-too-large`,
/// `unsupported-media-type`, `business-rule` (see `missing`), `too-many-requests`, `unavailable`,
/// `internal`; for 401 `missing-token`, `invalid-token`, `token-expired`, `session-ended`,
/// `invalid-credentials`, `invalid-code`, `invalid-api-key`, `expired-api-key`, `refresh-reused`; for 403 `wrong-role`,
/// `api-key-not-allowed`, `missing-scope`, `totp-enrolment-required`, `account-disabled`,
/// `email-not-verified`, `bilan-content`, `not-your-consultant`, `not-a-party`, `not-your-calendar`,
/// `consultant-only`; for 422 besides `business-rule`, `bilan-not-running` (sessions only from the
/// preliminary phase to the conclusions), `minimum-hours` (the organisation makes the 13-hour
/// minimum blocking) and `import-invalid` (a CSV import with bad lines: `errors` is then the list of
/// [`crate::imports::ImportLineError`], nothing was created).
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
    /// For validation failures: field name → messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, Vec<String>>>,
    /// For business-rule failures (422): what is missing or wrong, one entry each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<String>>,
}
