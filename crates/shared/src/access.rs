//! Who read a bilan's content and who may read it now, for the beneficiary (issue 10, item 2): the
//! access history a patient sees on their shared medical record (DMP), brought to the bilan.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Page;
use crate::bilans::PersonRef;
use crate::users::Role;

str_enum!(
    /// What part of the bilan's content a request returned.
    AccessKind {
        /// The notes (all of them for a consultant).
        Notes = "notes",
        /// The list of documents (names, types, sizes).
        Files = "files",
        /// One document, downloaded.
        FileDownload = "file_download",
        /// An assessment's answers, results or interpretation (`item_id`: the assessment).
        Assessment = "assessment",
        /// The skills analysis grid (experiences, skills).
        Skills = "skills",
        /// The projection tools (career paths, decision matrix, action plan).
        Projection = "projection",
        /// The bilan's conversation (its messages).
        Messages = "messages",
        /// The document de synthèse (its sections and comments).
        Synthesis = "synthesis",
    }
);

/// One read of the bilan's content.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessEntry {
    pub id: Uuid,
    /// Who read.
    pub reader: PersonRef,
    /// The reader's role when they read.
    pub reader_role: Role,
    /// What was read.
    pub what: AccessKind,
    /// The document, for a download.
    pub item_id: Option<Uuid>,
    pub at: DateTime<Utc>,
    /// When the beneficiary said they did not recognise this access (the admins were alerted).
    pub reported_at: Option<DateTime<Utc>>,
}

/// Someone who may read the bilan's content now.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessReader {
    pub person: PersonRef,
    /// `beneficiary` or `consultant`: nobody else reads a bilan's content.
    pub role: Role,
    /// Since when (the assignment, for a consultant; the bilan's opening, for the beneficiary).
    pub since: DateTime<Utc>,
}

/// `GET /api/v1/bilans/{id}/access` (the beneficiary only).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessHistory {
    /// Who may read the content now.
    pub readers: Vec<AccessReader>,
    /// The reads, newest first, one page of them.
    pub entries: Page<AccessEntry>,
}
