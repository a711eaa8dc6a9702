//! The notification centre (issue 14, item 4): every event addressed to a person (a booking, a
//! document issued, a questionnaire to fill, a new message…) in one list with read/unread and a link,
//! and the person's preferences per kind and channel. No notification ever carries bilan content.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

str_enum!(
    /// What a notification is about.
    NotificationKind {
        /// A new message in one of my threads (batched, never its content).
        MessageReceived = "message_received",
        AppointmentBooked = "appointment_booked",
        AppointmentMoved = "appointment_moved",
        AppointmentCancelled = "appointment_cancelled",
        /// To the consultant assigned and to the beneficiary.
        ConsultantAssigned = "consultant_assigned",
        QuestionnaireAssigned = "questionnaire_assigned",
        /// A document issued for / addressed to me.
        DocumentIssued = "document_issued",
        /// A consultant shared a library resource with me.
        ResourceShared = "resource_shared",
    }
);

str_enum!(
    /// How a notification reaches its person.
    NotificationChannel {
        InApp = "in_app",
        Email = "email",
        Sms = "sms",
    }
);

/// One notification of the caller's list.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: Uuid,
    pub kind: NotificationKind,
    /// A French sentence for API readers and emails, never bilan content
    /// ("Rendez-vous confirmé le 12/12 à 10:00").
    pub title: String,
    /// Who or what it is about, for the web app's own wording (a person's name, a date in Paris
    /// time), or `null`.
    pub subject: Option<String>,
    /// The SPA path to open ("/rendez-vous/<id>", "/messages/<conversation id>", "/ressources").
    pub link: String,
    pub created_at: DateTime<Utc>,
    /// When the caller marked it read (`null`: unread).
    pub read_at: Option<DateTime<Utc>>,
}

/// The caller's unread notifications.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationSummary {
    pub unread: i64,
}

/// The channels chosen for one kind.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPreference {
    pub kind: NotificationKind,
    /// Listed in the notification centre.
    pub in_app: bool,
    /// Sent by email.
    pub email: bool,
    /// Sent by SMS (needs `sms_available`).
    pub sms: bool,
}

/// `GET|PUT /api/v1/notifications/preferences`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPreferences {
    /// One per kind, every kind present (a PUT must list each kind at most once; kinds left out keep
    /// their current choice).
    pub items: Vec<NotificationPreference>,
    /// SMS can be chosen: the person has opted in to SMS with a French mobile in their profile
    /// (ignored in a PUT).
    pub sms_available: bool,
}

/// The data of a `notification` event of `GET /api/v1/events`: which notification arrived and the
/// receiver's unread count then (the client reads the list through the API).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationEvent {
    pub id: Uuid,
    pub kind: NotificationKind,
    pub unread: i64,
}

/// Filter of `GET /api/v1/notifications` (with `?page=&per_page=`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct NotificationFilter {
    /// `true`: only the unread ones.
    pub unread: Option<bool>,
}
