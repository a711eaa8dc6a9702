//! Integrations with a CRM: webhook endpoints, their deliveries and the events they carry.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// Something that happened, which a webhook endpoint may subscribe to. The payload carries ids and
/// administrative facts only, never content (notes, answers, messages, synthèse, file names).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WebhookEventKind {
    /// A beneficiary's account was created (by the office, a CRM's key, or self sign-up).
    #[serde(rename = "beneficiary.created")]
    BeneficiaryCreated,
    /// A bilan was opened.
    #[serde(rename = "bilan.created")]
    BilanCreated,
    /// A bilan changed status (every change, abandonment and completion included).
    #[serde(rename = "bilan.status_changed")]
    BilanStatusChanged,
    /// A bilan was abandoned.
    #[serde(rename = "bilan.abandoned")]
    BilanAbandoned,
    /// A bilan was completed.
    #[serde(rename = "bilan.completed")]
    BilanCompleted,
    /// An appointment was booked.
    #[serde(rename = "appointment.booked")]
    AppointmentBooked,
    /// An appointment was moved to another time.
    #[serde(rename = "appointment.moved")]
    AppointmentMoved,
    /// An appointment was cancelled.
    #[serde(rename = "appointment.cancelled")]
    AppointmentCancelled,
    /// Both the consultant and the beneficiary signed an appointment's attendance: it was held.
    #[serde(rename = "appointment.attendance_signed")]
    AppointmentAttendanceSigned,
    /// A document (convention, certificat de réalisation, attestation…) was issued.
    #[serde(rename = "document.issued")]
    DocumentIssued,
    /// An invoice or a credit note was issued.
    #[serde(rename = "invoice.issued")]
    InvoiceIssued,
    /// A payment was recorded against an invoice.
    #[serde(rename = "payment.recorded")]
    PaymentRecorded,
    /// A quote was accepted.
    #[serde(rename = "quote.accepted")]
    QuoteAccepted,
}

impl WebhookEventKind {
    pub const ALL: &'static [WebhookEventKind] = &[
        WebhookEventKind::BeneficiaryCreated,
        WebhookEventKind::BilanCreated,
        WebhookEventKind::BilanStatusChanged,
        WebhookEventKind::BilanAbandoned,
        WebhookEventKind::BilanCompleted,
        WebhookEventKind::AppointmentBooked,
        WebhookEventKind::AppointmentMoved,
        WebhookEventKind::AppointmentCancelled,
        WebhookEventKind::AppointmentAttendanceSigned,
        WebhookEventKind::DocumentIssued,
        WebhookEventKind::InvoiceIssued,
        WebhookEventKind::PaymentRecorded,
        WebhookEventKind::QuoteAccepted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEventKind::BeneficiaryCreated => "beneficiary.created",
            WebhookEventKind::BilanCreated => "bilan.created",
            WebhookEventKind::BilanStatusChanged => "bilan.status_changed",
            WebhookEventKind::BilanAbandoned => "bilan.abandoned",
            WebhookEventKind::BilanCompleted => "bilan.completed",
            WebhookEventKind::AppointmentBooked => "appointment.booked",
            WebhookEventKind::AppointmentMoved => "appointment.moved",
            WebhookEventKind::AppointmentCancelled => "appointment.cancelled",
            WebhookEventKind::AppointmentAttendanceSigned => "appointment.attendance_signed",
            WebhookEventKind::DocumentIssued => "document.issued",
            WebhookEventKind::InvoiceIssued => "invoice.issued",
            WebhookEventKind::PaymentRecorded => "payment.recorded",
            WebhookEventKind::QuoteAccepted => "quote.accepted",
        }
    }

    pub fn parse(s: &str) -> Option<WebhookEventKind> {
        WebhookEventKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
    }
}

/// `POST /api/v1/webhooks`: a new endpoint. The answer carries its signing secret, shown this once.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewWebhookEndpoint {
    /// Where events are POSTed: an `https://` URL (`http://` only for `localhost` / `127.0.0.1`, unless
    /// the server allows plain HTTP).
    #[validate(length(min = 1, max = 2000))]
    pub url: String,
    /// What it is for (e.g. "CRM HubSpot").
    #[validate(length(max = 200), custom(function = "crate::users::printable"))]
    #[serde(default)]
    pub description: Option<String>,
    /// The events it receives; at least one.
    #[validate(length(min = 1, max = 50))]
    pub events: Vec<WebhookEventKind>,
}

