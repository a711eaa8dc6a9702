//! Assessments (issue 11): instruments (questionnaires as data), the instruments assigned on a bilan,
//! the beneficiary's answers and the scored results.
//!
//! An instrument is identified by `id` + `version`; a published version never changes, and answers
//! always point to the version they were given on. Answers, results and the consultant's
//! interpretation are bilan content. Results describe, they never decide (GDPR art. 22): the
//! consultant interprets them with the beneficiary.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

str_enum!(
    /// What an instrument explores (how the SPA presents its results).
    InstrumentKind {
        /// Holland RIASEC interests: hexagon and three-letter code.
        Interests = "interests",
        /// Personality traits (Big Five): bars with bands.
        Personality = "personality",
        /// Self-rated skills, by category.
        Skills = "skills",
        /// Work values, ranked.
        Values = "values",
        /// A questionnaire built by a consultant or an admin.
        Custom = "custom",
    }
);

str_enum!(
    /// Where an assigned instrument stands.
    AssessmentStatus {
        /// Assigned, nothing answered yet.
        Assigned = "assigned",
        /// At least one answer saved, not submitted.
        InProgress = "in_progress",
        /// Submitted and scored; answers can no longer change.
        Submitted = "submitted",
    }
);

str_enum!(
    /// How a scale turns its items' values into a score.
    ScoringRule {
        /// Sum of the item values (missing ones imputed, see `ScaleResult`).
        Sum = "sum",
        /// Mean of the item values.
        Mean = "mean",
        /// The sum as a percentage of the highest possible sum (0–100, from the lowest possible sum).
        PercentOfMax = "percent_of_max",
    }
);

str_enum!(
    /// Whether a scale could be scored.
    ScaleStatus {
        /// Scored (at least 80 % of its items answered; missing ones take the mean of the answered ones).
        Scored = "scored",
        /// Fewer than 80 % of its items answered: no score.
        NotEnoughAnswers = "not_enough_answers",
    }
);

/// A text in French (always) and English (when there is one).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalText {
    pub fr: String,
    #[serde(default)]
    pub en: Option<String>,
}

/// One option of a choice or ranking item.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChoiceOption {
    /// Unique within its item.
    pub id: String,
    pub label: LocalText,
    /// The value a scale counts when this option is chosen (choice items); none: not scored.
    #[serde(default)]
    pub value: Option<f64>,
}

/// How an item is answered.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemKind {
    /// A rating from `min` to `max` (integers), one label per point (`max - min + 1` labels).
    Likert {
        min: i32,
        max: i32,
        labels: Vec<LocalText>,
    },
    /// Exactly one option.
    SingleChoice { options: Vec<ChoiceOption> },
    /// Any number of options between the bounds.
    MultipleChoice {
        options: Vec<ChoiceOption>,
        #[serde(default)]
        min_choices: Option<u32>,
        #[serde(default)]
        max_choices: Option<u32>,
    },
    /// Every option, in order of preference (first = most important). A scale counts an option's
    /// rank as `n - position` (first of n: n, last: 1).
    Ranking { options: Vec<ChoiceOption> },
    /// Free text up to `max_length` characters; never scored.
    Text { max_length: u32 },
    /// A number between the optional bounds.
    Number {
        #[serde(default)]
        min: Option<f64>,
        #[serde(default)]
        max: Option<f64>,
        /// Whole numbers only.
        #[serde(default)]
        integer: bool,
    },
}

/// A question.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(try_from = "item_wire::ItemWire")]
pub struct Item {
    /// Unique within the instrument.
    pub id: String,
    pub text: LocalText,
    #[serde(flatten)]
    pub kind: ItemKind,
    /// Must be answered before submitting.
    #[serde(default = "yes")]
    pub required: bool,
    /// When set, the beneficiary may add a comment (for instance an example from their experience)
    /// under this prompt.
    #[serde(default)]
    pub comment_prompt: Option<LocalText>,
}

fn yes() -> bool {
    true
}

mod item_wire;

/// The OpenAPI schema of [`Item`]: one object per kind, each with the common fields. Derived, the
/// flattened `kind` gave `allOf [ItemKind (a oneOf), {fields}]`, which client generators
/// (openapi-python-client) refuse, dropping `Item`, `Section` and `Instrument` from a CRM's client.
#[cfg(feature = "openapi")]
mod item_schema {
    use utoipa::openapi::{RefOr, Schema};
    use utoipa::{PartialSchema, ToSchema};

    use super::{ChoiceOption, Item, ItemKind, LocalText};

