//! The messages an appointment causes, inside the change's transaction: confirmation, change and
//! cancellation to both parties through the notification centre (email with an `.ics`, SMS, as each
//! chose), and reminders to the beneficiary (email, and SMS when they opted in) at the configured
//! delays, queued in the outbox.

use boussole_shared::appointments::{AppointmentKind, AppointmentStatus};
use boussole_shared::bilans::SessionMode;
use boussole_shared::notifications::NotificationKind;
use chrono::NaiveDateTime;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

use super::AppointmentRow;
use crate::accounts::{self, UserRow};
use crate::config::Config;
use crate::db::Conn;
use crate::error::ApiError;
use crate::notifications::{self, Delivery, NewNotification};
use crate::notify::outbox::{self, Channel, Outgoing};

/// What happened to the appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Booked,
    Moved,
    Cancelled,
}

pub(super) fn kind_fr(kind: AppointmentKind) -> &'static str {
    match kind {
        AppointmentKind::Information => "entretien d'information",
        AppointmentKind::BilanSession => "entretien de bilan de compétences",
        AppointmentKind::FollowUp => "entretien de suivi à six mois",
    }
}

/// "mardi 3 février 2026 à 10 h 15" (Paris time), in chrono's French locale.
pub fn when_fr(utc: NaiveDateTime) -> String {
    use chrono::TimeZone;
    boussole_shared::time::Paris
        .from_utc_datetime(&utc)
        .format_localized("%A %-d %B %Y à %-H h %M", chrono::Locale::fr_FR)
        .to_string()
}

fn where_fr(row: &AppointmentRow, public_url: &str) -> Result<String, ApiError> {
    Ok(match (row.mode()?, &row.place) {
        (SessionMode::Remote, _) => format!(
            "En visioconférence : le lien est sur la page du rendez-vous, {public_url}/rendez-vous/{}",
            row.id
        ),
        (SessionMode::OnSite, Some(place)) => format!("Sur place : {place}"),
        (SessionMode::OnSite, None) => "Sur place, à l'adresse de votre organisme".into(),
    })
}

/// The appointment as an iCalendar document (RFC 5545), for the attachment and the feeds.
pub fn ics_event(
    row: &AppointmentRow,
    other: &UserRow,
    public_url: &str,
) -> Result<Event, ApiError> {
    let status = match row.status()? {
        AppointmentStatus::Cancelled => EventStatus::Cancelled,
        _ => EventStatus::Confirmed,
    };
    let link = format!("{public_url}/rendez-vous/{}", row.id);
    let mut event = Event::new();
    event
        .uid(&format!("{}@boussole", row.id))
        .summary(&format!(
            "Boussole — {} avec {}",
            kind_fr(row.kind()?),
            other.display_name()
        ))
        .description(&format!("Détails, visioconférence et émargement : {link}"))
        .location(&where_fr(row, public_url)?)
        .url(&link)
        .starts(row.starts_at.and_utc())
        .ends(row.ends_at.and_utc())
        .timestamp(row.updated_at.and_utc())
        .last_modified(row.updated_at.and_utc())
        // Each change gets a higher sequence, so calendars replace the old version.
        .sequence(
            (row.updated_at - row.created_at)
                .num_seconds()
                .clamp(0, u32::MAX as i64) as u32,
        )
        .status(status);
    Ok(event.done())
}

pub fn ics(row: &AppointmentRow, other: &UserRow, public_url: &str) -> Result<String, ApiError> {
    let mut cal = Calendar::new();
    cal.name("Boussole")
        .push(ics_event(row, other, public_url)?);
    Ok(cal.done().to_string())
}

fn email_text(
    change: Change,
    row: &AppointmentRow,
    to: &UserRow,
    other: &UserRow,
    public_url: &str,
) -> Result<(String, String), ApiError> {
    let what = kind_fr(row.kind()?);
    let when = when_fr(row.starts_at);
    let (subject, lead) = match change {
        Change::Booked => (
            format!("Rendez-vous confirmé : {when}"),
            format!("votre {what} avec {} est confirmé", other.display_name()),
        ),
        Change::Moved => (
            format!("Rendez-vous déplacé : {when}"),
            format!("votre {what} avec {} a été déplacé", other.display_name()),
        ),
        Change::Cancelled => (
            format!("Rendez-vous annulé : {when}"),
            format!("votre {what} avec {} est annulé", other.display_name()),
        ),
    };
    let body = format!(
        "Bonjour {},\n\n{lead}.\n\nQuand : {when} (heure de Paris)\nOù : {}\n\nLe rendez-vous est joint à ce message (fichier .ics) pour votre agenda.\n\nPage du rendez-vous : {public_url}/rendez-vous/{}\n",
        to.first_name,
        where_fr(row, public_url)?,
        row.id
    );
    Ok((subject, body))
}