/// `PUT /api/v1/webhooks/{id}`: the whole endpoint. Enabling a disabled endpoint again resets its
/// failure count.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateWebhookEndpoint {
    /// Where events are POSTed (same rules as on creation).
    #[validate(length(min = 1, max = 2000))]
    pub url: String,
    /// What it is for.
    #[validate(length(max = 200), custom(function = "crate::users::printable"))]
    #[serde(default)]
    pub description: Option<String>,
    /// The events it receives; at least one.
    #[validate(length(min = 1, max = 50))]
    pub events: Vec<WebhookEventKind>,
    /// False stops deliveries (new events are not queued for it); true resumes them.
    pub enabled: bool,
}

/// A registered webhook endpoint, without its secret.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEndpoint {
    /// Endpoint id.
    pub id: Uuid,
    /// Where events are POSTed.
    pub url: String,
    /// What it is for.
    pub description: Option<String>,
    /// The events it receives.
    pub events: Vec<WebhookEventKind>,
    /// False: nothing is sent to it (disabled by an admin, or automatically after repeated failures).
    pub enabled: bool,
    /// Why it was disabled automatically (absent when enabled or disabled by hand).
    pub disabled_reason: Option<String>,
    /// Deliveries given up in a row since the last success (5 disable the endpoint).
    pub consecutive_failures: i32,
    /// When it was registered (UTC).
    pub created_at: DateTime<Utc>,
    /// When an event was last delivered to it (UTC).
    pub last_delivery_at: Option<DateTime<Utc>>,
}

/// An endpoint with its signing secret: shown once, at creation and at each rotation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookSecret {
    /// The endpoint.
    pub endpoint: WebhookEndpoint,
    /// The signing secret (`whsec_…`): the key of the HMAC-SHA256 in `Boussole-Signature`.
    pub secret: String,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WebhookDeliveryStatus {
    /// Not delivered yet: waiting for its first attempt or its next retry (or for its endpoint to be
    /// enabled again).
    Pending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Given up: every attempt failed, or the server stopped while sending it (it is then never
    /// resent automatically: replay it).
    Failed,
}

impl WebhookDeliveryStatus {
    pub const ALL: &'static [WebhookDeliveryStatus] = &[
        WebhookDeliveryStatus::Pending,
        WebhookDeliveryStatus::Delivered,
        WebhookDeliveryStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookDeliveryStatus::Pending => "pending",
            WebhookDeliveryStatus::Delivered => "delivered",
            WebhookDeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<WebhookDeliveryStatus> {
        WebhookDeliveryStatus::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
    }
}

/// One try at delivering an event.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookAttempt {
    /// When it was sent (UTC).
    pub at: DateTime<Utc>,
    /// The HTTP status the endpoint answered, if it answered.
    pub status_code: Option<i32>,
    /// Why it failed without an answer (timeout, refused connection…), or what else went wrong.
    pub error: Option<String>,
    /// How long it took, in milliseconds.
    pub duration_ms: i64,
}

/// The delivery of one event to one endpoint, with its attempts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    /// Delivery id.
    pub id: Uuid,
    /// The endpoint it goes to.
    pub endpoint_id: Uuid,
    /// The event's id: the `id` of the payload, the same on every attempt and every replay.
    pub event_id: Uuid,
    /// The event's type.
    pub event: WebhookEventKind,
    /// Where it stands.
    pub status: WebhookDeliveryStatus,
    /// Its attempts, oldest first.
    pub attempts: Vec<WebhookAttempt>,
    /// When the next attempt is due (UTC), while pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// When it was queued (UTC).
    pub created_at: DateTime<Utc>,
    /// When the endpoint acknowledged it (UTC).
    pub delivered_at: Option<DateTime<Utc>>,
    /// The delivery this one replays, if it is a replay.
    pub replay_of: Option<Uuid>,
}

/// Filters of `GET /api/v1/webhooks/{id}/deliveries`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct WebhookDeliveryFilter {
    /// Page number, from 1 (default 1).
    pub page: Option<i64>,
    /// Items per page, 1 to 100 (default 20).
    pub per_page: Option<i64>,
    /// Only deliveries in this state.
    pub status: Option<WebhookDeliveryStatus>,
}
