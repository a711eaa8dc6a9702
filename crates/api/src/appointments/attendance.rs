//! Attendance (émargement): each party signs during the session window, in their own session
//! (remote) or, on site, the beneficiary with the code the consultant shows; the consultant records
//! no-shows. When both have signed, the appointment is held and a bilan session counts its hours.
//! Video joins and leaves are kept as evidence.

use actix_web::{HttpResponse, get, post, web};
use boussole_shared::Slug;
use boussole_shared::field_rules::FieldRule;

use boussole_shared::appointments::{
    AppointmentKind, AppointmentStatus, AttendanceAction, AttendanceSheet, Party, VideoEvent,
    VideoPresence,
};
use boussole_shared::bilans::{BilanStatus, NewSession, Phase, SessionKind, SessionMode};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use totp_rs::{Builder, Secret, Totp};

use super::{AppointmentPath, AppointmentRow, load_visible, signatures, video};
use crate::auth::caller::{Person, Viewer};
use crate::auth::throttle::{self, ATTENDANCE_CODE};
use crate::bilans::hours::record_session;
use crate::bilans::model as bilan_model;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::schema::{appointments, attendance_signatures, bilans, video_events};
use crate::{AppState, journal};

/// Signing opens this long before the start and closes this long after the end.
pub const OPENS_BEFORE_MINUTES: i64 = 15;
pub const CLOSES_AFTER_MINUTES: i64 = 120;
/// An on-site code changes every 5 minutes; the previous one is still accepted.
const CODE_STEP_SECS: u64 = 300;

pub fn in_window(row: &AppointmentRow, now: NaiveDateTime) -> bool {
    now >= row.starts_at - Duration::minutes(OPENS_BEFORE_MINUTES)
        && now <= row.ends_at + Duration::minutes(CLOSES_AFTER_MINUTES)
}

fn code_totp(row: &AppointmentRow) -> Result<Totp, ApiError> {
    let secret = Secret::try_from_base32(&row.attendance_secret)
        .map_err(|e| ApiError::internal(format!("attendance secret: {e:?}")))?;
    Builder::new()
        .with_secret(secret)
        .with_step_duration(CODE_STEP_SECS)
        .with_skew(1)
        .with_account_name(row.id.clone())
        .build()
        .map_err(|e| ApiError::internal(format!("attendance code: {e:?}")))
}

/// The code the consultant shows on site (now).
pub fn current_code(row: &AppointmentRow) -> Result<String, ApiError> {
    Ok(code_totp(row)?.generate_current().to_string())
}

fn sheet(
    conn: &mut Conn,
    row: &AppointmentRow,
    viewer_party: Option<Party>,
) -> Result<AttendanceSheet, ApiError> {
    let show_code = viewer_party == Some(Party::Consultant)
        && row.mode()? == SessionMode::OnSite
        && row.status()? == AppointmentStatus::Booked
        && in_window(row, db::now());
    let mut sigs = signatures(conn, &row.id)?;
    if viewer_party.is_none() {
        sigs.iter_mut().for_each(|s| s.ip = None);
    }
    Ok(AttendanceSheet {
        status: row.status()?,
        signatures: sigs,
        absent: row
            .absent
            .as_deref()
            .map(|p| db::stored(Party::parse(p), "appointments.absent", p))
            .transpose()?,
        code: if show_code {
            Some(current_code(row)?)
        } else {
            None
        },
        session_id: row.session_id.as_deref().map(db::uuid_of).transpose()?,
        video_events: presence(conn, row)?,
    })
}

fn presence(conn: &mut Conn, row: &AppointmentRow) -> QueryResult<Vec<VideoPresence>> {
    let rows: Vec<(String, String, NaiveDateTime)> = video_events::table
        .filter(video_events::appointment_id.eq(&row.id))
        .order(video_events::at.asc())
        .select((video_events::user_id, video_events::event, video_events::at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(user, event, at)| {
            Some(VideoPresence {
                party: row.party_of(&user)?,
                event,
                at: at.and_utc(),
            })
        })
        .collect())
}

