//! When a bilan changes consultant, its appointments follow (issue 10, item 4): the removed consultant
//! keeps no moderator token, no attendance sheet and no way to move them. Each future appointment goes
//! to the new consultant when their time is free, and is cancelled otherwise (or when no consultant
//! remains); every party is told through the notification centre, in the reassignment's transaction.

use boussole_shared::appointments::AppointmentStatus;
use boussole_shared::notifications::NotificationKind;
use diesel::prelude::*;
use icalendar::Calendar;

use super::messages::{self, Change, kind_fr, when_fr};
use super::{AppointmentRow, hold_cells, release_cells};
use crate::accounts::{self as users_model, UserRow};
use crate::bilans::model as bilan_model;
use crate::config::Config;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::journal::{self, Actor};
use crate::notifications::{self, Delivery, NewNotification};
use crate::notify::outbox;
use crate::schema::appointments;

/// Hands the bilan's future appointments held by anyone but `to` over to `to` (`None`: nobody left,
/// so they are cancelled). Past appointments stay as they were, for the record.
pub fn hand_over(
    conn: &mut Conn,
    config: &Config,
    actor: &Actor,
    bilan_id: &str,
    to: Option<&str>,
) -> Result<(), ApiError> {
    let now = db::now();
    let mut q = appointments::table
        .filter(appointments::bilan_id.eq(bilan_id))
        .filter(appointments::status.eq(AppointmentStatus::Booked.as_str()))
        .filter(appointments::starts_at.gt(now))
        .into_boxed();
    if let Some(to) = to {
        q = q.filter(appointments::consultant_id.ne(to.to_string()));
    }
    let rows: Vec<AppointmentRow> = q
        .order((appointments::starts_at.asc(), appointments::id.asc()))
        .select(AppointmentRow::as_select())
        .load(conn)?;
    let new = match to {
        Some(id) => Some(users_model::find_by_id(conn, id)?.ok_or(ApiError::NotFound)?),
        None => None,
    };
    for row in rows {
        let previous =
            users_model::find_by_id(conn, &row.consultant_id)?.ok_or(ApiError::NotFound)?;
        let moved = match &new {
            Some(consultant) => move_to(conn, row.clone(), consultant, now)?,
            None => None,
        };
        let (row, name) = match moved {
            Some(moved) => {
                queue_handover(conn, config, &moved, &previous)?;
                (moved, "appointment_reassigned")
            }
            None => (cancel(conn, config, row, now)?, "appointment_cancelled"),
        };
        let details = serde_json::json!({
            "appointment": row.id, "starts_at": row.starts_at, "consultant_id": row.consultant_id,
        });
        bilan_model::event(
            conn,
            bilan_id,
            name,
            actor.id.as_deref(),
            details.clone(),
            false,
        )?;
        journal::record(
            conn,
            actor,
            &name.replace('_', "."),
            "appointment",
            Some(&row.id),
            details,
        )?;
    }
    Ok(())
}

