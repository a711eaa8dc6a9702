//! The demo organisation's story (issue 16): Karim Benali's portfolio holds a bilan in every state,
//! spread over the last months, so that each demo account lands on real work. Camille Durand
//! (`beneficiaire@boussole.test`, the account the README lists) is in her investigation phase with
//! hours held, notes, consents, a past video session signed and the next one booked. Dates are
//! relative to today, Paris time; the verbs are in [`super::steps`].

use boussole_shared::appointments::AppointmentKind;
use boussole_shared::bilans::{BilanStatus as S, FactKind as F, Phase, SessionMode};
use boussole_shared::cpf::CpfState as C;
use boussole_shared::time::paris_date;
use boussole_shared::users::{Civility, Locale, Role};
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;

use super::steps::{Agreement, Demo};
use crate::accounts::{self, UserRow};
use crate::bilans::model::BilanRow;
use crate::config::Config;
use crate::db::Conn;
use crate::journal::{self, Actor};
use crate::schema::bilans;

/// The beneficiaries the story adds to `seed_demo`'s accounts: one per state of the workflow, and Paul
/// Girard, who has just registered and waits for the admin to open his bilan (the browser journeys do).
const CAST: [(&str, Civility, &str, &str); 6] = [
    ("julie.roux@boussole.test", Civility::Mme, "Julie", "Roux"),
    (
        "nicolas.fontaine@boussole.test",
        Civility::M,
        "Nicolas",
        "Fontaine",
    ),
    (
        "emilie.rousseau@boussole.test",
        Civility::Mme,
        "Émilie",
        "Rousseau",
    ),
    ("hugo.lambert@boussole.test", Civility::M, "Hugo", "Lambert"),
    (
        "sandrine.michel@boussole.test",
        Civility::Mme,
        "Sandrine",
        "Michel",
    ),
    ("paul.girard@boussole.test", Civility::M, "Paul", "Girard"),
];

fn id_of(conn: &mut Conn, email: &str) -> anyhow::Result<String> {
    accounts::find_by_email(conn, email)?
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("seed-demo: {email} is missing"))
}

