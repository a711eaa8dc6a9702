//! Demo data (`seed-demo`): the demo consultant has proposed the RIASEC and Big-Five inventories on
//! Lucas Moreau's running bilan, which he has answered and submitted (the RIASEC one interpreted),
//! and the skills self-assessment, half done. Camille Durand's running bilan (the story's) gets a RIASEC
//! inventory not started yet.

use boussole_shared::assessments::{Answer, AnswerValue, AssignInstrument, Instrument, ItemKind};
use boussole_shared::rules::runs;
use diesel::prelude::*;

use super::{flow, results};
use crate::auth::caller::Viewer;
use crate::db::Conn;
use crate::error::ApiError;
use crate::schema::{bilan_consultants, bilans, users};

/// The running bilan of a beneficiary and one of its consultants.
fn running_bilan(
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

/// The listed beneficiary's questionnaire to fill: the RIASEC inventory proposed on her running bilan
/// (the story's, seeded after `seed`), not started, so her home shows work to do.
pub fn seed_story(conn: &mut Conn) -> anyhow::Result<()> {
    let go = |conn: &mut Conn| -> Result<(), ApiError> {
        if let Some((bilan, _, consultant)) = running_bilan(conn, "beneficiaire@boussole.test")? {
            let req = AssignInstrument {
                instrument_id: "riasec-markers-48".into(),
                version: None,
            };
            flow::assign(conn, &bilan, &Viewer::Consultant(consultant), &req)?;
        }
        Ok(())
    };
    crate::db::transaction(conn, go).map_err(|e| anyhow::anyhow!("demo assessments: {e}"))
}
