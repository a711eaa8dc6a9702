//! A secret shown once (an API key, a webhook's signing secret), with a button that copies it.

use leptos::prelude::*;

use crate::{components::use_toasts, i18n::use_i18n};

/// Puts `text` on the clipboard (the browser may refuse outside a secure context: then nothing
/// happens, and the value is still there to select).
fn copy(text: String, done: impl FnOnce() + 'static) {
    let clipboard = window().navigator().clipboard();
    leptos::task::spawn_local(async move {
        if wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
            .await
            .is_ok()
        {
            done();
        }
    });
}

/// The secret in a warning box: `message` says it will not be shown again. Focus lands on the box
/// (`id`) when the page calls `focus_later(id)`.
#[component]
pub fn ShownOnce(
    id: &'static str,
    message: Signal<&'static str>,
    value: String,
    testid: &'static str,
) -> impl IntoView {
    let (i, toasts) = (use_i18n(), use_toasts());
    let copied = value.clone();
    view! {
        <div class="secret" id=id tabindex="-1" data-testid=testid>
            <p><strong>{move || message.get()}</strong></p>
            <p><code data-testid=format!("{testid}-value")>{value}</code></p>
            <button type="button" class="btn btn-secondary btn-small" data-testid=format!("{testid}-copy")
                on:click=move |_| copy(copied.clone(), move || toasts.show(i.t().integ.copied))>
                {move || i.t().integ.copy}
            </button>
        </div>
    }
}
