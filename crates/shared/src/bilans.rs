//! Bilans de compétences: the legal workflow (L6313-4, R6313-4 to R6313-8), hours, consents, notes.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// The largest document a bilan holds, in bytes (10 MiB). Here rather than in the API's bilans
/// module because the idempotency middleware, below every feature, sizes what it reads by it.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

str_enum!(
    /// Where a bilan stands. `request → preliminary → investigation → conclusion → completed → closed`,
    /// and `abandoned` from any active state.
    BilanStatus {
        /// Asked for; documents and consent being gathered.
        Request = "request",
        /// Phase préliminaire (R6313-4 1°).
        Preliminary = "preliminary",
        /// Phase d'investigation (R6313-4 2°).
        Investigation = "investigation",
        /// Phase de conclusions (R6313-4 3°).
        Conclusion = "conclusion",
        /// All phases done, synthèse delivered.
        Completed = "completed",
        /// The action has ended: content is destroyed unless the beneficiary agreed in writing to keep it (R6313-7).
        Closed = "closed",
        /// Stopped before the end (reason recorded).
        Abandoned = "abandoned",
    }
);

str_enum!(
    /// Who pays.
    FundingMode {
        Cpf = "cpf",
        /// Employer plan, through an OPCO or not (convention tripartite).
        Employer = "employer",
        /// Congé de reclassement.
        Reclassement = "reclassement",
        FranceTravail = "france_travail",
        SelfFunded = "self_funded",
        Mixed = "mixed",
    }
);

str_enum!(
    /// How the interviews take place.
    BilanFormat { OnSite = "on_site", Remote = "remote", Mixed = "mixed" }
);

str_enum!(
    /// A dated fact that a transition's gate checks.
    FactKind {
        /// Pre-contract information given (L6353-8).
        PreContractInfo = "pre_contract_info",
        /// Individual contract signed; the 10-day withdrawal period runs from this date (L6353-5).
        IndividualContractSigned = "individual_contract_signed",
        /// Convention tripartite signed (R6313-8).
        TripartiteConventionSigned = "tripartite_convention_signed",
        /// CPF file accepted on Mon Compte Formation.
        CpfFileAccepted = "cpf_file_accepted",
        /// France Travail validated the quote filed in KAIROS (AIF, DOMAIN.md §3.4): the funder's decision
        /// stands for the contract.
        KairosQuoteAccepted = "kairos_quote_accepted",
        /// R6313-4 1° a): the request and need analysed.
        NeedsAnalysis = "needs_analysis",
        /// Personalised objectives set.
        PersonalisedObjectives = "personalised_objectives",
        /// R6313-4 1° c): how the bilan will run, agreed jointly.
        AgreedArrangements = "agreed_arrangements",
        /// R6313-4 3° a): the beneficiary has taken ownership of the detailed results.
        ResultsAppropriated = "results_appropriated",
        /// R6313-4 3° b): conditions and means favouring the project listed.
        ProjectConditions = "project_conditions",
        /// R6313-4 3° c): main steps of the project planned.
        ProjectSteps = "project_steps",
        /// The document de synthèse handed to the beneficiary (L6313-4).
        SyntheseDelivered = "synthese_delivered",
        /// The beneficiary acknowledged the organisation's règlement intérieur (L6352-3); the
        /// preliminary gate requires it when the organisation says so.
        ReglementInterieurAcknowledged = "reglement_interieur_acknowledged",
    }
);

str_enum!(
    /// The three phases of R6313-4.
    Phase { Preliminary = "preliminary", Investigation = "investigation", Conclusion = "conclusion" }
);

str_enum!(
    /// Accompaniment by the provider counts towards the 24 hours; the beneficiary's personal work does not.
    SessionKind { Accompaniment = "accompaniment", PersonalWork = "personal_work" }
);

str_enum!(
    /// Where a session took place.
    SessionMode { OnSite = "on_site", Remote = "remote" }
);

str_enum!(
    /// What the beneficiary agrees to.
    ConsentKind {
        /// Consent to start the bilan (L6313-4).
        Start = "start",
        /// Sharing the synthèse or the detailed results with a named recipient (L6313-4).
        Share = "share",
        /// Keeping the documents up to 3 years after the end, for follow-up (R6313-7).
        Retention = "retention",
    }
);

/// A person as shown on a bilan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonRef {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
}

