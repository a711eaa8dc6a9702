//! A submitted assessment: its results, computed from the answers and the version they were given on,
//! and the consultant's interpretation.

use boussole_shared::Slug;
use boussole_shared::assessments::{AssessmentStatus, Interpretation, Results};
use boussole_shared::bilans::BilanStatus;
use diesel::prelude::*;

use super::engine;
use super::store::{self, Row};
use crate::auth::caller::Viewer;
use crate::bilans::model;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::assessments;

fn submitted(row: &Row) -> Result<(), ApiError> {
    if row.status()? == AssessmentStatus::Submitted {
        return Ok(());
    }
    Err(ApiError::conflict(
        Slug::ASSESSMENT_NOT_SUBMITTED,
        "Ce questionnaire n'a pas encore été envoyé : pas encore de résultats.",
    ))
}

/// The scores, computed from the answers and the version they were given on (a read of content).
pub fn results(
    conn: &mut Conn,
    master: &[u8; 32],
    id: &str,
    viewer: &Viewer,
) -> Result<Results, ApiError> {
    let store::Opened {
        row,
        key,
        inst,
        answers,
    } = store::open(conn, master, id, viewer, submitted)?;
    let map: engine::AnswerMap = answers
        .iter()
        .filter_map(|a| a.value.as_ref().map(|v| (a.item_id.as_str(), v)))
        .collect();
    let scored = engine::score(&inst, &map);
    Ok(Results {
        assessment: store::to_dto(&row, &inst)?,
        scales: scored.scales,
        holland: scored.holland,
        rankings: scored.rankings,
        exploratory: inst.exploratory,
        interpretation: store::read_interpretation(conn, &key, id)?,
    })
}

/// An assigned consultant writes (or rewrites) the interpretation of a submitted assessment.
pub fn interpret(
    conn: &mut Conn,
    master: &[u8; 32],
    id: &str,
    viewer: &Viewer,
    text: &str,
) -> Result<Interpretation, ApiError> {
    let (row, bilan) = store::for_content(conn, id, viewer)?;
    submitted(&row)?;
    if bilan.status()? == BilanStatus::Closed {
        return Err(ApiError::Rule {
            slug: Slug::BILAN_NOT_RUNNING,
            detail: "Le bilan est clos.".into(),
            missing: vec![],
        });
    }
    let key = model::content_key(conn, master, &row.bilan_id)?;
    let now = db::now();
    diesel::update(assessments::table.find(id))
        .set((
            assessments::interpretation.eq(Some(store::seal_interpretation(&key, id, text)?)),
            assessments::interpretation_by.eq(Some(viewer.id())),
            assessments::interpretation_at.eq(Some(now)),
        ))
        .execute(conn)?;
    model::event(
        conn,
        &row.bilan_id,
        "assessment_interpreted",
        Some(viewer.id()),
        serde_json::json!({}),
        true,
    )?;
    Ok(Interpretation {
        text: text.to_string(),
        author_id: db::uuid_of(viewer.id())?,
        updated_at: now.and_utc(),
    })
}
