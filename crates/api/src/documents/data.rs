//! What a document prints, read in one go from the bilan's administrative records (never its
//! content), and what is missing for each kind.

use boussole_shared::bilans::{
    BilanFormat, ConsentKind, FactKind, FundingMode, Phase, SessionKind, SessionMode,
};
use boussole_shared::documents::{DocumentKind, HEADER_FIELDS, OrganisationIdentity};
use boussole_shared::money::{FundingStatus, PayerKind};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::bilans::model::BilanRow;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::{
    appointments, attendance_signatures, beneficiary_profiles, bilan_consents, bilan_consultants,
    bilan_facts, bilan_sessions, fundings, payers, users,
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

/// A consent or agreement of the beneficiary, as recorded (bilans consents).
#[derive(Debug, Clone)]
pub struct ConsentLine {
    pub kind: ConsentKind,
    /// Exactly what was agreed to.
    pub statement: String,
    /// UTC.
    pub given_at: NaiveDateTime,
    pub ip: Option<String>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// A funding line of the bilan with its payer (the money module's records).
#[derive(Debug, Clone)]
pub struct FundingLine {
    pub payer_kind: PayerKind,
    pub payer_name: String,
    pub payer_siret: Option<String>,
    pub payer_address: String,
    pub payer_contact: String,
    pub amount_cents: i64,
    pub agreement_number: Option<String>,
    pub agreement_date: Option<NaiveDate>,
    pub subrogation: bool,
    pub status: FundingStatus,
}

impl FundingLine {
    /// A buyer the D6353-1 convention is made with: an OPCO, France Travail or a company. The CPF's
    /// general terms stand for the convention (D6353-1 III), and a beneficiary paying signs the
    /// individual contract instead.
    pub fn is_convention_buyer(&self) -> bool {
        matches!(
            self.payer_kind,
            PayerKind::Opco | PayerKind::FranceTravail | PayerKind::Company
        ) && self.status != FundingStatus::Refused
    }
}

/// A consultant assigned to the bilan, as the documents name them.
#[derive(Debug, Clone)]
pub struct AssignedConsultant {
    /// "First Last".
    pub name: String,
    /// Titles and qualifications (L6353-8: "les titres et qualités des personnels"), when given.
    pub qualification: Option<String>,
}

impl AssignedConsultant {
    /// "Karim Benali — Psychologue du travail…", the name alone while no qualification is given.
    pub fn titled(&self) -> String {
        match &self.qualification {
            Some(q) => format!("{} — {q}", self.name),
            None => self.name.clone(),
        }
    }
}

/// Everything the documents print.
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
    /// The consultants assigned now, in the order they were assigned.
    pub consultants: Vec<AssignedConsultant>,
    pub sessions: Vec<HeldSession>,
    /// Every consent and agreement of the beneficiary, oldest first (revoked ones too).
    pub consents: Vec<ConsentLine>,
    /// The bilan's funding lines, oldest first.
    pub fundings: Vec<FundingLine>,
    /// Months the bilan stays open for the follow-up after completion (security settings).
    pub follow_up_months: u32,
    /// When the beneficiary acknowledged the règlement intérieur (the latest time).
    pub reglement_acknowledged_on: Option<NaiveDate>,
    /// The wording of the template's sections for the kind being issued (its current version at
    /// issue time; a section absent here prints its built-in wording).
    pub texts: std::collections::HashMap<String, String>,
    /// That template's version (0: the built-in wording).
    pub template_version: i64,
}

impl Facts {
    /// The assigned consultants' names: "Karim Benali, Sophie Lefèvre".
    pub fn consultant_names(&self) -> String {
        let names: Vec<&str> = self.consultants.iter().map(|c| c.name.as_str()).collect();
        names.join(", ")
    }

    /// The assigned consultants with their titles and qualifications, one a line.
    pub fn consultants_titled(&self) -> String {
        let lines: Vec<String> = self.consultants.iter().map(|c| c.titled()).collect();
        lines.join("\n")
    }

    /// Accompaniment delivered, in minutes.
    pub fn delivered_minutes(&self) -> i64 {
        self.sessions.iter().map(|s| s.minutes).sum()
    }

    /// The section `key` of `kind`'s template, merge fields replaced.
    pub fn text(&self, kind: DocumentKind, key: &str) -> String {
        let raw = self.texts.get(key).map_or(
            super::templates::text::default_text(kind, key),
            String::as_str,
        );
        super::templates::text::merge(raw, self)
    }

    /// The consent to start in force (the latest one given and not withdrawn).
    pub fn start_consent(&self) -> Option<&ConsentLine> {
        self.consents
            .iter()
            .rev()
            .find(|c| c.kind == ConsentKind::Start && c.revoked_at.is_none())
    }

    /// The optional agreements (sharing, keeping documents), withdrawn ones included.
    pub fn agreements(&self) -> impl Iterator<Item = &ConsentLine> {
        self.consents
            .iter()
            .filter(|c| c.kind != ConsentKind::Start)
    }

    /// The funder the D6353-1 convention is made with: the first OPCO or France Travail line, else
    /// the first company line.
    pub fn funder(&self) -> Option<&FundingLine> {
        let buyers = || self.fundings.iter().filter(|l| l.is_convention_buyer());
        buyers()
            .find(|l| l.payer_kind != PayerKind::Company)
            .or_else(|| buyers().next())
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
    let people: Vec<(String, String, String, Option<String>)> = users::table
        .filter(users::id.eq_any(&ids))
        .select((
            users::id,
            users::first_name,
            users::last_name,
            users::qualification,
        ))
        .load(conn)?;
    let person = |id: &str| {
        people
            .iter()
            .find(|p| p.0 == id)
            .map(|(_, first, last, qualification)| AssignedConsultant {
                name: format!("{first} {last}"),
                qualification: qualification.clone().filter(|q| !q.trim().is_empty()),
            })
    };
    let beneficiary = person(&bilan.beneficiary_id)
        .ok_or(ApiError::NotFound)?
        .name;
    let consultants = ids[..ids.len() - 1]
        .iter()
        .filter_map(|id| person(id))
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
        consents: consents(conn, &bilan.id)?,
        fundings: funding_lines(conn, &bilan.id)?,
        follow_up_months: crate::settings::security(conn)?.follow_up_months,
        reglement_acknowledged_on: bilan_facts::table
            .filter(bilan_facts::bilan_id.eq(&bilan.id))
            .filter(bilan_facts::kind.eq(FactKind::ReglementInterieurAcknowledged.as_str()))
            .select(diesel::dsl::max(bilan_facts::occurred_on))
            .first(conn)?,
        texts: Default::default(),
        template_version: 0,
    })
}

