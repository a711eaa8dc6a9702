//! Login, then the TOTP code when the account has a second factor.

use boussole_shared::auth::{LoginRequest, LoginResponse, TokenResponse, TotpLoginRequest};
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_navigate};

use crate::{
    api::{ApiError, use_api},
    app::home_path,
    components::{
        Button, ButtonKind, FormError, Page, TextField, field_error, focus_later, use_toasts,
    },
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn Login() -> impl IntoView {
    let (i, api, toasts, navigate) = (use_i18n(), use_api(), use_toasts(), use_navigate());
    let already_in = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| home_path(s.user.role)));
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let challenge = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);

    // Where a fresh session goes: its home, or the profile when a second factor must be enrolled first.
    let arrive = move |t: TokenResponse| {
        i.set(t.user.locale);
        if t.totp_enrolment_required {
            toasts.show(i.t().totp_enrolment_needed);
            navigate("/profil", Default::default());
        } else {
            navigate(home_path(t.user.role), Default::default());
        }
    };
    let arrive = StoredValue::new_local(arrive);

    let login = crate::components::act(move |_: &()| {
        let req = LoginRequest {
            email: email.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        };
        async move {
            error.set(None);
            match api.login(&req).await {
                Ok(LoginResponse::Tokens(t)) => arrive.with_value(|f| f(t)),
                Ok(LoginResponse::Totp(c)) => {
                    challenge.set(Some(c.challenge));
                    focus_later("totp-code");
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let totp = crate::components::act(move |_: &()| {
        let req = TotpLoginRequest {
            challenge: challenge.get_untracked().unwrap_or_default(),
            code: code.get_untracked().trim().to_string(),
        };
        async move {
            error.set(None);
            match api.login_totp(&req).await {
                Ok(t) => arrive.with_value(|f| f(t)),
                Err(e) => error.set(Some(e)),
            }
        }
    });

    // An unverified address gets a new link from here rather than a dead end.
    let resend = crate::components::act(move |_: &()| {
        let mail = email.get_untracked().trim().to_string();
        async move {
            match api.resend_verification(mail).await {
                Ok(()) => toasts.show(i.t().verification_resent),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let unverified = move || error.with(|e| e.as_ref().is_some_and(|e| e.is("email-not-verified")));

    let password_step = move || {
        view! {
            <form class="form" on:submit=move |ev| {
                no_reload(&ev);
                login.dispatch(());
            } novalidate data-testid="login-form">
                <p class="note">{move || i.t().required_note}</p>
                <FormError error/>
                <TextField id="email" label=move || i.t().email value=email kind="email" autocomplete="username"
                    required=true error=field_error(error, "email") testid="login-email"/>
                <TextField id="password" label=move || i.t().password value=password kind="password"
                    autocomplete="current-password" required=true error=field_error(error, "password")
                    testid="login-password"/>
                <Button submit=true busy=login.pending() testid="login-submit">{move || i.t().login_submit}</Button>
            </form>
            <Show when=unverified>
                <Button kind=ButtonKind::Secondary busy=resend.pending() on_click=move |_| { resend.dispatch(()); }
                    testid="resend-verification">{move || i.t().resend_verification}</Button>
            </Show>
            <p class="links">
                <a href="/mot-de-passe-oublie" data-testid="forgot-password-link">{move || i.t().forgot_link}</a>
                " · "
                <a href="/inscription">{move || i.t().register_link}</a>
            </p>
        }
    };
    let totp_step = move || {
        view! {
            <form class="form" on:submit=move |ev| {
                no_reload(&ev);
                totp.dispatch(());
            } novalidate data-testid="totp-form">
                <p>{move || i.t().totp_login_intro}</p>
                <FormError error/>
                <TextField id="totp-code" label=move || i.t().totp_code value=code autocomplete="one-time-code"
                    required=true hint=move || i.t().totp_code_hint error=field_error(error, "code") testid="totp-code"/>
                <Button submit=true busy=totp.pending() testid="totp-submit">{move || i.t().totp_submit}</Button>
            </form>
        }
    };
    view! {
        {already_in.map(|home| view! { <Redirect path=home/> })}
        <Page title=move || if challenge.with(Option::is_some) { i.t().totp_login_title } else { i.t().login_title } help="se-connecter">
            <div class="narrow">
                {move || if challenge.with(Option::is_some) { totp_step().into_any() } else { password_step().into_any() }}
            </div>
        </Page>
    }
}
