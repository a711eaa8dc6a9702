//! Document templates (issue 12, item 2): the paragraphs of each kind of document an organisation
//! words itself, versioned, with merge fields (`{{beneficiary.full_name}}`). The legally required
//! mentions are not here: they stay fixed in the API's code and are always printed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::documents::DocumentKind;

/// A value a template may quote as `{{name}}`, replaced when the document is issued.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeField {
    /// E.g. `beneficiary.full_name`.
    pub name: String,
    /// What it is replaced with, in French.
    pub description: String,
}

/// One editable paragraph of a document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateSection {
    /// Stable key (e.g. `introduction`).
    pub key: String,
    /// Where it is printed, in French.
    pub label: String,
    /// The wording, with merge fields.
    pub text: String,
}

/// The template of a kind of document, at one version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentTemplate {
    pub kind: DocumentKind,
    /// 0 = the built-in default; every save makes the next version.
    pub version: i64,
    pub sections: Vec<TemplateSection>,
    /// The merge fields its sections may use.
    pub merge_fields: Vec<MergeField>,
    /// Who saved this version (none for the built-in default).
    pub updated_by: Option<Uuid>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The new wording of one section.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateSectionText {
    pub key: String,
    pub text: String,
}

/// `PUT /api/v1/templates/{kind}`: sections left out keep their current wording.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateUpdate {
    /// The version edited: 409 if it is no longer the current one.
    pub version: i64,
    pub sections: Vec<TemplateSectionText>,
}
