//! `/admin/factures/:id`: one invoice or credit note as issued (it never changes), its PDF, the
//! payments received and recording one, and issuing a credit note that corrects it.

use boussole_shared::money::{
    Invoice, InvoiceKind, InvoiceStatus, NewCreditNote, NewPayment, Payment, PaymentMethod,
    format_cents,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::invoices::download_action;
use super::{LinesTable, invoice_kind, parse_euros, payment_method, show_euros, status_badge};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::{date_fr, date_iso, parse_date, today_paris},
    i18n::use_i18n,
    pages::no_reload,
};

const METHODS: [PaymentMethod; 5] = [
    PaymentMethod::Transfer,
    PaymentMethod::Cheque,
    PaymentMethod::Card,
    PaymentMethod::DirectDebit,
    PaymentMethod::Cash,
];

#[component]
pub fn InvoicePage() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let version = RwSignal::new(0_u32);
    let invoice = crate::components::loader(move || {
        version.track();
        async move {
            match id {
                Some(id) => api.invoice(id).await,
                None => Err(ApiError::Unexpected(404)),
            }
        }
    });
    let title = move || {
        let m = i.t().money;
        match invoice.get() {
            Some(Ok(inv)) => {
                let t = match inv.kind {
                    InvoiceKind::Invoice => m.invoice_page,
                    InvoiceKind::CreditNote => m.credit_note_page,
                };
                t.replace("{n}", &inv.number)
            }
            _ => m.invoices_title.to_string(),
        }
    };
    let changed = Callback::new(move |_: ()| version.update(|v| *v += 1));
    view! {
        <Page title help="facture">
            <p><a href="/admin/factures" data-testid="invoice-back">{move || i.t().money.back_to_invoices}</a></p>
            <Loaded resource=invoice let:inv>{view! { <InvoiceDetail inv changed/> }}</Loaded>
        </Page>
    }
}

/// What the invoice says, then its payments and the two actions an invoice with a balance allows.
#[component]
fn InvoiceDetail(inv: Invoice, changed: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let m = i.t().money;
    let error = RwSignal::new(None::<ApiError>);
    let download = download_action(error);
    let is_invoice = inv.kind == InvoiceKind::Invoice;
    let facts = [
        (
            m.kind,
            invoice_kind(m, inv.kind).to_string(),
            "invoice-kind",
        ),
        (m.buyer, inv.buyer.name.clone(), "invoice-buyer"),
        (
            m.beneficiary,
            inv.beneficiary_name.clone(),
            "invoice-beneficiary",
        ),
        (m.issue_date, date_fr(inv.issue_date), "invoice-date"),
        (m.due_date, date_fr(inv.due_date), "invoice-due"),
        (
            m.total_excl_vat,
            format_cents(inv.total_excl_vat_cents),
            "invoice-excl",
        ),
        (
            m.vat,
            inv.vat_mention
                .clone()
                .unwrap_or_else(|| format_cents(inv.vat_cents)),
            "invoice-vat",
        ),
        (
            m.total_incl_vat,
            format_cents(inv.total_cents),
            "invoice-total",
        ),
    ]
    .into_iter()
    .chain(
        is_invoice
            .then(|| {
                [
                    (m.paid, format_cents(inv.paid_cents), "invoice-paid"),
                    (
                        m.credited,
                        format_cents(inv.credited_cents),
                        "invoice-credited",
                    ),
                    (
                        m.balance,
                        format_cents(inv.balance_cents),
                        "invoice-balance",
                    ),
                ]
            })
            .into_iter()
            .flatten(),
    )
    .map(|(label, value, testid)| view! { <dt>{label}</dt><dd data-testid=testid>{value}</dd> })
    .collect_view();
    let lines = inv.lines.clone();
    let corrects = inv.corrects_invoice_id.map(|c| view! {
        <p>{m.corrects}" "<a href=format!("/admin/factures/{c}") data-testid="invoice-corrects">{m.ik_invoice}</a></p>
    });
    let open_actions = is_invoice && inv.status != InvoiceStatus::Credited;
    let (balance, creditable) = (inv.balance_cents, inv.total_cents - inv.credited_cents);
    let (id, sha, status) = (inv.id, inv.sha256.clone(), inv.status);
    view! {
        <div class="toolbar">
            <Button on_click=move |_| { download.dispatch(inv.clone()); } busy=download.pending() testid="invoice-pdf">
                {m.download_pdf}
            </Button>
        </div>
        <FormError error testid="invoice-pdf-error"/>
        <p data-testid="invoice-status">{status_badge(m, status)}</p>
        {corrects}
        <dl class="facts-list" data-testid="invoice-facts">{facts}</dl>
        <LinesTable lines/>
        <p class="note">{m.fingerprint}" : "<code>{sha}</code></p>
        {is_invoice.then(|| view! { <Payments id changed balance open={open_actions && balance > 0}/> })}
        {(open_actions && creditable > 0).then(|| view! { <CreditNoteForm id changed/> })}
    }
}

