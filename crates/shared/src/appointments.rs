//! Appointments: consultants' availability, free slots, bookings, attendance (émargement), video
//! rooms, calendar feeds and the outbox of messages. Instants are UTC; availability rules and
//! exceptions are Europe/Paris wall-clock times.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

use crate::bilans::{PersonRef, SessionMode};

str_enum!(
    /// What an appointment is for.
    AppointmentKind {
        /// Information interview before the bilan: not counted in the 24 hours.
        Information = "information",
        /// An interview of the bilan: counted in the accompaniment hours.
        BilanSession = "bilan_session",
        /// The follow-up interview, after the bilan (not counted).
        FollowUp = "follow_up",
    }
);

str_enum!(
    /// Where a consultant receives during a time range.
    AvailabilityMode {
        OnSite = "on_site",
        Remote = "remote",
        /// Either, the person booking chooses.
        Either = "either",
    }
);

str_enum!(
    /// Where an appointment stands.
    AppointmentStatus {
        /// Booked, not yet held.
        Booked = "booked",
        /// Both parties signed the attendance.
        Held = "held",
        Cancelled = "cancelled",
        /// Someone was absent (see `absent`).
        NoShow = "no_show",
    }
);

str_enum!(
    /// A change to the weekly rules on one date.
    ExceptionKind {
        /// Not available (the whole day when no times are given).
        Off = "off",
        /// Available in addition to the weekly rules.
        Extra = "extra",
    }
);

str_enum!(
    /// The two parties of an appointment.
    Party { Beneficiary = "beneficiary", Consultant = "consultant", Both = "both" }
);

/// A weekly time range (Europe/Paris wall clock).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailabilityRule {
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    /// `HH:MM`, Paris time.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:00"))]
    pub start: NaiveTime,
    /// `HH:MM`, after `start`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12:30"))]
    pub end: NaiveTime,
    pub mode: AvailabilityMode,
    /// The address for on-site appointments.
    pub place: Option<String>,
}

/// A day off, or extra hours, on one date (Europe/Paris wall clock).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailabilityException {
    pub date: NaiveDate,
    pub kind: ExceptionKind,
    /// Both times or neither; neither means the whole day (only for `off`).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "14:00"))]
    pub start: Option<NaiveTime>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "17:00"))]
    pub end: Option<NaiveTime>,
    /// For `extra` hours (default `either`).
    pub mode: Option<AvailabilityMode>,
    pub place: Option<String>,
}

/// How one kind of appointment is offered.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentTypeSettings {
    pub kind: AppointmentKind,
    /// 15 to 240 minutes, a multiple of 5.
    #[validate(range(min = 15, max = 240))]
    pub duration_minutes: i64,
    /// Kept free after each appointment, 0 to 120 minutes, a multiple of 5.
    #[validate(range(min = 0, max = 120))]
    pub buffer_minutes: i64,
    /// How long before its start a slot can still be booked, 0 to 14 days in minutes.
    #[validate(range(min = 0, max = 20160))]
    pub min_notice_minutes: i64,
    /// How far ahead slots are offered, 1 to 365 days.
    #[validate(range(min = 1, max = 365))]
    pub horizon_days: i64,
}

/// A consultant's availability: `GET`/`PUT /api/v1/consultants/{id}/availability` (the whole
/// document is replaced at once).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Availability {
    #[validate(length(max = 50))]
    pub rules: Vec<AvailabilityRule>,
    #[validate(length(max = 500))]
    pub exceptions: Vec<AvailabilityException>,
    /// One entry per appointment kind offered; a kind not listed cannot be booked.
    #[validate(length(max = 3), nested)]
    pub types: Vec<AppointmentTypeSettings>,
    /// French public holidays are days off (the default).
    pub exclude_public_holidays: bool,
}

/// `?from=&to=&kind=` of the free slots: Paris dates, both included, 93 days at most.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct SlotQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Default `bilan_session`.
    pub kind: Option<AppointmentKind>,
}

/// A free slot.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    /// UTC.
    pub starts_at: DateTime<Utc>,
    /// UTC.
    pub ends_at: DateTime<Utc>,
    pub mode: AvailabilityMode,
    pub place: Option<String>,
}

/// `POST /api/v1/appointments`: a beneficiary books one of their consultant's free slots; a
/// consultant books for a beneficiary of theirs (any free time, duration of their choice).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAppointment {
    pub bilan_id: Uuid,
    /// One of the bilan's assigned consultants.
    pub consultant_id: Uuid,
    pub kind: AppointmentKind,
    /// UTC, on a 5-minute boundary, in the future. Give this or `local_start`.
    pub starts_at: Option<DateTime<Utc>>,
    /// The start as Paris wall-clock time, refused in the DST gap or overlap. Give this or `starts_at`.
    /// No offset: `2026-12-07T09:00:00` (not an RFC 3339 `date-time`).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2026-12-07T09:00:00"))]
    pub local_start: Option<NaiveDateTime>,
    pub mode: SessionMode,
    /// Consultants only; default the kind's duration.
    #[validate(range(min = 15, max = 240))]
    pub duration_minutes: Option<i64>,
}

