//! Demo documents (`seed-demo`, after the story): a fictional organisation's identity, Émilie
//! Rousseau's certificat de réalisation (her bilan is completed) and Camille Durand's pre-contract
//! information, both issued by the demo admin.

use boussole_shared::bilans::{BilanFormat, FundingMode, Phase, SessionMode};
use boussole_shared::documents::{DocumentKind, OrganisationIdentity};
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;

use super::data::{Facts, HeldSession, Signed};

use crate::AppState;
use crate::audit::Actor;
use crate::auth::caller::Viewer;
use crate::schema::bilans;
use crate::users::model;

/// A plausible organisation that does not exist (the SIRET passes the Luhn check; the NDA is made up).
pub fn identity() -> OrganisationIdentity {
    OrganisationIdentity {
        name: "Cap Horizons Conseil".into(),
        address: "12 rue des Tanneurs\n69001 Lyon".into(),
        city: "Lyon".into(),
        siret: "81234567800013".into(),
        nda: "84691234569".into(),
        nda_region: "Auvergne-Rhône-Alpes".into(),
        qualiopi_certificate: "QUAL-2024-01187".into(),
        qualiopi_certifier: "Certi'Form (organisme certificateur fictif)".into(),
        vat_exempt: true,
        representative_name: "Claire Vasseur".into(),
        representative_title: "Présidente".into(),
        disability_referent_name: "Julien Marchand".into(),
        disability_referent_contact: "referent.handicap@cap-horizons.example, 04 72 00 00 01".into(),
        contact: "Accueil : contact@cap-horizons.example, 04 72 00 00 00".into(),
        price_cents: Some(180_000),
        payment_terms: "Financement par le CPF, France Travail ou l'employeur : règlement par le \
                        financeur à l'issue de l'action. Financement personnel : 30 % au plus après le \
                        délai de rétractation, le solde en deux échéances au fil des phases."
            .into(),
        cancellation_terms: "Le bénéficiaire peut annuler sans frais jusqu'à 10 jours avant la première \
                             séance. En cas d'abandon en cours d'action, seules les heures réalisées sont \
                             facturées, au prorata du prix."
            .into(),
        legal_form: "SAS".into(),
        share_capital: "10 000 €".into(),
        rcs_city: "Lyon".into(),
        vat_number: String::new(),
    }
}

/// Facts without a database (the benchmark, the rendering tests): the demo organisation, Émilie
/// Rousseau, `sessions` weekly two-hour remote sessions signed by both.
pub fn sample_facts(sessions: i64) -> Facts {
    let start = NaiveDate::from_ymd_opt(2026, 9, 1)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .unwrap_or_default();
    let signed = |at| {
        Some(Signed {
            at,
            method: "click".into(),
        })
    };
    Facts {
        org: identity(),
        bilan_id: "sample".into(),
        funding: FundingMode::SelfFunded,
        format: BilanFormat::Mixed,
        planned_minutes: 24 * 60,
        beneficiary: "Émilie Rousseau".into(),
        employer: Some("Boulangerie Lefèvre & Fils".into()),
        employer_siret: Some("73282932000074".into()),
        employer_contact: Some("Mme Lefèvre, rh@boulangerie-lefevre.example".into()),
        opened_on: start.date(),
        planned_end_on: start.date().checked_add_days(chrono::Days::new(70)),
        consultants: vec!["Karim Benali".into()],
        sessions: (0..sessions)
            .map(|n| {
                let starts_at = start + Duration::days(7 * n);
                HeldSession {
                    starts_at,
                    ends_at: starts_at + Duration::minutes(120),
                    minutes: 120,
                    mode: SessionMode::Remote,
                    phase: Phase::Investigation,
                    booked: true,
                    beneficiary: signed(starts_at + Duration::minutes(3)),
                    consultant: signed(starts_at + Duration::minutes(1)),
                }
            })
            .collect(),
    }
}

fn bilan_of(conn: &mut crate::db::Conn, email: &str) -> anyhow::Result<Option<String>> {
    let Some(user) = model::find_by_email(conn, email)? else {
        return Ok(None);
    };
    Ok(bilans::table
        .filter(bilans::beneficiary_id.eq(&user.id))
        .order(bilans::created_at.desc())
        .select(bilans::id)
        .first(conn)
        .optional()?)
}

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let mut conn = state.pool.get()?;
    let value = serde_json::to_value(identity())?;
    crate::settings::put(&mut conn, crate::settings::ORGANISATION, &value)?;
    let admin = model::find_by_email(&mut conn, "admin@boussole.test")?
        .ok_or_else(|| anyhow::anyhow!("seed-demo: the admin is missing"))?;
    let wanted = [
        (
            "emilie.rousseau@boussole.test",
            DocumentKind::CertificatRealisation,
        ),
        ("beneficiaire@boussole.test", DocumentKind::PreContractInfo),
    ];
    let mut todo = Vec::new();
    for (email, kind) in wanted {
        if let Some(bilan) = bilan_of(&mut conn, email)? {
            todo.push((bilan, kind));
        }
    }
    drop(conn);
    let (viewer, actor) = (
        Viewer::Admin(admin.id.clone()),
        Actor::user(&admin.id, None),
    );
    for (bilan, kind) in todo {
        super::store::issue(state, &bilan, kind, &viewer, &actor)
            .await
            .map_err(|e| anyhow::anyhow!("seed-demo: {}: {e}", kind.as_str()))?;
    }
    Ok(())
}
