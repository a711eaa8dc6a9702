//! A consultant's availability (one document, replaced whole) and the free slots computed from it.

use boussole_shared::Slug;
use boussole_shared::field_rules::FieldRule;
use std::collections::HashSet;

use actix_web::{HttpRequest, get, put, web};

use boussole_shared::appointments::{
    AppointmentKind, AppointmentTypeSettings, Availability, ExceptionKind, Slot, SlotQuery,
};
use boussole_shared::time::to_paris;
use chrono::{Duration, NaiveDate, NaiveTime, Timelike};
use diesel::prelude::*;

use super::ConsultantPath;
use super::slots::{self, Busy};
use crate::auth::caller::{AppointmentsRead, Staff, Viewer, ViewerOrKey};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::error::Fields;
use crate::json::JsonBody;
use crate::schema::{appointments, availabilities, bilan_consultants, bilans, users};
use crate::{AppState, journal};

/// The longest period one slots request may cover (about three months).
pub const MAX_SLOT_DAYS: i64 = 93;

/// What a consultant offers before they set anything: no hours yet, and sensible durations.
pub fn default_availability() -> Availability {
    let t = |kind, duration_minutes| AppointmentTypeSettings {
        kind,
        duration_minutes,
        buffer_minutes: 15,
        min_notice_minutes: 24 * 60,
        horizon_days: 90,
    };
    Availability {
        rules: vec![],
        exceptions: vec![],
        types: vec![
            t(AppointmentKind::Information, 45),
            t(AppointmentKind::BilanSession, 120),
            t(AppointmentKind::FollowUp, 60),
        ],
        exclude_public_holidays: true,
    }
}

pub fn load(conn: &mut Conn, consultant_id: &str) -> Result<Availability, ApiError> {
    let doc: Option<String> = availabilities::table
        .find(consultant_id)
        .select(availabilities::document)
        .first(conn)
        .optional()?;
    match doc {
        None => Ok(default_availability()),
        Some(d) => serde_json::from_str(&d).map_err(ApiError::internal),
    }
}

/// The consultant's busy times (live appointments with their buffers) overlapping a UTC range, sorted.
pub fn busy_between(
    conn: &mut Conn,
    consultant_id: &str,
    from: chrono::NaiveDateTime,
    to: chrono::NaiveDateTime,
) -> QueryResult<Vec<Busy>> {
    let rows: Vec<(chrono::NaiveDateTime, chrono::NaiveDateTime, i64)> = appointments::table
        .filter(appointments::consultant_id.eq(consultant_id))
        .filter(appointments::status.ne("cancelled"))
        .filter(appointments::starts_at.lt(to))
        // The longest appointment plus buffer is 6 hours: earlier starts cannot reach `from`.
        .filter(appointments::starts_at.gt(from - Duration::hours(6)))
        .order(appointments::starts_at.asc())
        .select((
            appointments::starts_at,
            appointments::ends_at,
            appointments::buffer_minutes,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(start, end, buffer)| Busy {
            start,
            end: end + Duration::minutes(buffer),
        })
        .collect())
}

fn require_consultant(conn: &mut Conn, id: &str) -> Result<(), ApiError> {
    let role: Option<String> = users::table
        .find(id)
        .select(users::role)
        .first(conn)
        .optional()?;
    match role.as_deref() {
        Some("consultant") => Ok(()),
        _ => Err(ApiError::NotFound),
    }
}

/// The consultant themself or an admin (office staff keep calendars too).
fn may_manage(viewer: &Viewer, consultant_id: &str) -> Result<(), ApiError> {
    match viewer {
        Viewer::Admin(_) => Ok(()),
        Viewer::Consultant(id) if id == consultant_id => Ok(()),
        _ => Err(ApiError::forbidden(
            Slug::NOT_YOUR_CALENDAR,
            "Seuls le consultant et les administrateurs gèrent ces disponibilités.",
        )),
    }
}

fn on_grid(t: NaiveTime) -> bool {
    t.second() == 0 && t.minute().is_multiple_of(5)
}

