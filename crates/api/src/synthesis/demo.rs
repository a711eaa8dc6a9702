//! The demo's synthèse (`seed-demo`, after the story): Nicolas Fontaine, in his conclusion phase with
//! Karim Benali, has his synthèse submitted to him, with Karim's comment on the action plan: he logs
//! in to read, comment and approve it; Karim then issues it. Émilie Rousseau's was issued and sent
//! at her request to her CEP adviser, who downloaded it (`seed_sent`).

use boussole_shared::synthesis::{ActionStep, SynthesisSections, SynthesisStatus};
use boussole_shared::users::Role;
use diesel::prelude::*;

use super::{prefill, store};
use crate::assessments::demo::running_bilan;
use crate::bilans::model::{self, BilanRow};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::Actor;
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

/// Émilie Rousseau's synthèse (`seed-demo`, after the documents' demo has set the organisation's
/// identity): written, approved and issued, then sent at her request to her CEP adviser, who
/// downloaded it, so that it is kept apart for 3 years (R6313-7). Nothing when she is not there.
pub async fn seed_sent(state: &crate::AppState) -> anyhow::Result<()> {
    use crate::schema::{bilan_consents, bilan_consultants, synthesis_sendings as q, users};
    use boussole_shared::synthesis::SendingStatus;

    let master = state.config.master_key.clone();
    let found = db::run(&state.pool, move |conn| {
        let who: Option<String> = users::table
            .filter(users::email.eq("emilie.rousseau@boussole.test"))
            .select(users::id)
            .first(conn)
            .optional()?;
        let Some(who) = who else { return Ok(None) };
        let bilan: String = bilans::table
            .filter(bilans::beneficiary_id.eq(&who))
            .select(bilans::id)
            .first(conn)?;
        let consultant: String = bilan_consultants::table
            .filter(bilan_consultants::bilan_id.eq(&bilan))
            .filter(bilan_consultants::unassigned_at.is_null())
            .select(bilan_consultants::consultant_id)
            .first(conn)?;
        let consent: String = bilan_consents::table
            .filter(bilan_consents::bilan_id.eq(&bilan))
            .filter(bilan_consents::recipient.eq(crate::seed::story::CEP_RECIPIENT))
            .select(bilan_consents::id)
            .first(conn)?;
        let key = model::content_key(conn, &master, &bilan)?;
        let row = store::save(conn, &key, &bilan, &consultant, 0, &emilie())?;
        let now = db::now();
        diesel::update(syntheses::table.find(&bilan))
            .set((
                syntheses::status.eq(SynthesisStatus::Approved.as_str()),
                syntheses::submitted_revision.eq(Some(row.revision)),
                syntheses::submitted_at.eq(Some(now)),
                syntheses::approved_revision.eq(Some(row.revision)),
                syntheses::approved_at.eq(Some(now)),
            ))
            .execute(conn)?;
        Ok::<_, ApiError>(Some((bilan, consultant, consent)))
    })
    .await?;
    let Some((bilan, consultant, consent)) = found else {
        return Ok(());
    };
    let viewer = crate::auth::caller::Viewer::Consultant(consultant.clone());
    let actor = Actor::user(&consultant, None);
    let doc = super::issue::issue(state, &bilan, &viewer, &actor).await?;
    let doc_id = doc.id.to_string();
    let row: crate::documents::store::DocumentRow = db::run(&state.pool, {
        let d = doc_id.clone();
        move |conn| {
            Ok(crate::schema::issued_documents::table
                .find(&d)
                .select(crate::documents::store::DocumentRow::as_select())
                .first(conn)?)
        }
    })
    .await?;
    // The copy kept apart, as the recipient's download makes it.
    let pdf = crate::documents::store::read_pdf(state, &row).await?;
    let kept = crate::crypto::derived_key(&state.config.master_key, super::sending::KEPT_PURPOSE);
    let sealed = crate::crypto::encrypt_bytes(kept.as_slice(), &doc_id, &pdf)?;
    state
        .storage
        .put(&super::sending::kept_key(&bilan, &doc_id), sealed)
        .await?;
    db::run(&state.pool, move |conn| {
        let now = db::now();
        let sid = db::new_id();
        diesel::insert_into(q::table)
            .values((
                q::id.eq(&sid),
                q::bilan_id.eq(&bilan),
                q::document_id.eq(&doc_id),
                q::consent_id.eq(&consent),
                q::recipient.eq(crate::seed::story::CEP_RECIPIENT),
                q::email.eq("olivier.garnier@apec.example"),
                q::is_cep.eq(true),
                q::status.eq(SendingStatus::Downloaded.as_str()),
                // A link nobody holds: the download is done.
                q::token_hash.eq(crate::auth::tokens::sha256_hex(&crate::auth::tokens::random_token())),
                q::code_channel.eq(Some("email")),
                q::code_sent_at.eq(Some(now)),
                q::code_attempts.eq(0),
                q::expires_at.eq(now + chrono::Duration::days(super::sending::LINK_DAYS)),
                q::sent_by.eq(&consultant),
                q::sent_at.eq(now),
                q::downloaded_at.eq(Some(now)),
                q::ended_at.eq(Some(now)),
            ))
            .execute(conn)?;
        let journal = |conn: &mut Conn, actor: &Actor, action: &str| {
            let what = model::Happened {
                event: "synthesis",
                action,
                details: serde_json::json!({ "sending_id": sid, "document_id": doc_id, "cep": true }),
                content: false,
            };
            model::journal(conn, actor, &bilan, what)
        };
        journal(conn, &Actor::user(&consultant, None), "synthesis.send")?;
        journal(conn, &Actor::anonymous(None), "synthesis.shared.download")?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(())
}

/// Émilie's synthèse: from accountancy to adult training.
fn emilie() -> SynthesisSections {
    SynthesisSections {
        circumstances: "Émilie, comptable depuis douze ans, inscrite à France Travail après la \
            fermeture de son cabinet, voulait savoir vers quel métier orienter la suite."
            .into(),
        skills:
            "Savoir-faire : comptabilité générale, paie, relation avec les clients du cabinet, \
            formation des stagiaires.\nSavoir-être : patience, clarté, sens du service."
                .into(),
        investigation_results: "Intérêts sociaux et conventionnels (code SCE). Deux enquêtes \
            métier : une formatrice en gestion d'un GRETA, un conseiller en insertion."
            .into(),
        project: "Formatrice en comptabilité et gestion pour adultes (ROME K2111).".into(),
        alternatives: "Conseillère en insertion professionnelle (ROME K1801).".into(),
        factors_for: "Expertise technique solide, expérience de tutorat, un besoin de formateurs \
            en gestion dans sa région."
            .into(),
        factors_against: "Le titre de formateur reste à obtenir ; des contrats souvent à temps \
            partiel au début."
            .into(),
        action_plan: vec![
            step(
                "Rencontrer sa conseillère CEP pour le financement du titre FPA",
                "d'ici 1 mois",
            ),
            step(
                "Suivre le titre professionnel Formateur professionnel d'adultes",
                "d'ici 9 mois",
            ),
        ],
        follow_up: "Entretien de suivi à six mois, avec sa conseillère CEP.".into(),
    }
}
