//! `/signer?token=…`: where a signer, with or without an account (the employer has none), reads the
//! document, receives a one-time code and signs (issue 12, electronic signature). Usable on a phone.

use boussole_shared::signatures::{CodeChannel, SignerState, SigningView};
use boussole_shared::synthesis::SharedView;
use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::{Button, Checkbox, FormError, Loading, Page, TextField, field_error},
    dates::paris_fr,
    i18n::use_i18n,
    pages::{auth::token_from_query, no_reload},
};

#[component]
pub fn SignPage() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let token = token_from_query();
    let view_state = RwSignal::new(None::<SigningView>);
    let error = RwSignal::new(None::<ApiError>);
    let (code, accepted) = (RwSignal::new(String::new()), RwSignal::new(false));
    let t = token.clone();
    let loaded = crate::components::loader(move || {
        let t = t.clone();
        async move { api.signing_view(t).await }
    });
    crate::components::effect(move |_| match loaded.get() {
        Some(Ok(v)) => view_state.set(Some(v)),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let t = token.clone();
    let ask = crate::components::act(move |channel: &CodeChannel| {
        let (t, channel) = (t.clone(), *channel);
        async move {
            error.set(None);
            match api.signing_code(t, channel).await {
                Ok(v) => view_state.set(Some(v)),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let t = token.clone();
    let sign = crate::components::act(move |_: &()| {
        let (t, c) = (t.clone(), code.get_untracked().trim().to_string());
        let accept = accepted.get_untracked();
        async move {
            error.set(None);
            match api.sign_document(t, c, accept).await {
                Ok(v) => view_state.set(Some(v)),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let pdf = format!("/api/v1/sign/{token}/pdf");
    view! {
        <Page title=move || i.t().sign.title>
            <div class="narrow" data-testid="sign-page">
                <FormError error hidden=&["code"]/>
                {move || {
                    let Some(v) = view_state.get() else {
                        return if error.with(Option::is_some) {
                            ().into_any()
                        } else {
                            view! { <Loading/> }.into_any()
                        };
                    };
                    let s = i.t().sign;
                    let intro = s.intro.replace("{org}", &v.organisation).replace("{doc}", &v.document_title);
                    let who = s
                        .position
                        .replace("{n}", &v.position.to_string())
                        .replace("{of}", &v.signers.to_string())
                        .replace("{name}", &v.signer_name);
                    let deadline = v.answer_by.map(|at| s.answer_by.replace("{date}", &paris_fr(at)));
                    let sent = v.code_sent_to.clone().map(|to| s.code_sent.replace("{to}", &to));
                    let step = match v.state {
                        SignerState::Signed => view! {
                            <p class="success" data-testid="sign-done">{s.signed}</p>
                        }.into_any(),
                        SignerState::Waiting => view! { <p data-testid="sign-waiting">{s.waiting}</p> }.into_any(),
                        SignerState::YourTurn => view! {
                            <p>{s.code_intro}</p>
                            <div class="actions">
                                <Button busy=ask.pending() testid="sign-code-email"
                                    on_click=Callback::new(move |_| { ask.dispatch(CodeChannel::Email); })>{s.code_email}</Button>
                                <Show when=move || v.sms_available>
                                    <Button busy=ask.pending() testid="sign-code-sms"
                                        on_click=Callback::new(move |_| { ask.dispatch(CodeChannel::Sms); })>{s.code_sms}</Button>
                                </Show>
                            </div>
                            {sent.map(|m| view! { <p role="status" data-testid="sign-code-sent">{m}</p> })}
                            <form class="form" novalidate data-testid="sign-form"
                                on:submit=move |ev| { no_reload(&ev); sign.dispatch(()); }>
                                <TextField id="sign-code" label=s.code value=code autocomplete="one-time-code"
                                    required=true error=field_error(error, "code") testid="sign-code"/>
                                <Checkbox id="sign-accept" label=s.accept checked=accepted testid="sign-accept"/>
                                <blockquote class="consent" data-testid="sign-consent">{v.consent_text.clone()}</blockquote>
                                <Button submit=true busy=sign.pending() testid="sign-submit">{s.submit}</Button>
                            </form>
                        }.into_any(),
                    };
                    view! {
                        <p data-testid="sign-intro">{intro}</p>
                        <p>{who}</p>
                        {deadline.map(|d| view! { <p class="warning">{d}</p> })}
                        <p><a href=pdf.clone() target="_blank" rel="noopener" data-testid="sign-pdf">{s.read}</a></p>
                        <p class="hint">{s.hash}" : "<code class="hash">{v.document_sha256.clone()}</code></p>
                        {step}
                    }.into_any()
                }}
            </div>
        </Page>
    }
}

/// `/partage?token=…`: where the recipient the beneficiary named (their CEP adviser, an employer)
/// receives a one-time code and downloads the synthèse, once (issue 12). Usable on a phone; it
/// shares the signing page's words and pieces.
#[component]
pub fn SharePage() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let token = token_from_query();
    let shown = RwSignal::new(None::<SharedView>);
    let error = RwSignal::new(None::<ApiError>);
    let (code, done) = (RwSignal::new(String::new()), RwSignal::new(false));
    let t = token.clone();
    let loaded = crate::components::loader(move || {
        let t = t.clone();
        async move { api.shared_view(t).await }
    });
    crate::components::effect(move |_| match loaded.get() {
        Some(Ok(v)) => shown.set(Some(v)),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let t = token.clone();
    let ask = crate::components::act(move |channel: &CodeChannel| {
        let (t, channel) = (t.clone(), *channel);
        async move {
            error.set(None);
            match api.shared_code(t, channel).await {
                Ok(v) => shown.set(Some(v)),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let get = crate::components::act(move |_: &()| {
        let (t, c) = (token.clone(), code.get_untracked().trim().to_string());
        async move {
            error.set(None);
            match api.shared_download(t, c).await {
                Ok(file) => {
                    let name = file.name.unwrap_or_else(|| "synthese.pdf".into());
                    crate::pages::save_file(&file.bytes, "application/pdf", &name);
                    done.set(true);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <Page title=move || i.t().sign.sh_title>
            <div class="narrow" data-testid="share-page">
                <FormError error hidden=&["code"]/>
                {move || {
                    let s = i.t().sign;
                    if done.get() {
                        return view! { <p class="success" data-testid="share-done">{s.sh_done}</p> }.into_any();
                    }
                    let Some(v) = shown.get() else {
                        return if error.with(Option::is_some) { ().into_any() } else { view! { <Loading/> }.into_any() };
                    };
                    let intro = s.sh_intro.replace("{org}", &v.organisation).replace("{doc}", &v.document_title)
                        .replace("{name}", &v.beneficiary).replace("{to}", &v.recipient);
                    let sent = v.code_sent_to.clone().map(|to| s.code_sent.replace("{to}", &to));
                    view! {
                        <p data-testid="share-intro">{intro}</p>
                        <p class="hint">{s.sh_once.replace("{date}", &paris_fr(v.expires_at))}</p>
                        <p>{s.code_intro}</p>
                        <div class="actions">
                            <Button busy=ask.pending() testid="share-code-email"
                                on_click=Callback::new(move |_| { ask.dispatch(CodeChannel::Email); })>{s.code_email}</Button>
                            <Show when=move || v.sms_available>
                                <Button busy=ask.pending() testid="share-code-sms"
                                    on_click=Callback::new(move |_| { ask.dispatch(CodeChannel::Sms); })>{s.code_sms}</Button>
                            </Show>
                        </div>
                        {sent.map(|m| view! { <p role="status" data-testid="share-code-sent">{m}</p> })}
                        <form class="form" novalidate data-testid="share-form"
                            on:submit=move |ev| { no_reload(&ev); get.dispatch(()); }>
                            <TextField id="share-code" label=s.code value=code autocomplete="one-time-code"
                                required=true error=field_error(error, "code") testid="share-code"/>
                            <Button submit=true busy=get.pending() testid="share-download">{s.sh_download}</Button>
                        </form>
                    }.into_any()
                }}
            </div>
        </Page>
    }
}
