//! The start page of each role, honest about what exists yet.

use leptos::prelude::*;

use crate::{api::use_api, components::Page, i18n::use_i18n};

/// A welcome with the person's first name, a link to the profile and what comes next.
#[component]
pub fn Welcome(
    #[prop(into)] coming: TextProp,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let first_name = move || {
        api.session.with(|s| {
            s.as_ref()
                .map(|s| s.user.first_name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <Page title=move || i.t().welcome_title.replace("{name}", &first_name())>
            <p class="lead">{move || coming.get()}</p>
            {children.map(|c| c())}
            <p>
                <a href="/profil" data-testid="home-profile-link">{move || i.t().welcome_profile_link}</a>
            </p>
        </Page>
    }
}
