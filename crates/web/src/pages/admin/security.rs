//! `/admin/securite`: the organisation's security settings (a second factor mandatory for staff).

use boussole_shared::users::SecuritySettings;
use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn Security() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let totp_required = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let settings = LocalResource::new(move || async move { api.security_settings().await });
    Effect::new(move || match settings.get() {
        Some(Ok(s)) => totp_required.set(s.totp_required_for_staff),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let save = Action::new_local(move |_: &()| {
        let body = SecuritySettings {
            totp_required_for_staff: totp_required.get_untracked(),
        };
        async move {
            error.set(None);
            match api.patch_security_settings(&body).await {
                Ok(_) => toasts.show(i.t().saved),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <Page title=move || i.t().security_title>
            <Show when=move || settings.get().is_some() fallback=|| view! { <Loading/> }>
                <form class="form" on:submit=move |ev| {
                    no_reload(&ev);
                    save.dispatch(());
                } data-testid="security-form">
                    <FormError error/>
                    <Checkbox id="totp-required" label=move || i.t().security_totp_required checked=totp_required
                        testid="security-totp-required"/>
                    <p class="hint">{move || i.t().security_totp_hint}</p>
                    <Button submit=true busy=save.pending() testid="security-save">{move || i.t().save}</Button>
                </form>
            </Show>
        </Page>
    }
}
