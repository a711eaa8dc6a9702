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
pub mod files;
pub mod messages;
pub mod money;
pub mod notifications;
pub mod profile;
pub mod projection;
pub mod resources;
pub mod sign;
pub mod signatures;
pub mod synthesis;
pub mod synthesis_send;
mod welcome;

use base64::Engine;
use leptos::{ev::SubmitEvent, prelude::document};
use wasm_bindgen::JsCast;

/// Forms are handled by the SPA: the browser must not post them.
pub fn no_reload(ev: &SubmitEvent) {
    ev.prevent_default();
}

/// Hands a file to the browser as a download (a data: URL on a link with `download`): the request
/// needed the session's token, so a plain link could not fetch it.
pub fn save_file(bytes: &[u8], mime: &str, name: &str) {
    let url = format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    );
    let document = document();
    let Ok(link) = document.create_element("a") else {
        return;
    };
    let _ = link.set_attribute("href", &url);
    let _ = link.set_attribute("download", name);
    if let Ok(link) = link.dyn_into::<web_sys::HtmlElement>() {
        link.click();
    }
}