/// Field errors of an availability document: inverted or overlapping ranges, times off the 5-minute
/// grid, a kind listed twice, half-given exception times.
pub fn check(av: &Availability) -> Result<(), ApiError> {
    let mut errors = Fields::default();
    let mut err = |field: String, rule: FieldRule, msg: &str| errors.add(&field, rule, msg);
    for (i, r) in av.rules.iter().enumerate() {
        if !(1..=7).contains(&r.weekday) {
            err(
                format!("rules[{i}].weekday"),
                FieldRule::Range,
                "doit être entre 1 (lundi) et 7 (dimanche)",
            );
        }
        if r.start >= r.end {
            err(
                format!("rules[{i}].end"),
                FieldRule::Order,
                "doit suivre le début",
            );
        }
        if !on_grid(r.start) || !on_grid(r.end) {
            err(
                format!("rules[{i}]"),
                FieldRule::Step,
                "les heures vont de 5 en 5 minutes",
            );
        }
        if r.place.as_ref().is_some_and(|p| p.chars().count() > 200) {
            err(
                format!("rules[{i}].place"),
                FieldRule::TooLong,
                "200 caractères au plus",
            );
        }
        for (j, o) in av.rules.iter().enumerate().take(i) {
            if o.weekday == r.weekday && o.start < r.end && r.start < o.end {
                err(
                    format!("rules[{i}]"),
                    FieldRule::Overlap,
                    &format!("chevauche la plage {j} du même jour"),
                );
            }
        }
    }
    for (i, e) in av.exceptions.iter().enumerate() {
        match (e.start, e.end) {
            (Some(s), Some(t)) => {
                if s >= t {
                    err(
                        format!("exceptions[{i}].end"),
                        FieldRule::Order,
                        "doit suivre le début",
                    );
                }
                if !on_grid(s) || !on_grid(t) {
                    err(
                        format!("exceptions[{i}]"),
                        FieldRule::Step,
                        "les heures vont de 5 en 5 minutes",
                    );
                }
            }
            (None, None) if e.kind == ExceptionKind::Off => {}
            _ => err(
                format!("exceptions[{i}]"),
                FieldRule::Required,
                "donnez le début et la fin (ou aucun des deux pour un jour entier de congé)",
            ),
        }
        for (j, o) in av.exceptions.iter().enumerate().take(i) {
            let overlap = match (o.start, o.end, e.start, e.end) {
                (Some(a), Some(b), Some(c), Some(d)) => a < d && c < b,
                _ => true,
            };
            if o.date == e.date
                && o.kind == ExceptionKind::Extra
                && e.kind == ExceptionKind::Extra
                && overlap
            {
                err(
                    format!("exceptions[{i}]"),
                    FieldRule::Overlap,
                    &format!("chevauche l'exception {j}"),
                );
            }
        }
    }
    let mut kinds = HashSet::new();
    for (i, t) in av.types.iter().enumerate() {
        if !kinds.insert(t.kind) {
            err(
                format!("types[{i}].kind"),
                FieldRule::Duplicate,
                "ce type est déjà réglé",
            );
        }
        if t.duration_minutes % 5 != 0 || t.buffer_minutes % 5 != 0 {
            err(
                format!("types[{i}]"),
                FieldRule::Step,
                "durée et battement vont de 5 en 5 minutes",
            );
        }
    }
    errors.done()
}

/// A consultant's availability (the consultant, admins).
#[utoipa::path(tag = "appointments", params(ConsultantPath),
    responses((status = 200, description = "OK", body = Availability), crate::problems::Read),
    security(("bearer" = [])))]
#[get("/consultants/{id}/availability")]
async fn get_availability(
    Staff { viewer, .. }: Staff,
    state: web::Data<AppState>,
    path: web::Path<ConsultantPath>,
) -> Result<web::Json<Availability>, ApiError> {
    let id = path.id.to_string();
    may_manage(&viewer, &id)?;
    let av = db::run(&state.pool, move |conn| {
        require_consultant(conn, &id)?;
        load(conn, &id)
    })
    .await?;
    Ok(web::Json(av))
}

/// Replaces a consultant's availability (the consultant, admins). Booked appointments stay.
#[utoipa::path(tag = "appointments", params(ConsultantPath), request_body = Availability,
    responses((status = 200, description = "Saved", body = Availability), crate::problems::Write, crate::problems::NotFound),
    security(("bearer" = [])))]
