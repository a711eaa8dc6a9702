//! The document de synthèse (issue 12, item 2; L6313-4, R6313-4 3°): written by the assigned
//! consultant in a structured editor, prefilled from the bilan's assessment results and projection,
//! commented on and approved by the beneficiary, then issued as a PDF to the beneficiary only.
//!
//! It is bilan content: the beneficiary and the assigned consultants read it, admins never (403).
//! Every save names the revision it edits; a stale one answers 409 (two consultants, or two tabs).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

use crate::users::Role;

str_enum!(
    /// Where the synthèse stands.
    SynthesisStatus {
        /// The consultant writes; the beneficiary sees the last submitted text, if any.
        Draft = "draft",
        /// Submitted to the beneficiary, who comments or approves this revision.
        Submitted = "submitted",
        /// The beneficiary approved this revision: the consultant may issue it.
        Approved = "approved",
        /// Issued as a PDF (kind `synthese`) and delivered to the beneficiary: no more edits.
        Issued = "issued",
    }
);

/// The largest text of one section, in characters.
pub const MAX_SECTION_CHARS: u64 = 20_000;

/// One step of the action plan.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ActionStep {
    /// What to do (e.g. "S'inscrire à la formation de technicien SIG").
    #[validate(length(min = 1, max = 500))]
    pub step: String,
    /// When, as printed (e.g. "d'ici 3 mois").
    #[validate(length(max = 100))]
    pub horizon: String,
}

/// The sections of the synthèse, as R6313-4 3° and L6313-4 describe its content. Every text
/// section is at most 20,000 characters; the action plan has 30 steps at most.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SynthesisSections {
    /// Circumstances of the bilan (why, when, how it was carried out).
    #[validate(length(max = 20000))]
    pub circumstances: String,
    /// Skills and aptitudes identified.
    #[validate(length(max = 20000))]
    pub skills: String,
    /// Results of the investigation (assessments, surveys, interviews with professionals).
    #[validate(length(max = 20000))]
    pub investigation_results: String,
    /// The professional project.
    #[validate(length(max = 20000))]
    pub project: String,
    /// The alternatives considered.
    #[validate(length(max = 20000))]
    pub alternatives: String,
    /// Factors likely to favour the project.
    #[validate(length(max = 20000))]
    pub factors_for: String,
    /// Factors against it, or to watch.
    #[validate(length(max = 20000))]
    pub factors_against: String,
    /// The main steps of carrying the project out.
    #[validate(length(max = 30), nested)]
    pub action_plan: Vec<ActionStep>,
    /// The follow-up interview offered (when, how).
    #[validate(length(max = 20000))]
    pub follow_up: String,
}

/// The keys of the sections, in their printed order (comments name one of them).
pub const SECTION_KEYS: &[&str] = &[
    "circumstances",
    "skills",
    "investigation_results",
    "project",
    "alternatives",
    "factors_for",
    "factors_against",
    "action_plan",
    "follow_up",
];

impl SynthesisSections {
    /// The printed title of a section key.
    pub fn title(key: &str) -> Option<&'static str> {
        Some(match key {
            "circumstances" => "Circonstances du bilan",
            "skills" => "Compétences et aptitudes identifiées",
            "investigation_results" => "Résultats de la phase d'investigation",
            "project" => "Projet professionnel",
            "alternatives" => "Alternatives envisagées",
            "factors_for" => "Facteurs favorables à la réalisation du projet",
            "factors_against" => "Facteurs défavorables ou points de vigilance",
            "action_plan" => "Principales étapes du plan d'action",
            "follow_up" => "Entretien de suivi",
            _ => return None,
        })
    }

    /// The text of a section key (not the action plan, which is a list).
    pub fn text(&self, key: &str) -> Option<&str> {
        Some(match key {
            "circumstances" => &self.circumstances,
            "skills" => &self.skills,
            "investigation_results" => &self.investigation_results,
            "project" => &self.project,
            "alternatives" => &self.alternatives,
            "factors_for" => &self.factors_for,
            "factors_against" => &self.factors_against,
            "follow_up" => &self.follow_up,
            _ => return None,
        })
    }

    /// The keys of the sections left empty (blank text, or an action plan without a step): a
    /// synthèse is submitted only with every section written.
    pub fn empty(&self) -> Vec<String> {
        SECTION_KEYS
            .iter()
            .filter(|k| match **k {
                "action_plan" => self.action_plan.iter().all(|s| s.step.trim().is_empty()),
                k => self.text(k).is_none_or(|t| t.trim().is_empty()),
            })
            .map(|k| k.to_string())
            .collect()
    }
}

