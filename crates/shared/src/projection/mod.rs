//! The skills analysis grid and the projection tools (issue 11, items 6–7): experiences and the skills
//! identified from them, career paths ("pistes") linked to ROME occupations, a weighted decision
//! matrix and the action plan of the chosen project. All of it is bilan content (encrypted at rest,
//! for the beneficiary and the assigned consultants only); the beneficiary and the consultants both
//! write it, and each record says who wrote it first and last.

mod paths;
mod rules;
mod wire;

pub use paths::*;
pub use rules::*;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

use crate::bilans::PersonRef;

/// Attribution required by the Licence Ouverte 2.0 of the ROME occupations list.
pub const ROME_ATTRIBUTION: &str = "Source : France Travail, ROME 4.0";

str_enum!(
    /// The kind of a skill.
    SkillCategory {
        /// Savoir-faire: what one knows how to do.
        KnowHow = "know_how",
        /// Savoir-être: a behavioural (soft) skill.
        SoftSkill = "soft_skill",
        /// Savoir: knowledge.
        Knowledge = "knowledge",
    }
);

/// Who wrote a record of the grid, and when.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Authorship {
    /// Who wrote it first.
    pub recorded_by: PersonRef,
    /// Who changed it last.
    pub updated_by: PersonRef,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An achievement told in the situation–action–result form.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Achievement {
    /// The situation (context, problem).
    #[validate(length(max = 2000))]
    pub situation: String,
    /// What the person did.
    #[validate(length(max = 2000))]
    pub action: String,
    /// What came of it.
    #[validate(length(max = 2000))]
    pub result: String,
}

/// `POST`/`PUT /api/v1/bilans/{id}/experiences`: one experience (a job, a mission, volunteering…).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewExperience {
    /// Job title.
    #[validate(length(min = 1, max = 200))]
    pub job_title: String,
    /// Employer, when it matters.
    #[validate(length(max = 200))]
    pub employer: Option<String>,
    /// First day (the first of the month when only the month is known).
    pub started_on: NaiveDate,
    /// Last day; none while it goes on. Not before `started_on`.
    pub ended_on: Option<NaiveDate>,
    /// The tasks, in the person's words.
    #[validate(length(max = 5000))]
    #[serde(default)]
    pub tasks: String,
    /// Achievements (situation–action–result), 20 at most.
    #[validate(length(max = 20), nested)]
    #[serde(default)]
    pub achievements: Vec<Achievement>,
}

impl NewExperience {
    /// The period's rule, beside the field rules: `ended_on` not before `started_on`.
    pub fn period_error(
        &self,
    ) -> Option<(&'static str, crate::field_rules::FieldRule, &'static str)> {
        match self.ended_on {
            Some(end) if end < self.started_on => Some((
                "ended_on",
                crate::field_rules::FieldRule::Order,
                "la fin ne peut précéder le début",
            )),
            _ => None,
        }
    }
}

/// An experience of the grid.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// Read flat, without flatten's second copy of each reader in the wasm: see `wire`.
#[serde(from = "wire::ExperienceWire")]
pub struct Experience {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: NewExperience,
    #[serde(flatten)]
    pub authorship: Authorship,
}

/// `POST`/`PUT /api/v1/bilans/{id}/skills`: a skill identified from the experiences.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSkill {
    /// The skill, named as the person would put it on a CV.
    #[validate(length(min = 1, max = 120))]
    pub name: String,
    pub category: SkillCategory,
    /// Level from 1 (beginner) to 4 (expert).
    #[validate(range(min = 1, max = 4))]
    pub level: u8,
    /// What shows it (a fact, an achievement).
    #[validate(length(max = 2000))]
    #[serde(default)]
    pub evidence: String,
    /// The experience it comes from (one of this bilan's).
    pub experience_id: Option<Uuid>,
    /// Whether it carries over to other jobs.
    #[serde(default)]
    pub transferable: bool,
}

/// A skill of the grid.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// Read flat, without flatten's second copy of each reader in the wasm: see `wire`.
#[serde(from = "wire::SkillWire")]
pub struct Skill {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: NewSkill,
    #[serde(flatten)]
    pub authorship: Authorship,
}

/// A ROME 4.0 occupation (France Travail, Licence Ouverte 2.0).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RomeOccupation {
    /// ROME code, e.g. `M1805`.
    pub code: String,
    /// French title.
    pub title: String,
}

/// `GET /api/v1/rome`: `q` is matched against titles (accents and case ignored, every word) and codes.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct RomeQuery {
    /// Words of the title, or the start of a code.
    pub q: Option<String>,
    /// Page, from 1.
    pub page: Option<i64>,
    /// Per page, 1 to 100 (20 by default).
    pub per_page: Option<i64>,
}
