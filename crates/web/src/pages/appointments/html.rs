//! Read-only markup of these screens (calendars, lists, tables, details) is written as escaped HTML
//! strings set with `inner_html`, and their buttons are handled by one delegated click listener.
//! Why: every `view!` tree is monomorphised into kilobytes of wasm, and the gzipped wasm has a
//! 600 KB budget; a string costs a `format!`. Links in it still go through the router, which listens
//! to clicks on every `<a>` of the document.

use boussole_shared::appointments::AppointmentStatus;
use leptos::{prelude::*, wasm_bindgen::JsCast};

use super::AData;
use crate::{api::ApiError, i18n::Strings};

/// Text made safe for HTML content and quoted attribute values (`& < > " ' /` escaped).
pub fn esc(s: &str) -> String {
    html_escape::encode_safe(s).into_owned()
}

/// A status badge (the text says it; the colour only repeats it).
pub fn badge(tone: &str, label: &str) -> String {
    format!(r#"<span class="badge badge-{tone}">{}</span>"#, esc(label))
}

pub fn status_badge(t: &Strings, s: AppointmentStatus) -> String {
    let a = t.apt;
    let (tone, label) = match s {
        AppointmentStatus::Booked => ("warn", a.status_booked),
        AppointmentStatus::Held => ("ok", a.status_held),
        AppointmentStatus::Cancelled => ("muted", a.status_cancelled),
        AppointmentStatus::NoShow => ("muted", a.status_no_show),
    };
    format!(
        r#"<span data-testid="apt-status" data-status="{}">{}</span>"#,
        s.as_str(),
        badge(tone, label)
    )
}

/// The markup of a resource: loading, its error, or `f` of its data.
pub fn loaded(
    t: &Strings,
    res: Option<Result<AData, ApiError>>,
    f: impl FnOnce(AData) -> String,
) -> String {
    match res {
        None => format!(r#"<p class="loading" role="status">{}</p>"#, t.loading),
        Some(Err(e)) => format!(
            r#"<p class="form-error" role="alert">{}</p>"#,
            esc(&e.message(t, &[]))
        ),
        Some(Ok(d)) => f(d),
    }
}

/// The value of attribute `name` on the clicked element or its nearest ancestor that has one.
pub fn clicked(ev: &leptos::ev::MouseEvent, name: &str) -> Option<String> {
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    el.closest(&format!("[{name}]")).ok()??.get_attribute(name)
}

/// Moves focus to element `id` once the markup has been replaced (a re-rendered list keeps the
/// keyboard user where they were).
pub fn focus_id(id: String) {
    request_animation_frame(move || {
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn markup_in_people_s_text_stays_text() {
        let raw = r#"<b a="1" onclick='x()'>O'Neil & co</b>"#;
        let e = esc(raw);
        // Nothing left that could open a tag or close a quoted attribute, and nothing lost.
        assert!(!e.contains(['<', '>', '"', '\'']), "{e}");
        assert_eq!(html_escape::decode_html_entities(&e), raw);
    }
}