/// `PATCH /api/v1/appointments/{id}`: move or cancel (beneficiaries up to the cut-off before the start).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum AppointmentChange {
    /// To another start time (same duration, same rules as booking): `starts_at` (UTC) or
    /// `local_start` (Paris).
    Move {
        starts_at: Option<DateTime<Utc>>,
        /// Paris wall-clock time without an offset, `2026-12-07T09:00:00`.
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2026-12-07T09:00:00"))]
        local_start: Option<NaiveDateTime>,
    },
    /// Cancelled; its pending reminders are dropped.
    Cancel { reason: Option<String> },
}

/// One party's signature of the attendance sheet.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signature {
    pub party: Party,
    pub user_id: Uuid,
    pub signed_at: DateTime<Utc>,
    /// `click` (signed in their own session) or `code` (the code shown by the consultant on site).
    pub method: String,
    pub ip: Option<String>,
}

/// The video room of a remote appointment, for the caller.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VideoRoom {
    /// The Jitsi Meet server, e.g. `https://visio.example.org`.
    pub base_url: String,
    /// Unguessable room name.
    pub room: String,
    /// The URL to open or embed (with `?jwt=` when the server checks tokens).
    pub url: String,
    /// The caller's signed token, when an app id and secret are configured.
    pub jwt: Option<String>,
}

/// An appointment as its parties (and admins, without the video room) see it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appointment {
    pub id: Uuid,
    pub bilan_id: Uuid,
    pub kind: AppointmentKind,
    pub status: AppointmentStatus,
    pub mode: SessionMode,
    pub place: Option<String>,
    /// UTC.
    pub starts_at: DateTime<Utc>,
    /// UTC.
    pub ends_at: DateTime<Utc>,
    pub consultant: PersonRef,
    pub beneficiary: PersonRef,
    pub booked_by: Uuid,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    /// Who was absent, for a no-show.
    pub absent: Option<Party>,
    pub signatures: Vec<Signature>,
    /// Remote appointments, for their two parties.
    pub video: Option<VideoRoom>,
    /// Whether the caller may still move or cancel it.
    pub changeable: bool,
    pub created_at: DateTime<Utc>,
}

/// `?from=&to=&status=` of `GET /api/v1/appointments` (UTC instants).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct AppointmentFilter {
    /// Starting at or after.
    pub from: Option<DateTime<Utc>>,
    /// Starting before.
    pub to: Option<DateTime<Utc>>,
    pub status: Option<AppointmentStatus>,
    pub bilan_id: Option<Uuid>,
}

/// `POST /api/v1/appointments/{id}/attendance`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum AttendanceAction {
    /// The caller signs, during the session window (from 15 minutes before the start to 2 hours after
    /// the end). On site, the beneficiary gives the code the consultant shows.
    Sign { code: Option<String> },
    /// The consultant records who did not come (after the start).
    NoShow { absent: Party },
}

/// `GET /api/v1/appointments/{id}/attendance`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceSheet {
    pub status: AppointmentStatus,
    pub signatures: Vec<Signature>,
    pub absent: Option<Party>,
    /// For the consultant of an on-site appointment during its window: the code to show the
    /// beneficiary (it changes every 5 minutes).
    pub code: Option<String>,
    /// The bilan session the held appointment was counted as.
    pub session_id: Option<Uuid>,
    /// Joins and leaves of the video room, oldest first (evidence for remote sessions).
    pub video_events: Vec<VideoPresence>,
}

/// One party joining or leaving the video room.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VideoPresence {
    pub party: Party,
    /// `join` or `leave`.
    pub event: String,
    pub at: DateTime<Utc>,
}

/// `POST /api/v1/appointments/{id}/video`: the caller joined or left the room (evidence for attendance).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VideoEvent {
    /// `join` or `leave`.
    pub event: String,
}

/// The caller's secret iCalendar feed (`POST /api/v1/me/calendar` makes a new one and revokes the old).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarFeed {
    /// Absolute URL to subscribe to (shown once; only its hash is kept).
    pub url: String,
}

str_enum!(
    /// Where a message of the outbox stands.
    OutboxStatus {
        /// Waiting for its time or for a retry.
        Pending = "pending",
        /// Being sent; if the process stopped meanwhile it is marked failed, never sent twice.
        Sending = "sending",
        Sent = "sent",
        /// Given up (after the retries, or interrupted): an admin may retry it.
        Failed = "failed",
        /// Dropped (the appointment was cancelled or moved).
        Cancelled = "cancelled",
    }
);

/// A message of the outbox (admins).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxMessage {
    pub id: Uuid,
    /// `email` or `sms`.
    pub channel: String,
    pub recipient: String,
    /// `appointment_confirmed`, `appointment_moved`, `appointment_cancelled`, `reminder_day`, `reminder_hours`…
    pub kind: String,
    pub subject: String,
    pub status: OutboxStatus,
    pub attempts: i64,
    /// Not sent before (UTC).
    pub not_before: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The text, in `GET /api/v1/outbox/{id}` only (the development mailbox page).
    pub body: Option<String>,
    /// Whether an `.ics` is attached.
    pub has_ics: bool,
}

/// `?status=&channel=` of `GET /api/v1/outbox`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct OutboxFilter {
    pub status: Option<OutboxStatus>,
}
