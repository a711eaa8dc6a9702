//! The events, their payloads, and [`emit`], which the features call inside the transaction of the
//! change: the event and its deliveries are committed with the change or not at all, like the
//! outbox's messages. Payloads carry ids and administrative facts (status, dates, hours, funding,
//! amounts), never content (notes, answers, messages, synthèse, file names) nor personal data: the
//! CRM reads the record by id with its key.

use boussole_shared::appointments::{AppointmentKind, AppointmentStatus};
use boussole_shared::bilans::{BilanFormat, BilanStatus, FundingMode, SessionMode};
use boussole_shared::documents::DocumentKind;
use boussole_shared::integrations::WebhookEventKind;
use boussole_shared::money::{AcceptanceMethod, InvoiceKind, PaymentMethod};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::schema::{webhook_deliveries as d, webhook_endpoints as e, webhook_events as ev};

/// `beneficiary.created`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BeneficiaryEvent {
    /// The beneficiary's account id (`GET /api/v1/beneficiaries/{id}`).
    #[schema(format = Uuid)]
    pub beneficiary_id: String,
    /// The CRM's own id of the record, when it gave one.
    pub external_ref: Option<String>,
}

/// `bilan.created`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BilanCreatedEvent {
    /// The bilan's id (`GET /api/v1/bilans/{id}`).
    #[schema(format = Uuid)]
    pub bilan_id: String,
    #[schema(format = Uuid)]
    pub beneficiary_id: String,
    /// The consultant assigned.
    #[schema(format = Uuid)]
    pub consultant_id: String,
    /// The CRM's own id of the bilan, when it gave one.
    pub external_ref: Option<String>,
    pub status: BilanStatus,
    pub funding: FundingMode,
    pub format: BilanFormat,
    /// Hours planned.
    pub planned_hours: i64,
    pub planned_end_on: Option<NaiveDate>,
}

/// `bilan.status_changed`, and with the same payload `bilan.abandoned` and `bilan.completed`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BilanStatusEvent {
    #[schema(format = Uuid)]
    pub bilan_id: String,
    #[schema(format = Uuid)]
    pub beneficiary_id: String,
    /// The CRM's own id of the bilan, when it gave one.
    pub external_ref: Option<String>,
    pub from: BilanStatus,
    pub to: BilanStatus,
    pub changed_at: DateTime<Utc>,
    /// True when the server moved it (the end of the follow-up period closes a completed bilan).
    pub automatic: bool,
}

/// `appointment.booked`, `appointment.moved`, `appointment.cancelled`, `appointment.attendance_signed`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppointmentEvent {
    #[schema(format = Uuid)]
    pub appointment_id: String,
    #[schema(format = Uuid)]
    pub bilan_id: String,
    #[schema(format = Uuid)]
    pub beneficiary_id: String,
    #[schema(format = Uuid)]
    pub consultant_id: String,
    pub kind: AppointmentKind,
    pub mode: SessionMode,
    /// `booked`, `cancelled`, or `held` once both parties signed the attendance.
    pub status: AppointmentStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Where it was before it moved (`appointment.moved` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_starts_at: Option<DateTime<Utc>>,
}

/// `document.issued`: the document's facts, never its text (download it by id).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentEvent {
    #[schema(format = Uuid)]
    pub document_id: String,
    #[schema(format = Uuid)]
    pub bilan_id: String,
    pub kind: DocumentKind,
    pub version: i64,
    /// SHA-256 of the PDF as issued (hex), to check a copy.
    pub sha256: String,
    pub issued_at: DateTime<Utc>,
}

/// `invoice.issued`: an invoice or a credit note.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvoiceEvent {
    #[schema(format = Uuid)]
    pub invoice_id: String,
    pub kind: InvoiceKind,
    /// Its number in the gapless series.
    pub number: String,
    #[schema(format = Uuid)]
    pub bilan_id: String,
    #[schema(format = Uuid)]
    pub payer_id: String,
    #[schema(format = Uuid)]
    pub funding_id: Option<String>,
    /// The invoice a credit note corrects.
    #[schema(format = Uuid)]
    pub corrects_invoice_id: Option<String>,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub total_excl_vat_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
}

