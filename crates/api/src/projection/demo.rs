//! The demo's grid and projection: Lucas Moreau, team leader in a warehouse, explores two paths —
//! training others in logistics, or turning his woodworking hobby into a trade.

use boussole_shared::projection::{
    Achievement, ActionPlanInput, ActionStep, DecisionMatrixInput, FieldInterview, NewCareerPath,
    NewExperience, NewSkill, PathConstraints, PathStatus, RequiredSkill, Score, SkillCategory,
    default_criteria,
};
use chrono::{Duration, NaiveDate};

use super::store::{self, Kind};
use super::{matrix, paths, rome::Catalogue};
use crate::bilans::model;
use crate::db::{self, Conn};
use crate::error::ApiError;

pub(super) fn day(y: i32, m: u32, d: u32) -> Result<NaiveDate, ApiError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| ApiError::internal("demo date"))
}

/// A skill of the demo grid: name, category, level, experience it comes from, transferable, evidence.
pub(super) type DemoSkill<'a> = (
    &'a str,
    SkillCategory,
    u8,
    Option<uuid::Uuid>,
    bool,
    &'a str,
);

/// Saves the decision matrix of `bilan` with the default criteria: each path's notes, one per
/// criterion in their order.
pub(super) fn save_scores(
    conn: &mut Conn,
    key: &[u8],
    bilan: &str,
    by: &str,
    notes: &[(uuid::Uuid, [u8; 5])],
) -> Result<(), ApiError> {
    let criteria = default_criteria();
    let scores = notes
        .iter()
        .flat_map(|(path, marks)| {
            criteria.iter().zip(marks).map(|(c, &score)| Score {
                path_id: *path,
                criterion: c.key.clone(),
                score,
            })
        })
        .collect();
    let input = DecisionMatrixInput { criteria, scores };
    matrix::save_matrix(conn, key, bilan, by, &input)?;
    Ok(())
}

