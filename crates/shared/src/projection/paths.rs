//! Career paths, the decision matrix and the action plan.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

use super::{Authorship, RomeOccupation};
use crate::bilans::PersonRef;

str_enum!(
    /// Where a career path stands.
    PathStatus {
        /// Still being explored.
        Exploring = "exploring",
        /// Kept for the project.
        Kept = "kept",
        /// Set aside (left out of the decision matrix).
        Dropped = "dropped",
    }
);

str_enum!(
    /// How a required skill compares with the skills identified.
    GapStatus {
        /// Identified at the required level (or no level required).
        Met = "met",
        /// Identified, below the required level.
        BelowLevel = "below_level",
        /// Not identified: to acquire.
        Missing = "missing",
    }
);

/// A skill a path needs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequiredSkill {
    #[validate(length(min = 1, max = 120))]
    pub name: String,
    /// Level needed, 1 to 4; none: having it is enough.
    #[validate(range(min = 1, max = 4))]
    pub level: Option<u8>,
}

/// The constraints of a path, in words.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PathConstraints {
    /// Pay (expected, acceptable).
    #[validate(length(max = 2000))]
    #[serde(default)]
    pub pay: String,
    /// Mobility (travel, moving).
    #[validate(length(max = 2000))]
    #[serde(default)]
    pub mobility: String,
    /// Training needed.
    #[validate(length(max = 2000))]
    #[serde(default)]
    pub training: String,
    /// The job market.
    #[validate(length(max = 2000))]
    #[serde(default)]
    pub market: String,
}

/// A field research interview ("enquête métier") with someone in the trade.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldInterview {
    /// Who was met.
    #[validate(length(min = 1, max = 200))]
    pub who: String,
    /// Their role or job.
    #[validate(length(max = 200))]
    #[serde(default)]
    pub role: String,
    /// When.
    pub held_on: NaiveDate,
    /// What was learnt.
    #[validate(length(max = 5000))]
    #[serde(default)]
    pub learnt: String,
}

/// `POST`/`PUT /api/v1/bilans/{id}/career-paths`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCareerPath {
    #[validate(length(min = 1, max = 200))]
    pub title: String,
    /// ROME codes of the occupations (5 at most); an unknown code is refused (422).
    #[validate(length(max = 5))]
    #[serde(default)]
    pub rome_codes: Vec<String>,
    /// Why this path.
    #[validate(length(max = 5000))]
    #[serde(default)]
    pub motivations: String,
    /// Skills it needs (40 at most), compared with the skills identified.
    #[validate(length(max = 40), nested)]
    #[serde(default)]
    pub required_skills: Vec<RequiredSkill>,
    #[validate(nested)]
    #[serde(default)]
    pub constraints: PathConstraints,
    /// Field research interviews (20 at most).
    #[validate(length(max = 20), nested)]
    #[serde(default)]
    pub interviews: Vec<FieldInterview>,
    pub status: PathStatus,
}

/// One required skill against the grid.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkillGap {
    /// The required skill, as the path names it.
    pub name: String,
    pub required_level: Option<u8>,
    pub status: GapStatus,
    /// The identified skill that matched (same name once accents, case and punctuation are ignored).
    pub skill_id: Option<Uuid>,
    /// Its level.
    pub level: Option<u8>,
}

/// A career path, with its occupations and its gap list.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// Read flat, without flatten's second copy of each reader in the wasm: see `wire`.
#[serde(from = "super::wire::CareerPathWire")]
pub struct CareerPath {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: NewCareerPath,
    /// The occupations of `rome_codes`, with their titles.
    pub occupations: Vec<RomeOccupation>,
    /// Each required skill against the skills identified now.
    pub gaps: Vec<SkillGap>,
    #[serde(flatten)]
    pub authorship: Authorship,
}

/// A criterion of the decision matrix.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Criterion {
    /// Stable key (lowercase letters, digits, `_`), unique in the matrix.
    #[validate(length(min = 1, max = 40))]
    pub key: String,
    #[validate(length(min = 1, max = 120))]
    pub label: String,
    /// Weight, 1 to 10.
    #[validate(range(min = 1, max = 10))]
    pub weight: u8,
}

/// How favourable a path is on a criterion: 1 (not at all) to 5 (very). For "training effort" and
/// "constraints" too, 5 is the best case (little training, few constraints).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    pub path_id: Uuid,
    pub criterion: String,
    #[validate(range(min = 1, max = 5))]
    pub score: u8,
}

/// `PUT /api/v1/bilans/{id}/decision-matrix`: the criteria and every score, replaced at once.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionMatrixInput {
    /// 1 to 12 criteria.
    #[validate(length(min = 1, max = 12), nested)]
    pub criteria: Vec<Criterion>,
    #[validate(length(max = 600), nested)]
    #[serde(default)]
    pub scores: Vec<Score>,
}

/// A path's line of the matrix.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankedPath {
    pub path_id: Uuid,
    pub title: String,
    /// Σ weight × score over the criteria (a missing score counts 0).
    pub total: u32,
    /// The best total possible: Σ weight × 5.
    pub max_total: u32,
    /// 1 for the best; equal totals share a rank (1, 1, 3).
    pub rank: u32,
    /// Whether every criterion is scored.
    pub complete: bool,
}

/// `GET /api/v1/bilans/{id}/decision-matrix`: the paths that are not dropped, ranked by weighted total.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionMatrix {
    /// The criteria (the defaults until someone saves the matrix).
    pub criteria: Vec<Criterion>,
    /// The scores of the paths that still exist (dropped ones included: they keep their scores).
    pub scores: Vec<Score>,
    /// Best first.
    pub ranking: Vec<RankedPath>,
    /// Who saved it last, and when; none before the first save.
    pub updated_by: Option<PersonRef>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// A step of the action plan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionStep {
    #[validate(length(min = 1, max = 300))]
    pub label: String,
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub done: bool,
}

/// `PUT /api/v1/bilans/{id}/action-plan`: the plan of the chosen project, replaced at once.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionPlanInput {
    /// The chosen path (one of this bilan's), if any.
    pub career_path_id: Option<Uuid>,
    /// The project in a sentence.
    #[validate(length(max = 500))]
    #[serde(default)]
    pub project: String,
    /// Steps (50 at most).
    #[validate(length(max = 50), nested)]
    #[serde(default)]
    pub steps: Vec<ActionStep>,
    /// Training to follow (20 at most, 300 characters each).
    #[validate(length(max = 20))]
    #[serde(default)]
    pub trainings: Vec<String>,
    /// Resources: people, places, websites (20 at most, 500 characters each).
    #[validate(length(max = 20))]
    #[serde(default)]
    pub resources: Vec<String>,
}

/// The action plan; empty until someone saves it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// Read flat, without flatten's second copy of each reader in the wasm: see `wire`.
#[serde(from = "super::wire::ActionPlanWire")]
pub struct ActionPlan {
    #[serde(flatten)]
    pub fields: ActionPlanInput,
    pub updated_by: Option<PersonRef>,
    pub updated_at: Option<DateTime<Utc>>,
}
