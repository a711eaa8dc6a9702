//! Webhooks (issue 15): endpoints a CRM registers for some events, signed deliveries with retries, a
//! delivery log, replays, and automatic disabling after repeated failures.
//!
//! The features record their events with [`emit`] inside the transaction of the change (like the
//! outbox's messages); the delivery job sends them ([`delivery`]). This module imports no feature
//! module: callers build the payloads ([`events`]) from their own rows.

pub mod delivery;
pub mod demo;
pub mod docs;
pub mod events;
pub mod routes;
pub mod sign;
pub mod store;

pub use boussole_shared::integrations::WebhookEventKind;
pub use events::{
    AppointmentEvent, BeneficiaryEvent, BilanCreatedEvent, BilanStatusEvent, DocumentEvent,
    InvoiceEvent, PaymentEvent, QuoteEvent, emit,
};
pub use routes::routes;
