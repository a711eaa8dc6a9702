//! What a document prints, read in one go from the bilan's administrative records (never its
//! content), and what is missing for each kind.

use boussole_shared::bilans::{BilanFormat, FundingMode, Phase, SessionKind, SessionMode};
use boussole_shared::documents::{DocumentKind, HEADER_FIELDS, OrganisationIdentity};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::bilans::model::{self, BilanRow};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::{
    appointments, attendance_signatures, beneficiary_profiles, bilan_consultants, bilan_sessions,
};

/// One signature of a held session: when (UTC) and how (`click` or `code`).
#[derive(Debug, Clone)]
pub struct Signed {
    pub at: NaiveDateTime,
    pub method: String,
}

/// A held accompaniment session (personal work is not attendance).
#[derive(Debug, Clone)]
pub struct HeldSession {
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub minutes: i64,
    pub mode: SessionMode,
    pub phase: Phase,
    /// Whether it was booked as an appointment (then signed through the attendance feature).
    pub booked: bool,
    pub beneficiary: Option<Signed>,
    pub consultant: Option<Signed>,
}

/// Everything the three documents print.
#[derive(Debug, Clone)]
pub struct Facts {
    pub org: OrganisationIdentity,
    pub bilan_id: String,
    pub funding: FundingMode,
    pub format: BilanFormat,
    pub planned_minutes: i64,
    pub beneficiary: String,
    pub employer: Option<String>,
    /// The employer's SIRET and contact as the beneficiary's profile records them.
    pub employer_siret: Option<String>,
    pub employer_contact: Option<String>,
    /// The day the bilan was opened and the planned end (Paris days).
    pub opened_on: chrono::NaiveDate,
    pub planned_end_on: Option<chrono::NaiveDate>,
    /// The consultants assigned now, "First Last".
    pub consultants: Vec<String>,
    pub sessions: Vec<HeldSession>,
}

impl Facts {
    /// Accompaniment delivered, in minutes.
    pub fn delivered_minutes(&self) -> i64 {
        self.sessions.iter().map(|s| s.minutes).sum()
    }
}

/// The facts of `bilan` (already loaded for a caller allowed to see it).
pub fn gather(conn: &mut Conn, bilan: &BilanRow) -> Result<Facts, ApiError> {
    let org = crate::settings::organisation(conn)?;
    let mut ids: Vec<String> = bilan_consultants::table
        .filter(bilan_consultants::bilan_id.eq(&bilan.id))
        .filter(bilan_consultants::unassigned_at.is_null())
        .order(bilan_consultants::assigned_at.asc())
        .select(bilan_consultants::consultant_id)
        .load(conn)?;
    ids.push(bilan.beneficiary_id.clone());
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let people = model::people(conn, &refs)?;
    let name = |id: &str| {
        people
            .get(id)
            .map(|p| format!("{} {}", p.first_name, p.last_name))
    };
    let beneficiary = name(&bilan.beneficiary_id).ok_or(ApiError::NotFound)?;
    let consultants = ids[..ids.len() - 1]
        .iter()
        .filter_map(|id| name(id))
        .collect();
    type Employer = (Option<String>, Option<String>, Option<String>);
    let (employer, employer_siret, employer_contact): Employer = beneficiary_profiles::table
        .find(&bilan.beneficiary_id)
        .select((
            beneficiary_profiles::employer_name,
            beneficiary_profiles::employer_siret,
            beneficiary_profiles::employer_contact,
        ))
        .first(conn)
        .optional()?
        .unwrap_or_default();
    let filled = |v: Option<String>| v.filter(|e| !e.trim().is_empty());
    Ok(Facts {
        org,
        bilan_id: bilan.id.clone(),
        funding: bilan.funding()?,
        format: bilan.format()?,
        planned_minutes: bilan.planned_minutes,
        beneficiary,
        employer: filled(employer),
        employer_siret: filled(employer_siret),
        employer_contact: filled(employer_contact),
        opened_on: boussole_shared::time::paris_date(bilan.created_at),
        planned_end_on: bilan.planned_end_on,
        consultants,
        sessions: sessions(conn, &bilan.id)?,
    })
}

type SessionRow = (String, String, String, NaiveDateTime, NaiveDateTime, i64);