/// `POST /api/v1/bilans` (admins).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewBilan {
    /// The beneficiary's account.
    pub beneficiary_id: Uuid,
    /// The consultant assigned first.
    pub consultant_id: Uuid,
    pub funding: FundingMode,
    pub format: BilanFormat,
    /// Planned accompaniment, 1 to 24 hours.
    #[validate(range(min = 1, max = 24))]
    pub planned_hours: i64,
    /// When the bilan should be completed (from the funder's file or the convention): the
    /// portfolio warns as it comes near.
    #[serde(default)]
    pub planned_end_on: Option<NaiveDate>,
    /// The CRM's id for this bilan (1 to 100 characters, unique among bilans: 409 otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "crate::rules::external_ref"))]
    pub external_ref: Option<String>,
}

/// `PATCH /api/v1/bilans/{id}` (admins): the administrative fields an integration keeps in step.
/// Absent fields are left as they are.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BilanPatch {
    /// The CRM's id for this bilan (1 to 100 characters, unique among bilans: 409 otherwise); `null`
    /// clears it, absent keeps it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub external_ref: Option<Option<String>>,
}

/// A field that is present, even as `null` (`Some(None)`), apart from an absent one (`None`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A bilan's administrative facts (what admins see) and where it stands.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bilan {
    pub id: Uuid,
    pub beneficiary: PersonRef,
    /// The consultants assigned now.
    pub consultants: Vec<PersonRef>,
    pub status: BilanStatus,
    pub funding: FundingMode,
    pub format: BilanFormat,
    pub planned_hours: i64,
    /// Planned completion date, when one was set.
    pub planned_end_on: Option<NaiveDate>,
    /// Accompaniment held so far, in minutes (24 h = 1440 at most).
    pub accompaniment_minutes: i64,
    /// The beneficiary's personal work, in minutes (not counted in the 24 h).
    pub personal_work_minutes: i64,
    /// End of the latest accompaniment session held (UTC; the beneficiary's personal work is not
    /// contact): "no contact for N days" alerts start from it.
    pub last_contact_at: Option<DateTime<Utc>>,
    /// True while accompaniment is under the configured minimum (13 h by default): a warning only.
    pub below_minimum_hours: bool,
    pub status_changed_at: DateTime<Utc>,
    pub abandon_reason: Option<String>,
    /// What the next step of the workflow still needs (empty when it may be taken), as condition
    /// codes (`Condition`): the SPA and a CRM say them in their own words.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::conditions::Condition>))]
    pub next_step_missing: Vec<String>,
    /// When the content was destroyed (R6313-7).
    pub content_destroyed_at: Option<DateTime<Utc>>,
    /// Content kept until this time under the beneficiary's written agreement.
    pub retention_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The CRM's id for this bilan, when one was given.
    #[serde(default)]
    pub external_ref: Option<String>,
}

/// Filters of `GET /api/v1/bilans`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct BilanFilter {
    /// Only bilans in this status.
    pub status: Option<BilanStatus>,
    /// Only bilans with this funding.
    pub funding: Option<FundingMode>,
    /// Only the bilans of this beneficiary (their record lists them).
    pub beneficiary_id: Option<Uuid>,
    /// Only the bilan with this CRM id (at most one).
    pub external_ref: Option<String>,
}

/// `POST /api/v1/bilans/{id}/transitions`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransitionRequest {
    /// The status to move to.
    pub to: BilanStatus,
    /// Required when abandoning.
    #[validate(length(min = 3, max = 1000))]
    pub reason: Option<String>,
}

/// `POST /api/v1/bilans/{id}/assignments`: the consultant who takes the bilan over (admins).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAssignment {
    pub consultant_id: Uuid,
}

/// `POST /api/v1/bilans/{id}/facts`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewFact {
    pub kind: FactKind,
    /// The day it happened (not in the future).
    pub occurred_on: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fact {
    pub id: Uuid,
    pub kind: FactKind,
    pub occurred_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
}

/// `POST /api/v1/bilans/{id}/sessions`: a held session (times in UTC).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSession {
    pub kind: SessionKind,
    pub phase: Phase,
    pub mode: SessionMode,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BilanSession {
    pub id: Uuid,
    pub kind: SessionKind,
    pub phase: Phase,
    pub mode: SessionMode,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub minutes: i64,
}

