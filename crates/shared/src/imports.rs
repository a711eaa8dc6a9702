//! CSV imports from a CRM or a spreadsheet: a dry run lists every bad line, then an all-or-nothing
//! import (`POST /api/v1/imports/{kind}?dry_run=`).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

str_enum!(
    /// What a file imports.
    ImportKind {
        /// Beneficiaries (each invited to choose a password, as `POST /api/v1/beneficiaries` does).
        Beneficiaries = "beneficiaries",
        /// Companies, as payers.
        Companies = "companies",
    }
);

/// `?dry_run=`: true checks the file and creates nothing (the default); false imports it, all or nothing.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ImportQuery {
    /// Check only (default true).
    #[serde(default)]
    pub dry_run: Option<bool>,
}

/// One bad line of a file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportLineError {
    /// The line's number in the file: 1 is the header row, the first data line is 2.
    pub line: u32,
    /// The column at fault, by its header name, when one is.
    pub column: Option<String>,
    /// Why: in French, or in English when the request asks for it (`Accept-Language: en`) and the line
    /// breaks one of a field's rules.
    pub reason: String,
    /// The rule the line breaks, when it is one of a field's (`FieldRule`): what a client says in its
    /// own words instead of `reason`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::field_rules::FieldRule>))]
    // The SPA reads `reason`, in the language it asks for (see `Problem::rules`).
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    pub rule: Option<String>,
}

/// What an import found (dry run) or did.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// True when nothing was created.
    pub dry_run: bool,
    /// Data lines read (the header row not counted).
    pub lines: u32,
    /// Data lines without error.
    pub valid: u32,
    /// Every bad line, in file order (a line may appear once per fault).
    pub errors: Vec<ImportLineError>,
    /// The ids created, in file order (empty on a dry run).
    pub created: Vec<Uuid>,
}
