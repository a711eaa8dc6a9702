//! Assessment rows: who may reach one, its DTO, and its sealed answers and interpretation.

use std::collections::HashMap;

use boussole_shared::access::AccessKind;
use boussole_shared::assessments::{
    Answer, Assessment, AssessmentStatus, Instrument, Interpretation,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::catalogue;
use crate::auth::caller::Viewer;
use crate::bilans::access::journal_read;
use crate::bilans::model::{self, BilanRow};
use crate::crypto;
use crate::db::{self, Conn, uuid_of as uuid};
use crate::error::ApiError;
use crate::schema::assessments;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assessments)]
pub struct Row {
    pub id: String,
    pub bilan_id: String,
    pub instrument_id: String,
    pub instrument_version: i64,
    pub status: String,
    pub answered: i64,
    pub required_missing: i64,
    pub assigned_by: String,
    pub assigned_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub interpretation_at: Option<NaiveDateTime>,
}

impl Row {
    pub fn status(&self) -> Result<AssessmentStatus, ApiError> {
        db::stored(
            AssessmentStatus::parse(&self.status),
            "assessments.status",
            &self.status,
        )
    }

    pub fn version(&self) -> Result<i32, ApiError> {
        i32::try_from(self.instrument_version).map_err(ApiError::internal)
    }

    pub fn instrument(&self, conn: &mut Conn) -> Result<Instrument, ApiError> {
        catalogue::get(conn, &self.instrument_id, Some(self.version()?))
    }
}

/// The assessment and its bilan if the viewer may reach its content (the beneficiary, an assigned
/// consultant): someone else's is a 404, an admin a 403 (before any lookup, so an admin learns
/// nothing of which assessments exist), as for the other bilan content.
pub fn for_content(
    conn: &mut Conn,
    id: &str,
    viewer: &Viewer,
) -> Result<(Row, BilanRow), ApiError> {
    if let Viewer::Admin(_) = viewer {
        return Err(model::content_refused());
    }
    let row: Row = assessments::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let bilan = model::load_for_content(conn, &row.bilan_id, viewer)?;
    Ok((row, bilan))
}

pub fn to_dto(row: &Row, inst: &Instrument) -> Result<Assessment, ApiError> {
    Ok(Assessment {
        id: uuid(&row.id)?,
        bilan_id: uuid(&row.bilan_id)?,
        instrument_id: row.instrument_id.clone(),
        instrument_version: row.version()?,
        kind: inst.kind,
        title: inst.title.clone(),
        status: row.status()?,
        answered: u32::try_from(row.answered).map_err(ApiError::internal)?,
        total: inst.sections.iter().map(|s| s.items.len() as u32).sum(),
        required_missing: u32::try_from(row.required_missing).map_err(ApiError::internal)?,
        assigned_by: uuid(&row.assigned_by)?,
        assigned_at: row.assigned_at.and_utc(),
        submitted_at: row.submitted_at.map(|t| t.and_utc()),
        interpreted: row.interpretation_at.is_some(),
    })
}

/// The DTOs of many rows, each instrument version read once.
pub fn to_dtos(conn: &mut Conn, rows: &[Row]) -> Result<Vec<Assessment>, ApiError> {
    let mut instruments: HashMap<(String, i64), Instrument> = HashMap::new();
    rows.iter()
        .map(|row| {
            let key = (row.instrument_id.clone(), row.instrument_version);
            if !instruments.contains_key(&key) {
                let inst = row.instrument(conn)?;
                instruments.insert(key.clone(), inst);
            }
            let inst = instruments
                .get(&key)
                .ok_or_else(|| ApiError::internal("instrument cache"))?;
            to_dto(row, inst)
        })
        .collect()
}

fn answers_record(id: &str) -> String {
    format!("{id}/answers")
}

fn interpretation_record(id: &str) -> String {
    format!("{id}/interpretation")
}

/// The answers saved so far (none yet: empty).
pub fn read_answers(conn: &mut Conn, key: &[u8], id: &str) -> Result<Vec<Answer>, ApiError> {
    let sealed: Option<Vec<u8>> = assessments::table
        .find(id)
        .select(assessments::answers)
        .first(conn)?;
    match sealed {
        None => Ok(Vec::new()),
        Some(s) => {
            let json = crypto::decrypt(key, &answers_record(id), &s)?;
            serde_json::from_str(&json).map_err(ApiError::internal)
        }
    }
}

/// Seals the answers in the row (the caller updates the counters in the same statement).
pub fn seal_answers(key: &[u8], id: &str, answers: &[Answer]) -> Result<Vec<u8>, ApiError> {
    let json = serde_json::to_string(answers).map_err(ApiError::internal)?;
    crypto::encrypt(key, &answers_record(id), &json)
}

pub fn read_interpretation(
    conn: &mut Conn,
    key: &[u8],
    id: &str,
) -> Result<Option<Interpretation>, ApiError> {
    let (sealed, by, at): (Option<Vec<u8>>, Option<String>, Option<NaiveDateTime>) =
        assessments::table
            .find(id)
            .select((
                assessments::interpretation,
                assessments::interpretation_by,
                assessments::interpretation_at,
            ))
            .first(conn)?;
    match (sealed, by, at) {
        (Some(s), Some(by), Some(at)) => Ok(Some(Interpretation {
            text: crypto::decrypt(key, &interpretation_record(id), &s)?,
            author_id: uuid(&by)?,
            updated_at: at.and_utc(),
        })),
        _ => Ok(None),
    }
}

pub fn seal_interpretation(key: &[u8], id: &str, text: &str) -> Result<Vec<u8>, ApiError> {
    crypto::encrypt(key, &interpretation_record(id), text)
}

/// An assessment's content as a reader gets it: the read journaled, the answers opened.
pub struct Opened {
    pub row: Row,
    pub key: zeroize::Zeroizing<Vec<u8>>,
    pub inst: Instrument,
    pub answers: Vec<Answer>,
}

/// Opens an assessment's content for a reader; `ready` refuses it first when it is not (yet) readable.
pub fn open(
    conn: &mut Conn,
    master: &[u8; 32],
    id: &str,
    viewer: &Viewer,
    ready: impl FnOnce(&Row) -> Result<(), ApiError>,
) -> Result<Opened, ApiError> {
    let (row, _) = for_content(conn, id, viewer)?;
    ready(&row)?;
    journal_read(
        conn,
        &row.bilan_id,
        viewer,
        AccessKind::Assessment,
        Some(id),
    )?;
    let key = model::content_key(conn, master, &row.bilan_id)?;
    let inst = row.instrument(conn)?;
    let answers = read_answers(conn, &key, id)?;
    Ok(Opened {
        row,
        key,
        inst,
        answers,
    })
}
