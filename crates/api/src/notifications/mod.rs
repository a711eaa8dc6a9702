//! The notification centre (issue 14, item 4): every event addressed to a person goes through
//! [`notify`], inside the transaction of the change that causes it. It writes the in-app row when the
//! person keeps that channel, and queues the email and the SMS through the outbox per their
//! preferences (defaults: in app and email on, SMS off; SMS also needs the opt-in mobile of the
//! profile). After the commit, [`tx`] wakes the owner's live streams (`GET /api/v1/events`).
//!
//! Texts are written by the emitting feature from what the event is (a date, a person's name, a kind
//! of document), never from bilan content: admins read the outbox, and the list is plain text.

pub mod demo;
mod handlers;
pub mod live;
pub mod store;

use std::cell::RefCell;

use boussole_shared::notifications::NotificationKind;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::AppState;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::notify::outbox::{self, Channel, Outgoing};
use crate::notify::sms::is_french_mobile;
use crate::schema::users;

#[derive(Debug, serde::Deserialize, IntoParams)]
pub struct NotificationPath {
    /// Notification id.
    pub id: uuid::Uuid,
}

pub fn routes(cfg: &mut ServiceConfig) {
    // The literal segments before `{id}`.
    cfg.service(handlers::summary)
        .service(handlers::get_preferences)
        .service(handlers::put_preferences)
        .service(handlers::read_all)
        .service(handlers::list)
        .service(handlers::read_notification);
}

/// Something to tell one person.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub user_id: String,
    pub kind: NotificationKind,
    /// The French sentence of the list and of API readers.
    pub title: String,
    /// Who or what it is about (a name, a date in Paris time), for the web app's own wording.
    pub subject: Option<String>,
    /// The SPA path to open.
    pub link: String,
    /// The email's subject and body, when this event is worth one.
    pub email: Option<(String, String)>,
    /// The SMS text, when this event is worth one.
    pub sms: Option<String>,
    /// How the outbox files it.
    pub delivery: Delivery,
}

/// The outbox's side of a notification; the defaults suit most.
#[derive(Debug, Clone, Default)]
pub struct Delivery {
    /// The outbox `kind` (default: the notification's kind), kept where older messages had one.
    pub outbox_kind: Option<&'static str>,
    /// An iCalendar attachment of the email.
    pub ics: Option<String>,
    /// The appointment the messages are about (the outbox cancels its reminders by it).
    pub appointment_id: Option<String>,
    /// When it happened, on the server's clock (default: now); the live stream's ids are made of it.
    pub at: Option<NaiveDateTime>,
}

/// The channels a person chose for a kind, as they apply now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Channels {
    pub in_app: bool,
    pub email: bool,
    pub sms: bool,
}

impl Channels {
    pub const DEFAULT: Channels = Channels {
        in_app: true,
        email: true,
        sms: false,
    };
}

/// Whether SMS may be chosen: the person opted in to SMS with a French mobile in their profile.
pub fn sms_available(sms_opt_in: bool, phone: Option<&str>) -> bool {
    sms_opt_in && phone.is_some_and(is_french_mobile)
}

/// Tells `new.user_id` through the channels they chose; returns the in-app row's id when one was
/// written. Inactive accounts are told nothing. Call it inside the change's transaction, and run that
/// transaction with [`tx`] so the live streams hear of it after the commit.
pub fn notify(conn: &mut Conn, new: &NewNotification) -> Result<Option<String>, ApiError> {
    let person: Option<(String, Option<String>, bool, bool)> = users::table
        .find(&new.user_id)
        .select((
            users::email,
            users::phone,
            users::sms_reminders,
            users::is_active,
        ))
        .first(conn)
        .optional()?;
    let Some((email, phone, sms_opt_in, true)) = person else {
        return Ok(None);
    };
    let chosen = store::channels(conn, &new.user_id, new.kind)?;
    let at = new.delivery.at.unwrap_or_else(db::now);
    let kind = new.delivery.outbox_kind.unwrap_or(new.kind.as_str());
    let mut id = None;
    if chosen.in_app {
        let entry = store::Entry {
            user: &new.user_id,
            kind: new.kind,
            title: &new.title,
            subject: new.subject.as_deref(),
            link: &new.link,
            at,
        };
        id = Some(store::insert(conn, entry)?);
        pending::push(&new.user_id);
    }
    if let (true, Some((subject, body))) = (chosen.email, &new.email) {
        outbox::enqueue(
            conn,
            &Outgoing {
                channel: Channel::Email,
                recipient: email,
                kind,
                subject: subject.clone(),
                body: body.clone(),
                ics: new.delivery.ics.clone(),
                appointment_id: new.delivery.appointment_id.clone(),
                not_before: db::now(),
            },
        )?;
    }
    let phone = phone.filter(|p| sms_available(sms_opt_in, Some(p)));
    if let (true, Some(text), Some(phone)) = (chosen.sms, &new.sms, phone) {
        outbox::enqueue(
            conn,
            &Outgoing {
                channel: Channel::Sms,
                recipient: phone,
                kind,
                subject: new.title.clone(),
                body: text.clone(),
                ics: None,
                appointment_id: new.delivery.appointment_id.clone(),
                not_before: db::now(),
            },
        )?;
    }
    Ok(id)
}

/// [`db::tx`] for a change that may notify: once it committed, the live streams of the people told
/// are woken (their `notification` events go out).
pub async fn tx<T, F>(state: &AppState, mut f: F) -> Result<T, ApiError>
where
    F: FnMut(&mut Conn) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let (value, told) = db::tx(&state.pool, move |conn| {
        // The closure runs whole on this blocking thread (and again from scratch on a retry).
        pending::take();
        let value = f(conn)?;
        Ok((value, pending::take()))
    })
    .await?;
    if !told.is_empty() {
        state.live.send(crate::live::Live::Notified { users: told });
    }
    Ok(value)
}

/// The people notified by the transaction running on this thread, for [`tx`] to wake after commit.
/// A transaction run without [`tx`] leaves its names here until the next one clears them; the cap
/// keeps that from growing (those streams still see the row at their next wake or heartbeat).
mod pending {
    use super::RefCell;

    const CAP: usize = 256;

    thread_local! {
        static TOLD: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    pub fn push(user: &str) {
        TOLD.with(|t| {
            let mut t = t.borrow_mut();
            if t.len() >= CAP {
                t.clear();
            }
            if !t.iter().any(|u| u == user) {
                t.push(user.to_string());
            }
        });
    }

    pub fn take() -> Vec<String> {
        TOLD.with(|t| std::mem::take(&mut *t.borrow_mut()))
    }
}
