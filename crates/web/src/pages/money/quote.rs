//! `/admin/devis/:id`: one quote as issued (it never changes), its PDF and where it stands; while it is
//! pending, recording the signed copy that came back or declining it; once accepted, "Facturer", which
//! issues its invoice and opens it.

use boussole_shared::money::{
    AcceptanceMethod, NewAcceptance, Quote, QuoteStatus, QuoteToInvoice, format_cents,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use super::LinesTable;
use super::quotes::{DeclineForm, quote_badge, quote_download};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::{date_fr, date_iso, paris_day, parse_date, today_paris},
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn QuotePage() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let version = RwSignal::new(0_u32);
    let quote = crate::components::loader(move || {
        version.track();
        async move {
            match id {
                Some(id) => api.quote(id).await,
                None => Err(ApiError::Unexpected(404)),
            }
        }
    });
    let title = move || {
        let q = i.t().quotes;
        match quote.get() {
            Some(Ok(d)) => q.page.replace("{n}", &d.number),
            _ => q.title.to_string(),
        }
    };
    let changed = Callback::new(move |_: ()| version.update(|v| *v += 1));
    view! {
        <Page title help="devis">
            <p><a href="/admin/devis" data-testid="quote-back">{move || i.t().quotes.back}</a></p>
            <Loaded resource=quote let:d>{view! { <QuoteDetail d changed/> }}</Loaded>
        </Page>
    }
}

/// What the quote says, its acceptance or refusal, then what can be done with it.
#[component]
fn QuoteDetail(d: Quote, changed: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let (m, q) = (i.t().money, i.t().quotes);
    let error = RwSignal::new(None::<ApiError>);
    let download = quote_download(error);
    let facts = [
        (m.buyer, d.buyer.name.clone(), "quote-buyer"),
        (
            m.beneficiary,
            d.beneficiary_name.clone(),
            "quote-beneficiary",
        ),
        (m.issue_date, date_fr(d.issue_date), "quote-date"),
        (q.valid_until, date_fr(d.valid_until), "quote-valid"),
        (
            m.total_excl_vat,
            format_cents(d.total_excl_vat_cents),
            "quote-excl",
        ),
        (
            m.vat,
            d.vat_mention
                .clone()
                .unwrap_or_else(|| format_cents(d.vat_cents)),
            "quote-vat",
        ),
        (m.total_incl_vat, format_cents(d.total_cents), "quote-total"),
    ]
    .into_iter()
    .chain(
        d.decline_reason
            .clone()
            .map(|r| (q.declined_because, r, "quote-decline-reason")),
    )
    .map(|(label, value, testid)| view! { <dt>{label}</dt><dd data-testid=testid>{value}</dd> })
    .collect_view();
    let acceptance = d.acceptance.as_ref().map(|a| {
        let text = match a.method {
            AcceptanceMethod::Online => q.online,
            AcceptanceMethod::Recorded => q.recorded,
        };
        let name = match &a.signer_role {
            Some(role) => format!("{} ({role})", a.signer_name),
            None => a.signer_name.clone(),
        };
        let text = text
            .replace("{name}", &name)
            .replace("{date}", &date_fr(a.signed_on))
            .replace("{at}", &paris_day(a.recorded_at));
        view! { <p data-testid="quote-acceptance"><strong>{q.acceptance}" : "</strong>{text}</p> }
    });
    let invoice = d.invoice_id.map(|inv| view! {
        <p><a href=format!("/admin/factures/{inv}") data-testid="quote-invoice-link">{q.invoice_link}</a></p>
    });
    let (id, status, pdf) = (d.id, d.status, (d.id, d.number.clone()));
    view! {
        <div class="toolbar">
            <Button on_click=move |_| { download.dispatch(pdf.clone()); } busy=download.pending() testid="quote-pdf">
                {m.download_pdf}
            </Button>
        </div>
        <FormError error testid="quote-pdf-error"/>
        <p data-testid="quote-status">{quote_badge(q, status)}</p>
        {acceptance}
        {invoice}
        <dl class="facts-list" data-testid="quote-facts">{facts}</dl>
        <LinesTable lines=d.lines/>
        <p class="note">{m.fingerprint}" : "<code>{d.sha256}</code></p>
        {(status == QuoteStatus::Accepted).then(|| view! { <ToInvoice id/> })}
        {(status == QuoteStatus::Pending).then(|| view! { <RecordAcceptance id changed/> })}
        {(status == QuoteStatus::Pending).then(|| view! {
            <section class="card" aria-labelledby="refuser" data-testid="quote-decline">
                <h2 id="refuser">{move || i.t().quotes.decline_title}</h2>
                <DeclineForm id=Signal::stored(Some(id)) done=changed reset=Signal::stored(false)/>
            </section>
        })}
    }
}