/// `POST /api/v1/bilans/{id}/consents` (the beneficiary).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewConsent {
    pub kind: ConsentKind,
    /// For `share`: who receives (e.g. "Employeur : ACME", "Conseiller CEP").
    #[validate(length(min = 2, max = 200))]
    pub recipient: Option<String>,
    /// For `share`: what is shared (e.g. "synthèse", "résultats détaillés").
    #[validate(length(min = 2, max = 200))]
    pub scope: Option<String>,
    /// For `retention`: how long after the end, 1 to 36 months.
    #[validate(range(min = 1, max = 36))]
    pub retention_months: Option<i64>,
    /// For `retention`: which documents are kept; the others are destroyed at the end of the action
    /// (R6313-7). Left out: all of them.
    #[serde(default)]
    #[validate(length(min = 1, max = 5))]
    pub kept: Option<Vec<crate::retention::KeptDocument>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    pub id: Uuid,
    pub kind: ConsentKind,
    pub recipient: Option<String>,
    pub scope: Option<String>,
    pub retention_months: Option<i64>,
    /// For `retention`: the documents kept for follow-up (empty for the other kinds).
    #[serde(default)]
    pub kept: Vec<crate::retention::KeptDocument>,
    /// Exactly what was agreed to, as shown to the beneficiary.
    pub statement: String,
    pub given_at: DateTime<Utc>,
    pub ip: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// `POST /api/v1/bilans/{id}/notes` (assigned consultants).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewNote {
    pub phase: Phase,
    /// The session it is about, if any.
    pub session_id: Option<Uuid>,
    #[validate(length(min = 1, max = 20000))]
    pub body: String,
    /// Whether the beneficiary may read it.
    #[serde(default)]
    pub shared_with_beneficiary: bool,
}

/// A consultant's note: bilan content, encrypted at rest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    pub id: Uuid,
    pub phase: Phase,
    pub session_id: Option<Uuid>,
    pub author_id: Uuid,
    pub body: String,
    pub shared_with_beneficiary: bool,
    pub created_at: DateTime<Utc>,
}

/// One event of a bilan's timeline.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEvent {
    pub at: DateTime<Utc>,
    /// e.g. `transition`, `fact`, `session`, `consent`, `consent_revoked`, `assignment`, `note`, `content_destroyed`.
    pub kind: String,
    pub actor_id: Option<Uuid>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
}

str_enum!(
    /// The beneficiary's situation.
    Situation {
        EmployeeCdi = "employee_cdi",
        EmployeeCdd = "employee_cdd",
        EmployeeInterim = "employee_interim",
        PublicSector = "public_sector",
        JobSeeker = "job_seeker",
        SelfEmployed = "self_employed",
        Other = "other",
    }
);

/// The employer, when the beneficiary has one.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Employer {
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    /// 14 digits (checked with the Luhn key).
    pub siret: Option<String>,
    /// The contact person at the employer.
    #[validate(length(max = 200))]
    pub contact: Option<String>,
}

/// A beneficiary's record. `accessibility_needs` is special-category data: present only for the
/// beneficiary and their assigned consultants, and only when the beneficiary consented to its recording.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BeneficiaryProfile {
    pub person: PersonRef,
    pub email: String,
    pub date_of_birth: Option<NaiveDate>,
    pub situation: Situation,
    pub current_job: Option<String>,
    pub education_level: Option<String>,
    pub employer: Option<Employer>,
    /// The CEP adviser the beneficiary names, if any.
    pub cep_adviser: Option<String>,
    /// Whether the beneficiary consented to recording accessibility needs (GDPR art. 9(2)(a)).
    pub accessibility_consent: bool,
    pub accessibility_needs: Option<String>,
    /// The CRM's id for this beneficiary, when one was given.
    #[serde(default)]
    pub external_ref: Option<String>,
}

