//! The TOTP second factor: enrol (QR code, secret for manual entry, recovery codes shown once) or disable.

use boussole_shared::auth::{RecoveryCodes, TotpDisableRequest, TotpSetup};
use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn Totp() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let enabled = Memo::new(move |_| {
        api.session
            .with(|s| s.as_ref().is_some_and(|s| s.user.totp_enabled))
    });
    let setup = RwSignal::new(None::<TotpSetup>);
    let codes = RwSignal::new(None::<RecoveryCodes>);
    let (code, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let error = RwSignal::new(None::<ApiError>);

    let start = crate::components::act(move |_: &()| async move {
        error.set(None);
        match api.totp_setup().await {
            Ok(s) => {
                setup.set(Some(s));
                focus_later("totp-enable-code");
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let enable = crate::components::act(move |_: &()| {
        let c = code.get_untracked().trim().to_string();
        async move {
            error.set(None);
            match api.totp_enable(c).await {
                Ok(rc) => {
                    codes.set(Some(rc));
                    setup.set(None);
                    code.set(String::new());
                    // The server now counts the factor as enrolled; mirror it so the staff areas open.
                    api.session.update(|s| {
                        if let Some(s) = s {
                            s.user.totp_enabled = true;
                            s.totp_enrolment_required = false;
                        }
                    });
                    focus_later("recovery-codes");
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let disable = crate::components::act(move |_: &()| {
        let body = TotpDisableRequest {
            password: password.get_untracked(),
            code: code.get_untracked().trim().to_string(),
        };
        async move {
            error.set(None);
            match api.totp_disable(&body).await {
                Ok(()) => {
                    password.set(String::new());
                    code.set(String::new());
                    api.session.update(|s| {
                        if let Some(s) = s {
                            s.user.totp_enabled = false;
                        }
                    });
                    toasts.show(i.t().totp_disabled);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });

    let enrol = move || {
        match setup.get() {
        None => view! {
            <p>{move || i.t().totp_off}</p>
            <Button busy=start.pending() on_click=move |_| { start.dispatch(()); } testid="totp-setup">{move || i.t().totp_setup}</Button>
        }.into_any(),
        Some(s) => view! {
            <ol class="steps">
                <li>{move || i.t().totp_step_scan}</li>
                <li>{move || i.t().totp_step_code}</li>
            </ol>
            // The server draws the QR code as SVG; shown as an image, it cannot run or inject anything.
            <img class="qr" src=svg_data_url(&s.qr_svg) alt=move || i.t().totp_qr_label data-testid="totp-qr"/>
            <p>{move || i.t().totp_secret_label} " " <code class="secret-code" data-testid="totp-secret">{s.secret}</code></p>
            <form class="form" on:submit=move |ev| {
                no_reload(&ev);
                enable.dispatch(());
            } novalidate data-testid="totp-enable-form">
                <TextField id="totp-enable-code" label=move || i.t().totp_code value=code autocomplete="one-time-code"
                    required=true hint=move || i.t().totp_code_hint error=field_error(error, "code") testid="totp-enable-code"/>
                <Button submit=true busy=enable.pending() testid="totp-enable">{move || i.t().totp_enable}</Button>
            </form>
        }.into_any(),
    }
    };
    let turn_off = move || {
        view! {
            <p><StatusBadge tone=Tone::Ok label=move || i.t().totp_on/></p>
            <form class="form" on:submit=move |ev| {
                no_reload(&ev);
                disable.dispatch(());
            } novalidate data-testid="totp-disable-form">
                <TextField id="totp-disable-password" label=move || i.t().password value=password kind="password"
                    autocomplete="current-password" required=true error=field_error(error, "password") testid="totp-disable-password"/>
                <TextField id="totp-disable-code" label=move || i.t().totp_code_or_recovery value=code autocomplete="one-time-code"
                    required=true error=field_error(error, "code") testid="totp-disable-code"/>
                <Button submit=true kind=ButtonKind::Danger busy=disable.pending() testid="totp-disable">{move || i.t().totp_disable}</Button>
            </form>
        }
    };
    view! {
        <section class="card" aria-labelledby="totp-title">
            <h2 id="totp-title">{move || i.t().totp_title}</h2>
            <FormError error testid="totp-error"/>
            {move || codes.get().map(|rc| view! {
                <div class="secret" id="recovery-codes" tabindex="-1" data-testid="recovery-codes">
                    <p><strong>{i.t().recovery_codes_intro}</strong></p>
                    <ul class="codes">{rc.codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
                </div>
            })}
            {move || if enabled.get() { turn_off().into_any() } else { enrol().into_any() }}
        </section>
    }
}

/// A `data:` URL of an SVG document (the QR code's SVG is ASCII, which `btoa` takes).
fn svg_data_url(svg: &str) -> String {
    let b64 = window().btoa(svg).unwrap_or_default();
    format!("data:image/svg+xml;base64,{b64}")
}