/// The attendance sheet (parties and admins: it is the proof of attendance funders ask for).
#[utoipa::path(tag = "appointments", params(AppointmentPath),
    responses((status = 200, description = "OK", body = AttendanceSheet), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/appointments/{id}/attendance")]
async fn get_attendance(
    Person { viewer, user }: Person,
    state: web::Data<AppState>,
    path: web::Path<AppointmentPath>,
) -> Result<web::Json<AttendanceSheet>, ApiError> {
    let id = path.id.to_string();
    let me = user.user.id.clone();
    let result = db::run(&state.pool, move |conn| {
        let row = load_visible(conn, &id, &me, matches!(viewer, Viewer::Admin(_)))?;
        let party = row.party_of(&me);
        sheet(conn, &row, party)
    })
    .await?;
    Ok(web::Json(result))
}

fn phase_of(status: BilanStatus) -> Phase {
    match status {
        BilanStatus::Request | BilanStatus::Preliminary => Phase::Preliminary,
        BilanStatus::Investigation => Phase::Investigation,
        _ => Phase::Conclusion,
    }
}

/// Both parties signed: the appointment is held; a bilan session counts in the hours.
pub(crate) fn hold(conn: &mut Conn, row: &mut AppointmentRow) -> Result<(), ApiError> {
    let mut session_id = None;
    if row.kind()? == AppointmentKind::BilanSession {
        let status: String = bilans::table
            .find(&row.bilan_id)
            .select(bilans::status)
            .first(conn)?;
        let new = NewSession {
            kind: SessionKind::Accompaniment,
            phase: phase_of(db::stored(
                BilanStatus::parse(&status),
                "bilans.status",
                &status,
            )?),
            mode: row.mode()?,
            starts_at: row.starts_at.and_utc(),
            ends_at: row.ends_at.and_utc(),
        };
        session_id = Some(
            record_session(conn, &row.bilan_id, &new, &row.consultant_id)?
                .id
                .to_string(),
        );
    }
    row.status = AppointmentStatus::Held.as_str().into();
    row.session_id = session_id;
    diesel::update(appointments::table.find(&row.id))
        .set((
            appointments::status.eq(&row.status),
            appointments::session_id.eq(&row.session_id),
            appointments::updated_at.eq(db::now()),
        ))
        .execute(conn)?;
    row.emit(
        conn,
        crate::webhooks::WebhookEventKind::AppointmentAttendanceSigned,
        None,
    )
}

/// Signs the attendance sheet, or (the consultant) records who did not come.
#[utoipa::path(tag = "appointments", params(AppointmentPath), request_body = AttendanceAction,
    responses((status = 200, description = "The sheet", body = AttendanceSheet), crate::problems::Write, crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule, crate::problems::TooManyRequests),
    security(("bearer" = [])))]
