//! `/mot-de-passe-oublie`: asks for a reset link. The answer is the same whether the account exists or not.

use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::{Button, FormError, Page, TextField, field_error, focus_later},
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn ForgotPassword() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let sent = RwSignal::new(false);
    let submit = crate::components::act(move |_: &()| {
        let mail = email.get_untracked().trim().to_string();
        async move {
            error.set(None);
            match api.forgot_password(mail).await {
                Ok(()) => {
                    sent.set(true);
                    focus_later("forgot-done");
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <Page title=move || i.t().forgot_title help="se-connecter">
            <div class="narrow">
                <Show
                    when=move || sent.get()
                    fallback=move || view! {
                        <form class="form" on:submit=move |ev| {
                            no_reload(&ev);
                            submit.dispatch(());
                        } novalidate data-testid="forgot-form">
                            <p>{move || i.t().forgot_intro}</p>
                            <FormError error/>
                            <TextField id="email" label=move || i.t().email value=email kind="email" autocomplete="email"
                                required=true error=field_error(error, "email") testid="forgot-email"/>
                            <Button submit=true busy=submit.pending() testid="forgot-submit">{move || i.t().forgot_submit}</Button>
                        </form>
                    }
                >
                    <p class="success" id="forgot-done" tabindex="-1" data-testid="forgot-done">{move || i.t().forgot_done}</p>
                </Show>
                <p class="links"><a href="/connexion">{move || i.t().go_to_login}</a></p>
            </div>
        </Page>
    }
}
