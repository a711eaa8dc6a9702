//! Retention and destruction (issue 12, item 4; DOMAIN.md §1.5 and §5.3): each class of document
//! has its retention rule, kept as data an admin edits within legal bounds; the destruction job
//! deletes what has outlived its rule, and every run that destroyed something leaves a destruction
//! record (what, when, under which rule — never the content) the admin downloads as a PDF.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

str_enum!(
    /// A class of documents sharing one retention rule.
    RetentionClass {
        /// The bilan's content (answers, scores, notes, files, messages, the provider's copy of the
        /// synthèse): destroyed at the end of the action (R6313-7), a rule no one may lengthen.
        BilanContent = "bilan_content",
        /// Administrative proofs (conventions, contracts, attendance sheets, certificats de
        /// réalisation, pre-contract information, consent documents…): kept for controls after the
        /// end of the action, then deleted.
        AdministrativeDocuments = "administrative_documents",
        /// The synthèse sent to the CEP operator at the beneficiary's request (R6313-7): kept apart
        /// from the destruction at the end of the action, 3 years at most.
        SynthesisCep = "synthesis_cep",
        /// Documents kept for follow-up under the beneficiary's written agreement (R6313-7): the
        /// agreement's own period applies, within this rule's maximum.
        FollowUpDocuments = "follow_up_documents",
    }
);

str_enum!(
    /// What a retention agreement (the `retention` consent) may name as kept for follow-up; what it
    /// does not name is destroyed at the end of the action (R6313-7).
    KeptDocument {
        /// The provider's copy of the document de synthèse.
        Synthese = "synthese",
        /// The detailed results: assessments' answers and interpretations, the skills grid and
        /// projection records.
        Results = "results",
        /// The files uploaded to the bilan.
        Files = "files",
        /// The consultant's notes.
        Notes = "notes",
        /// The conversation's messages.
        Messages = "messages",
    }
);

/// The words naming the kept documents in a retention agreement, in French.
pub fn kept_label(kept: KeptDocument) -> &'static str {
    match kept {
        KeptDocument::Synthese => "le document de synthèse",
        KeptDocument::Results => "les résultats détaillés (tests, grille de compétences, pistes)",
        KeptDocument::Files => "les fichiers déposés",
        KeptDocument::Notes => "les notes du consultant",
        KeptDocument::Messages => "les messages échangés",
    }
}

/// A class's retention rule (`GET /api/v1/retention-rules`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionRule {
    pub class: RetentionClass,
    /// How long after the end of the action the documents are kept.
    pub months_after_end: i64,
    /// The lowest value an admin may set.
    pub min_months: i64,
    /// The highest value an admin may set.
    pub max_months: i64,
    /// The class in plain French (e.g. "Documents administratifs").
    pub label: String,
    /// The legal basis of the rule (e.g. "R6313-7 ; contrôles L6362-6").
    pub basis: String,
    /// When an admin last changed it; null for the default.
    pub updated_at: Option<DateTime<Utc>>,
}

/// `PUT /api/v1/retention-rules/{class}`: 422 outside the rule's `[min_months, max_months]`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionRuleUpdate {
    #[validate(range(min = 0, max = 1200))]
    pub months_after_end: i64,
}

/// A run of the destruction job that destroyed something, or an admin's "run now".
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DestructionRun {
    pub id: Uuid,
    pub ran_at: DateTime<Utc>,
    /// `job` (the periodic job) or `admin` (run now).
    pub trigger: String,
    /// How many items it destroyed.
    pub items: i64,
}

/// One thing a run destroyed, described without its content.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DestructionItem {
    /// What was destroyed, e.g. "Convention tripartite v1 du bilan B-2026-0007".
    pub what: String,
    pub class: RetentionClass,
    /// The rule applied, with its duration and basis.
    pub rule: String,
    pub bilan_reference: Option<String>,
    pub destroyed_at: DateTime<Utc>,
}

/// `GET /api/v1/destruction-runs/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DestructionRunDetail {
    pub run: DestructionRun,
    pub items: Vec<DestructionItem>,
}
