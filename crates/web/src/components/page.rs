use boussole_shared::users::{Locale, Role};
use leptos::{html::H1, prelude::*};

use crate::api::use_api;
use crate::i18n::use_i18n;

/// The address of a section of the users' guides (served by the API under `/aide`): the guide of the
/// caller's role (the beneficiary's before logging in), in the interface's language.
pub fn help_href(role: Option<Role>, locale: Locale, section: &str) -> String {
    let guide = match role {
        Some(Role::Admin) => "admin",
        Some(Role::Consultant) => "consultant",
        Some(Role::Beneficiary) | None => "beneficiaire",
    };
    let base = match locale {
        Locale::Fr => "/aide",
        Locale::En => "/aide/en",
    };
    format!("{base}/{guide}#{section}")
}

/// A page: its one `<h1>`, the document title, and focus moved to the heading when the route
/// changes, so that screen-reader and keyboard users start at the new content. `help` names the
/// section of the role's guide that explains the page: a "?" link beside the title leads there (a
/// signal where the section follows what the page shows, such as the bilan file's open tab).
#[component]
pub fn Page(
    #[prop(into)] title: TextProp,
    #[prop(optional, into)] help: Option<Signal<&'static str>>,
    children: Children,
) -> impl IntoView {
    let h1 = NodeRef::<H1>::new();
    let doc_title = title.clone();
    crate::components::effect(move |_| {
        document().set_title(&format!("{} — Boussole", doc_title.get()))
    });
    crate::components::effect(move |_| {
        if let Some(h) = h1.get() {
            let _ = h.focus();
        }
    });
    let help_link = help.map(|section| {
        let i = use_i18n();
        let api = use_api();
        let href = move || {
            let role = api.session.with(|s| s.as_ref().map(|s| s.user.role));
            help_href(role, i.locale.get(), section.get())
        };
        // `rel="external"`: the guides are the server's pages, not routes of this app, so the router must
        // let the browser load them.
        view! {
            <a class="help-link" href=href rel="external" data-testid="help-link" aria-label=move || i.t().help_link>"?"</a>
        }
    });
    view! {
        <div class="page">
            <div class="page-head">
                <h1 node_ref=h1 tabindex="-1" data-testid="page-title">{move || title.get()}</h1>
                {help_link}
            </div>
            {children()}
        </div>
    }
}

/// Moves focus to the element `id` once the view has been updated (after a form step changes).
pub fn focus_later(id: impl Into<String>) {
    let id = id.into();
    request_animation_frame(move || {
        use leptos::wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}