type ConsentRow = (
    String,
    String,
    NaiveDateTime,
    Option<String>,
    Option<NaiveDateTime>,
);

fn consents(conn: &mut Conn, bilan_id: &str) -> Result<Vec<ConsentLine>, ApiError> {
    let rows: Vec<ConsentRow> = bilan_consents::table
        .filter(bilan_consents::bilan_id.eq(bilan_id))
        .order(bilan_consents::given_at.asc())
        .select((
            bilan_consents::kind,
            bilan_consents::statement,
            bilan_consents::given_at,
            bilan_consents::ip,
            bilan_consents::revoked_at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(kind, statement, given_at, ip, revoked_at)| {
            Ok(ConsentLine {
                kind: db::stored(ConsentKind::parse(&kind), "bilan_consents.kind", &kind)?,
                statement,
                given_at,
                ip,
                revoked_at,
            })
        })
        .collect()
}

fn funding_lines(conn: &mut Conn, bilan_id: &str) -> Result<Vec<FundingLine>, ApiError> {
    use crate::money::{fundings::FundingRow, payers::PayerRow};
    let rows: Vec<(FundingRow, PayerRow)> = fundings::table
        .inner_join(payers::table.on(payers::id.eq(fundings::payer_id)))
        .filter(fundings::bilan_id.eq(bilan_id))
        .order((fundings::created_at.asc(), fundings::id.asc()))
        .select((FundingRow::as_select(), PayerRow::as_select()))
        .load(conn)?;
    rows.into_iter()
        .map(|(f, p)| {
            Ok(FundingLine {
                payer_kind: p.kind()?,
                status: f.status()?,
                payer_name: p.name,
                payer_siret: p.siret.filter(|s| !s.trim().is_empty()),
                payer_address: p.address,
                payer_contact: [p.contact_name, p.email]
                    .into_iter()
                    .filter(|s| !s.trim().is_empty())
                    .collect::<Vec<_>>()
                    .join(", "),
                amount_cents: f.amount_cents,
                agreement_number: f.agreement_number.filter(|s| !s.trim().is_empty()),
                agreement_date: f.agreement_date,
                subrogation: f.subrogation,
            })
        })
        .collect()
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
        DocumentKind::Consent => fields.push("contact"),
        DocumentKind::FunderConvention => fields.extend([
            "city",
            "representative_name",
            "representative_title",
            "price_cents",
            "payment_terms",
            "cancellation_terms",
        ]),
        DocumentKind::ReglementInterieur => fields.push("reglement_interieur"),
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
        DocumentKind::Consent => {
            if facts.start_consent().is_none() {
                missing.push("bilan.start_consent".into());
            }
        }
        DocumentKind::FunderConvention => {
            planned(facts, &mut missing);
            if facts.planned_end_on.is_none() {
                missing.push("bilan.planned_end_on".into());
            }
            // An OPCO, France Travail or a company paying (money: funding lines).
            if facts.funder().is_none() {
                missing.push("bilan.funder".into());
            }
        }
        DocumentKind::ReglementInterieur => {}
    }
    missing
}

/// What the documents describing the action to come need: who delivers it, with their titles and
/// qualifications (L6353-8, R6313-8), and for how long.
fn planned(facts: &Facts, missing: &mut Vec<String>) {
    if facts.consultants.is_empty() {
        missing.push("bilan.consultants".into());
    }
    if facts.consultants.iter().any(|c| c.qualification.is_none()) {
        missing.push("consultant.qualification".into());
    }
    if facts.planned_minutes <= 0 {
        missing.push("bilan.planned_hours".into());
    }
}