/// The payments received, and the form to record one while something is left to pay.
#[component]
fn Payments(id: Uuid, balance: i64, open: bool, changed: Callback<()>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let payments = crate::components::loader(move || async move { api.payments(id).await });
    let amount = RwSignal::new(show_euros(balance));
    let method = RwSignal::new(PaymentMethod::Transfer.as_str().to_string());
    let paid_on = RwSignal::new(date_iso(today_paris()));
    let reference = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let local = RwSignal::new(None::<(&'static str, String)>);
    let record = crate::components::act(move |body: &NewPayment| {
        let body = body.clone();
        async move {
            error.set(None);
            match api.record_payment(id, &body).await {
                Ok(_) => {
                    toasts.show(i.t().money.payment_recorded);
                    changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        let Ok(Some(cents)) = parse_euros(&amount.get_untracked()) else {
            return local.set(Some((
                "amount_cents",
                i.t().money.amount_invalid.to_string(),
            )));
        };
        let Some(day) = parse_date(&paid_on.get_untracked()) else {
            return local.set(Some(("paid_on", i.t().err_fields.to_string())));
        };
        local.set(None);
        record.dispatch(NewPayment {
            amount_cents: cents,
            method: PaymentMethod::parse(&method.get_untracked())
                .unwrap_or(PaymentMethod::Transfer),
            paid_on: day,
            reference: reference.get_untracked().trim().to_string(),
        });
    };
    let err = move |field: &'static str| field_error_or_local(local, error, field);
    let method_options: Vec<(&'static str, TextProp)> = METHODS
        .iter()
        .map(|p| {
            let p = *p;
            (
                p.as_str(),
                TextProp::from(move || payment_method(i.t().money, p)),
            )
        })
        .collect();
    let list = move |list: Vec<Payment>| {
        let m = i.t().money;
        if list.is_empty() {
            return view! { <EmptyState><p data-testid="payments-empty">{m.payments_empty}</p></EmptyState> }.into_any();
        }
        let n = list.len();
        let rows = list
            .into_iter()
            .map(|p| {
                view! {
                    <tr data-testid="payment-row">
                        <th scope="row">{date_fr(p.paid_on)}</th>
                        <td data-label=m.amount class="num">{format_cents(p.amount_cents)}</td>
                        <td data-label=m.method>{payment_method(m, p.method)}</td>
                        <td data-label=m.reference>{p.reference.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=m.payments_title>
                <table data-testid="payments-table">
                    <caption>{m.payments_caption.replace("{n}", &n.to_string())}</caption>
                    <thead><tr>
                        <th scope="col">{m.paid_on}</th>
                        <th scope="col">{m.amount}</th>
                        <th scope="col">{m.method}</th>
                        <th scope="col">{m.reference}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="paiements" data-testid="payments">
            <h2 id="paiements">{move || i.t().money.payments_title}</h2>
            <Loaded resource=payments let:data>{list(data)}</Loaded>
            {open.then(|| view! {
                <form class="form" novalidate data-testid="payment-form" on:submit=submit>
                    <FormError error testid="payment-error"/>
                    <TextField id="payment-amount" label=move || i.t().money.amount value=amount required=true
                        hint=move || i.t().money.amount_hint error=err("amount_cents") testid="payment-amount"/>
                    <SelectField id="payment-method" label=move || i.t().money.method value=method
                        options=method_options error=err("method") testid="payment-method"/>
                    <TextField id="payment-date" label=move || i.t().money.paid_on value=paid_on kind="date"
                        required=true error=err("paid_on") testid="payment-date"/>
                    <TextField id="payment-reference" label=move || i.t().money.reference value=reference
                        error=err("reference") testid="payment-reference"/>
                    <Button submit=true busy=record.pending() testid="payment-record">{move || i.t().money.payment_record}</Button>
                </form>
            })}
        </section>
    }
}

/// Issues a credit note for all (amount left blank) or part of what the invoice still holds.
#[component]
fn CreditNoteForm(id: Uuid, changed: Callback<()>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let (amount, reason) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let error = RwSignal::new(None::<ApiError>);
    let local = RwSignal::new(None::<String>);
    let issue = crate::components::act(move |body: &NewCreditNote| {
        let body = body.clone();
        async move {
            error.set(None);
            match api.credit_note(id, &body).await {
                Ok(note) => {
                    toasts.show(i.t().money.credit_issued.replace("{n}", &note.number));
                    amount.set(String::new());
                    reason.set(String::new());
                    changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        let Ok(cents) = parse_euros(&amount.get_untracked()) else {
            return local.set(Some(i.t().money.amount_invalid.to_string()));
        };
        local.set(None);
        issue.dispatch(NewCreditNote {
            amount_cents: cents,
            reason: reason.get_untracked().trim().to_string(),
        });
    };
    let server_amount = field_error(error, "amount_cents");
    let amount_error = Signal::derive(move || local.get().or_else(|| server_amount.get()));
    view! {
        <section class="card" aria-labelledby="avoir" data-testid="credit-note">
            <h2 id="avoir">{move || i.t().money.credit_title}</h2>
            <p class="hint">{move || i.t().money.credit_hint}</p>
            <form class="form" novalidate data-testid="credit-form" on:submit=submit>
                <FormError error testid="credit-error"/>
                <TextField id="credit-amount" label=move || i.t().money.amount value=amount
                    hint=move || i.t().money.credit_amount_hint error=amount_error testid="credit-amount"/>
                <TextArea id="credit-reason" label=move || i.t().money.reason value=reason required=true
                    error=field_error(error, "reason") testid="credit-reason"/>
                <Button submit=true kind=ButtonKind::Danger busy=issue.pending() testid="credit-issue">
                    {move || i.t().money.credit_issue}
                </Button>
            </form>
        </section>
    }
}
