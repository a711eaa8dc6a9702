//! The two pages an emailed link opens to choose a password: `/invitation?token=…` (an invited
//! consultant or admin) and `/reinitialiser-mot-de-passe?token=…` (a reset). One component for both:
//! they differ only in their words, their test ids and the endpoint they call.

use boussole_shared::{auth::ResetPasswordRequest, users::AcceptInvitation as AcceptBody};
use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::{Button, FormError, Page, TextField, field_error, focus_later},
    i18n::{Strings, use_i18n},
    pages::{auth::token_from_query, no_reload},
};

/// Which link opened the page.
#[derive(Clone, Copy, PartialEq)]
enum Purpose {
    Invitation,
    Reset,
}

impl Purpose {
    /// Title, introduction (if any), submit label, confirmation.
    fn words(self, t: &Strings) -> [&'static str; 4] {
        match self {
            Purpose::Invitation => [
                t.invitation_title,
                t.invitation_intro,
                t.invitation_submit,
                t.invitation_done,
            ],
            Purpose::Reset => [t.reset_title, "", t.reset_submit, t.reset_done],
        }
    }
}

/// `/invitation?token=…`
#[component]
pub fn AcceptInvitation() -> impl IntoView {
    set_password(Purpose::Invitation)
}

/// `/reinitialiser-mot-de-passe?token=…`
#[component]
pub fn ResetPassword() -> impl IntoView {
    set_password(Purpose::Reset)
}

fn set_password(purpose: Purpose) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let token = token_from_query();
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let done_id: &'static str = match purpose {
        Purpose::Invitation => "invitation-done",
        Purpose::Reset => "reset-done",
    };
    let submit = crate::components::act(move |_: &()| {
        let (token, password) = (token.clone(), password.get_untracked());
        async move {
            error.set(None);
            let result = match purpose {
                Purpose::Invitation => api
                    .accept_invitation(&AcceptBody { token, password })
                    .await
                    .map(|_| ()),
                Purpose::Reset => {
                    api.reset_password(&ResetPasswordRequest { token, password })
                        .await
                }
            };
            match result {
                Ok(()) => {
                    done.set(true);
                    focus_later(done_id);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let word = move |n: usize| purpose.words(i.t())[n];
    // The data-testids the browser journeys use, spelt out (a `format!` would need leaked strings).
    let testid = move |suffix: &str| -> &'static str {
        match (purpose, suffix) {
            (Purpose::Invitation, "form") => "invitation-form",
            (Purpose::Invitation, "password") => "invitation-password",
            (Purpose::Invitation, _) => "invitation-submit",
            (Purpose::Reset, "form") => "reset-form",
            (Purpose::Reset, "password") => "reset-password",
            (Purpose::Reset, _) => "reset-submit",
        }
    };
    view! {
        <Page title=move || word(0)>
            <div class="narrow">
                <Show
                    when=move || done.get()
                    fallback=move || view! {
                        <form class="form" on:submit=move |ev| {
                            no_reload(&ev);
                            submit.dispatch(());
                        } novalidate data-testid=testid("form")>
                            {move || (!word(1).is_empty()).then(|| view! { <p>{word(1)}</p> })}
                            <FormError error hidden=&["token"]/>
                            <TextField id="password" label=move || i.t().new_password value=password kind="password"
                                autocomplete="new-password" required=true hint=move || i.t().password_hint
                                error=field_error(error, "password") testid=testid("password")/>
                            <Button submit=true busy=submit.pending() testid=testid("submit")>{move || word(2)}</Button>
                        </form>
                    }
                >
                    <p class="success" id=done_id tabindex="-1" data-testid=done_id>{move || word(3)}</p>
                </Show>
                <p class="links"><a href="/connexion">{move || i.t().go_to_login}</a></p>
            </div>
        </Page>
    }
}
