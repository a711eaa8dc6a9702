//! The "Financement" tab of a bilan's file (admins): who pays how much, under which agreement,
//! "Nouveau devis" on a line (a quote the payer accepts first), and "Facturer", which issues one invoice
//! for what the line has not been invoiced yet. Both use one dialog: a line's description and amount.

use boussole_shared::money::{
    Funding, FundingStatus, NewFunding, NewInvoice, NewInvoiceLine, NewQuote, PayerFilter,
};
use leptos::prelude::*;
use uuid::Uuid;

use super::{funding_status, parse_euros, payer_kind, show_euros};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::{date_fr, date_iso, parse_date},
    i18n::use_i18n,
    pages::no_reload,
};
use boussole_shared::money::format_cents;

const STATUSES: [FundingStatus; 4] = [
    FundingStatus::Requested,
    FundingStatus::Agreed,
    FundingStatus::Refused,
    FundingStatus::Paid,
];

/// What is left to invoice on a line (None when the amounts are hidden).
fn remaining(f: &Funding) -> Option<i64> {
    Some(f.amount_cents? - f.invoiced_cents.unwrap_or(0))
}

#[component]
pub fn FundingPanel(id: Uuid, beneficiary: String) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let version = RwSignal::new(0_u32);
    let fundings = crate::components::loader(move || {
        version.track();
        async move { api.fundings(id).await }
    });
    let form_open = RwSignal::new(false);
    let editing = RwSignal::new(None::<Funding>);
    let invoicing = RwSignal::new(None::<Funding>);
    let (invoice_open, quote_open) = (RwSignal::new(false), RwSignal::new(false));
    // The link to what was just issued: (href, text).
    let issued = RwSignal::new(None::<(String, String)>);
    let row = move |f: Funding| {
        let m = i.t().money;
        let amount = f.amount_cents.map(format_cents).unwrap_or_default();
        let invoiced = f.invoiced_cents.map(format_cents).unwrap_or_default();
        let agreement = [
            f.agreement_number.clone().unwrap_or_default(),
            f.agreement_date.map(date_fr).unwrap_or_default(),
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" — ");
        let can_invoice =
            remaining(&f).is_some_and(|r| r > 0) && f.status != FundingStatus::Refused;
        // A quote may come before the agreement, or price a line again after it was invoiced.
        let can_quote = f.amount_cents.is_some() && f.status != FundingStatus::Refused;
        let q = i.t().quotes;
        let (edit_label, invoice_label, quote_label) = (
            format!("{} {}", m.edit, f.payer.name),
            format!("{} {}", m.invoice_action, f.payer.name),
            format!("{} {}", q.new_action, f.payer.name),
        );
        let (for_edit, for_invoice, for_quote) = (f.clone(), f.clone(), f.clone());
        let tone = match f.status {
            FundingStatus::Agreed | FundingStatus::Paid => Tone::Ok,
            FundingStatus::Requested => Tone::Warn,
            FundingStatus::Refused => Tone::Muted,
        };
        view! {
            <tr data-testid="funding-row">
                <th scope="row">{f.payer.name.clone()}" "<span class="note">"("{payer_kind(m, f.payer.kind)}")"</span></th>
                <td data-label=m.amount>{amount}</td>
                <td data-label=m.agreement>{agreement}</td>
                <td data-label=i.t().status><StatusBadge tone label=funding_status(m, f.status)/></td>
                <td data-label=m.subrogation>{if f.subrogation { m.yes } else { m.no }}</td>
                <td data-label=m.invoiced data-testid="funding-invoiced">{invoiced}</td>
                <td>
                    <button type="button" class="btn btn-secondary btn-small" aria-label=edit_label
                        on:click=move |_| { editing.set(Some(for_edit.clone())); form_open.set(true); }
                        data-testid="funding-edit">{m.edit}</button>
                    {can_quote.then(|| view! {
                        " "
                        <button type="button" class="btn btn-secondary btn-small" aria-label=quote_label
                            on:click=move |_| { invoicing.set(Some(for_quote.clone())); quote_open.set(true); }
                            data-testid="funding-quote">{q.new_action}</button>
                    })}
                    {can_invoice.then(|| view! {
                        " "
                        <button type="button" class="btn btn-primary btn-small" aria-label=invoice_label
                            on:click=move |_| { invoicing.set(Some(for_invoice.clone())); invoice_open.set(true); }
                            data-testid="funding-invoice">{m.invoice_action}</button>
                    })}
                </td>
            </tr>
        }
    };
    let list = move |list: Vec<Funding>| {
        let m = i.t().money;
        if list.is_empty() {
            return view! { <EmptyState><p data-testid="funding-empty">{m.funding_empty}</p></EmptyState> }.into_any();
        }
        view! {
            <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=m.tab_funding>
                <table data-testid="funding-table">
                    <caption>{m.funding_caption.replace("{n}", &list.len().to_string())}</caption>
                    <thead><tr>
                        <th scope="col">{m.payer}</th>
                        <th scope="col">{m.amount}</th>
                        <th scope="col">{m.agreement}</th>
                        <th scope="col">{i.t().status}</th>
                        <th scope="col">{m.subrogation}</th>
                        <th scope="col">{m.invoiced}</th>
                        <th scope="col">{i.t().actions}</th>
                    </tr></thead>
                    <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let changed = Callback::new(move |_: ()| version.update(|v| *v += 1));
    view! {
        <div class="toolbar">
            <Button on_click=move |_| { editing.set(None); form_open.set(true); } testid="funding-add">
                {move || i.t().money.funding_add}
            </Button>
        </div>
        {move || issued.get().map(|(href, text)| view! {
            <p class="notice" data-testid="funding-issued">
                <a href=href data-testid="funding-issued-link">{text}</a>
            </p>
        })}
        <Loaded resource=fundings let:data>{list(data)}</Loaded>
        <FundingDialog id open=form_open editing changed/>
        <IssueDialog id beneficiary=beneficiary.clone() quote=false open=invoice_open funding=invoicing issued changed/>
        <IssueDialog id beneficiary quote=true open=quote_open funding=invoicing issued changed/>
    }
}

/// Adds a funding line (`editing` None) or edits one.
#[component]
fn FundingDialog(
    id: Uuid,
    open: RwSignal<bool>,
    editing: RwSignal<Option<Funding>>,
    changed: Callback<()>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let [payer, amount, number, date, status] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let subrogation = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let local = RwSignal::new(None::<(&'static str, String)>);
    // The directory, for the choice of the payer (the first hundred by name: an office has fewer).
    let payers = crate::components::loader(move || {
        open.track();
        async move { api.payers(1, 100, &PayerFilter::default()).await }
    });
    let payer_options = Signal::derive(move || {
        let m = i.t().money;
        let mut options = vec![(String::new(), m.payer_choose.to_string())];
        if let Some(Ok(p)) = payers.get() {
            options.extend(p.items.into_iter().map(|p| {
                (
                    p.id.to_string(),
                    format!("{} ({})", p.name, payer_kind(m, p.kind)),
                )
            }));
        }
        options
    });
    crate::components::effect(move |_| {
        if !open.get() {
            return;
        }
        error.set(None);
        local.set(None);
        let f = editing.get_untracked();
        payer.set(
            f.as_ref()
                .map(|f| f.payer.id.to_string())
                .unwrap_or_default(),
        );
        amount.set(
            f.as_ref()
                .and_then(|f| f.amount_cents)
                .map(show_euros)
                .unwrap_or_default(),
        );
        number.set(
            f.as_ref()
                .and_then(|f| f.agreement_number.clone())
                .unwrap_or_default(),
        );
        date.set(
            f.as_ref()
                .and_then(|f| f.agreement_date)
                .map(date_iso)
                .unwrap_or_default(),
        );
        status.set(
            f.as_ref()
                .map_or(FundingStatus::Requested, |f| f.status)
                .as_str()
                .to_string(),
        );
        subrogation.set(f.is_some_and(|f| f.subrogation));
    });
    let save = crate::components::act(move |body: &(Option<Uuid>, NewFunding)| {
        let (funding_id, body) = body.clone();
        async move {
            error.set(None);
            match api.save_funding(id, funding_id, &body).await {
                Ok(_) => {
                    toasts.show(i.t().money.funding_saved);
                    open.set(false);
                    changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        let m = i.t().money;
        let cents = match parse_euros(&amount.get_untracked()) {
            Ok(Some(c)) => c,
            _ => return local.set(Some(("amount_cents", m.amount_invalid.to_string()))),
        };
        let day = date.get_untracked();
        let agreement_date = match day.trim() {
            "" => None,
            d => match parse_date(d) {
                Some(d) => Some(d),
                None => return local.set(Some(("agreement_date", i.t().err_fields.to_string()))),
            },
        };
        local.set(None);
        let number = number.get_untracked().trim().to_string();
        let body = NewFunding {
            // An unknown payer is the API's to name (a nil id is never one).
            payer_id: Uuid::parse_str(&payer.get_untracked()).unwrap_or_default(),
            amount_cents: cents,
            agreement_number: (!number.is_empty()).then_some(number),
            agreement_date,
            status: FundingStatus::parse(&status.get_untracked())
                .unwrap_or(FundingStatus::Requested),
            subrogation: subrogation.get_untracked(),
        };
        save.dispatch((editing.with_untracked(|f| f.as_ref().map(|f| f.id)), body));
    };
    // The browser's check first, then the server's.
    let err = move |field: &'static str| field_error_or_local(local, error, field);
    let status_options: Vec<(&'static str, TextProp)> = STATUSES
        .iter()
        .map(|s| {
            let s = *s;
            (
                s.as_str(),
                TextProp::from(move || funding_status(i.t().money, s)),
            )
        })
        .collect();
    let title = move || {
        let m = i.t().money;
        if editing.with(Option::is_some) {
            m.funding_edit
        } else {
            m.funding_add
        }
    };
    view! {
        <Dialog id="financement" open title testid="funding-dialog">
            <form class="form" novalidate data-testid="funding-form" on:submit=submit>
                <FormError error testid="funding-error"/>
                <ChoiceField id="funding-payer" label=move || i.t().money.payer value=payer required=true
                    options=payer_options error=err("payer_id") testid="funding-payer"/>
                <p class="hint">
                    <a href="/admin/payeurs">{move || i.t().money.payer_none}</a>
                </p>
                <TextField id="funding-amount" label=move || i.t().money.amount value=amount required=true
                    hint=move || i.t().money.amount_hint error=err("amount_cents") testid="funding-amount"/>
                <TextField id="funding-number" label=move || i.t().money.agreement_number value=number
                    error=err("agreement_number") testid="funding-number"/>
                <TextField id="funding-date" label=move || i.t().money.agreement_date value=date kind="date"
                    error=err("agreement_date") testid="funding-date"/>
                <SelectField id="funding-status" label=move || i.t().status value=status
                    options=status_options error=err("status") testid="funding-status"/>
                <Checkbox id="funding-subrogation" label=move || i.t().money.subrogation checked=subrogation
                    testid="funding-subrogation"/>
                <p class="hint">{move || i.t().money.subrogation_hint}</p>
                <Button submit=true busy=save.pending() testid="funding-save">{move || i.t().save}</Button>
            </form>
        </Dialog>
    }
}

/// "Facturer" (`quote` false) or "Nouveau devis": one line, "Bilan de compétences — <beneficiary>" for
/// what is left on the funding line; both can be changed before issuing. The third field is the buyer's
/// purchase order (invoice) or how long the quote stays valid.
#[component]
fn IssueDialog(
    id: Uuid,
    beneficiary: String,
    quote: bool,
    open: RwSignal<bool>,
    funding: RwSignal<Option<Funding>>,
    issued: RwSignal<Option<(String, String)>>,
    changed: Callback<()>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let [description, amount, extra] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let error = RwSignal::new(None::<ApiError>);
    let local = RwSignal::new(None::<(&'static str, String)>);
    let beneficiary = StoredValue::new(beneficiary);
    crate::components::effect(move |_| {
        if !open.get() {
            return;
        }
        error.set(None);
        local.set(None);
        let f = funding.get_untracked();
        let line = i.t().money.line_default;
        description.set(beneficiary.with_value(|b| line.replace("{name}", b)));
        // What is left to invoice, else (a quote for a line already invoiced) the line's amount.
        let left = f.as_ref().and_then(remaining).filter(|r| *r > 0);
        amount.set(
            left.or_else(|| f.as_ref().and_then(|f| f.amount_cents))
                .map(show_euros)
                .unwrap_or_default(),
        );
        extra.set(String::new());
    });
    // What was issued: its page and the sentence that links to it.
    let done = move |link: (String, String)| {
        toasts.show(link.1.clone());
        issued.set(Some(link));
        open.set(false);
        changed.run(());
    };
    let issue = crate::components::act(move |body: &(Option<Uuid>, NewInvoiceLine, String)| {
        let (funding_id, line, extra) = body.clone();
        async move {
            error.set(None);
            let out = if quote {
                let body = NewQuote {
                    bilan_id: id,
                    funding_id,
                    payer_id: None,
                    lines: vec![line],
                    valid_days: extra.parse().ok(),
                };
                api.issue_quote(&body).await.map(|d| {
                    let text = i.t().quotes.issued.replace("{n}", &d.number);
                    (format!("/admin/devis/{}", d.id), text)
                })
            } else {
                let body = NewInvoice {
                    bilan_id: id,
                    funding_id,
                    payer_id: None,
                    lines: vec![line],
                    payment_days: None,
                    purchase_order: (!extra.is_empty()).then_some(extra),
                };
                api.issue_invoice(&body).await.map(|inv| {
                    let text = i.t().money.invoice_issued.replace("{n}", &inv.number);
                    (format!("/admin/factures/{}", inv.id), text)
                })
            };
            match out {
                Ok(link) => done(link),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        let Ok(Some(cents)) = parse_euros(&amount.get_untracked()) else {
            let text = i.t().money.amount_invalid.to_string();
            return local.set(Some(("lines[0].unit_price_cents", text)));
        };
        let extra = extra.get_untracked().trim().to_string();
        if quote && !extra.is_empty() && extra.parse::<i64>().is_err() {
            return local.set(Some((
                "valid_days",
                i.t().quotes.valid_days_invalid.to_string(),
            )));
        }
        local.set(None);
        let line = NewInvoiceLine {
            description: description.get_untracked().trim().to_string(),
            quantity: 1,
            unit_price_cents: cents,
        };
        issue.dispatch((
            funding.with_untracked(|f| f.as_ref().map(|f| f.id)),
            line,
            extra,
        ));
    };
    let err = move |field: &'static str| field_error_or_local(local, error, field);
    let (dialog, ids) = if quote {
        (
            "devis",
            [
                "quote-dialog",
                "quote-form",
                "quote-description",
                "quote-amount",
                "quote-days",
                "quote-issue",
            ],
        )
    } else {
        (
            "facturer",
            [
                "invoice-dialog",
                "invoice-form",
                "invoice-description",
                "invoice-amount",
                "invoice-order",
                "invoice-issue",
            ],
        )
    };
    let title = move || {
        if quote {
            i.t().quotes.new_action
        } else {
            i.t().money.invoice_title
        }
    };
    let hint = move || {
        if quote {
            i.t().quotes.new_hint
        } else {
            i.t().money.invoice_hint
        }
    };
    let extra_field = if quote {
        view! {
            <TextField id=ids[4] label=move || i.t().quotes.valid_days value=extra kind="number"
                hint=move || i.t().quotes.valid_days_hint error=err("valid_days") testid=ids[4]/>
        }
        .into_any()
    } else {
        view! {
            <TextField id=ids[4] label=move || i.t().money.purchase_order value=extra
                error=err("purchase_order") testid=ids[4]/>
        }
        .into_any()
    };
    let button = move || {
        if quote {
            i.t().quotes.issue
        } else {
            i.t().money.invoice_issue
        }
    };
    view! {
        <Dialog id=dialog open title testid=ids[0]>
            <form class="form" novalidate data-testid=ids[1] on:submit=submit>
                <p class="hint">{hint}</p>
                <FormError error testid=if quote { "quote-error" } else { "invoice-error" }/>
                <TextField id=ids[2] label=move || i.t().money.line_description value=description
                    required=true error=err("lines[0].description") testid=ids[2]/>
                <TextField id=ids[3] label=move || i.t().money.amount value=amount required=true
                    hint=move || i.t().money.amount_hint error=err("lines[0].unit_price_cents") testid=ids[3]/>
                {extra_field}
                <Button submit=true busy=issue.pending() testid=ids[5]>{button}</Button>
            </form>
        </Dialog>
    }
}