/// A signed copy came back: the signatory, their role and the day they signed.
#[component]
fn RecordAcceptance(id: Uuid, changed: Callback<()>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let [name, role] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let day = RwSignal::new(date_iso(today_paris()));
    let error = RwSignal::new(None::<ApiError>);
    let local = RwSignal::new(None::<(&'static str, String)>);
    let record = crate::components::act(move |body: &NewAcceptance| {
        let body = body.clone();
        async move {
            error.set(None);
            match api.accept_quote(id, &body).await {
                Ok(_) => {
                    toasts.show(i.t().quotes.accepted_done);
                    changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        let Some(signed_on) = parse_date(&day.get_untracked()) else {
            return local.set(Some(("signed_on", i.t().err_fields.to_string())));
        };
        local.set(None);
        let role = role.get_untracked().trim().to_string();
        record.dispatch(NewAcceptance {
            signer_name: name.get_untracked().trim().to_string(),
            signer_role: (!role.is_empty()).then_some(role),
            signed_on: Some(signed_on),
            agreed: true,
        });
    };
    let err = move |field: &'static str| field_error_or_local(local, error, field);
    view! {
        <section class="card" aria-labelledby="acceptation" data-testid="quote-record">
            <h2 id="acceptation">{move || i.t().quotes.record_title}</h2>
            <p class="hint">{move || i.t().quotes.record_hint}</p>
            <form class="form" novalidate data-testid="record-form" on:submit=submit>
                <FormError error testid="record-error"/>
                <TextField id="record-name" label=move || i.t().quotes.signer_name value=name required=true
                    error=err("signer_name") testid="record-name"/>
                <TextField id="record-role" label=move || i.t().quotes.signer_role value=role
                    error=err("signer_role") testid="record-role"/>
                <TextField id="record-date" label=move || i.t().quotes.signed_on value=day kind="date" required=true
                    error=err("signed_on") testid="record-date"/>
                <Button submit=true busy=record.pending() testid="record-submit">{move || i.t().quotes.record_submit}</Button>
            </form>
        </section>
    }
}

/// "Facturer": issues the accepted quote's invoice, then opens it.
#[component]
fn ToInvoice(id: Uuid) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let issue = crate::components::act(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            error.set(None);
            match api.invoice_quote(id, &QuoteToInvoice::default()).await {
                Ok(inv) => {
                    toasts.show(i.t().money.invoice_issued.replace("{n}", &inv.number));
                    navigate(&format!("/admin/factures/{}", inv.id), Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="facturer-devis" data-testid="quote-to-invoice">
            <h2 id="facturer-devis">{move || i.t().quotes.invoice_title}</h2>
            <p class="hint">{move || i.t().quotes.invoice_hint}</p>
            <FormError error testid="quote-invoice-error"/>
            <Button on_click=move |_| { issue.dispatch(()); } busy=issue.pending() testid="quote-invoice">
                {move || i.t().quotes.invoice_title}
            </Button>
        </section>
    }
}
