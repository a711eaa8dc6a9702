//! The hours of a bilan: held sessions, and the 24-hour cap on accompaniment (L6313-4). The session
//! routes and the appointments both record through here.

use boussole_shared::Slug;
use boussole_shared::bilans::BilanStatus;
use boussole_shared::bilans::{BilanSession, NewSession, SessionKind};
use boussole_shared::conditions::Condition;
use boussole_shared::rules::{MAX_ACCOMPANIMENT_MINUTES, runs};
use diesel::prelude::*;

use super::model;
use crate::db::{self, Conn, uuid_of as uuid};
use crate::error::ApiError;
use crate::schema::{bilan_sessions, bilans};

/// 422 `bilan-not-running`: a session (held or booked) outside the three phases.
pub fn not_running() -> ApiError {
    ApiError::Rule {
        slug: Slug::BILAN_NOT_RUNNING,
        detail: "Les séances d'un bilan se tiennent de la phase préliminaire à la phase de conclusions : \
                 pas avant le contrat, le consentement et la fin du délai de rétractation, ni après la fin du bilan."
            .into(),
        missing: vec![],
    }
}

/// Records a held session on the timeline, refusing it while the bilan does not run (before the
/// preliminary phase, after the conclusions) and accompaniment past 24 hours in total (L6313-4).
/// Appointments signed by both parties come through here too.
pub fn record_session(
    conn: &mut Conn,
    bilan_id: &str,
    new: &NewSession,
    by: &str,
) -> Result<BilanSession, ApiError> {
    let status: String = bilans::table
        .find(bilan_id)
        .select(bilans::status)
        .first(conn)?;
    if !runs(db::stored(
        BilanStatus::parse(&status),
        "bilans.status",
        &status,
    )?) {
        return Err(not_running());
    }
    let minutes = (new.ends_at - new.starts_at).num_minutes();
    if new.kind == SessionKind::Accompaniment {
        let (held, _) = model::minutes(conn, bilan_id)?;
        if held + minutes > MAX_ACCOMPANIMENT_MINUTES {
            return Err(ApiError::Rule {
                slug: Slug::MAXIMUM_HOURS,
                detail: format!(
                    "L'accompagnement dépasserait 24 heures (déjà {} h {:02}).",
                    held / 60,
                    held % 60
                ),
                missing: vec![Condition::MaximumHours.into()],
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
        id: uuid(&sid)?,
        kind: new.kind,
        phase: new.phase,
        mode: new.mode,
        starts_at: new.starts_at,
        ends_at: new.ends_at,
        minutes,
    })
}