/// A comment on the synthèse, by the beneficiary or a consultant, on a section or on the whole.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SynthesisComment {
    pub id: Uuid,
    pub author_id: Uuid,
    /// First and last name.
    pub author_name: String,
    /// `beneficiary` or `consultant`.
    pub author_role: Role,
    /// The section key commented on (one of `SECTION_KEYS`); null for the whole document.
    pub section: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/v1/bilans/{id}/synthesis`: the synthèse with its comments, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Synthesis {
    pub bilan_id: Uuid,
    pub status: SynthesisStatus,
    /// 0 before the first save (the sections are then a prefill from the bilan's results and
    /// projection); each save adds 1. A save or an approval names the revision it is about.
    pub revision: i64,
    pub sections: SynthesisSections,
    pub updated_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
    /// The issued PDF (`GET /api/v1/documents/{id}/pdf`), once issued.
    pub issued_document_id: Option<Uuid>,
    pub comments: Vec<SynthesisComment>,
}

/// `PUT /api/v1/bilans/{id}/synthesis`: the sections as the consultant saves them, over `revision`
/// (the one they edited: 409 if another save came first).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SynthesisDraft {
    #[validate(range(min = 0))]
    pub revision: i64,
    #[validate(nested)]
    pub sections: SynthesisSections,
}

/// `POST /api/v1/bilans/{id}/synthesis/comments`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSynthesisComment {
    /// The section key (one of `SECTION_KEYS`), or null for the whole document.
    #[validate(length(max = 40))]
    pub section: Option<String>,
    /// 1 to 4,000 characters.
    #[validate(length(min = 1, max = 4000))]
    pub body: String,
}

/// `POST /api/v1/bilans/{id}/synthesis/approve`: the revision the beneficiary read and approves.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SynthesisApproval {
    pub revision: i64,
}

str_enum!(
    /// Where a sending of the synthèse stands.
    SendingStatus {
        /// The link works until `expires_at`.
        Pending = "pending",
        /// The recipient downloaded it: the link is spent.
        Downloaded = "downloaded",
        /// Cancelled by the consultant.
        Cancelled = "cancelled",
        /// The beneficiary withdrew the agreement it rested on before the download.
        Revoked = "revoked",
        /// Too many wrong codes: the link is locked.
        Locked = "locked",
        /// Not downloaded before `expires_at`.
        Expired = "expired",
    }
);

/// `POST /api/v1/bilans/{id}/synthesis/sendings` (an assigned consultant): sends the issued synthèse
/// to the recipient of a `share` agreement of the beneficiary, whose name comes from the agreement.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSynthesisSending {
    /// The beneficiary's `share` agreement, in force, whose scope names the synthèse.
    pub consent_id: Uuid,
    /// Where the recipient receives the link and their code.
    #[validate(email, length(max = 254))]
    pub email: String,
    /// A French mobile, to receive the code by SMS.
    #[validate(length(max = 30))]
    pub phone: Option<String>,
    /// The recipient is the beneficiary's CEP operator (conseil en évolution professionnelle): the
    /// synthèse they download is kept 3 years after the end (R6313-7).
    #[serde(default)]
    pub cep: bool,
}

/// A sending of the synthèse, as the consultants and the beneficiary see it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SynthesisSending {
    pub id: Uuid,
    pub document_id: Uuid,
    pub consent_id: Uuid,
    /// As the agreement names them.
    pub recipient: String,
    pub email: String,
    pub phone: Option<String>,
    pub cep: bool,
    pub status: SendingStatus,
    pub sent_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub downloaded_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// `GET /api/v1/shared/{token}`: what the recipient's page shows, never the content.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedView {
    /// The organisation that sends it.
    pub organisation: String,
    /// The beneficiary's first name, so that the recipient knows whose it is.
    pub beneficiary: String,
    /// The recipient, as the agreement names them.
    pub recipient: String,
    pub document_title: String,
    /// Where the last code went, masked; null before any.
    pub code_sent_to: Option<String>,
    pub sms_available: bool,
    pub expires_at: DateTime<Utc>,
}

/// `POST /api/v1/shared/{token}/download`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedDownload {
    /// The 6-digit one-time code.
    #[validate(length(min = 6, max = 6))]
    pub code: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_title_and_empty_lists_them_in_order() {
        for key in SECTION_KEYS {
            assert!(SynthesisSections::title(key).is_some(), "{key}");
        }
        assert_eq!(
            SynthesisSections::default().empty().len(),
            SECTION_KEYS.len()
        );
        let s = SynthesisSections {
            skills: "Gestion de projet".into(),
            action_plan: vec![ActionStep {
                step: "Formation".into(),
                horizon: String::new(),
            }],
            ..Default::default()
        };
        let empty = s.empty();
        assert!(!empty.contains(&"skills".to_string()));
        assert!(!empty.contains(&"action_plan".to_string()));
        assert_eq!(empty[0], "circumstances");
    }
}