fn reminder_text(
    row: &AppointmentRow,
    other: &UserRow,
    hours: i64,
) -> Result<(String, String, String), ApiError> {
    let when = when_fr(row.starts_at);
    let delay = if hours >= 24 && hours % 24 == 0 {
        if hours == 24 {
            "demain".to_string()
        } else {
            format!("dans {} jours", hours / 24)
        }
    } else {
        format!("dans {hours} h")
    };
    let subject = format!("Rappel : rendez-vous {delay}, {when}");
    let body = format!(
        "Bonjour,\n\nRappel : votre {} avec {} a lieu {delay}, {when} (heure de Paris).\n\nEn cas d'empêchement, prévenez votre consultant au plus tôt.\n",
        kind_fr(row.kind()?),
        other.display_name()
    );
    let sms = format!(
        "Boussole : rappel, rendez-vous {delay}, {when}, avec {}.",
        other.display_name()
    );
    Ok((subject, body, sms))
}

/// Tells both parties of a change through the notification centre (in the list, and by email with
/// the `.ics` and by SMS as each chose), in the caller's transaction.
pub fn queue(
    conn: &mut Conn,
    config: &Config,
    row: &AppointmentRow,
    change: Change,
) -> Result<(), ApiError> {
    let beneficiary = accounts::find_by_id(conn, &row.beneficiary_id)?.ok_or(ApiError::NotFound)?;
    let consultant = accounts::find_by_id(conn, &row.consultant_id)?.ok_or(ApiError::NotFound)?;
    let url = &config.public_url;
    if change != Change::Booked {
        outbox::cancel_reminders(conn, &row.id)?;
    }
    let (kind, outbox_kind, done) = match change {
        Change::Booked => (
            NotificationKind::AppointmentBooked,
            "appointment_confirmed",
            "confirmé",
        ),
        Change::Moved => (
            NotificationKind::AppointmentMoved,
            "appointment_moved",
            "déplacé",
        ),
        Change::Cancelled => (
            NotificationKind::AppointmentCancelled,
            "appointment_cancelled",
            "annulé",
        ),
    };
    let when = when_fr(row.starts_at);
    for (to, other) in [(&beneficiary, &consultant), (&consultant, &beneficiary)] {
        let (subject, body) = email_text(change, row, to, other, url)?;
        notifications::notify(
            conn,
            &NewNotification {
                user_id: to.id.clone(),
                kind,
                title: subject.clone(),
                subject: Some(other.display_name()),
                link: format!("/rendez-vous/{}", row.id),
                email: Some((subject, body)),
                sms: Some(format!(
                    "Boussole : rendez-vous {done}, {when}, avec {}.",
                    other.display_name()
                )),
                delivery: Delivery {
                    outbox_kind: Some(outbox_kind),
                    ics: Some(ics(row, other, url)?),
                    appointment_id: Some(row.id.clone()),
                    at: None,
                },
            },
        )?;
    }
    if change == Change::Cancelled {
        return Ok(());
    }
    queue_reminders(conn, config, row, &beneficiary, &consultant)
}

/// Queues the beneficiary's reminders of `row` (email, and SMS when they opted in), naming `consultant`.
pub(super) fn queue_reminders(
    conn: &mut Conn,
    config: &Config,
    row: &AppointmentRow,
    beneficiary: &UserRow,
    consultant: &UserRow,
) -> Result<(), ApiError> {
    let now = crate::db::now();
    for hours in &config.appointments.reminder_hours {
        let at = row.starts_at - chrono::Duration::hours(*hours);
        if at <= now {
            continue;
        }
        let kind = if *hours >= 24 {
            "reminder_day"
        } else {
            "reminder_hours"
        };
        let (subject, body, sms) = reminder_text(row, consultant, *hours)?;
        outbox::enqueue(
            conn,
            &Outgoing {
                channel: Channel::Email,
                recipient: beneficiary.email.clone(),
                kind,
                subject: subject.clone(),
                body,
                ics: None,
                appointment_id: Some(row.id.clone()),
                not_before: at,
            },
        )?;
        if let (true, Some(phone)) = (beneficiary.sms_reminders, &beneficiary.phone) {
            outbox::enqueue(
                conn,
                &Outgoing {
                    channel: Channel::Sms,
                    recipient: phone.clone(),
                    kind,
                    subject,
                    body: sms,
                    ics: None,
                    appointment_id: Some(row.id.clone()),
                    not_before: at,
                },
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::when_fr;
    use chrono::NaiveDate;

    #[test]
    fn dates_are_written_in_french_in_paris_time() {
        let t = NaiveDate::from_ymd_opt(2026, 2, 3)
            .and_then(|d| d.and_hms_opt(9, 15, 0))
            .unwrap_or_default();
        assert_eq!(when_fr(t), "mardi 3 février 2026 à 10 h 15");
    }
}
