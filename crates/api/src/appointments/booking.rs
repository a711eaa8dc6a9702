//! Booking, listing, moving and cancelling appointments.
//!
//! A beneficiary books one of the free slots of a consultant assigned to their bilan; a consultant
//! (or an admin) books any free time for a bilan of theirs. Whatever the race, the consultant's time
//! is held by `appointment_cells` (see `hold_cells`): the loser of two simultaneous bookings gets 409.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use boussole_shared::Slug;
use boussole_shared::appointments::{
    Appointment, AppointmentChange, AppointmentFilter, AppointmentKind, AppointmentStatus,
    AvailabilityMode, NewAppointment, Party,
};
use boussole_shared::bilans::{BilanStatus, SessionMode};
use boussole_shared::conditions::Condition;
use boussole_shared::field_rules::FieldRule;
use boussole_shared::time::{LocalTimeError, paris_to_utc};
use boussole_shared::{Page, PageQuery};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::availability::{self, paris_date};
use super::messages::{self, Change};
use super::{
    AppointmentPath, AppointmentRow, hold_cells, load_visible, on_cell_boundary, release_cells,
    slots, to_dto, to_dtos,
};
use crate::auth::caller::{AppointmentsRead, AppointmentsWrite, Viewer, ViewerOrKey};
use crate::auth::extract::CurrentUser;
use crate::bilans::model::{self as bilan_model, BilanRow};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::paged::Paged;
use crate::schema::{appointments, bilan_consultants, bilans};
use crate::webhooks::WebhookEventKind;
use crate::{AppState, journal};
use boussole_shared::rules::{MAX_ACCOMPANIMENT_MINUTES, appointment_fits};

/// The UTC start from `starts_at` or `local_start` (exactly one), on the 5-minute grid.
pub fn resolve_start(
    starts_at: Option<NaiveDateTime>,
    local_start: Option<NaiveDateTime>,
) -> Result<NaiveDateTime, ApiError> {
    let start = match (starts_at, local_start) {
        (Some(s), None) => s,
        (None, Some(local)) => paris_to_utc(local).map_err(|e| {
            ApiError::field(
                "local_start", FieldRule::LocalTime,
                match e {
                    LocalTimeError::Nonexistent => {
                        "cette heure n'existe pas ce jour-là (passage à l'heure d'été)"
                    }
                    LocalTimeError::Ambiguous => {
                        "cette heure existe deux fois ce jour-là (passage à l'heure d'hiver) : donnez starts_at en UTC"
                    }
                },
            )
        })?,
        _ => return Err(ApiError::field("starts_at", FieldRule::Required, "donnez starts_at (UTC) ou local_start (heure de Paris), l'un des deux")),
    };
    if !on_cell_boundary(start) {
        return Err(ApiError::field(
            "starts_at",
            FieldRule::Step,
            "les rendez-vous commencent toutes les 5 minutes",
        ));
    }
    Ok(start)
}

/// Whether `party` may still move or cancel: beneficiaries until the cut-off, staff until the start.
pub fn changeable(
    row: &AppointmentRow,
    party: Option<Party>,
    cutoff_hours: i64,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    if row.status()? != AppointmentStatus::Booked {
        return Ok(false);
    }
    Ok(match party {
        Some(Party::Beneficiary) => now < row.starts_at - Duration::hours(cutoff_hours),
        _ => now < row.starts_at,
    })
}

/// The bilan's stage allows this kind (`rules::appointment_fits`, which the SPA follows too): the
/// information interview before it starts, its sessions only while it runs (after the contract, the
/// consent and the withdrawal period; never once it has ended), the follow-up after it.
fn check_kind(conn: &mut Conn, kind: AppointmentKind, bilan_id: &str) -> Result<(), ApiError> {
    let status: String = bilans::table
        .find(bilan_id)
        .select(bilans::status)
        .first(conn)?;
    let status = db::stored(BilanStatus::parse(&status), "bilans.status", &status)?;
    if appointment_fits(kind, status) {
        Ok(())
    } else if kind == AppointmentKind::BilanSession {
        Err(crate::bilans::hours::not_running())
    } else {
        Err(ApiError::rule(
            Slug::APPOINTMENT_KIND_MISMATCH,
            "Ce type de rendez-vous ne correspond pas à l'étape du bilan.",
        ))
    }
}

