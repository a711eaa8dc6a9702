//! Changing one's password (the current one is asked again).

use boussole_shared::auth::ChangePasswordRequest;
use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn ChangePassword() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let (current, new) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let error = RwSignal::new(None::<ApiError>);
    let save = crate::components::act(move |_: &()| {
        let body = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        async move {
            error.set(None);
            match api.change_password(&body).await {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    toasts.show(i.t().password_changed);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title">{move || i.t().password_title}</h2>
            <form class="form" on:submit=move |ev| {
                no_reload(&ev);
                save.dispatch(());
            } novalidate data-testid="password-form">
                <FormError error/>
                <TextField id="current-password" label=move || i.t().current_password value=current kind="password"
                    autocomplete="current-password" required=true error=field_error(error, "current_password")
                    testid="current-password"/>
                <TextField id="new-password" label=move || i.t().new_password value=new kind="password"
                    autocomplete="new-password" required=true hint=move || i.t().password_hint
                    error=field_error(error, "new_password") testid="new-password"/>
                <Button submit=true busy=save.pending() testid="password-save">{move || i.t().password_submit}</Button>
            </form>
        </section>
    }
}
