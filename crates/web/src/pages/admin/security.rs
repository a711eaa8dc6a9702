//! `/admin/securite`: the organisation's settings: a second factor mandatory for staff, and the legal
//! rules it makes stricter (the 13-hour minimum blocking, the règlement intérieur acknowledged before the preliminary
//! phase, the follow-up period after completion).

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
    let min_hours_blocking = RwSignal::new(false);
    let reglement_required = RwSignal::new(false);
    let follow_up_months = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let local_months = RwSignal::new(None::<String>);
    let settings = crate::components::loader(move || async move { api.security_settings().await });
    crate::components::effect(move |_| match settings.get() {
        Some(Ok(s)) => {
            totp_required.set(s.totp_required_for_staff);
            min_hours_blocking.set(s.min_hours_blocking);
            reglement_required.set(s.reglement_interieur_required);
            follow_up_months.set(s.follow_up_months.to_string());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let save = crate::components::act(move |months: &u32| {
        let body = SecuritySettings {
            totp_required_for_staff: totp_required.get_untracked(),
            min_hours_blocking: min_hours_blocking.get_untracked(),
            follow_up_months: *months,
            reglement_interieur_required: reglement_required.get_untracked(),
        };
        async move {
            error.set(None);
            match api.patch_security_settings(&body).await {
                Ok(_) => toasts.show(i.t().saved),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let server_months = field_error(error, "follow_up_months");
    let months_error = Signal::derive(move || local_months.get().or_else(|| server_months.get()));
    view! {
        <Page title=move || i.t().security_title help="securite">
            <Show when=move || settings.get().is_some() fallback=|| view! { <Loading/> }>
                <form class="form" on:submit=move |ev| {
                    no_reload(&ev);
                    match follow_up_months.get_untracked().trim().parse::<u32>() {
                        Ok(m) if (1..=12).contains(&m) => {
                            local_months.set(None);
                            save.dispatch(m);
                        }
                        _ => local_months.set(Some(i.t().settings_follow_up_range.to_string())),
                    }
                } data-testid="security-form">
                    <FormError error/>
                    <Checkbox id="totp-required" label=move || i.t().security_totp_required checked=totp_required
                        testid="security-totp-required"/>
                    <p class="hint">{move || i.t().security_totp_hint}</p>
                    <h2>{move || i.t().settings_legal_title}</h2>
                    <Checkbox id="min-hours-blocking" label=move || i.t().settings_min_hours_blocking
                        checked=min_hours_blocking testid="settings-min-hours-blocking"/>
                    <p class="hint">{move || i.t().settings_min_hours_hint}</p>
                    <Checkbox id="reglement-required" label=move || i.t().settings_reglement_required
                        checked=reglement_required testid="settings-reglement-required"/>
                    <TextField id="follow-up-months" label=move || i.t().settings_follow_up_months
                        value=follow_up_months kind="number" hint=move || i.t().settings_follow_up_hint
                        error=months_error testid="settings-follow-up-months"/>
                    <Button submit=true busy=save.pending() testid="security-save">{move || i.t().save}</Button>
                </form>
            </Show>
        </Page>
    }
}
