//! Loading, empty and error states, and status badges.

use leptos::prelude::*;

use crate::{api::ApiError, i18n::use_i18n};

/// Shown while data loads; announced politely.
#[component]
pub fn Loading() -> impl IntoView {
    let i = use_i18n();
    view! { <p class="loading" role="status">{move || i.t().loading}</p> }
}

/// A list with nothing in it, said plainly.
#[component]
pub fn EmptyState(children: Children) -> impl IntoView {
    view! { <div class="empty-state">{children()}</div> }
}

/// The colour family of a badge; the text always says the status too.
#[derive(Clone, Copy, PartialEq)]
pub enum Tone {
    Ok,
    Warn,
    Muted,
}

#[component]
pub fn StatusBadge(tone: Tone, #[prop(into)] label: TextProp) -> impl IntoView {
    let class = match tone {
        Tone::Ok => "badge badge-ok",
        Tone::Warn => "badge badge-warn",
        Tone::Muted => "badge badge-muted",
    };
    view! { <span class=class>{move || label.get()}</span> }
}

/// The form-level error. The `role="alert"` region exists before the message so screen readers announce it.
#[component]
pub fn FormError(
    error: RwSignal<Option<ApiError>>,
    /// Fields the form does not show (a token from a link): their messages go here.
    #[prop(optional)]
    hidden: &'static [&'static str],
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let i = use_i18n();
    let testid = if testid.is_empty() {
        "form-error"
    } else {
        testid
    };
    view! {
        <div class="form-error" role="alert" data-testid=testid>
            {move || error.get().map(|e| e.message(i.t(), hidden))}
        </div>
    }
}

/// An upload under way: a native `<progress>` and the figure in text, announced politely.
#[component]
pub fn UploadProgress(progress: RwSignal<Option<u8>>) -> impl IntoView {
    let i = use_i18n();
    move || {
        progress.get().map(|n| {
            view! {
                <p class="upload-progress" role="status" data-testid="upload-progress">
                    <progress max="100" value=n></progress>
                    " "
                    {i.t().msg.uploading.replace("{n}", &n.to_string())}
                </p>
            }
        })
    }
}