    /// The fields every item has besides its kind (schema only: it must list [`Item`]'s other fields).
    #[derive(ToSchema)]
    #[allow(dead_code)]
    struct ItemFields {
        /// Unique within the instrument.
        id: String,
        text: LocalText,
        /// Must be answered before submitting (default `true`).
        #[schema(required = false)]
        required: bool,
        /// When set, the beneficiary may add a comment (for instance an example from their
        /// experience) under this prompt.
        comment_prompt: Option<LocalText>,
    }

    /// `{"oneOf": [kind ∪ fields, …]}`, built on the derived schemas' JSON form.
    fn merged() -> serde_json::Result<RefOr<Schema>> {
        let kinds = serde_json::to_value(ItemKind::schema())?;
        let fields = serde_json::to_value(ItemFields::schema())?;
        let mut one_of = Vec::new();
        for kind in kinds["oneOf"].as_array().into_iter().flatten() {
            let mut kind = kind.clone();
            if let (Some(props), Some(common)) = (
                kind["properties"].as_object_mut(),
                fields["properties"].as_object(),
            ) {
                props.extend(common.clone());
            }
            if let (Some(required), Some(common)) = (
                kind["required"].as_array_mut(),
                fields["required"].as_array(),
            ) {
                required.extend(common.iter().cloned());
            }
            one_of.push(kind);
        }
        serde_json::from_value(serde_json::json!({
            "oneOf": one_of,
            "description": "A question: its common fields and those of its `kind`.",
        }))
    }

    impl PartialSchema for Item {
        fn schema() -> RefOr<Schema> {
            // Both inputs are utoipa's own output, so reading them back cannot fail; if it ever did,
            // the API's openapi test sees an empty schema and fails.
            merged().unwrap_or_else(|_| RefOr::T(Schema::default()))
        }
    }

    impl ToSchema for Item {
        fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
            schemas.push((LocalText::name().into(), LocalText::schema()));
            LocalText::schemas(schemas);
            schemas.push((ChoiceOption::name().into(), ChoiceOption::schema()));
            ChoiceOption::schemas(schemas);
        }
    }
}

/// A group of items shown together.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Section {
    pub id: String,
    pub title: LocalText,
    #[serde(default)]
    pub intro: Option<LocalText>,
    pub items: Vec<Item>,
}

/// An item counted by a scale.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyedItem {
    pub item: String,
    /// Reverse-keyed: a Likert value v counts as `min + max - v`.
    #[serde(default)]
    pub reverse: bool,
    /// For a ranking item: the option whose rank is counted.
    #[serde(default)]
    pub option: Option<String>,
}

/// Reference values of a population: a score s gives T = 50 + 10 (s − mean) / sd.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Norms {
    pub mean: f64,
    pub sd: f64,
    /// Which population, from which source.
    pub source: String,
}

/// A text shown for scores in `[min, max]` (inclusive).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Band {
    pub min: f64,
    pub max: f64,
    pub text: LocalText,
}

/// A score computed from some items.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scale {
    /// Unique within the instrument.
    pub id: String,
    pub name: LocalText,
    #[serde(default)]
    pub description: Option<LocalText>,
    pub items: Vec<KeyedItem>,
    pub rule: ScoringRule,
    #[serde(default)]
    pub norms: Option<Norms>,
    #[serde(default)]
    pub bands: Vec<Band>,
    /// The Holland type this scale measures (`R`, `I`, `A`, `S`, `E` or `C`): an instrument with all
    /// six derives a Holland code.
    #[serde(default)]
    pub holland: Option<String>,
}

/// An instrument: the same shape in the repository's files, in `POST /api/v1/instruments` and in
/// `GET /api/v1/instruments/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Instrument {
    /// Stable identifier (lowercase letters, digits and dashes).
    pub id: String,
    /// Version number; a published version never changes.
    pub version: i32,
    pub kind: InstrumentKind,
    pub title: LocalText,
    #[serde(default)]
    pub description: Option<LocalText>,
    pub instructions: LocalText,
    /// Where the items come from (shown to users).
    pub source: String,
    pub licence: String,
    pub attribution: String,
    /// E.g. "French translation by the project, not validated".
    #[serde(default)]
    pub translation_note: Option<String>,
    /// Results are exploratory, to be discussed with the consultant (always true for the standard
    /// instruments).
    #[serde(default = "yes")]
    pub exploratory: bool,
    pub sections: Vec<Section>,
    #[serde(default)]
    pub scales: Vec<Scale>,
}