fn sessions(conn: &mut Conn, bilan_id: &str) -> Result<Vec<HeldSession>, ApiError> {
    let rows: Vec<SessionRow> = bilan_sessions::table
        .filter(bilan_sessions::bilan_id.eq(bilan_id))
        .filter(bilan_sessions::kind.eq(SessionKind::Accompaniment.as_str()))
        .order(bilan_sessions::starts_at.asc())
        .select((
            bilan_sessions::id,
            bilan_sessions::mode,
            bilan_sessions::phase,
            bilan_sessions::starts_at,
            bilan_sessions::ends_at,
            bilan_sessions::minutes,
        ))
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    // Appointment → session, then the signatures of those appointments: two statements in all.
    let booked: Vec<(String, Option<String>)> = appointments::table
        .filter(appointments::session_id.eq_any(&ids))
        .select((appointments::id, appointments::session_id))
        .load(conn)?;
    let appointment_ids: Vec<&str> = booked.iter().map(|b| b.0.as_str()).collect();
    let signatures: Vec<(String, String, String, NaiveDateTime)> = attendance_signatures::table
        .filter(attendance_signatures::appointment_id.eq_any(&appointment_ids))
        .select((
            attendance_signatures::appointment_id,
            attendance_signatures::party,
            attendance_signatures::method,
            attendance_signatures::signed_at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, mode, phase, starts_at, ends_at, minutes)| {
            let appointment = booked
                .iter()
                .find(|b| b.1.as_deref() == Some(id.as_str()))
                .map(|b| b.0.as_str());
            let signed = |party: &str| {
                signatures
                    .iter()
                    .find(|s| Some(s.0.as_str()) == appointment && s.1 == party)
                    .map(|s| Signed {
                        at: s.3,
                        method: s.2.clone(),
                    })
            };
            Ok(HeldSession {
                starts_at,
                ends_at,
                minutes,
                mode: db::stored(SessionMode::parse(&mode), "bilan_sessions.mode", &mode)?,
                phase: db::stored(Phase::parse(&phase), "bilan_sessions.phase", &phase)?,
                booked: appointment.is_some(),
                beneficiary: signed("beneficiary"),
                consultant: signed("consultant"),
            })
        })
        .collect()
}

/// What `kind` needs and `facts` lacks, each named (`organisation.siret`, `bilan.sessions`…): the
/// whole list, so that the office fixes everything at once.
pub fn missing(kind: DocumentKind, facts: &Facts) -> Vec<String> {
    let mut fields: Vec<&str> = HEADER_FIELDS.to_vec();
    match kind {
        DocumentKind::CertificatRealisation => {
            fields.extend(["city", "representative_name", "representative_title"]);
        }
        DocumentKind::AttendanceSheet => {}
        DocumentKind::PreContractInfo => fields.extend([
            "representative_name",
            "disability_referent_name",
            "disability_referent_contact",
            "contact",
            "price_cents",
            "payment_terms",
            "cancellation_terms",
        ]),
        DocumentKind::TripartiteConvention => fields.extend([
            "city",
            "representative_name",
            "representative_title",
            "price_cents",
            "payment_terms",
        ]),
        DocumentKind::IndividualContract => fields.extend([
            "city",
            "representative_name",
            "representative_title",
            "price_cents",
            "payment_terms",
            "cancellation_terms",
        ]),
        // The synthèse is issued from the approved synthèse (`crate::synthesis`), whose own checks
        // come first; its header needs the identity only.
        DocumentKind::Synthese => {}
    }
    let mut missing = facts.org.missing(&fields);
    match kind {
        DocumentKind::CertificatRealisation | DocumentKind::AttendanceSheet => {
            if facts.sessions.is_empty() {
                missing.push("bilan.sessions".into());
            }
        }
        DocumentKind::PreContractInfo => planned(facts, &mut missing),
        DocumentKind::TripartiteConvention => {
            planned(facts, &mut missing);
            // R6313-8: the employer's skills plan or a congé de reclassement (or a mix that has one).
            if !matches!(
                facts.funding,
                FundingMode::Employer | FundingMode::Reclassement | FundingMode::Mixed
            ) {
                missing.push("bilan.funding".into());
            }
            for (field, value) in [
                ("beneficiary.employer_name", &facts.employer),
                ("beneficiary.employer_siret", &facts.employer_siret),
                ("beneficiary.employer_contact", &facts.employer_contact),
            ] {
                if value.is_none() {
                    missing.push(field.into());
                }
            }
            if facts.planned_end_on.is_none() {
                missing.push("bilan.planned_end_on".into());
            }
        }
        DocumentKind::IndividualContract => {
            planned(facts, &mut missing);
            if !matches!(facts.funding, FundingMode::SelfFunded | FundingMode::Mixed) {
                missing.push("bilan.funding".into());
            }
        }
        DocumentKind::Synthese => {}
    }
    missing
}

/// What the documents describing the action to come need: who delivers it and for how long.
fn planned(facts: &Facts, missing: &mut Vec<String>) {
    if facts.consultants.is_empty() {
        missing.push("bilan.consultants".into());
    }
    if facts.planned_minutes <= 0 {
        missing.push("bilan.planned_hours".into());
    }
}