/// Accompaniment held plus booked bilan sessions must stay within 24 hours (L6313-4).
fn check_hours(
    conn: &mut Conn,
    bilan_id: &str,
    minutes: i64,
    except: Option<&str>,
) -> Result<(), ApiError> {
    let (held, _) = bilan_model::minutes(conn, bilan_id)?;
    let mut q = appointments::table
        .filter(appointments::bilan_id.eq(bilan_id))
        .filter(appointments::kind.eq(AppointmentKind::BilanSession.as_str()))
        .filter(appointments::status.eq(AppointmentStatus::Booked.as_str()))
        .select((appointments::starts_at, appointments::ends_at))
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(appointments::id.ne(id.to_string()));
    }
    let booked: i64 = q
        .load::<(NaiveDateTime, NaiveDateTime)>(conn)?
        .iter()
        .map(|(s, e)| (*e - *s).num_minutes())
        .sum();
    if held + booked + minutes > MAX_ACCOMPANIMENT_MINUTES {
        return Err(ApiError::Rule {
            slug: Slug::MAXIMUM_HOURS,
            detail: format!(
                "Ce rendez-vous porterait l'accompagnement au-delà de 24 heures (tenu : {} h {:02}, réservé : {} h {:02}).",
                held / 60,
                held % 60,
                booked / 60,
                booked % 60
            ),
            missing: vec![Condition::MaximumHours.into()],
        });
    }
    Ok(())
}

/// Where and how long: a beneficiary gets exactly a free slot; staff any time, duration of their choice.
struct Placement {
    duration: i64,
    buffer: i64,
    place: Option<String>,
}

fn place_for(
    conn: &mut Conn,
    viewer: &Viewer,
    consultant_id: &str,
    kind: AppointmentKind,
    start: NaiveDateTime,
    mode: SessionMode,
    duration: Option<i64>,
) -> Result<Placement, ApiError> {
    let av = availability::load(conn, consultant_id)?;
    let defaults = availability::default_availability();
    let settings = slots::settings_for(&av, kind);
    if let Viewer::Beneficiary(_) = viewer {
        let Some(settings) = settings else {
            return Err(ApiError::rule(
                Slug::APPOINTMENT_KIND_NOT_OFFERED,
                "Votre consultant ne propose pas ce type de rendez-vous en ligne.",
            ));
        };
        if duration.is_some_and(|d| d != settings.duration_minutes) {
            return Err(ApiError::field(
                "duration_minutes",
                FieldRule::NotAllowed,
                "fixée par le consultant",
            ));
        }
        let day = paris_date(start);
        let free = availability::compute(conn, consultant_id, kind, day, day)?;
        let Some(slot) = free.into_iter().find(|s| s.starts_at.naive_utc() == start) else {
            let offered = slots::free_slots(&av, kind, day, day, db::now(), &[]);
            return Err(
                if offered.iter().any(|s| s.starts_at.naive_utc() == start) {
                    ApiError::conflict(
                        Slug::SLOT_TAKEN,
                        "Ce créneau vient d'être pris : choisissez-en un autre.",
                    )
                } else {
                    ApiError::rule(
                        Slug::SLOT_NOT_OFFERED,
                        "Ce créneau n'est pas proposé par votre consultant.",
                    )
                },
            );
        };
        let fits = match slot.mode {
            AvailabilityMode::Either => true,
            AvailabilityMode::OnSite => mode == SessionMode::OnSite,
            AvailabilityMode::Remote => mode == SessionMode::Remote,
        };
        if !fits {
            return Err(ApiError::field(
                "mode",
                FieldRule::NotAllowed,
                "ce créneau n'est pas proposé sous cette forme",
            ));
        }
        return Ok(Placement {
            duration: settings.duration_minutes,
            buffer: settings.buffer_minutes,
            place: slot.place.filter(|_| mode == SessionMode::OnSite),
        });
    }
    let settings = settings.or_else(|| slots::settings_for(&defaults, kind));
    let duration = duration
        .or(settings.map(|s| s.duration_minutes))
        .unwrap_or(60);
    if duration % 5 != 0 {
        return Err(ApiError::field(
            "duration_minutes",
            FieldRule::Step,
            "de 5 en 5 minutes",
        ));
    }
    let weekday = chrono::Datelike::weekday(&boussole_shared::time::to_paris(start))
        .number_from_monday() as u8;
    let place = av
        .rules
        .iter()
        .find(|r| r.weekday == weekday && r.mode != AvailabilityMode::Remote && r.place.is_some())
        .and_then(|r| r.place.clone())
        .filter(|_| mode == SessionMode::OnSite);
    Ok(Placement {
        duration,
        buffer: settings.map_or(0, |s| s.buffer_minutes),
        place,
    })
}