#[post("/appointments/{id}/attendance")]
async fn post_attendance(
    Person { viewer, user }: Person,
    state: web::Data<AppState>,
    path: web::Path<AppointmentPath>,
    body: JsonBody<AttendanceAction>,
) -> Result<web::Json<AttendanceSheet>, ApiError> {
    let action = body.parse()?;
    let id = path.id.to_string();
    let me = user.user.id.clone();
    let session_id = user.session_id.clone();
    let ip = user.client.ip.clone();
    let actor = user.actor();
    let clock = state.config.clock.clone();
    // The outer error rolls back; the inner one (a wrong on-site code) is answered after the commit,
    // so that the attempt it used stays counted.
    let result = db::tx(&state.pool, move |conn| -> Result<Result<AttendanceSheet, ApiError>, ApiError> {
        let mut row = load_visible(conn, &id, &me, matches!(viewer, Viewer::Admin(_)))?;
        let Some(party) = row.party_of(&me) else {
            return Err(ApiError::forbidden(Slug::NOT_A_PARTY, "Seuls le bénéficiaire et le consultant du rendez-vous émargent."));
        };
        if row.status()? != AppointmentStatus::Booked {
            return Err(ApiError::conflict(Slug::ATTENDANCE_NOT_EXPECTED, "Ce rendez-vous n'attend plus de signature."));
        }
        let now = db::now();
        match &action {
            AttendanceAction::Sign { code } => {
                if !in_window(&row, now) {
                    return Err(ApiError::Rule { slug: Slug::ATTENDANCE_WINDOW_CLOSED,
                        detail: "L'émargement est ouvert de 15 minutes avant le début à 2 heures après la fin du rendez-vous.".into(),
                        missing: vec![],
                    });
                }
                let on_site_beneficiary = party == Party::Beneficiary && row.mode()? == SessionMode::OnSite;
                let method = if on_site_beneficiary {
                    let given: String = code.as_deref().unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect();
                    if !code_accepted(conn, &clock, &actor, &row, &given)? {
                        return Ok(Err(ApiError::field("code", FieldRule::WrongCode, "code incorrect ou expiré : demandez le code affiché par votre consultant")));
                    }
                    "code"
                } else {
                    "click"
                };
                let inserted = diesel::insert_into(attendance_signatures::table)
                    .values((
                        attendance_signatures::id.eq(db::new_id()),
                        attendance_signatures::appointment_id.eq(&row.id),
                        attendance_signatures::user_id.eq(&me),
                        attendance_signatures::party.eq(party.as_str()),
                        attendance_signatures::method.eq(method),
                        attendance_signatures::signed_at.eq(now),
                        attendance_signatures::ip.eq(&ip),
                        attendance_signatures::session_id.eq(&session_id),
                    ))
                    .execute(conn);
                match inserted {
                    Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                        return Err(ApiError::conflict(Slug::ATTENDANCE_ALREADY_SIGNED, "Vous avez déjà émargé."));
                    }
                    other => other?,
                };
                let signed: i64 = attendance_signatures::table
                    .filter(attendance_signatures::appointment_id.eq(&row.id))
                    .count()
                    .get_result(conn)?;
                journal::record(conn, &actor, "appointment.sign", "appointment", Some(&row.id), serde_json::json!({ "party": party.as_str(), "method": method }))?;
                if signed >= 2 {
                    hold(conn, &mut row)?;
                    let details = serde_json::json!({ "appointment": row.id, "session": row.session_id });
                    bilan_model::event(conn, &row.bilan_id, "appointment_held", Some(&me), details, false)?;
                }
            }
            AttendanceAction::NoShow { absent } => {
                if party != Party::Consultant {
                    return Err(ApiError::forbidden(Slug::CONSULTANT_ONLY, "Seul le consultant constate une absence."));
                }
                if now < row.starts_at {
                    return Err(ApiError::Rule { slug: Slug::ABSENCE_TOO_EARLY, detail: "Une absence se constate après l'heure du rendez-vous.".into(), missing: vec![] });
                }
                row.status = AppointmentStatus::NoShow.as_str().into();
                row.absent = Some(absent.as_str().into());
                diesel::update(appointments::table.find(&row.id))
                    .set((
                        appointments::status.eq(&row.status),
                        appointments::absent.eq(&row.absent),
                        appointments::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                super::release_cells(conn, &row.id)?;
                let details = serde_json::json!({ "appointment": row.id, "absent": absent.as_str() });
                bilan_model::event(conn, &row.bilan_id, "appointment_no_show", Some(&me), details.clone(), false)?;
                journal::record(conn, &actor, "appointment.no_show", "appointment", Some(&row.id), details)?;
            }
        }
        sheet(conn, &row, Some(party)).map(Ok)
    })
    .await??;
    Ok(web::Json(result))
}

/// Checks an on-site code, counting the attempt first: the code has 6 digits and stays good for
/// 10 to 15 minutes, so five wrong codes make the appointment wait 15 minutes (429), and that lockout
/// is journaled. A right code forgets the failures.
fn code_accepted(
    conn: &mut Conn,
    clock: &crate::clock::Clock,
    actor: &journal::Actor,
    row: &AppointmentRow,
    given: &str,
) -> Result<bool, ApiError> {
    if given.is_empty() {
        // No code at all is a missing field, not a guess.
        return Ok(false);
    }
    let bucket = throttle::account_bucket("attendance", &row.id);
    let left = throttle::take(conn, clock.utc_now(), &[(&bucket, ATTENDANCE_CODE)])?;
    if given.len() == 6 && code_totp(row)?.check_current(given).is_some() {
        throttle::clear(conn, &bucket)?;
        return Ok(true);
    }
    if left == 0 {
        let details = serde_json::json!({ "attempts": ATTENDANCE_CODE.max, "minutes": ATTENDANCE_CODE.window_secs / 60 });
        journal::record(
            conn,
            actor,
            "appointment.code_lockout",
            "appointment",
            Some(&row.id),
            details,
        )?;
    }
    Ok(false)
}

/// Records that the caller joined or left the video room (evidence for attendance).
#[utoipa::path(tag = "appointments", params(AppointmentPath), request_body = VideoEvent,
    responses((status = 204, description = "Recorded"), crate::problems::Write, crate::problems::NotFound, crate::problems::BusinessRule),
    security(("bearer" = [])))]
#[post("/appointments/{id}/video")]
async fn post_video_event(
    Person { viewer, user }: Person,
    state: web::Data<AppState>,
    path: web::Path<AppointmentPath>,
    body: JsonBody<VideoEvent>,
) -> Result<HttpResponse, ApiError> {
    let event = body.parse()?;
    if !matches!(event.event.as_str(), "join" | "leave") {
        return Err(ApiError::field("event", FieldRule::Format, "join ou leave"));
    }
    let id = path.id.to_string();
    let me = user.user.id.clone();
    let ip = user.client.ip.clone();
    db::tx(&state.pool, move |conn| {
        let row = load_visible(conn, &id, &me, matches!(viewer, Viewer::Admin(_)))?;
        if row.party_of(&me).is_none() || row.room.is_none() {
            return Err(ApiError::forbidden(
                Slug::NOT_A_PARTY,
                "Seules les deux parties entrent dans la salle.",
            ));
        }
        // Evidence of attendance only while the room is open (as the parties' video tokens are).
        let now = db::now();
        if now < row.starts_at - Duration::minutes(video::EARLY_MINUTES)
            || now > row.ends_at + Duration::minutes(video::LATE_MINUTES)
        {
            return Err(ApiError::Rule { slug: Slug::VIDEO_ROOM_CLOSED,
                detail: "La salle n'est ouverte que de 30 minutes avant le début à 2 heures après la fin du rendez-vous.".into(),
                missing: vec![],
            });
        }
        diesel::insert_into(video_events::table)
            .values((
                video_events::id.eq(db::new_id()),
                video_events::appointment_id.eq(&row.id),
                video_events::user_id.eq(&me),
                video_events::event.eq(&event.event),
                video_events::at.eq(db::now()),
                video_events::ip.eq(&ip),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
