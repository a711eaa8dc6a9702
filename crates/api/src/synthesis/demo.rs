//! The demo's synthèse (`seed-demo`, after the story): Nicolas Fontaine, in his conclusion phase with
//! Karim Benali, has his synthèse submitted to him, with Karim's comment on the action plan: he logs
//! in to read, comment and approve it; Karim then issues it.

use boussole_shared::synthesis::{ActionStep, SynthesisSections, SynthesisStatus};
use boussole_shared::users::Role;
use diesel::prelude::*;

use super::{prefill, store};
use crate::assessments::demo::running_bilan;
use crate::audit::Actor;
use crate::bilans::model::{self, BilanRow};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::projection::rome::Catalogue;
use crate::schema::{bilans, syntheses};

fn step(step: &str, horizon: &str) -> ActionStep {
    ActionStep {
        step: step.into(),
        horizon: horizon.into(),
    }
}

/// Seeds Nicolas's submitted synthèse (nothing when his bilan is not there).
pub fn seed(conn: &mut Conn, master: &[u8; 32], rome: &Catalogue) -> anyhow::Result<()> {
    let go = |conn: &mut Conn| -> Result<(), ApiError> {
        let Some((id, _nicolas, karim)) = running_bilan(conn, "nicolas.fontaine@boussole.test")?
        else {
            return Ok(());
        };
        let bilan: BilanRow = bilans::table
            .find(&id)
            .select(BilanRow::as_select())
            .first(conn)?;
        let key = model::content_key(conn, master, &id)?;
        let prefilled = prefill::sections(conn, &key, &bilan, rome)?;
        let sections = SynthesisSections {
            circumstances: format!(
                "{}\nNicolas souhaitait, après quinze ans de maintenance industrielle, savoir s'il \
                 pouvait évoluer vers la formation ou la prévention sans repartir de zéro.",
                prefilled.circumstances
            ),
            skills:
                "Savoir-faire : diagnostic de pannes électromécaniques (expert), conduite de la \
                maintenance préventive, rédaction de modes opératoires, tutorat d'apprentis.\n\
                Savoir-être : pédagogie, calme sous la contrainte, sens de la sécurité."
                    .into(),
            investigation_results: "L'inventaire d'intérêts fait ressortir un profil réaliste et \
                social (code RSE). Deux enquêtes métier ont été menées : auprès d'un formateur en \
                maintenance d'un centre AFPA et d'une préventrice en entreprise."
                .into(),
            project: "Devenir formateur en maintenance industrielle (ROME K2111 — Formation \
                professionnelle), d'abord à temps partiel dans l'entreprise puis en organisme de \
                formation."
                .into(),
            alternatives: "Animateur prévention sécurité (ROME H1302), qui s'appuie sur la même \
                expérience du terrain."
                .into(),
            factors_for: "Quinze ans d'expérience reconnue, le tutorat déjà exercé, le soutien de \
                son responsable, un secteur qui recrute des formateurs techniques."
                .into(),
            factors_against: "Le titre professionnel de formateur reste à obtenir ; une baisse de \
                rémunération possible les premières années en organisme de formation."
                .into(),
            action_plan: vec![
                step(
                    "Demander un entretien professionnel à son employeur sur le projet",
                    "d'ici 1 mois",
                ),
                step(
                    "Constituer le dossier de financement du titre professionnel FPA (CPF et employeur)",
                    "d'ici 3 mois",
                ),
                step(
                    "Suivre le titre professionnel Formateur professionnel d'adultes",
                    "d'ici 12 mois",
                ),
                step(
                    "Animer ses premières sessions internes de formation sécurité",
                    "d'ici 6 mois",
                ),
            ],
            follow_up: prefilled.follow_up,
        };
        let row = store::save(conn, &key, &id, &karim, 0, &sections)?;
        let now = db::now();
        diesel::update(syntheses::table.find(&id))
            .set((
                syntheses::status.eq(SynthesisStatus::Submitted.as_str()),
                syntheses::submitted_revision.eq(Some(row.revision)),
                syntheses::submitted_at.eq(Some(now)),
            ))
            .execute(conn)?;
        store::add_comment(
            conn,
            &key,
            &id,
            &karim,
            Role::Consultant,
            Some("action_plan".into()),
            "Nicolas, relisez surtout les échéances du plan d'action : dites-moi si le calendrier \
             de la formation vous paraît tenable avec votre poste actuel.",
        )?;
        let what = model::Happened {
            event: "synthesis",
            action: "synthesis.submit",
            details: serde_json::json!({ "revision": row.revision }),
            content: true,
        };
        model::journal(conn, &Actor::user(&karim, None), &id, what)?;
        Ok(())
    };
    db::transaction(conn, go)?;
    Ok(())
}