fn random_token(bytes: usize) -> String {
    use rand::RngCore;
    let mut b = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// Books an appointment. A beneficiary: a free slot of a consultant of their bilan. A consultant, an
/// admin or an API key with `appointments:write` (as the organisation): any free time for the bilan.
/// Refused: a past or off-grid start (400/422), a taken slot (409), someone else's consultant (403),
/// more than 24 hours of accompaniment (422).
#[utoipa::path(tag = "appointments", request_body = NewAppointment,
    responses((status = 201, description = "Booked", body = Appointment), crate::problems::Write, crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = []), ("api_key" = [])))]
#[post("/appointments")]
async fn create_appointment(
    ViewerOrKey {
        viewer,
        actor,
        user,
        ..
    }: ViewerOrKey<AppointmentsWrite>,
    state: web::Data<AppState>,
    body: JsonBody<NewAppointment>,
) -> Result<HttpResponse, ApiError> {
    let new = body.validated()?;
    let start = resolve_start(new.starts_at.map(|t| t.naive_utc()), new.local_start)?;
    if start <= db::now() {
        return Err(ApiError::rule(Slug::SLOT_IN_PAST, "Ce créneau est passé."));
    }
    let config = state.config.clone();
    let me = viewer.id().to_string();
    let row = crate::notifications::tx(&state, move |conn| {
        let bilan: BilanRow = bilan_model::load_for(conn, &new.bilan_id.to_string(), &viewer)?;
        let consultant_id = new.consultant_id.to_string();
        let own = !matches!(viewer, Viewer::Consultant(ref id) if *id != consultant_id);
        if !own || !bilan_model::is_assigned(conn, &bilan.id, &consultant_id)? {
            return Err(ApiError::forbidden(Slug::NOT_YOUR_CONSULTANT, "Ce consultant n'accompagne pas ce bilan."));
        }
        check_kind(conn, new.kind, &bilan.id)?;
        let p = place_for(conn, &viewer, &consultant_id, new.kind, start, new.mode, new.duration_minutes)?;
        if new.kind == AppointmentKind::BilanSession {
            check_hours(conn, &bilan.id, p.duration, None)?;
        }
        let now = db::now();
        let row = AppointmentRow {
            id: db::new_id(),
            bilan_id: bilan.id.clone(),
            consultant_id,
            beneficiary_id: bilan.beneficiary_id.clone(),
            kind: new.kind.as_str().into(),
            mode: new.mode.as_str().into(),
            place: p.place,
            starts_at: start,
            ends_at: start + Duration::minutes(p.duration),
            buffer_minutes: p.buffer,
            status: AppointmentStatus::Booked.as_str().into(),
            room: (new.mode == SessionMode::Remote).then(|| format!("boussole-{}", random_token(16))),
            attendance_secret: crate::auth::totp::new_secret(),
            absent: None,
            session_id: None,
            booked_by: me.clone(),
            cancelled_at: None,
            cancel_reason: None,
            created_at: now,
            updated_at: now,
        };
        diesel::insert_into(appointments::table).values(&row).execute(conn)?;
        hold_cells(conn, &row)?;
        messages::queue(conn, &config, &row, Change::Booked)?;
        row.emit(conn, WebhookEventKind::AppointmentBooked, None)?;
        let details = serde_json::json!({ "appointment": row.id, "kind": row.kind, "starts_at": row.starts_at });
        bilan_model::event(conn, &row.bilan_id, "appointment_booked", Some(&me), details.clone(), false)?;
        journal::record(conn, &actor, "appointment.book", "appointment", Some(&row.id), details)?;
        Ok(row)
    })
    .await?;
    let dto = dto_for(&state, row, user.as_ref()).await?;
    Ok(HttpResponse::Created().json(dto))
}

/// The appointment as `user` sees it (`None`: an API key, which sees what admins see).
async fn dto_for(
    state: &web::Data<AppState>,
    row: AppointmentRow,
    user: Option<&CurrentUser>,
) -> Result<Appointment, ApiError> {
    let config = state.config.clone();
    let viewer = match user {
        Some(u) if u.user.role()? != boussole_shared::users::Role::Admin => Some(u.user.clone()),
        _ => None,
    };
    db::run(&state.pool, move |conn| {
        to_dto(conn, &config, row, viewer.as_ref())
    })
    .await
}

