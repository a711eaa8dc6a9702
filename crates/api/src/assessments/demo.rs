//! Demo data (`seed-demo`): the demo consultant has proposed the RIASEC and Big-Five inventories on
//! Lucas Moreau's running bilan, which he has answered and submitted (the RIASEC one interpreted),
//! and the skills self-assessment, half done. Camille Durand's running bilan (the story's, the account
//! the README lists first) shows every kind of result: her Big-Five submitted and interpreted, her skills
//! self-assessment and values ranking submitted, and a RIASEC inventory not started yet (she fills it
//! on her phone during the demo).

use std::collections::HashSet;

use boussole_shared::assessments::{Answer, AnswerValue, AssignInstrument, Instrument, ItemKind};
use boussole_shared::rules::runs;
use diesel::prelude::*;

use super::{flow, results};
use crate::auth::caller::Viewer;
use crate::db::Conn;
use crate::error::ApiError;
use crate::schema::{bilan_consultants, bilans, users};

/// The running bilan of a beneficiary and one of its consultants: (bilan, beneficiary, consultant).
pub(crate) fn running_bilan(
    conn: &mut Conn,
    email: &str,
) -> Result<Option<(String, String, String)>, ApiError> {
    let rows: Vec<(String, String, String, String)> = bilans::table
        .inner_join(users::table.on(users::id.eq(bilans::beneficiary_id)))
        .inner_join(bilan_consultants::table.on(bilan_consultants::bilan_id.eq(bilans::id)))
        .filter(users::email.eq(email))
        .filter(bilan_consultants::unassigned_at.is_null())
        .select((
            bilans::id,
            bilans::status,
            users::id,
            bilan_consultants::consultant_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .find_map(|(bilan, status, beneficiary, consultant)| {
            let status = boussole_shared::bilans::BilanStatus::parse(&status)?;
            runs(status).then_some((bilan, beneficiary, consultant))
        }))
}

/// A Likert answer for every item of `inst` in the given sections: `value(item index, item id)`.
fn answers(inst: &Instrument, value: impl Fn(usize, &str) -> Option<i32>) -> Vec<Answer> {
    inst.sections
        .iter()
        .flat_map(|s| s.items.iter())
        .enumerate()
        .filter(|(_, i)| matches!(i.kind, ItemKind::Likert { .. }))
        .filter_map(|(n, i)| {
            value(n, &i.id).map(|v| Answer {
                item_id: i.id.clone(),
                value: Some(AnswerValue::Likert(v)),
                comment: None,
            })
        })
        .collect()
}

fn take(
    conn: &mut Conn,
    master: &[u8; 32],
    bilan: &str,
    (consultant, beneficiary): (&Viewer, &Viewer),
    instrument: &str,
    value: impl Fn(usize, &str) -> Option<i32>,
) -> Result<(String, Instrument), ApiError> {
    let req = AssignInstrument {
        instrument_id: instrument.into(),
        version: None,
    };
    let a = flow::assign(conn, bilan, consultant, &req)?;
    let id = a.id.to_string();
    let inst = super::catalogue::get(conn, instrument, Some(a.instrument_version))?;
    let given = answers(&inst, value);
    if !given.is_empty() {
        flow::save(conn, master, &id, beneficiary, &given)?;
    }
    Ok((id, inst))
}

/// Seeds the demo assessments (after the demo bilan).
pub fn seed(conn: &mut Conn, master: &[u8; 32]) -> anyhow::Result<()> {
    let go = |conn: &mut Conn| -> Result<(), ApiError> {
        if let Some((bilan, beneficiary, consultant)) =
            running_bilan(conn, "lucas.moreau@boussole.test")?
        {
            let (c, b) = (
                Viewer::Consultant(consultant),
                Viewer::Beneficiary(beneficiary),
            );
            // Interests: Social and Enterprising first, then Artistic (R I A S E C around 2 3 4 5 4 1).
            let base = |id: &str| match id.as_bytes().first() {
                Some(b'R') => 2,
                Some(b'I') => 3,
                Some(b'A') => 4,
                Some(b'S') => 5,
                Some(b'E') => 4,
                _ => 1,
            };
            let (riasec, _) = take(
                conn,
                master,
                &bilan,
                (&c, &b),
                "riasec-markers-48",
                |n, id| Some((base(id) + (n % 3) as i32 - 1).clamp(1, 5)),
            )?;
            flow::submit(conn, master, &riasec, &b)?;
            results::interpret(
                conn,
                master,
                &riasec,
                &c,
                "Profil SEA : Lucas exprime surtout de l'intérêt pour les activités d'aide et de conseil (S), \
                 puis pour entreprendre et convaincre (E). Cela rejoint ce qu'il dit aimer dans son poste actuel \
                 (l'accueil des nouveaux arrivants). À explorer en entretien : la formation de formateurs, \
                 le conseil en insertion. Les résultats restent une piste de discussion, pas une orientation.",
            )?;
            let (big5, _) = take(conn, master, &bilan, (&c, &b), "ipip-bffm-50", |n, _| {
                Some([4, 3, 4, 2, 5][n % 5] - (n / 25) as i32)
            })?;
            flow::submit(conn, master, &big5, &b)?;
            let (skills, _) = take(
                conn,
                master,
                &bilan,
                (&c, &b),
                "transferable-skills",
                |n, _| (n < 8).then_some([3, 4, 3, 2][n % 4]),
            )?;
            let example = Answer {
                item_id: "relation-lead".into(),
                value: Some(AnswerValue::Likert(4)),
                comment: Some("J'ai formé les trois intérimaires arrivés au printemps : planning, \
                               accompagnement sur poste, point chaque vendredi ; tous restés en CDI."
                    .into()),
            };
            flow::save(conn, master, &skills, &b, &[example])?;
        }
        Ok(())
    };
    crate::db::transaction(conn, go).map_err(|e| anyhow::anyhow!("demo assessments: {e}"))
}

/// The listed beneficiary's results and questionnaire to fill, on her running bilan (the story's, seeded
/// after `seed`): the Big-Five, the skills self-assessment and the values ranking submitted (the first
/// interpreted by Karim), and the RIASEC inventory proposed but not started, so her home shows both
/// results to read and work to do.
pub fn seed_story(conn: &mut Conn, master: &[u8; 32]) -> anyhow::Result<()> {
    let go = |conn: &mut Conn| -> Result<(), ApiError> {
        let Some((bilan, beneficiary, consultant)) =
            running_bilan(conn, "beneficiaire@boussole.test")?
        else {
            return Ok(());
        };
        let (c, b) = (
            Viewer::Consultant(consultant),
            Viewer::Beneficiary(beneficiary),
        );
        let who = (&c, &b);
        camille_big_five(conn, master, &bilan, who)?;
        camille_skills(conn, master, &bilan, who)?;
        camille_values(conn, master, &bilan, who)?;
        let req = AssignInstrument {
            instrument_id: "riasec-markers-48".into(),
            version: None,
        };
        flow::assign(conn, &bilan, &c, &req)?;
        Ok(())
    };
    crate::db::transaction(conn, go).map_err(|e| anyhow::anyhow!("demo assessments: {e}"))
}

/// An accountant who wants to work with people: very conscientious and agreeable, open, neither
/// outgoing nor reserved, some worry. Each answer is the trait's level (1–5) give or take one,
/// reversed on reverse-keyed items, as a real person's answers scatter.
fn camille_big_five(
    conn: &mut Conn,
    master: &[u8; 32],
    bilan: &str,
    (c, b): (&Viewer, &Viewer),
) -> Result<(), ApiError> {
    const ID: &str = "ipip-bffm-50";
    let inst = super::catalogue::get(conn, ID, None)?;
    let reversed: HashSet<String> = inst
        .scales
        .iter()
        .flat_map(|s| s.items.iter())
        .filter(|k| k.reverse)
        .map(|k| k.item.clone())
        .collect();
    // Items cycle E, A, C, ES (emotional stability), I.
    let level = [3, 4, 5, 3, 4];
    let wobble = [0, 1, 0, -1, 0, 1, -1, 0, 0, 1];
    let (id, _) = take(conn, master, bilan, (c, b), ID, |n, item| {
        let v = (level[n % 5] + wobble[(n / 5) % 10]).clamp(1, 5);
        Some(if reversed.contains(item) { 6 - v } else { v })
    })?;
    flow::submit(conn, master, &id, b)?;
    results::interpret(
        conn,
        master,
        &id,
        c,
        "Camille se décrit comme très consciencieuse (rigueur, fiabilité) et attentive aux autres. \
         Ces deux traits servent les métiers d'accompagnement qu'elle explore : on en a parlé en séance, \
         elle y reconnaît ce que ses collègues lui disent. Le score de stabilité émotionnelle, moyen, \
         rejoint ce qu'elle dit de la pression des clôtures comptables. Résultat exploratoire, \
         à rapprocher des enquêtes métier.",
    )?;
    Ok(())
}

/// The skills self-assessment, every item rated, with examples on her strongest ones.
fn camille_skills(
    conn: &mut Conn,
    master: &[u8; 32],
    bilan: &str,
    (c, b): (&Viewer, &Viewer),
) -> Result<(), ApiError> {
    // Communication, organisation, relation, analysis, adaptation (four items each).
    let levels = [3, 2, 4, 2, 4, 4, 4, 3, 3, 2, 2, 4, 4, 4, 3, 4, 3, 3, 2, 3];
    let (id, _) = take(
        conn,
        master,
        bilan,
        (c, b),
        "transferable-skills",
        |n, _| levels.get(n).copied(),
    )?;
    let examples = [
        (
            "organisation-deadlines",
            4,
            "Douze clôtures mensuelles par an sans retard depuis 2019, malgré les pics de fin d'exercice.",
        ),
        (
            "relation-public",
            4,
            "Je reçois les clients du cabinet qui ne comprennent pas leur bilan : je reprends tout avec eux, \
             sans jargon.",
        ),
        (
            "communication-listen",
            4,
            "Les nouvelles assistantes viennent me voir quand quelque chose ne va pas.",
        ),
    ];
    let answers: Vec<Answer> = examples
        .into_iter()
        .map(|(item, level, example)| Answer {
            item_id: item.into(),
            value: Some(AnswerValue::Likert(level)),
            comment: Some(example.into()),
        })
        .collect();
    flow::save(conn, master, &id, b, &answers)?;
    flow::submit(conn, master, &id, b)?;
    Ok(())
}

/// The values ranking: usefulness and relationships first, pay near the end.
fn camille_values(
    conn: &mut Conn,
    master: &[u8; 32],
    bilan: &str,
    (c, b): (&Viewer, &Viewer),
) -> Result<(), ApiError> {
    let (id, _) = take(conn, master, bilan, (c, b), "work-values", |_, _| None)?;
    let order = [
        "usefulness",
        "relationships",
        "recognition",
        "balance",
        "autonomy",
        "security",
        "achievement",
        "conditions",
        "creativity",
        "pay",
    ];
    let answers = [
        Answer {
            item_id: "values".into(),
            value: Some(AnswerValue::Ranking(
                order.iter().map(|o| (*o).to_string()).collect(),
            )),
            comment: None,
        },
        Answer {
            item_id: "why".into(),
            value: Some(AnswerValue::Text(
                "Je veux que mon travail serve à quelqu'un que je vois. Le salaire compte, \
                 mais je suis prête à gagner un peu moins pour ça."
                    .into(),
            )),
            comment: None,
        },
    ];
    flow::save(conn, master, &id, b, &answers)?;
    flow::submit(conn, master, &id, b)?;
    Ok(())
}
