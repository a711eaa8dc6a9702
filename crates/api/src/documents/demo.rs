//! Demo documents (`seed-demo`, after the story): a fictional organisation's identity, Émilie
//! Rousseau's certificat de réalisation (her bilan is completed) and Camille Durand's pre-contract
//! information (its introduction from the organisation's version 1 of the template), both issued by
//! the demo admin. After the money's demo ([`seed_legal`]): Nicolas Fontaine's consent with its GDPR
//! notice, his règlement intérieur (acknowledged) and his convention with his OPCO; Julie Roux's
//! règlement intérieur, waiting for her acknowledgement.

use boussole_shared::bilans::{BilanFormat, FundingMode, Phase, SessionMode};
use boussole_shared::documents::{DocumentKind, OrganisationIdentity};
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;

use super::data::{Facts, HeldSession, Signed};

use crate::AppState;
use crate::accounts;
use crate::auth::caller::Viewer;
use crate::journal::Actor;
use crate::schema::bilans;

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
        dpo_contact: "dpo@cap-horizons.example".into(),
        reglement_interieur: REGLEMENT.into(),
    }
}

/// The demo organisation's règlement intérieur (L6352-3, R6352-1 to R6352-15), short but complete.
pub const REGLEMENT: &str = "Article 1 – Objet et champ d'application\n\
Le présent règlement s'applique à toute personne qui suit une action de Cap Horizons Conseil, dans \
ses locaux comme à distance. Il fixe les règles d'hygiène et de sécurité, les règles de discipline \
et les sanctions, et les droits de la défense.

Article 2 – Hygiène et sécurité\n\
Chacun respecte les consignes d'hygiène et de sécurité affichées dans les locaux, notamment les \
consignes d'évacuation en cas d'incendie. Il est interdit de fumer ou de vapoter dans les locaux. \
Tout accident survenu pendant une séance ou sur le trajet est signalé sans délai à l'organisme.

Article 3 – Discipline\n\
Le bénéficiaire respecte les horaires convenus et prévient l'organisme de toute absence ou de tout \
retard. Les séances à distance se tiennent depuis l'espace Boussole, dans un lieu calme et \
confidentiel. Les documents et outils remis sont à usage personnel.

Article 4 – Sanctions et garanties\n\
Tout manquement au présent règlement peut donner lieu à un avertissement ou à l'exclusion de \
l'action. Aucune sanction ne peut être prise sans que le bénéficiaire ait été informé par écrit des \
griefs retenus et entendu, assisté s'il le souhaite de la personne de son choix (articles R6352-4 \
à R6352-8). Le financeur est informé de toute exclusion.

Article 5 – Représentation\n\
Les actions de bilan de compétences étant individuelles, l'élection de délégués prévue par les \
articles R6352-9 à R6352-12 ne s'applique qu'aux actions collectives de plus de 500 heures.";

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
        consultants: vec![super::data::AssignedConsultant {
            name: "Karim Benali".into(),
            qualification: Some(crate::seed::KARIM_QUALIFICATION.into()),
        }],
        consents: vec![super::data::ConsentLine {
            kind: boussole_shared::bilans::ConsentKind::Start,
            statement: boussole_shared::bilans::START_STATEMENT.into(),
            given_at: start - Duration::days(2),
            ip: Some("203.0.113.7".into()),
            revoked_at: None,
        }],
        fundings: vec![super::data::FundingLine {
            payer_kind: boussole_shared::money::PayerKind::Opco,
            payer_name: "OPCO Avenir Compétences (fictif)".into(),
            payer_siret: Some("85120364700017".into()),
            payer_address: "25 quai Perrache\n69002 Lyon".into(),
            payer_contact: "Pôle financements, financements@opco-avenir.example".into(),
            amount_cents: 180_000,
            agreement_number: Some("AVC-2026-04187".into()),
            agreement_date: start.date().checked_sub_days(chrono::Days::new(10)),
            subrogation: true,
            status: boussole_shared::money::FundingStatus::Agreed,
        }],
        follow_up_months: 6,
        reglement_acknowledged_on: Some(start.date()),
        texts: Default::default(),
        template_version: 0,
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
    let Some(user) = accounts::find_by_email(conn, email)? else {
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
    let admin = accounts::find_by_email(&mut conn, "admin@boussole.test")?
        .ok_or_else(|| anyhow::anyhow!("seed-demo: the admin is missing"))?;
    // The pre-contract information's introduction, worded by the organisation (version 1).
    let update = boussole_shared::templates::TemplateUpdate {
        version: 0,
        sections: vec![boussole_shared::templates::TemplateSectionText {
            key: "introduction".into(),
            text: "Bonjour {{beneficiary.full_name}}, voici ce que {{organisation.name}} vous \
                   propose pour votre bilan de compétences, avant votre inscription définitive \
                   (article L6353-8 du Code du travail). Votre consultant : {{bilan.consultants}}."
                .into(),
        }],
    };
    super::templates::save(
        &mut conn,
        DocumentKind::PreContractInfo,
        &update,
        &admin.id,
        &Actor::user(&admin.id, None),
    )
    .map_err(|e| anyhow::anyhow!("seed-demo: template: {e}"))?;
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

/// The documents that need the money's demo (the OPCO line of Nicolas): issued by the demo admin.
pub async fn seed_legal(state: &AppState) -> anyhow::Result<()> {
    let mut conn = state.pool.get()?;
    let admin = accounts::find_by_email(&mut conn, "admin@boussole.test")?
        .ok_or_else(|| anyhow::anyhow!("seed-demo: the admin is missing"))?;
    let wanted = [
        ("nicolas.fontaine@boussole.test", DocumentKind::Consent),
        (
            "nicolas.fontaine@boussole.test",
            DocumentKind::ReglementInterieur,
        ),
        ("julie.roux@boussole.test", DocumentKind::ReglementInterieur),
        (
            "nicolas.fontaine@boussole.test",
            DocumentKind::FunderConvention,
        ),
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
    for (bilan, kind) in &todo {
        super::store::issue(state, bilan, *kind, &viewer, &actor)
            .await
            .map_err(|e| anyhow::anyhow!("seed-demo: {}: {e}", kind.as_str()))?;
    }
    // Nicolas read his the day it was issued.
    let mut conn = state.pool.get()?;
    if let (Some(nicolas), Some(bilan)) = (
        accounts::find_by_email(&mut conn, "nicolas.fontaine@boussole.test")?,
        bilan_of(&mut conn, "nicolas.fontaine@boussole.test")?,
    ) {
        let fact = boussole_shared::bilans::NewFact {
            kind: boussole_shared::bilans::FactKind::ReglementInterieurAcknowledged,
            occurred_on: boussole_shared::time::paris_date(state.config.clock.utc_now()),
        };
        crate::bilans::records::record_fact(
            &mut conn,
            &Actor::user(&nicolas.id, None),
            &bilan,
            &fact,
            &nicolas.id,
        )
        .map_err(|e| anyhow::anyhow!("seed-demo: acknowledgement: {e}"))?;
    }
    Ok(())
}