fn add_cast(conn: &mut Conn) -> anyhow::Result<()> {
    let hash =
        crate::auth::password::hash(super::DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
    for (email, civility, first, last) in CAST {
        let mut row = UserRow::new(
            email,
            Role::Beneficiary,
            Some(civility),
            first,
            last,
            None,
            Locale::Fr,
            Some(hash.clone()),
        );
        row.email_verified_at = Some(row.created_at);
        accounts::insert(conn, &row)?;
        let details = serde_json::json!({ "role": "beneficiary" });
        journal::record(
            conn,
            &Actor::system(),
            "user.seed_demo",
            "user",
            Some(&row.id),
            details,
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}

/// Tells the story on top of `seed_demo` and `seed_demo_availability`, in one transaction.
pub fn seed_demo_story(conn: &mut Conn, config: &Config) -> anyhow::Result<()> {
    let now = config.clock.utc_now();
    let demo = Demo {
        config,
        admin: id_of(conn, "admin@boussole.test")?,
        consultant: id_of(conn, "consultant@boussole.test")?,
        now,
        today: paris_date(now),
    };
    conn.transaction(|conn| {
        add_cast(conn)?;
        camille(conn, &demo)?;
        let [julie, nicolas, emilie, hugo, sandrine, _paul] = CAST.map(|c| c.0);
        request_missing_documents(conn, &demo, julie)?;
        conclusion(conn, &demo, nicolas)?;
        completed(conn, &demo, emilie)?;
        abandoned(conn, &demo, hugo)?;
        closed(conn, &demo, sandrine)?;
        Ok::<_, anyhow::Error>(())
    })
}

/// Contract, information and consent `days` ago, then the preliminary phase two days later.
fn start(
    conn: &mut Conn,
    d: &Demo,
    id: &str,
    who: &str,
    contract: F,
    days: i64,
) -> anyhow::Result<()> {
    d.fact(conn, id, F::PreContractInfo, days)?;
    d.fact(conn, id, contract, days - 1)?;
    d.consent(conn, id, who, Agreement::Start, days - 1)?;
    d.move_to(conn, id, S::Preliminary, None, days - 2)
}

/// The preliminary phase's outputs, then the investigation phase.
fn investigate(conn: &mut Conn, d: &Demo, id: &str, days: i64) -> anyhow::Result<()> {
    for f in [
        F::NeedsAnalysis,
        F::PersonalisedObjectives,
        F::AgreedArrangements,
    ] {
        d.fact(conn, id, f, days)?;
    }
    d.move_to(conn, id, S::Investigation, None, days)
}

/// Sessions of `hours` each, on the given days ago at 9:30, in `phase`.
fn sessions(
    conn: &mut Conn,
    d: &Demo,
    id: &str,
    phase: Phase,
    list: &[(i64, i64)],
) -> anyhow::Result<()> {
    for (days, hours) in list {
        let mode = if days % 2 == 0 {
            SessionMode::OnSite
        } else {
            SessionMode::Remote
        };
        d.session(conn, id, phase, mode, d.at(*days, 9, 30), hours * 60)?;
    }
    Ok(())
}

/// The conclusion phase's outputs and the synthèse, then completed.
fn conclude(conn: &mut Conn, d: &Demo, id: &str, days: i64) -> anyhow::Result<()> {
    for f in [
        F::ResultsAppropriated,
        F::ProjectConditions,
        F::ProjectSteps,
        F::SyntheseDelivered,
    ] {
        d.fact(conn, id, f, days)?;
    }
    d.move_to(conn, id, S::Completed, None, days)
}

/// A CPF file whose moves happened the given numbers of days ago.
fn cpf_file(
    conn: &mut Conn,
    d: &Demo,
    id: &str,
    edof: &str,
    cents: i64,
    steps: &[(C, i64)],
) -> anyhow::Result<()> {
    let dated: Vec<(C, NaiveDate)> = steps
        .iter()
        .map(|(state, days)| (*state, d.today - Duration::days(*days)))
        .collect();
    Ok(crate::cpf::demo::seed_file(
        conn, id, edof, cents, &dated, d.now,
    )?)
}

fn row(conn: &mut Conn, id: &str) -> anyhow::Result<BilanRow> {
    Ok(bilans::table
        .find(id)
        .select(BilanRow::as_select())
        .first(conn)?)
}

/// Camille Durand, CPF, 20 hours: investigation for three weeks, 11 hours held (the last by video,
/// signed by both), a note she can read and one she cannot, her consent to share the synthèse with a
/// career adviser, and her next video session booked a few days ahead.
fn camille(conn: &mut Conn, d: &Demo) -> anyhow::Result<()> {
    let who = id_of(conn, "beneficiaire@boussole.test")?;
    let end = d.today + Duration::days(45);
    let id = d.open(conn, &who, "cpf", 20, Some(end), d.at(48, 10, 0))?;
    start(conn, d, &id, &who, F::CpfFileAccepted, 46)?;
    // Her EDOF file: asked, proposed, accepted (the contract fact above), the start declared on the
    // day of her first session.
    let steps = [
        (C::NotProcessed, 49),
        (C::Validated, 48),
        (C::Accepted, 45),
        (C::InTraining, 42),
    ];
    cpf_file(conn, d, &id, "EDOF-2026-104512", 160_000, &steps)?;
    sessions(conn, d, &id, Phase::Preliminary, &[(42, 2), (35, 2)])?;
    let first = d.at(42, 9, 30) + Duration::hours(2);
    d.note(conn, &id, Phase::Preliminary,
        "Entretien préliminaire : Camille souhaite quitter la comptabilité pour un métier plus tourné vers les personnes. \
         Pistes à explorer : formation d'adultes, conseil en insertion.", true, first)?;
    investigate(conn, d, &id, 34)?;
    sessions(conn, d, &id, Phase::Investigation, &[(27, 3), (20, 2)])?;
    d.note(conn, &id, Phase::Investigation,
        "Hypothèse à vérifier avec elle : le besoin de reconnaissance pèse plus que le contenu du poste.", false, d.at(20, 12, 0))?;
    d.consent(
        conn,
        &id,
        &who,
        Agreement::Share("Conseillère en évolution professionnelle (CEP)", "synthèse"),
        19,
    )?;
    let bilan = row(conn, &id)?;
    let past = d.book(
        conn,
        &bilan,
        AppointmentKind::BilanSession,
        SessionMode::Remote,
        d.on_weekday(7, 14, 0),
        120,
        d.at(12, 16, 0),
    )?;
    d.sign_both(conn, past)?;
    d.note(conn, &id, Phase::Investigation,
        "Enquête métier à mener avant la prochaine séance : rencontrer deux formateurs d'adultes (liste partagée).", true, d.at(7, 16, 30))?;
    d.book(
        conn,
        &bilan,
        AppointmentKind::BilanSession,
        SessionMode::Remote,
        d.on_weekday(-3, 14, 0),
        120,
        d.at(6, 9, 0),
    )?;
    Ok(())
}

/// Julie Roux opened five days ago, self-funded: information given, her contract and consent still missing.
fn request_missing_documents(conn: &mut Conn, d: &Demo, email: &str) -> anyhow::Result<()> {
    let who = &id_of(conn, email)?;
    let id = d.open(conn, who, "self_funded", 24, None, d.at(5, 9, 15))?;
    d.fact(conn, &id, F::PreContractInfo, 4)
}

/// Nicolas Fontaine, funded by his employer: conclusion phase, 18 hours held, last met 16 days ago,
/// his planned end in ten days, and the conclusion's outputs not recorded yet (the portfolio's alerts).
fn conclusion(conn: &mut Conn, d: &Demo, email: &str) -> anyhow::Result<()> {
    let who = &id_of(conn, email)?;
    let end = d.today + Duration::days(10);
    let id = d.open(conn, who, "employer", 22, Some(end), d.at(95, 10, 0))?;
    start(conn, d, &id, who, F::TripartiteConventionSigned, 92)?;
    sessions(conn, d, &id, Phase::Preliminary, &[(88, 2), (81, 2)])?;
    investigate(conn, d, &id, 80)?;
    sessions(
        conn,
        d,
        &id,
        Phase::Investigation,
        &[(74, 3), (60, 3), (46, 3), (32, 2)],
    )?;
    d.move_to(conn, &id, S::Conclusion, None, 31)?;
    sessions(conn, d, &id, Phase::Conclusion, &[(16, 3)])
}

/// Who Émilie Rousseau agreed to share her synthèse with: her CEP adviser.
pub const CEP_RECIPIENT: &str = "Conseiller en évolution professionnelle : Olivier Garnier (Apec)";

/// Émilie Rousseau, France Travail: completed four months ago after 21 hours, content kept for
/// follow-up under her agreement, her follow-up interview booked in three weeks; she agreed to share
/// her synthèse with her CEP adviser.
fn completed(conn: &mut Conn, d: &Demo, email: &str) -> anyhow::Result<()> {
    let who = &id_of(conn, email)?;
    let id = d.open(conn, who, "france_travail", 24, None, d.at(200, 10, 0))?;
    start(conn, d, &id, who, F::KairosQuoteAccepted, 196)?;
    sessions(conn, d, &id, Phase::Preliminary, &[(190, 3), (183, 3)])?;
    investigate(conn, d, &id, 182)?;
    sessions(
        conn,
        d,
        &id,
        Phase::Investigation,
        &[(176, 3), (169, 3), (162, 3)],
    )?;
    d.move_to(conn, &id, S::Conclusion, None, 161)?;
    sessions(conn, d, &id, Phase::Conclusion, &[(150, 3), (130, 3)])?;
    d.consent(conn, &id, who, Agreement::Retention(12), 128)?;
    // She asked for her synthèse to go to her CEP adviser (`synthesis::demo::seed_sent`).
    d.consent(
        conn,
        &id,
        who,
        Agreement::Share(CEP_RECIPIENT, "synthèse"),
        127,
    )?;
    conclude(conn, d, &id, 125)?;
    let bilan = row(conn, &id)?;
    let start_at = d.on_weekday(-21, 10, 0);
    d.book(
        conn,
        &bilan,
        AppointmentKind::FollowUp,
        SessionMode::OnSite,
        start_at,
        60,
        d.at(2, 11, 0),
    )?;
    Ok(())
}

/// Hugo Lambert, CPF: abandoned in his investigation phase three weeks ago (a job offer); his content destroyed.
fn abandoned(conn: &mut Conn, d: &Demo, email: &str) -> anyhow::Result<()> {
    let who = &id_of(conn, email)?;
    let id = d.open(conn, who, "cpf", 18, None, d.at(70, 14, 0))?;
    start(conn, d, &id, who, F::CpfFileAccepted, 66)?;
    // His end was never declared in EDOF: the office's CPF alerts show it overdue.
    let steps = [
        (C::NotProcessed, 71),
        (C::Validated, 70),
        (C::Accepted, 65),
        (C::InTraining, 60),
    ];
    cpf_file(conn, d, &id, "EDOF-2026-098731", 144_000, &steps)?;
    sessions(conn, d, &id, Phase::Preliminary, &[(60, 2)])?;
    d.note(
        conn,
        &id,
        Phase::Preliminary,
        "Premier entretien : projet de reconversion dans la logistique.",
        false,
        d.at(60, 12, 0),
    )?;
    investigate(conn, d, &id, 53)?;
    sessions(conn, d, &id, Phase::Investigation, &[(46, 2)])?;
    let reason = "Hugo a accepté un poste en CDI à temps plein et ne peut plus suivre les séances.";
    d.move_to(conn, &id, S::Abandoned, Some(reason), 21)
}

/// Sandrine Michel, self-funded: completed six months ago, closed after her follow-up, content destroyed.
fn closed(conn: &mut Conn, d: &Demo, email: &str) -> anyhow::Result<()> {
    let who = &id_of(conn, email)?;
    let id = d.open(conn, who, "self_funded", 16, None, d.at(260, 10, 0))?;
    // The individual contract 14 days before the start: the 10-day withdrawal period is over.
    d.fact(conn, &id, F::IndividualContractSigned, 256)?;
    d.fact(conn, &id, F::PreContractInfo, 257)?;
    d.consent(conn, &id, who, Agreement::Start, 250)?;
    d.move_to(conn, &id, S::Preliminary, None, 242)?;
    sessions(conn, d, &id, Phase::Preliminary, &[(240, 3)])?;
    d.note(
        conn,
        &id,
        Phase::Preliminary,
        "Projet : reprise d'une librairie.",
        true,
        d.at(240, 13, 0),
    )?;
    investigate(conn, d, &id, 234)?;
    sessions(
        conn,
        d,
        &id,
        Phase::Investigation,
        &[(226, 3), (212, 3), (198, 3)],
    )?;
    d.move_to(conn, &id, S::Conclusion, None, 197)?;
    sessions(conn, d, &id, Phase::Conclusion, &[(190, 3)])?;
    conclude(conn, d, &id, 185)?;
    d.move_to(conn, &id, S::Closed, None, 20)
}
