//! Appointments: availability, free slots, booking without double booking, messages through the
//! outbox, video rooms, attendance (émargement) feeding the bilan's hours, and calendar feeds.

pub mod attendance;
pub mod availability;
pub mod booking;
pub mod calendar;
pub mod handover;
pub mod messages;
pub mod reassign;
pub mod slots;
pub mod video;

use boussole_shared::Slug;
use boussole_shared::appointments::{
    Appointment, AppointmentKind, AppointmentStatus, Party, Signature,
};
use boussole_shared::bilans::SessionMode;
use std::collections::HashMap;

use chrono::{NaiveDateTime, Timelike};
use diesel::prelude::*;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::bilans::model::people;
use crate::config::Config;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::{appointment_cells, appointments, attendance_signatures};

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct ConsultantPath {
    /// The consultant's account id.
    pub id: uuid::Uuid,
}

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct AppointmentPath {
    /// Appointment id.
    pub id: uuid::Uuid,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = appointments)]
pub struct AppointmentRow {
    pub id: String,
    pub bilan_id: String,
    pub consultant_id: String,
    pub beneficiary_id: String,
    pub kind: String,
    pub mode: String,
    pub place: Option<String>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub buffer_minutes: i64,
    pub status: String,
    pub room: Option<String>,
    pub attendance_secret: String,
    pub absent: Option<String>,
    pub session_id: Option<String>,
    pub booked_by: String,
    pub cancelled_at: Option<NaiveDateTime>,
    pub cancel_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl AppointmentRow {
    // The columns have CHECK constraints: a value that does not parse is a corrupted row, and the
    // request fails (500, the value in the log) rather than acting on a guessed kind or status.
    pub fn kind(&self) -> Result<AppointmentKind, ApiError> {
        db::stored(
            AppointmentKind::parse(&self.kind),
            "appointments.kind",
            &self.kind,
        )
    }
    pub fn status(&self) -> Result<AppointmentStatus, ApiError> {
        db::stored(
            AppointmentStatus::parse(&self.status),
            "appointments.status",
            &self.status,
        )
    }
    pub fn mode(&self) -> Result<SessionMode, ApiError> {
        db::stored(
            SessionMode::parse(&self.mode),
            "appointments.mode",
            &self.mode,
        )
    }
    /// Which party the account is, if any.
    /// Tells the webhooks about this appointment (`previous`: where it was before a move).
    pub fn emit(
        &self,
        conn: &mut Conn,
        kind: crate::webhooks::WebhookEventKind,
        previous: Option<NaiveDateTime>,
    ) -> Result<(), ApiError> {
        let data = crate::webhooks::AppointmentEvent {
            appointment_id: self.id.clone(),
            bilan_id: self.bilan_id.clone(),
            beneficiary_id: self.beneficiary_id.clone(),
            consultant_id: self.consultant_id.clone(),
            kind: self.kind()?,
            mode: self.mode()?,
            status: self.status()?,
            starts_at: self.starts_at.and_utc(),
            ends_at: self.ends_at.and_utc(),
            previous_starts_at: previous.map(|t| t.and_utc()),
        };
        crate::webhooks::emit(conn, kind, &data)
    }

    pub fn party_of(&self, user_id: &str) -> Option<Party> {
        if self.beneficiary_id == user_id {
            Some(Party::Beneficiary)
        } else if self.consultant_id == user_id {
            Some(Party::Consultant)
        } else {
            None
        }
    }
}

/// Loads an appointment its caller may see: its beneficiary, its consultant while the bilan is still
/// assigned to them, and admins (administrative facts). Anyone else gets 404, never the data: a
/// consultant removed from the bilan keeps no video token, attendance sheet, signature or move.
pub fn load_visible(
    conn: &mut Conn,
    id: &str,
    user_id: &str,
    is_admin: bool,
) -> Result<AppointmentRow, ApiError> {
    let row: AppointmentRow = appointments::table
        .find(id)
        .select(AppointmentRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let allowed = is_admin
        || match row.party_of(user_id) {
            Some(Party::Beneficiary) => true,
            Some(Party::Consultant) => {
                crate::bilans::model::is_assigned(conn, &row.bilan_id, user_id)?
            }
            Some(Party::Both) | None => false,
        };
    if allowed {
        Ok(row)
    } else {
        Err(ApiError::NotFound)
    }
}

/// 5-minute cells since the Unix epoch: the unit in which the database guards against overlaps.
pub const CELL_MINUTES: i64 = 5;

fn cell_of(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp().div_euclid(60 * CELL_MINUTES)
}

pub fn on_cell_boundary(t: NaiveDateTime) -> bool {
    t.second() == 0 && t.nanosecond() == 0 && i64::from(t.minute()) % CELL_MINUTES == 0
}

/// Holds the consultant's time `[start, end + buffer)` and the beneficiary's `[start, end)`; a cell
/// already held by another live appointment makes the primary key refuse the insert: 409.
pub fn hold_cells(conn: &mut Conn, row: &AppointmentRow) -> Result<(), ApiError> {
    let start = cell_of(row.starts_at);
    let end = cell_of(row.ends_at);
    let buffered = cell_of(row.ends_at + chrono::Duration::minutes(row.buffer_minutes));
    hold(
        conn,
        &row.id,
        &row.consultant_id,
        start..buffered,
        Slug::SLOT_TAKEN,
        "Ce créneau vient d'être pris : choisissez-en un autre.",
    )?;
    hold(
        conn,
        &row.id,
        &row.beneficiary_id,
        start..end,
        Slug::BENEFICIARY_BUSY,
        "Le bénéficiaire a déjà un rendez-vous à ce moment-là.",
    )
}

fn hold(
    conn: &mut Conn,
    appointment_id: &str,
    holder: &str,
    cells: std::ops::Range<i64>,
    slug: Slug,
    taken: &str,
) -> Result<(), ApiError> {
    // One multi-row insert (at most 72 cells: 4 h plus a 2 h buffer), on the backend's own
    // connection: a cell already held fails the whole statement, and the caller's transaction with it.
    let rows: Vec<_> = cells
        .map(|cell| {
            (
                appointment_cells::holder_id.eq(holder),
                appointment_cells::cell.eq(cell),
                appointment_cells::appointment_id.eq(appointment_id),
            )
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let inserted = crate::on_backend!(conn, |c| {
        diesel::insert_into(appointment_cells::table)
            .values(&rows)
            .execute(c)
    });
    match inserted {
        Ok(_) => Ok(()),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Err(ApiError::conflict(slug, taken)),
        Err(e) => Err(e.into()),
    }
}

pub fn release_cells(conn: &mut Conn, appointment_id: &str) -> QueryResult<usize> {
    diesel::delete(
        appointment_cells::table.filter(appointment_cells::appointment_id.eq(appointment_id)),
    )
    .execute(conn)
}

pub fn signatures(conn: &mut Conn, appointment_id: &str) -> Result<Vec<Signature>, ApiError> {
    Ok(signatures_of(conn, &[appointment_id])?
        .remove(appointment_id)
        .unwrap_or_default())
}

/// The signatures of several appointments in one query, by appointment, oldest first.
fn signatures_of(
    conn: &mut Conn,
    ids: &[&str],
) -> Result<HashMap<String, Vec<Signature>>, ApiError> {
    let rows: Vec<(
        String,
        String,
        String,
        String,
        NaiveDateTime,
        Option<String>,
    )> = attendance_signatures::table
        .filter(attendance_signatures::appointment_id.eq_any(ids))
        .order((
            attendance_signatures::signed_at.asc(),
            attendance_signatures::id.asc(),
        ))
        .select((
            attendance_signatures::appointment_id,
            attendance_signatures::user_id,
            attendance_signatures::party,
            attendance_signatures::method,
            attendance_signatures::signed_at,
            attendance_signatures::ip,
        ))
        .load(conn)?;
    let mut out: HashMap<String, Vec<Signature>> = HashMap::new();
    for (appointment_id, user_id, party, method, signed_at, ip) in rows {
        out.entry(appointment_id).or_default().push(Signature {
            party: db::stored(Party::parse(&party), "attendance_signatures.party", &party)?,
            user_id: db::uuid_of(&user_id)?,
            signed_at: signed_at.and_utc(),
            method,
            ip,
        });
    }
    Ok(out)
}

/// The DTO for `viewer` (`None` for an admin: no video room, no IPs); the one-row case of [`to_dtos`].
pub fn to_dto(
    conn: &mut Conn,
    config: &Config,
    row: AppointmentRow,
    viewer: Option<&crate::accounts::UserRow>,
) -> Result<Appointment, ApiError> {
    to_dtos(conn, config, vec![row], viewer)?
        .pop()
        .ok_or(ApiError::NotFound)
}

/// The DTOs of a page of appointments: signatures and people are loaded for the whole page at once
/// (two queries, whatever its size).
pub fn to_dtos(
    conn: &mut Conn,
    config: &Config,
    rows: Vec<AppointmentRow>,
    viewer: Option<&crate::accounts::UserRow>,
) -> Result<Vec<Appointment>, ApiError> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut signed = signatures_of(conn, &ids)?;
    let person_ids: Vec<&str> = rows
        .iter()
        .flat_map(|r| [r.consultant_id.as_str(), r.beneficiary_id.as_str()])
        .collect();
    let people = people(conn, &person_ids)?;
    let person = |id: &str| {
        people
            .get(id)
            .cloned()
            .ok_or(diesel::result::Error::NotFound)
    };
    let now = db::now();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let party = viewer.and_then(|v| row.party_of(&v.id));
        let video = match (viewer, party) {
            (Some(v), Some(p)) if row.room.is_some() => {
                video::room_for(&config.appointments.jitsi, &row, v, p)?
            }
            _ => None,
        };
        let mut sigs = signed.remove(&row.id).unwrap_or_default();
        if party.is_none() {
            sigs.iter_mut().for_each(|s| s.ip = None);
        }
        let changeable = booking::changeable(&row, party, config.appointments.cutoff_hours, now)?;
        out.push(Appointment {
            id: db::uuid_of(&row.id)?,
            bilan_id: db::uuid_of(&row.bilan_id)?,
            kind: row.kind()?,
            status: row.status()?,
            mode: row.mode()?,
            consultant: person(&row.consultant_id)?,
            beneficiary: person(&row.beneficiary_id)?,
            booked_by: db::uuid_of(&row.booked_by)?,
            absent: row
                .absent
                .as_deref()
                .map(|p| db::stored(Party::parse(p), "appointments.absent", p))
                .transpose()?,
            signatures: sigs,
            video,
            changeable,
            place: row.place,
            starts_at: row.starts_at.and_utc(),
            ends_at: row.ends_at.and_utc(),
            cancelled_at: row.cancelled_at.map(|t| t.and_utc()),
            cancel_reason: row.cancel_reason,
            created_at: row.created_at.and_utc(),
        });
    }
    Ok(out)
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(availability::get_availability)
        .service(availability::put_availability)
        .service(availability::list_slots)
        .service(booking::create_appointment)
        .service(booking::list_appointments)
        .service(booking::get_appointment)
        .service(booking::change_appointment)
        .service(attendance::get_attendance)
        .service(attendance::post_attendance)
        .service(attendance::post_video_event)
        .service(calendar::create_feed)
        .service(calendar::revoke_feed)
        .service(calendar::feed)
        .service(reassign::reassign_bilan);
}