/// Gives the appointment to `consultant` if their time is free (`None` when it is not). The attempt
/// runs in a savepoint: a refused cell leaves the outer transaction usable, and the old cells held.
fn move_to(
    conn: &mut Conn,
    mut row: AppointmentRow,
    consultant: &UserRow,
    now: chrono::NaiveDateTime,
) -> Result<Option<AppointmentRow>, ApiError> {
    row.consultant_id = consultant.id.clone();
    row.updated_at = now;
    let attempt = conn.transaction(|c| -> Result<(), ApiError> {
        release_cells(c, &row.id)?;
        diesel::update(appointments::table.find(&row.id))
            .set((
                appointments::consultant_id.eq(&row.consultant_id),
                appointments::updated_at.eq(now),
            ))
            .execute(c)?;
        hold_cells(c, &row)
    });
    match attempt {
        Ok(()) => Ok(Some(row)),
        Err(ApiError::Conflict { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

fn cancel(
    conn: &mut Conn,
    config: &Config,
    mut row: AppointmentRow,
    now: chrono::NaiveDateTime,
) -> Result<AppointmentRow, ApiError> {
    row.status = AppointmentStatus::Cancelled.as_str().into();
    row.cancelled_at = Some(now);
    row.cancel_reason = Some(
        "Le bilan a été confié à un autre consultant, qui n'est pas disponible à cette heure."
            .into(),
    );
    row.updated_at = now;
    release_cells(conn, &row.id)?;
    diesel::update(appointments::table.find(&row.id))
        .set((
            appointments::status.eq(&row.status),
            appointments::cancelled_at.eq(row.cancelled_at),
            appointments::cancel_reason.eq(&row.cancel_reason),
            appointments::updated_at.eq(now),
        ))
        .execute(conn)?;
    row.emit(
        conn,
        crate::webhooks::WebhookEventKind::AppointmentCancelled,
        None,
    )?;
    // To the beneficiary and the removed consultant, who still held it.
    messages::queue(conn, config, &row, Change::Cancelled).map(|()| row)
}

fn calendar(event: icalendar::Event) -> String {
    let mut cal = Calendar::new();
    cal.name("Boussole").push(event);
    cal.done().to_string()
}

/// Three messages: the removed consultant's calendar drops the event (same UID, cancelled), the
/// beneficiary and the new consultant learn who leads it now; the reminders name the new consultant.
fn queue_handover(
    conn: &mut Conn,
    config: &Config,
    row: &AppointmentRow,
    previous: &UserRow,
) -> Result<(), ApiError> {
    let beneficiary =
        users_model::find_by_id(conn, &row.beneficiary_id)?.ok_or(ApiError::NotFound)?;
    let consultant =
        users_model::find_by_id(conn, &row.consultant_id)?.ok_or(ApiError::NotFound)?;
    let url = &config.public_url;
    let (what, when) = (kind_fr(row.kind()?), when_fr(row.starts_at));
    let mut withdrawn = row.clone();
    withdrawn.status = AppointmentStatus::Cancelled.as_str().into();
    let link = format!("{url}/rendez-vous/{}", row.id);
    let page = format!("/rendez-vous/{}", row.id);
    // For the removed consultant it is gone (its page is no longer theirs: their agenda); for the
    // beneficiary it changed hands; for the new consultant it is a new one.
    let mails = [
        (
            previous,
            NotificationKind::AppointmentCancelled,
            beneficiary.display_name(),
            "/consultant/agenda".to_string(),
            format!("Rendez-vous retiré : {when}"),
            format!(
                "Bonjour {},\n\nLe bilan de {} a été confié à un autre consultant : son {what} du {when} (heure de Paris) ne vous est plus attribué.\n",
                previous.first_name,
                beneficiary.display_name()
            ),
            calendar(messages::ics_event(&withdrawn, &beneficiary, url)?),
        ),
        (
            &beneficiary,
            NotificationKind::AppointmentMoved,
            consultant.display_name(),
            page.clone(),
            format!("Changement de consultant : {when}"),
            format!(
                "Bonjour {},\n\nVotre {what} du {when} (heure de Paris) sera mené par {}, qui suit désormais votre bilan.\n\nPage du rendez-vous : {link}\n",
                beneficiary.first_name,
                consultant.display_name()
            ),
            messages::ics(row, &consultant, url)?,
        ),
        (
            &consultant,
            NotificationKind::AppointmentBooked,
            beneficiary.display_name(),
            page,
            format!("Rendez-vous confié : {when}"),
            format!(
                "Bonjour {},\n\nLe bilan de {} vous a été confié : son {what} du {when} (heure de Paris) figure désormais dans votre agenda.\n\nPage du rendez-vous : {link}\n",
                consultant.first_name,
                beneficiary.display_name()
            ),
            messages::ics(row, &beneficiary, url)?,
        ),
    ];
    outbox::cancel_reminders(conn, &row.id)?;
    for (to, kind, about, page, subject, body, ics) in mails {
        notifications::notify(
            conn,
            &NewNotification {
                user_id: to.id.clone(),
                kind,
                title: subject.clone(),
                subject: Some(about),
                link: page,
                sms: Some(format!("Boussole : {subject}.")),
                email: Some((subject, body)),
                delivery: Delivery {
                    outbox_kind: Some("appointment_reassigned"),
                    ics: Some(ics),
                    appointment_id: Some(row.id.clone()),
                    at: None,
                },
            },
        )?;
    }
    messages::queue_reminders(conn, config, row, &beneficiary, &consultant)
}
