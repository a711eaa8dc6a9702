//! A beneficiary creates an account; a verification link is emailed.

use boussole_shared::{auth::RegisterRequest, users::Civility};
use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::{Button, FormError, Page, SelectField, TextField, field_error, focus_later},
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn Register() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let [civility, first_name, last_name, email, phone, password] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let submit = crate::components::act(move |_: &()| {
        let req = RegisterRequest {
            email: email.get_untracked().trim().to_string(),
            password: password.get_untracked(),
            civility: Civility::parse(&civility.get_untracked()),
            first_name: first_name.get_untracked().trim().to_string(),
            last_name: last_name.get_untracked().trim().to_string(),
            phone: Some(phone.get_untracked().trim().to_string()).filter(|p| !p.is_empty()),
            locale: Some(i.locale.get_untracked()),
        };
        async move {
            error.set(None);
            match api.register(&req).await {
                Ok(()) => {
                    done.set(true);
                    focus_later("register-done");
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let form = move || {
        view! {
            <form class="form" on:submit=move |ev| {
                no_reload(&ev);
                submit.dispatch(());
            } novalidate data-testid="register-form">
                <p class="note">{move || i.t().required_note}</p>
                <FormError error/>
                <SelectField id="civility" label=move || i.t().civility value=civility options=vec![
                    ("", (move || i.t().civility_none).into()),
                    ("mme", (move || i.t().civility_mme).into()),
                    ("m", (move || i.t().civility_m).into()),
                ]/>
                <TextField id="first_name" label=move || i.t().first_name value=first_name autocomplete="given-name"
                    required=true error=field_error(error, "first_name") testid="register-first-name"/>
                <TextField id="last_name" label=move || i.t().last_name value=last_name autocomplete="family-name"
                    required=true error=field_error(error, "last_name") testid="register-last-name"/>
                <TextField id="email" label=move || i.t().email value=email kind="email" autocomplete="email"
                    required=true error=field_error(error, "email") testid="register-email"/>
                <TextField id="phone" label=move || i.t().phone value=phone kind="tel" autocomplete="tel"
                    error=field_error(error, "phone")/>
                <TextField id="password" label=move || i.t().password value=password kind="password"
                    autocomplete="new-password" required=true hint=move || i.t().password_hint
                    error=field_error(error, "password") testid="register-password"/>
                <Button submit=true busy=submit.pending() testid="register-submit">{move || i.t().register_submit}</Button>
            </form>
        }
    };
    view! {
        <Page title=move || i.t().register_title help="creer-son-compte">
            <div class="narrow">
                {move || if done.get() {
                    view! { <p class="success" id="register-done" tabindex="-1" data-testid="register-done">{move || i.t().register_done}</p> }.into_any()
                } else {
                    form().into_any()
                }}
                <p class="links"><a href="/connexion">{move || i.t().have_account}</a></p>
            </div>
        </Page>
    }
}