#[put("/consultants/{id}/availability")]
async fn put_availability(
    Staff { viewer, user }: Staff,
    state: web::Data<AppState>,
    path: web::Path<ConsultantPath>,
    body: JsonBody<Availability>,
) -> Result<web::Json<Availability>, ApiError> {
    let id = path.id.to_string();
    may_manage(&viewer, &id)?;
    let av = body.validated()?;
    check(&av)?;
    let actor = user.actor();
    let doc = serde_json::to_string(&av).map_err(ApiError::internal)?;
    db::tx(&state.pool, move |conn| {
        require_consultant(conn, &id)?;
        let now = db::now();
        let updated = diesel::update(availabilities::table.find(&id))
            .set((
                availabilities::document.eq(&doc),
                availabilities::updated_at.eq(now),
            ))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(availabilities::table)
                .values((
                    availabilities::consultant_id.eq(&id),
                    availabilities::document.eq(&doc),
                    availabilities::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        journal::record(
            conn,
            &actor,
            "availability.update",
            "user",
            Some(&id),
            serde_json::json!({}),
        )?;
        Ok(())
    })
    .await?;
    Ok(web::Json(av))
}

/// Whether the caller may see this consultant's free slots: the consultant, admins, and the
/// beneficiaries of a bilan the consultant is assigned to.
fn may_see_slots(conn: &mut Conn, viewer: &Viewer, consultant_id: &str) -> Result<(), ApiError> {
    let allowed = match viewer {
        Viewer::Admin(_) => true,
        Viewer::Consultant(id) => id == consultant_id,
        Viewer::Beneficiary(id) => {
            let n: i64 = bilan_consultants::table
                .inner_join(bilans::table)
                .filter(bilans::beneficiary_id.eq(id))
                .filter(bilan_consultants::consultant_id.eq(consultant_id))
                .filter(bilan_consultants::unassigned_at.is_null())
                .count()
                .get_result(conn)?;
            n > 0
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            Slug::NOT_YOUR_CONSULTANT,
            "Vous ne pouvez réserver qu'avec votre consultant.",
        ))
    }
}

/// The free slots of one kind over a period of Paris dates (93 days at most), in UTC.
pub fn compute(
    conn: &mut Conn,
    consultant_id: &str,
    kind: AppointmentKind,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Slot>, ApiError> {
    let av = load(conn, consultant_id)?;
    // Paris dates span UTC from the previous evening to the next morning.
    let start = from.and_time(NaiveTime::MIN) - Duration::days(1);
    let end = to.and_time(NaiveTime::MIN) + Duration::days(2);
    let busy = busy_between(conn, consultant_id, start, end)?;
    Ok(slots::free_slots(&av, kind, from, to, db::now(), &busy))
}

/// Free slots of a consultant (`?from=&to=` Paris dates, both included, 93 days at most; `kind`
/// defaults to a bilan session); an API key with `appointments:read` sees them as admins do.
#[utoipa::path(tag = "appointments", params(ConsultantPath, SlotQuery),
    responses((status = 200, description = "OK", body = Vec<Slot>), crate::problems::List, crate::problems::NotFound),
    security(("bearer" = []), ("api_key" = [])))]
#[get("/consultants/{id}/slots")]
async fn list_slots(
    ViewerOrKey { viewer, .. }: ViewerOrKey<AppointmentsRead>,
    state: web::Data<AppState>,
    path: web::Path<ConsultantPath>,
    req: HttpRequest,
) -> Result<web::Json<Vec<Slot>>, ApiError> {
    let q: SlotQuery = crate::json::query(&req)?;
    if q.to < q.from {
        return Err(ApiError::field("to", FieldRule::Order, "doit suivre from"));
    }
    if (q.to - q.from).num_days() >= MAX_SLOT_DAYS {
        return Err(ApiError::field(
            "to",
            FieldRule::PeriodTooLong,
            "93 jours au plus",
        ));
    }
    let id = path.id.to_string();
    let slots = db::run(&state.pool, move |conn| {
        require_consultant(conn, &id)?;
        may_see_slots(conn, &viewer, &id)?;
        compute(
            conn,
            &id,
            q.kind.unwrap_or(AppointmentKind::BilanSession),
            q.from,
            q.to,
        )
    })
    .await?;
    Ok(web::Json(slots))
}

/// The Paris date of a UTC instant (to look up the slots of that day).
pub fn paris_date(t: chrono::NaiveDateTime) -> NaiveDate {
    to_paris(t).date()
}
