//! `/invitation?token=…`: an invited consultant or admin chooses a password, then logs in.

use boussole_shared::users::AcceptInvitation as AcceptBody;
use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::{Button, FormError, Page, TextField, field_error, focus_later},
    i18n::use_i18n,
    pages::{auth::token_from_query, no_reload},
};

#[component]
pub fn AcceptInvitation() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let token = token_from_query();
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let submit = Action::new_local(move |_: &()| {
        let req = AcceptBody {
            token: token.clone(),
            password: password.get_untracked(),
        };
        async move {
            error.set(None);
            match api.accept_invitation(&req).await {
                Ok(_) => {
                    done.set(true);
                    focus_later("invitation-done");
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <Page title=move || i.t().invitation_title>
            <div class="narrow">
                <Show
                    when=move || done.get()
                    fallback=move || view! {
                        <form class="form" on:submit=move |ev| {
                            no_reload(&ev);
                            submit.dispatch(());
                        } novalidate data-testid="invitation-form">
                            <p>{move || i.t().invitation_intro}</p>
                            <FormError error hidden=&["token"]/>
                            <TextField id="password" label=move || i.t().new_password value=password kind="password"
                                autocomplete="new-password" required=true hint=move || i.t().password_hint
                                error=field_error(error, "password") testid="invitation-password"/>
                            <Button submit=true busy=submit.pending() testid="invitation-submit">{move || i.t().invitation_submit}</Button>
                        </form>
                    }
                >
                    <p class="success" id="invitation-done" tabindex="-1" data-testid="invitation-done">{move || i.t().invitation_done}</p>
                    <p><a href="/connexion">{move || i.t().go_to_login}</a></p>
                </Show>
            </div>
        </Page>
    }
}