/// Records `skills` in the grid of `bilan`, written by `by`.
pub(super) fn add_skills(
    conn: &mut Conn,
    key: &[u8],
    bilan: &str,
    by: &str,
    skills: &[DemoSkill<'_>],
) -> Result<(), ApiError> {
    for &(name, category, level, exp, transferable, evidence) in skills {
        store::insert(
            conn,
            key,
            bilan,
            Kind::Skill,
            by,
            &NewSkill {
                name: name.into(),
                category,
                level,
                evidence: evidence.into(),
                experience_id: exp,
                transferable,
            },
        )?;
    }
    Ok(())
}

/// Seeds the grid of `bilan` as its consultant and beneficiary would have filled it together.
pub fn seed(
    conn: &mut Conn,
    master: &[u8; 32],
    bilan: &str,
    consultant: &str,
    beneficiary: &str,
) -> Result<(), ApiError> {
    let key = model::content_key(conn, master, bilan)?;
    let lead = store::insert(conn, &key, bilan, Kind::Experience, beneficiary, &NewExperience {
        job_title: "Chef d'équipe logistique".into(),
        employer: Some("Entrepôts du Rhône".into()),
        started_on: day(2017, 3, 1)?,
        ended_on: None,
        tasks: "Encadrer 8 préparateurs, planifier les tournées de préparation, accueillir les intérimaires.".into(),
        achievements: vec![Achievement {
            situation: "Trop d'erreurs de préparation pendant les pics de fin d'année.".into(),
            action: "J'ai conçu un parcours d'accueil d'une demi-journée et un binôme pour chaque nouvel arrivant.".into(),
            result: "Erreurs divisées par deux en un trimestre ; le parcours a été repris par les deux autres sites.".into(),
        }],
    })?;
    let picker = store::insert(
        conn,
        &key,
        bilan,
        Kind::Experience,
        beneficiary,
        &NewExperience {
            job_title: "Préparateur de commandes".into(),
            employer: None,
            started_on: day(2012, 9, 1)?,
            ended_on: Some(day(2017, 2, 28)?),
            tasks: "Préparer et contrôler les commandes, conduire un chariot (CACES 1 et 5)."
                .into(),
            achievements: vec![],
        },
    )?;
    let skills: [DemoSkill<'_>; 6] = [
        (
            "Animation d'équipe",
            SkillCategory::SoftSkill,
            3,
            Some(lead.uuid),
            true,
            "Encadre 8 préparateurs",
        ),
        (
            "Pédagogie",
            SkillCategory::SoftSkill,
            3,
            Some(lead.uuid),
            true,
            "Parcours d'accueil des intérimaires",
        ),
        (
            "Planification",
            SkillCategory::KnowHow,
            3,
            Some(lead.uuid),
            true,
            "Planning des tournées de préparation",
        ),
        (
            "Gestion des stocks",
            SkillCategory::Knowledge,
            3,
            Some(picker.uuid),
            false,
            "Inventaires tournants",
        ),
        (
            "Conduite de chariot élévateur",
            SkillCategory::KnowHow,
            4,
            Some(picker.uuid),
            false,
            "CACES 1 et 5",
        ),
        (
            "Travail du bois",
            SkillCategory::KnowHow,
            2,
            None,
            true,
            "Loisir : meubles pour la famille",
        ),
    ];
    add_skills(conn, &key, bilan, consultant, &skills)?;
    let rome = Catalogue::load().map_err(ApiError::Internal)?;
    let need = |name: &str, level| RequiredSkill {
        name: name.into(),
        level,
    };
    let trainer = paths::check_codes(&rome, NewCareerPath {
        title: "Formateur en logistique".into(),
        rome_codes: vec!["K2111".into(), "K2124".into()],
        motivations: "Transmettre, voir les nouveaux progresser ; garder un pied dans la logistique.".into(),
        required_skills: vec![need("Pédagogie", Some(3)), need("Conduite de chariot élévateur", Some(4)), need("Ingénierie de formation", Some(2))],
        constraints: PathConstraints {
            pay: "Équivalent au salaire actuel.".into(),
            mobility: "Déplacements dans la région.".into(),
            training: "Titre professionnel Formateur professionnel d'adultes (FPA), environ 9 mois.".into(),
            market: "Demande soutenue des organismes de formation CACES.".into(),
        },
        interviews: vec![FieldInterview {
            who: "Sandrine L.".into(),
            role: "Formatrice CACES dans un centre AFPA".into(),
            held_on: (db::now() - Duration::days(6)).date(),
            learnt: "Le titre FPA est attendu ; beaucoup d'heures en salle, peu de terrain au début.".into(),
        }],
        status: PathStatus::Kept,
    })?;
    let trainer = store::insert(conn, &key, bilan, Kind::CareerPath, beneficiary, &trainer)?;
    let joiner = paths::check_codes(
        &rome,
        NewCareerPath {
            title: "Menuisier".into(),
            rome_codes: vec!["H2206".into()],
            motivations: "Le plaisir de fabriquer ; le bois est ma passion depuis l'enfance."
                .into(),
            required_skills: vec![
                need("Travail du bois", Some(3)),
                need("Lecture de plans", None),
            ],
            constraints: PathConstraints {
                pay: "Baisse de salaire la première année.".into(),
                mobility: String::new(),
                training: "CAP menuisier en un an (reconversion).".into(),
                market: "Artisans qui recrutent, mais surtout des profils expérimentés.".into(),
            },
            interviews: vec![],
            status: PathStatus::Exploring,
        },
    )?;
    let joiner = store::insert(conn, &key, bilan, Kind::CareerPath, beneficiary, &joiner)?;
    // Trainer: 4·3 + 4·3 + 4·2 + 3·2 + 4·2 = 46; joiner: 5·3 + 2·3 + 3·2 + 2·2 + 2·2 = 35.
    let notes = [
        (trainer.uuid, [4, 4, 4, 3, 4]),
        (joiner.uuid, [5, 2, 3, 2, 2]),
    ];
    save_scores(conn, &key, bilan, consultant, &notes)?;
    let today = db::now().date();
    let step = |label: &str, days: i64, done| ActionStep {
        label: label.into(),
        due_on: Some(today + Duration::days(days)),
        done,
    };
    matrix::save_plan(
        conn,
        &key,
        bilan,
        consultant,
        &ActionPlanInput {
            career_path_id: Some(trainer.uuid),
            project: "Devenir formateur en logistique (CACES) dans un organisme de la région."
                .into(),
            steps: vec![
                step("Rencontrer une deuxième formatrice CACES", -2, true),
                step("Déposer le dossier CPF pour le titre FPA", 14, false),
                step(
                    "Animer une séance d'essai dans un centre de formation",
                    45,
                    false,
                ),
            ],
            trainings: vec!["Titre professionnel Formateur professionnel d'adultes (FPA)".into()],
            resources: vec![
                "Centre AFPA de Lyon".into(),
                "Fiche ROME K2111 sur francetravail.fr".into(),
            ],
        },
    )?;
    Ok(())
}
