use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One entry of the append-only audit journal.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// `user`, `api_key` or `system`.
    pub actor_kind: String,
    /// The user or API key that acted.
    pub actor_id: Option<Uuid>,
    /// What was done, e.g. `user.invite`.
    pub action: String,
    /// The kind of record changed, e.g. `user`.
    pub entity_type: String,
    /// The record changed.
    pub entity_id: Option<String>,
    /// The caller's IP address.
    pub ip: Option<String>,
    /// Details of the change (never bilan content).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
    /// SHA-256 of the previous entry's hash and this entry, hex.
    pub hash: String,
}

/// Filters of `GET /api/v1/audit`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct AuditFilter {
    /// Only this action.
    pub action: Option<String>,
    /// Only this kind of record.
    pub entity_type: Option<String>,
    /// Only this record.
    pub entity_id: Option<String>,
    /// Only what this user or key did.
    pub actor_id: Option<Uuid>,
    /// From this time (UTC, inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Until this time (UTC, exclusive).
    pub to: Option<DateTime<Utc>>,
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditVerification {
    /// True when every entry's hash matches its content and its predecessor.
    pub valid: bool,
    /// How many entries were checked.
    pub checked: i64,
    /// The first entry that does not match, when the chain is broken.
    pub first_invalid_seq: Option<i64>,
}
