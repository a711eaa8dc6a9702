//! One component per route, grouped by area.

pub mod accessibility;
pub mod admin;
pub mod appointments;
pub mod assessments;
pub mod auth;
pub mod beneficiaries;
pub mod beneficiary;
pub mod bilans;
pub mod consultant;
pub mod documents;
pub mod messages;
pub mod profile;
pub mod projection;
mod welcome;

use leptos::ev::SubmitEvent;

/// Forms are handled by the SPA: the browser must not post them.
pub fn no_reload(ev: &SubmitEvent) {
    ev.prevent_default();
}
