//! `/reinitialiser-mot-de-passe?token=…`: chooses a new password from the emailed link.

use boussole_shared::auth::ResetPasswordRequest;
use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::{Button, FormError, Page, TextField, field_error, focus_later},
    i18n::use_i18n,
    pages::{auth::token_from_query, no_reload},
};

#[component]
pub fn ResetPassword() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let token = token_from_query();
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let submit = Action::new_local(move |_: &()| {
        let req = ResetPasswordRequest {
            token: token.clone(),
            password: password.get_untracked(),
        };
        async move {
            error.set(None);
            match api.reset_password(&req).await {
                Ok(()) => {
                    done.set(true);
                    focus_later("reset-done");
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <Page title=move || i.t().reset_title>
            <div class="narrow">
                <Show
                    when=move || done.get()
                    fallback=move || view! {
                        <form class="form" on:submit=move |ev| {
                            no_reload(&ev);
                            submit.dispatch(());
                        } novalidate data-testid="reset-form">
                            <FormError error hidden=&["token"]/>
                            <TextField id="password" label=move || i.t().new_password value=password kind="password"
                                autocomplete="new-password" required=true hint=move || i.t().password_hint
                                error=field_error(error, "password") testid="reset-password"/>
                            <Button submit=true busy=submit.pending() testid="reset-submit">{move || i.t().reset_submit}</Button>
                        </form>
                    }
                >
                    <p class="success" id="reset-done" tabindex="-1" data-testid="reset-done">{move || i.t().reset_done}</p>
                </Show>
                <p class="links"><a href="/connexion">{move || i.t().go_to_login}</a></p>
            </div>
        </Page>
    }
}
