//! The sendings of an issued synthèse (issue 12): the only way its content leaves Boussole. The
//! assigned consultant sends it to the recipient a `share` agreement of the beneficiary names (a
//! single-use, expiring link and a one-time code, `api/sharing.rs`), follows and cancels each
//! sending; the beneficiary sees them. The recipient's page is `/partage` (`pages/sign.rs`).

use boussole_shared::bilans::{Consent, ConsentKind};
use boussole_shared::synthesis::{NewSynthesisSending, SendingStatus, SynthesisSending};
use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::paris_fr,
    i18n::use_i18n,
    pages::no_reload,
};

/// The agreements in force that may carry the synthèse (the API checks their scope).
fn share_agreements(consents: Vec<Consent>) -> Vec<(String, String)> {
    consents
        .into_iter()
        .filter(|c| c.kind == ConsentKind::Share && c.revoked_at.is_none())
        .map(|c| {
            let label = format!(
                "{} — {}",
                c.recipient.unwrap_or_default(),
                c.scope.unwrap_or_default()
            );
            (c.id.to_string(), label)
        })
        .collect()
}

fn status_text(all: &'static str, s: SendingStatus) -> &'static str {
    let n = SendingStatus::ALL.iter().position(|x| *x == s).unwrap_or(0);
    all.split('|').nth(n).unwrap_or(all)
}

#[component]
pub fn Sendings(id: Uuid, consultant: bool) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let data = loader(move || async move {
        let sent = api.synthesis_sendings(id).await?;
        let agreements = match consultant {
            true => share_agreements(api.consents(id).await?),
            false => Vec::new(),
        };
        Ok::<_, ApiError>((sent, agreements))
    });
    let (consent, email, phone) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let cep = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let send = act(move |_: &()| {
        let body = NewSynthesisSending {
            consent_id: Uuid::parse_str(&consent.get_untracked()).unwrap_or_default(),
            email: email.get_untracked(),
            phone: Some(phone.get_untracked()).filter(|p| !p.trim().is_empty()),
            cep: cep.get_untracked(),
        };
        async move {
            error.set(None);
            match api.send_synthesis(id, &body).await {
                Ok(_) => {
                    toasts.show(i.t().synth.send_done);
                    email.set(String::new());
                    phone.set(String::new());
                    data.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let cancel = act(move |sending: &Uuid| {
        let sending = *sending;
        async move {
            match api.cancel_sending(id, sending).await {
                Ok(_) => data.refetch(),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let row = move |s: SynthesisSending| {
        let t = i.t().synth;
        let line = t
            .send_line
            .replace("{recipient}", &s.recipient)
            .replace("{email}", &s.email)
            .replace("{date}", &paris_fr(s.sent_at));
        let pending = s.status == SendingStatus::Pending;
        view! {
            <li data-testid="synthesis-sending" data-status=s.status.as_str()>
                {line} " — " <strong>{status_text(t.send_status, s.status)}</strong>
                {(consultant && pending).then(|| view! {
                    " " <Button kind=ButtonKind::Secondary busy=cancel.pending() testid="synthesis-sending-cancel"
                        on_click=move |_| { cancel.dispatch(s.id); }>{move || i.t().synth.send_cancel}</Button>
                })}
            </li>
        }
    };
    view! {
        <section class="card" aria-labelledby="synthese-envois" data-testid="synthesis-sendings">
            <h2 id="synthese-envois">{move || i.t().synth.send_title}</h2>
            <p class="hint">{move || i.t().synth.send_hint}</p>
            <Loaded resource=data let:d>{
                let (sent, agreements) = d;
                let list = match sent.is_empty() {
                    true => view! { <p class="hint">{move || i.t().synth.send_none}</p> }.into_any(),
                    false => view! { <ul class="plain">{sent.into_iter().map(row).collect_view()}</ul> }.into_any(),
                };
                let form = match (consultant, agreements.first().cloned()) {
                    (false, _) => None,
                    (true, None) => Some(view! { <p class="hint" data-testid="synthesis-no-agreement">{move || i.t().synth.send_no_agreement}</p> }.into_any()),
                    (true, Some((first, _))) => {
                        consent.set(first);
                        Some(view! {
                            <form class="form" novalidate data-testid="synthesis-send-form" on:submit=move |ev| {
                                no_reload(&ev);
                                send.dispatch(());
                            }>
                                <ChoiceField id="envoi-accord" label=move || i.t().synth.send_agreement value=consent
                                    options=Signal::stored(agreements) error=field_error(error, "consent_id") testid="synthesis-send-consent"/>
                                <TextField id="envoi-email" kind="email" label=move || i.t().synth.send_email value=email
                                    required=true error=field_error(error, "email") testid="synthesis-send-email"/>
                                <TextField id="envoi-mobile" kind="tel" label=move || i.t().synth.send_phone value=phone
                                    error=field_error(error, "phone") testid="synthesis-send-phone"/>
                                <Checkbox id="envoi-cep" label=move || i.t().synth.send_cep checked=cep
                                    hint=move || i.t().synth.send_cep_hint testid="synthesis-send-cep"/>
                                <FormError error testid="synthesis-send-error"/>
                                <Button submit=true busy=send.pending() testid="synthesis-send">{move || i.t().synth.send_submit}</Button>
                            </form>
                        }.into_any())
                    }
                };
                view! { {list} {form} }
            }</Loaded>
        </section>
    }
}