/// Appointments: a consultant's own, a beneficiary's own, all of them for admins and API keys with
/// `appointments:read` (`?bilan_id=` for one bilan's); by start time.
#[utoipa::path(tag = "appointments", params(PageQuery, AppointmentFilter),
    responses((status = 200, description = "OK", body = Page<Appointment>), crate::problems::List),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/appointments")]
async fn list_appointments(
    ViewerOrKey { viewer, user, .. }: ViewerOrKey<AppointmentsRead>,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<web::Json<Page<Appointment>>, ApiError> {
    let filter: AppointmentFilter = crate::json::query(&req)?;
    let paged = Paged::from_request(&req)?;
    let config = state.config.clone();
    let me = user
        .filter(|_| !matches!(viewer, Viewer::Admin(_)))
        .map(|u| u.user);
    let result = db::run(&state.pool, move |conn| {
        let query = || {
            let mut q = appointments::table.into_boxed();
            match &viewer {
                Viewer::Admin(_) => {}
                Viewer::Consultant(id) => {
                    // Only while the bilan is theirs: a removed consultant's past appointments go with it.
                    let mine = bilan_consultants::table
                        .filter(bilan_consultants::consultant_id.eq(id.clone()))
                        .filter(bilan_consultants::unassigned_at.is_null())
                        .select(bilan_consultants::bilan_id);
                    q = q
                        .filter(appointments::consultant_id.eq(id.clone()))
                        .filter(appointments::bilan_id.eq_any(mine));
                }
                Viewer::Beneficiary(id) => {
                    q = q.filter(appointments::beneficiary_id.eq(id.clone()))
                }
            }
            if let Some(from) = filter.from {
                q = q.filter(appointments::starts_at.ge(from.naive_utc()));
            }
            if let Some(to) = filter.to {
                q = q.filter(appointments::starts_at.lt(to.naive_utc()));
            }
            if let Some(s) = filter.status {
                q = q.filter(appointments::status.eq(s.as_str()));
            }
            if let Some(b) = filter.bilan_id {
                q = q.filter(appointments::bilan_id.eq(b.to_string()));
            }
            q
        };
        paged
            .load(conn, query, |q| {
                q.order((appointments::starts_at.asc(), appointments::id.asc()))
                    .select(AppointmentRow::as_select())
            })?
            .try_map_items(|rows| to_dtos(conn, &config, rows, me.as_ref()))
    })
    .await?;
    Ok(web::Json(result))
}

/// One appointment: its parties see the video room; admins and API keys with `appointments:read` the
/// administrative facts.
#[utoipa::path(tag = "appointments", params(AppointmentPath),
    responses((status = 200, description = "OK", body = Appointment), crate::problems::Read),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/appointments/{id}")]
async fn get_appointment(
    ViewerOrKey { viewer, user, .. }: ViewerOrKey<AppointmentsRead>,
    state: web::Data<AppState>,
    path: web::Path<AppointmentPath>,
) -> Result<web::Json<Appointment>, ApiError> {
    let id = path.id.to_string();
    let is_admin = matches!(viewer, Viewer::Admin(_));
    let uid = viewer.id().to_string();
    let row = db::run(&state.pool, move |conn| {
        load_visible(conn, &id, &uid, is_admin)
    })
    .await?;
    Ok(web::Json(dto_for(&state, row, user.as_ref()).await?))
}

/// Moves or cancels an appointment. Beneficiaries may until the cut-off (24 h by default) before the
/// start, staff and API keys with `appointments:write` until the start; pending reminders are
/// dropped and both parties are told.
#[utoipa::path(tag = "appointments", params(AppointmentPath), request_body = AppointmentChange,
    responses((status = 200, description = "Changed", body = Appointment), crate::problems::Write, crate::problems::NotFound, crate::problems::Conflict, crate::problems::BusinessRule),
    security(("bearer" = []), ("api_key" = [])))]