/// An instrument as listed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstrumentSummary {
    pub id: String,
    /// The latest version.
    pub version: i32,
    pub kind: InstrumentKind,
    pub title: LocalText,
    #[serde(default)]
    pub description: Option<LocalText>,
    pub source: String,
    pub licence: String,
    pub attribution: String,
    #[serde(default)]
    pub translation_note: Option<String>,
    pub exploratory: bool,
    pub item_count: u32,
    /// Built through the API rather than shipped with the application.
    pub custom: bool,
}

/// An instrument assigned on a bilan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub id: Uuid,
    pub bilan_id: Uuid,
    pub instrument_id: String,
    /// The version the answers belong to.
    pub instrument_version: i32,
    pub kind: InstrumentKind,
    pub title: LocalText,
    pub status: AssessmentStatus,
    /// Items answered so far.
    pub answered: u32,
    /// Items in the instrument.
    pub total: u32,
    /// Required items still unanswered (submitting needs 0).
    pub required_missing: u32,
    pub assigned_by: Uuid,
    pub assigned_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Whether the consultant has written an interpretation.
    pub interpreted: bool,
}

/// `POST /api/v1/bilans/{id}/assessments` (an assigned consultant).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignInstrument {
    pub instrument_id: String,
    /// Default: the latest version.
    #[serde(default)]
    pub version: Option<i32>,
}

/// One answer's value; its `kind` must match the item's kind.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum AnswerValue {
    /// For a Likert item: an integer within its range.
    Likert(i32),
    /// For a single-choice item: the option id.
    Choice(String),
    /// For a multiple-choice item: the option ids.
    Choices(Vec<String>),
    /// For a ranking item: every option id, most important first.
    Ranking(Vec<String>),
    Text(String),
    Number(f64),
}

/// The answer to one item.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    pub item_id: String,
    /// `null` in a save clears the answer.
    pub value: Option<AnswerValue>,
    /// Only for items with a `comment_prompt`.
    #[serde(default)]
    pub comment: Option<String>,
}

/// `PUT /api/v1/assessments/{id}/answers` (the beneficiary): the answers to save, a few at a time
/// (autosave); items not listed keep their answer.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveAnswers {
    #[validate(length(max = 500))]
    pub answers: Vec<Answer>,
}

/// The answers given so far (`GET`, and the reply to a save).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answers {
    pub assessment: Assessment,
    pub answers: Vec<Answer>,
}

/// One scale's score.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScaleResult {
    pub scale_id: String,
    pub name: LocalText,
    #[serde(default)]
    pub description: Option<LocalText>,
    pub status: ScaleStatus,
    pub rule: ScoringRule,
    /// The score (none when not enough answers).
    pub score: Option<f64>,
    /// The lowest and highest possible scores.
    pub min: f64,
    pub max: f64,
    /// Items of the scale answered, and in the scale.
    pub answered: u32,
    pub total: u32,
    /// With norms: T-score (mean 50, sd 10) and percentile (0–100).
    pub t_score: Option<f64>,
    pub percentile: Option<f64>,
    /// The text of the band the score falls in.
    pub band: Option<LocalText>,
    pub holland: Option<String>,
}

/// The derived Holland code of an interests inventory.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HollandCode {
    /// Three letters, highest first. Ties are broken in hexagon order R, I, A, S, E, C and flagged
    /// in `ties`.
    pub code: String,
    /// Letters whose score equals another's that decides a place in the code.
    pub ties: Vec<String>,
    /// Highest minus lowest of the six scores (same unit as the scores).
    pub differentiation: f64,
    /// From the hexagon: 3 when the first two letters are adjacent, 2 when alternate, 1 when opposite.
    pub consistency: u8,
}

/// A ranking item as the beneficiary ordered it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankingResult {
    pub item_id: String,
    pub text: LocalText,
    /// The options, most important first.
    pub order: Vec<ChoiceOption>,
}

/// The consultant's interpretation of a result.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interpretation {
    pub text: String,
    pub author_id: Uuid,
    pub updated_at: DateTime<Utc>,
}

/// `PUT /api/v1/assessments/{id}/interpretation` (an assigned consultant).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterpretationRequest {
    #[validate(length(min = 1, max = 20000))]
    pub text: String,
}

/// A submitted assessment's results.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Results {
    pub assessment: Assessment,
    pub scales: Vec<ScaleResult>,
    /// For an interests inventory.
    pub holland: Option<HollandCode>,
    pub rankings: Vec<RankingResult>,
    /// Exploratory: a description to discuss with the consultant, never a verdict.
    pub exploratory: bool,
    pub interpretation: Option<Interpretation>,
}
