//! `/profil`: one's own details, password, second factor and sessions.

mod details;
mod password;
mod sessions;
mod totp;

use leptos::prelude::*;

use crate::{api::use_api, components::Page, i18n::use_i18n};

#[component]
pub fn Profile() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let must_enrol = move || {
        api.session
            .with(|s| s.as_ref().is_some_and(|s| s.totp_enrolment_required))
    };
    view! {
        <Page title=move || i.t().profile_title>
            <Show when=must_enrol>
                <p class="notice" data-testid="totp-enrolment-required">{move || i.t().totp_enrolment_needed}</p>
            </Show>
            <p class="note">{move || i.t().required_note}</p>
            <details::Details/>
            <totp::Totp/>
            <password::ChangePassword/>
            <sessions::Sessions/>
            <crate::pages::appointments::Reminders/>
            <crate::pages::notifications::Preferences/>
        </Page>
    }
}