/// `payment.recorded`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaymentEvent {
    #[schema(format = Uuid)]
    pub payment_id: String,
    #[schema(format = Uuid)]
    pub invoice_id: String,
    pub amount_cents: i64,
    pub method: PaymentMethod,
    pub paid_on: NaiveDate,
}

/// `quote.accepted`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuoteEvent {
    #[schema(format = Uuid)]
    pub quote_id: String,
    pub number: String,
    #[schema(format = Uuid)]
    pub bilan_id: String,
    #[schema(format = Uuid)]
    pub payer_id: String,
    pub total_cents: i64,
    /// Online by the beneficiary, or recorded from a signed copy.
    pub method: AcceptanceMethod,
    pub signed_on: NaiveDate,
}

/// The schema name of each event's `data`.
pub fn data_schema(kind: WebhookEventKind) -> &'static str {
    use WebhookEventKind as K;
    match kind {
        K::BeneficiaryCreated => "BeneficiaryEvent",
        K::BilanCreated => "BilanCreatedEvent",
        K::BilanStatusChanged | K::BilanAbandoned | K::BilanCompleted => "BilanStatusEvent",
        K::AppointmentBooked
        | K::AppointmentMoved
        | K::AppointmentCancelled
        | K::AppointmentAttendanceSigned => "AppointmentEvent",
        K::DocumentIssued => "DocumentEvent",
        K::InvoiceIssued => "InvoiceEvent",
        K::PaymentRecorded => "PaymentEvent",
        K::QuoteAccepted => "QuoteEvent",
    }
}

/// The endpoint's `events` column, read.
pub fn kinds_of(stored: &str) -> Result<Vec<WebhookEventKind>, ApiError> {
    let names: Vec<String> = serde_json::from_str(stored).map_err(ApiError::internal)?;
    names
        .iter()
        .map(|n| db::stored(WebhookEventKind::parse(n), "webhook_endpoints.events", n))
        .collect()
}

/// Records that `kind` happened, with `data`, inside the caller's transaction: the event and one
/// pending delivery per enabled endpoint subscribed to it (nothing when none is). The delivery job
/// sends them after the commit.
pub fn emit<T: Serialize>(
    conn: &mut Conn,
    kind: WebhookEventKind,
    data: &T,
) -> Result<(), ApiError> {
    let endpoints: Vec<(String, String)> = e::table
        .filter(e::enabled.eq(true))
        .select((e::id, e::events))
        .load(conn)?;
    let mut targets = Vec::new();
    for (id, events) in endpoints {
        if kinds_of(&events)?.contains(&kind) {
            targets.push(id);
        }
    }
    if targets.is_empty() {
        return Ok(());
    }
    let (id, now) = (db::new_id(), db::now());
    let payload = serde_json::json!({
        "id": id,
        "type": kind.as_str(),
        "created_at": now.and_utc().to_rfc3339_opts(SecondsFormat::Millis, true),
        "data": data,
    });
    diesel::insert_into(ev::table)
        .values((
            ev::id.eq(&id),
            ev::kind.eq(kind.as_str()),
            ev::payload.eq(payload.to_string()),
            ev::created_at.eq(now),
        ))
        .execute(conn)?;
    for endpoint in targets {
        queue(conn, &endpoint, &id, None, now)?;
    }
    Ok(())
}

/// A pending delivery of `event` to `endpoint`, due at `due`.
pub(super) fn queue(
    conn: &mut Conn,
    endpoint: &str,
    event: &str,
    replay_of: Option<&str>,
    due: chrono::NaiveDateTime,
) -> Result<String, ApiError> {
    let (id, now) = (db::new_id(), db::now());
    diesel::insert_into(d::table)
        .values((
            d::id.eq(&id),
            d::endpoint_id.eq(endpoint),
            d::event_id.eq(event),
            d::status.eq("pending"),
            d::attempts.eq("[]"),
            d::attempt_count.eq(0i64),
            d::next_attempt_at.eq(Some(due)),
            d::created_at.eq(now),
            d::updated_at.eq(now),
            d::replay_of.eq(replay_of),
        ))
        .execute(conn)?;
    Ok(id)
}
