//! The story's grid and projection (issue 16): Camille Durand, an accountant for twelve years, wants a
//! job "more turned towards people". In her investigation phase she and Karim have written three
//! experiences, the skills they show, two paths (training adults in accounting, with an enquête métier;
//! advising job seekers), scored both in the decision matrix, and started an action plan — a draft:
//! the project is not chosen yet, its steps are the enquêtes still to do.

use boussole_shared::projection::{
    Achievement, ActionPlanInput, ActionStep, FieldInterview, NewCareerPath, NewExperience,
    PathConstraints, PathStatus, RequiredSkill, SkillCategory as Cat,
};
use chrono::Duration;

use super::demo::{DemoSkill, add_skills, day, save_scores};
use super::store::{self, Kind};
use super::{matrix, paths, rome::Catalogue};
use crate::assessments::demo::running_bilan;
use crate::bilans::model;
use crate::db::{self, Conn};
use crate::error::ApiError;

fn sar(situation: &str, action: &str, result: &str) -> Achievement {
    Achievement {
        situation: situation.into(),
        action: action.into(),
        result: result.into(),
    }
}

/// Seeds Camille's grid and projection on her running bilan (after the story).
pub fn seed_story(conn: &mut Conn, master: &[u8; 32]) -> anyhow::Result<()> {
    let go = |conn: &mut Conn| -> Result<(), ApiError> {
        let Some((bilan, camille, karim)) = running_bilan(conn, "beneficiaire@boussole.test")?
        else {
            return Ok(());
        };
        let key = model::content_key(conn, master, &bilan)?;
        let experience =
            |job: &str, employer: &str, from, to, tasks: &str, achievements| NewExperience {
                job_title: job.into(),
                employer: Some(employer.into()),
                started_on: from,
                ended_on: to,
                tasks: tasks.into(),
                achievements,
            };
        let cabinet = experience(
            "Comptable",
            "Cabinet Lemaire & associés",
            day(2014, 9, 1)?,
            None,
            "Tenir la comptabilité de 40 petites entreprises, préparer les bilans, recevoir les clients.",
            vec![
                sar(
                    "Les assistantes arrivées en 2021 faisaient beaucoup d'erreurs de saisie.",
                    "J'ai écrit un guide pas à pas et animé quatre ateliers d'une heure.",
                    "Erreurs de saisie divisées par trois ; le guide sert encore aux nouvelles.",
                ),
                sar(
                    "Un client artisan ne comprenait pas pourquoi il devait payer autant d'impôts.",
                    "J'ai repris son bilan avec lui, poste par poste, avec des exemples de son atelier.",
                    "Il est resté client et m'a envoyé deux confrères.",
                ),
            ],
        );
        let cabinet = store::insert(conn, &key, &bilan, Kind::Experience, &camille, &cabinet)?;
        let assistant = experience(
            "Assistante comptable",
            "Transports Garnier",
            day(2010, 6, 1)?,
            Some(day(2014, 8, 31)?),
            "Saisir les factures, relancer les clients, préparer les déclarations de TVA.",
            vec![sar(
                "Les relances clients prenaient deux jours par mois.",
                "J'ai proposé un tableau de suivi partagé avec les commerciaux.",
                "Délai moyen de paiement réduit de 12 jours.",
            )],
        );
        let assistant = store::insert(conn, &key, &bilan, Kind::Experience, &camille, &assistant)?;
        let volunteer = experience(
            "Bénévole, aide aux devoirs",
            "Association Lire et faire lire",
            day(2019, 1, 1)?,
            None,
            "Accompagner deux collégiens chaque mercredi.",
            vec![],
        );
        let volunteer = store::insert(conn, &key, &bilan, Kind::Experience, &camille, &volunteer)?;
        let skills: [DemoSkill<'_>; 7] = [
            (
                "Comptabilité générale",
                Cat::Knowledge,
                4,
                Some(cabinet.uuid),
                false,
                "12 ans en cabinet, bilans de 40 entreprises",
            ),
            (
                "Expliquer simplement",
                Cat::SoftSkill,
                3,
                Some(cabinet.uuid),
                true,
                "Bilans repris avec les clients, sans jargon",
            ),
            (
                "Former des collègues",
                Cat::KnowHow,
                3,
                Some(cabinet.uuid),
                true,
                "Guide et ateliers pour les assistantes",
            ),
            (
                "Écoute",
                Cat::SoftSkill,
                3,
                Some(volunteer.uuid),
                true,
                "Aide aux devoirs depuis 2019",
            ),
            (
                "Rigueur et respect des délais",
                Cat::SoftSkill,
                4,
                Some(cabinet.uuid),
                true,
                "Aucune clôture en retard depuis 2019",
            ),
            (
                "Suivi de la relation client",
                Cat::KnowHow,
                3,
                Some(assistant.uuid),
                true,
                "Tableau de relances partagé",
            ),
            (
                "Logiciels de comptabilité",
                Cat::Knowledge,
                4,
                Some(assistant.uuid),
                false,
                "Sage, Cegid",
            ),
        ];
        add_skills(conn, &key, &bilan, &karim, &skills)?;

        let rome = Catalogue::load().map_err(ApiError::Internal)?;
        let need = |name: &str, level| RequiredSkill {
            name: name.into(),
            level,
        };
        let trainer = paths::check_codes(&rome, NewCareerPath {
            title: "Formatrice d'adultes en comptabilité".into(),
            rome_codes: vec!["K2111".into()],
            motivations: "Transmettre un métier que je connais bien ; voir les stagiaires progresser.".into(),
            required_skills: vec![
                need("Comptabilité générale", Some(4)),
                need("Former des collègues", Some(3)),
                need("Ingénierie de formation", Some(2)),
            ],
            constraints: PathConstraints {
                pay: "Proche de mon salaire actuel en CDI ; plus variable en indépendante.".into(),
                mobility: "Centres de formation de l'agglomération.".into(),
                training: "Titre professionnel Formateur professionnel d'adultes (FPA), 7 à 9 mois.".into(),
                market: "Les centres cherchent des formateurs en comptabilité-gestion.".into(),
            },
            interviews: vec![FieldInterview {
                who: "Nadia B.".into(),
                role: "Formatrice en comptabilité au GRETA".into(),
                held_on: (db::now() - Duration::days(9)).date(),
                learnt: "Beaucoup de préparation au début ; un public très varié ; le titre FPA aide à être recrutée.".into(),
            }],
            status: PathStatus::Kept,
        })?;
        let trainer = store::insert(conn, &key, &bilan, Kind::CareerPath, &camille, &trainer)?;
        let adviser = paths::check_codes(
            &rome,
            NewCareerPath {
                title: "Conseillère en insertion professionnelle".into(),
                rome_codes: vec!["K1801".into()],
                motivations:
                    "Aider des personnes à retrouver un travail ; un métier utile, au contact."
                        .into(),
                required_skills: vec![
                    need("Écoute", Some(3)),
                    need("Connaissance du marché du travail", Some(3)),
                ],
                constraints: PathConstraints {
                    pay: "Salaire plus bas qu'aujourd'hui au début.".into(),
                    mobility: String::new(),
                    training: "Titre professionnel CIP (environ 8 mois) ou VAE partielle.".into(),
                    market: "Postes surtout en CDD dans les associations.".into(),
                },
                interviews: vec![],
                status: PathStatus::Exploring,
            },
        )?;
        let adviser = store::insert(conn, &key, &bilan, Kind::CareerPath, &camille, &adviser)?;

        // Trainer: 4·3 + 5·3 + 4·2 + 3·2 + 4·2 = 49; adviser: 5·3 + 3·3 + 3·2 + 3·2 + 2·2 = 40.
        let notes = [
            (trainer.uuid, [4, 5, 4, 3, 4]),
            (adviser.uuid, [5, 3, 3, 3, 2]),
        ];
        save_scores(conn, &key, &bilan, &karim, &notes)?;

        // A draft: no path chosen yet, the steps are the enquêtes still to do.
        let today = db::now().date();
        let step = |label: &str, days: i64| ActionStep {
            label: label.into(),
            due_on: Some(today + Duration::days(days)),
            done: false,
        };
        let plan = ActionPlanInput {
            career_path_id: None,
            project: "À choisir après les enquêtes : formatrice d'adultes en comptabilité, \
                      ou conseillère en insertion."
                .into(),
            steps: vec![
                step("Rencontrer une deuxième formatrice (centre AFPA)", 10),
                step("Passer une journée avec une conseillère en insertion", 20),
            ],
            trainings: vec![],
            resources: vec!["Fiches ROME K2111 et K1801 sur francetravail.fr".into()],
        };
        matrix::save_plan(conn, &key, &bilan, &karim, &plan)?;
        Ok(())
    };
    db::transaction(conn, go).map_err(|e| anyhow::anyhow!("demo projection: {e}"))
}