#[patch("/appointments/{id}")]
async fn change_appointment(
    ViewerOrKey {
        viewer,
        actor,
        user,
        ..
    }: ViewerOrKey<AppointmentsWrite>,
    state: web::Data<AppState>,
    path: web::Path<AppointmentPath>,
    body: JsonBody<AppointmentChange>,
) -> Result<web::Json<Appointment>, ApiError> {
    let change = body.parse()?;
    let new_start = match &change {
        AppointmentChange::Move {
            starts_at,
            local_start,
        } => Some(resolve_start(
            starts_at.map(|t| t.naive_utc()),
            *local_start,
        )?),
        AppointmentChange::Cancel { reason } => {
            if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
                return Err(ApiError::field(
                    "reason",
                    FieldRule::TooLong,
                    "500 caractères au plus",
                ));
            }
            None
        }
    };
    let id = path.id.to_string();
    let config = state.config.clone();
    let me = viewer.id().to_string();
    let row = crate::notifications::tx(&state, move |conn| {
        let is_admin = matches!(viewer, Viewer::Admin(_));
        let mut row = load_visible(conn, &id, &me, is_admin)?;
        if row.status()? != AppointmentStatus::Booked {
            return Err(ApiError::conflict(Slug::APPOINTMENT_NOT_UPCOMING, "Ce rendez-vous n'est plus à venir."));
        }
        let now = db::now();
        if !changeable(&row, row.party_of(&me), config.appointments.cutoff_hours, now)? {
            return Err(ApiError::rule(Slug::APPOINTMENT_CHANGE_TOO_LATE, format!(
                "Trop tard pour modifier ce rendez-vous : il faut prévenir votre consultant (délai : {} h avant).",
                config.appointments.cutoff_hours
            )));
        }
        release_cells(conn, &row.id)?;
        let previous = row.starts_at;
        let what = match (&change, new_start) {
            (AppointmentChange::Move { .. }, Some(start)) => {
                if start <= now {
                    return Err(ApiError::rule(Slug::SLOT_IN_PAST, "Ce créneau est passé."));
                }
                // The bilan may have ended (or be abandoned) since the booking.
                check_kind(conn, row.kind()?, &row.bilan_id)?;
                // Staff keep the length they chose; a beneficiary moves to a slot of the usual length.
                let current = (row.ends_at - row.starts_at).num_minutes();
                let keep = (!matches!(viewer, Viewer::Beneficiary(_))).then_some(current);
                let p = place_for(conn, &viewer, &row.consultant_id, row.kind()?, start, row.mode()?, keep)?;
                if row.kind()? == AppointmentKind::BilanSession {
                    check_hours(conn, &row.bilan_id, p.duration, Some(&row.id))?;
                }
                row.starts_at = start;
                row.ends_at = start + Duration::minutes(p.duration);
                row.place = p.place.or(row.place.take());
                row.updated_at = now;
                diesel::update(appointments::table.find(&row.id))
                    .set((
                        appointments::starts_at.eq(row.starts_at),
                        appointments::ends_at.eq(row.ends_at),
                        appointments::place.eq(&row.place),
                        appointments::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                hold_cells(conn, &row)?;
                Change::Moved
            }
            _ => {
                let reason = match &change {
                    AppointmentChange::Cancel { reason } => reason.clone(),
                    AppointmentChange::Move { .. } => None,
                };
                row.status = AppointmentStatus::Cancelled.as_str().into();
                row.cancelled_at = Some(now);
                row.cancel_reason = reason;
                row.updated_at = now;
                diesel::update(appointments::table.find(&row.id))
                    .set((
                        appointments::status.eq(&row.status),
                        appointments::cancelled_at.eq(row.cancelled_at),
                        appointments::cancel_reason.eq(&row.cancel_reason),
                        appointments::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                Change::Cancelled
            }
        };
        messages::queue(conn, &config, &row, what)?;
        match what {
            Change::Moved => row.emit(conn, WebhookEventKind::AppointmentMoved, Some(previous))?,
            _ => row.emit(conn, WebhookEventKind::AppointmentCancelled, None)?,
        }
        let name = if what == Change::Moved { "appointment_moved" } else { "appointment_cancelled" };
        let details = serde_json::json!({ "appointment": row.id, "starts_at": row.starts_at });
        bilan_model::event(conn, &row.bilan_id, name, Some(&me), details.clone(), false)?;
        journal::record(conn, &actor, &name.replace('_', "."), "appointment", Some(&row.id), details)?;
        Ok(row)
    })
    .await?;
    Ok(web::Json(dto_for(&state, row, user.as_ref()).await?))
}
