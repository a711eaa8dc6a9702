//! The hours of a bilan: held sessions, and the 24-hour cap on accompaniment (L6313-4). The session
//! routes and the appointments both record through here.

use boussole_shared::bilans::{BilanSession, NewSession, SessionKind};
use boussole_shared::rules::MAX_ACCOMPANIMENT_MINUTES;
use diesel::prelude::*;

use super::model;
use crate::db::{self, Conn, uuid_of as uuid};
use crate::error::ApiError;
use crate::schema::bilan_sessions;

/// Records a held session on the timeline, refusing accompaniment past 24 hours in total (L6313-4).
/// Appointments signed by both parties come through here too.
pub fn record_session(
    conn: &mut Conn,
    bilan_id: &str,
    new: &NewSession,
    by: &str,
) -> Result<BilanSession, ApiError> {
    let minutes = (new.ends_at - new.starts_at).num_minutes();
    if new.kind == SessionKind::Accompaniment {
        let (held, _) = model::minutes(conn, bilan_id)?;
        if held + minutes > MAX_ACCOMPANIMENT_MINUTES {
            return Err(ApiError::Unprocessable {
                detail: format!(
                    "L'accompagnement dépasserait 24 heures (déjà {} h {:02}).",
                    held / 60,
                    held % 60
                ),
                missing: vec![
                    "Un bilan de compétences ne peut excéder 24 heures d'accompagnement (L6313-4)."
                        .into(),
                ],
            });
        }
    }
    let sid = db::new_id();
    diesel::insert_into(bilan_sessions::table)
        .values((
            bilan_sessions::id.eq(&sid),
            bilan_sessions::bilan_id.eq(bilan_id),
            bilan_sessions::kind.eq(new.kind.as_str()),
            bilan_sessions::phase.eq(new.phase.as_str()),
            bilan_sessions::mode.eq(new.mode.as_str()),
            bilan_sessions::starts_at.eq(new.starts_at.naive_utc()),
            bilan_sessions::ends_at.eq(new.ends_at.naive_utc()),
            bilan_sessions::minutes.eq(minutes),
            bilan_sessions::created_by.eq(by),
            bilan_sessions::created_at.eq(db::now()),
        ))
        .execute(conn)?;
    let details = serde_json::json!({ "kind": new.kind.as_str(), "phase": new.phase.as_str(), "minutes": minutes });
    model::event(conn, bilan_id, "session", Some(by), details, false)?;
    Ok(BilanSession {
        id: uuid(&sid),
        kind: new.kind,
        phase: new.phase,
        mode: new.mode,
        starts_at: new.starts_at,
        ends_at: new.ends_at,
        minutes,
    })
}