/// `PUT /api/v1/beneficiaries/{id}`: the whole record (the beneficiary, or an admin for the
/// administrative fields; accessibility needs only by the beneficiary, with consent).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BeneficiaryProfileUpdate {
    pub date_of_birth: Option<NaiveDate>,
    pub situation: Situation,
    #[validate(length(max = 200))]
    pub current_job: Option<String>,
    #[validate(length(max = 200))]
    pub education_level: Option<String>,
    #[validate(nested)]
    pub employer: Option<Employer>,
    #[validate(length(max = 200))]
    pub cep_adviser: Option<String>,
    /// Explicit consent to record accessibility needs; false erases them.
    #[serde(default)]
    pub accessibility_consent: bool,
    #[validate(length(max = 2000))]
    pub accessibility_needs: Option<String>,
    /// The CRM's id for this beneficiary (1 to 100 characters, unique among beneficiaries: 409
    /// otherwise), given by the organisation only (a beneficiary's answers 400). Absent or `null` keeps
    /// the one recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "crate::rules::external_ref"))]
    pub external_ref: Option<String>,
}

/// `POST /api/v1/beneficiaries` (admins, or a key with `beneficiaries:write`): the account, created
/// without a password (an invitation to choose one is emailed, valid 7 days), and the record's
/// administrative facts. Accessibility needs are never taken here: only the beneficiary records them.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewBeneficiary {
    /// The beneficiary's email: the invitation goes there. An address already in use answers 409
    /// with `existing_id` when that account is a beneficiary's.
    #[validate(email, length(max = 254))]
    pub email: String,
    pub civility: Option<crate::users::Civility>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::users::printable")
    )]
    pub first_name: String,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::users::printable")
    )]
    pub last_name: String,
    /// Phone number, up to 30 characters.
    #[validate(length(max = 30))]
    pub phone: Option<String>,
    /// Interface language of the account and its emails (default `fr`).
    pub locale: Option<crate::users::Locale>,
    pub date_of_birth: Option<NaiveDate>,
    /// Default `other`.
    #[serde(default = "other_situation")]
    pub situation: Situation,
    #[validate(length(max = 200))]
    pub current_job: Option<String>,
    #[validate(length(max = 200))]
    pub education_level: Option<String>,
    #[validate(nested)]
    pub employer: Option<Employer>,
    #[validate(length(max = 200))]
    pub cep_adviser: Option<String>,
    /// The CRM's id for this beneficiary (1 to 100 characters, unique among beneficiaries: 409
    /// otherwise).
    #[validate(custom(function = "crate::rules::external_ref"))]
    pub external_ref: Option<String>,
}

fn other_situation() -> Situation {
    Situation::Other
}

/// `?q=` on the beneficiaries list.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct BeneficiaryFilter {
    /// Part of the name or email.
    pub q: Option<String>,
    /// Only the beneficiary with this CRM id (at most one).
    pub external_ref: Option<String>,
}

/// A document uploaded on a bilan (its bytes are encrypted under the bilan's key).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BilanFile {
    pub id: Uuid,
    pub name: String,
    /// The type found in the file's first bytes (not its name).
    pub content_type: String,
    pub size: i64,
    /// SHA-256 of the bytes as stored (encrypted), hex: it checks the stored copy, and says nothing of
    /// the document once its bilan's key is destroyed.
    pub sha256: String,
    pub uploaded_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// `?name=` of an upload.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct UploadQuery {
    /// The file name to show (1 to 200 characters, no path).
    pub name: String,
}

/// The words of the consent to start, recorded with it (L6313-4).
pub const START_STATEMENT: &str =
    "Je consens à réaliser ce bilan de compétences (article L6313-4 du Code du travail).";

/// The words of an agreement to share, recorded with it; the SPA shows the same before it is given.
pub fn share_statement(recipient: &str, scope: &str) -> String {
    format!(
        "J'accepte que soit communiqué à « {recipient} » : {scope}. Je peux retirer cet accord à tout moment."
    )
}

/// The words of an agreement to keep all the documents (R6313-7), recorded with it.
pub fn retention_statement(months: i64) -> String {
    retention_statement_of(months, crate::retention::KeptDocument::ALL)
}

/// The words of an agreement to keep the documents named in `kept` (R6313-7), recorded with it:
/// the others are destroyed at the end of the action.
pub fn retention_statement_of(months: i64, kept: &[crate::retention::KeptDocument]) -> String {
    let named: Vec<&str> = crate::retention::KeptDocument::ALL
        .iter()
        .filter(|k| kept.contains(k))
        .map(|k| crate::retention::kept_label(*k))
        .collect();
    format!(
        "J'accepte que soient conservés {months} mois après la fin de mon bilan, pour le suivi de ma situation (article R6313-7) : {}. Les autres documents sont détruits à la fin de l'action.",
        named.join(", ")
    )
}
