//! `/admin/factures`: invoices and credit notes with filters (status, kind, period) and the totals of
//! the whole selection above them; and "Mes factures" on the beneficiary's home.

use boussole_shared::money::{
    Invoice, InvoiceFilter, InvoiceKind, InvoiceList, InvoiceStatus, format_cents,
};
use leptos::prelude::*;

use super::{Totals, invoice_kind, invoice_status, save_file, status_badge};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::{date_fr, parse_date},
    i18n::use_i18n,
    pages::no_reload,
};

const PER_PAGE: i64 = 20;

const STATUSES: [InvoiceStatus; 5] = [
    InvoiceStatus::Unpaid,
    InvoiceStatus::PartiallyPaid,
    InvoiceStatus::Paid,
    InvoiceStatus::Overdue,
    InvoiceStatus::Credited,
];

/// Downloads an invoice's PDF under the name the server gives it (else its number).
pub fn download_action(error: RwSignal<Option<ApiError>>) -> Act<Invoice> {
    let api = use_api();
    crate::components::act(move |inv: &Invoice| {
        let (id, number) = (inv.id, inv.number.clone());
        async move {
            error.set(None);
            match api.invoice_pdf(id).await {
                Ok(file) => {
                    let name = file.name.unwrap_or_else(|| format!("{number}.pdf"));
                    save_file(&file.bytes, "application/pdf", &name);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    })
}

#[component]
pub fn Invoices() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let [status, kind, from, to] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let filter = RwSignal::new(InvoiceFilter::default());
    let page = RwSignal::new(1_i64);
    let invoices = crate::components::loader(move || {
        let (f, p) = (filter.get(), page.get());
        async move { api.invoices(p, PER_PAGE, &f).await }
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        filter.set(InvoiceFilter {
            status: InvoiceStatus::parse(&status.get_untracked()),
            kind: InvoiceKind::parse(&kind.get_untracked()),
            from: parse_date(&from.get_untracked()),
            to: parse_date(&to.get_untracked()),
            ..Default::default()
        });
        page.set(1);
    };
    let mut status_options: Vec<(&'static str, TextProp)> = vec![("", (move || i.t().all).into())];
    status_options.extend(STATUSES.iter().map(|s| {
        let s = *s;
        (
            s.as_str(),
            TextProp::from(move || invoice_status(i.t().money, s)),
        )
    }));
    let kind_options: Vec<(&'static str, TextProp)> = vec![
        ("", (move || i.t().all).into()),
        ("invoice", (move || i.t().money.ik_invoice).into()),
        ("credit_note", (move || i.t().money.ik_credit_note).into()),
    ];
    view! {
        <Page title=move || i.t().money.invoices_title help="factures">
            <form class="filters" on:submit=apply role="search" data-testid="invoices-filters">
                <SelectField id="invoices-status" label=move || i.t().status value=status options=status_options
                    testid="invoices-status"/>
                <SelectField id="invoices-kind" label=move || i.t().money.kind value=kind options=kind_options
                    testid="invoices-kind"/>
                <TextField id="invoices-from" label=move || i.t().money.period_from value=from kind="date"
                    testid="invoices-from"/>
                <TextField id="invoices-to" label=move || i.t().money.period_to value=to kind="date"
                    testid="invoices-to"/>
                <Button submit=true kind=ButtonKind::Secondary testid="invoices-filter-submit">{move || i.t().filter}</Button>
            </form>
            <Loaded resource=invoices let:list>{view! { <InvoiceTable list page/> }}</Loaded>
        </Page>
    }
}

/// The totals, then the page of invoices with its pagination.
#[component]
fn InvoiceTable(list: InvoiceList, page: RwSignal<i64>) -> impl IntoView {
    let i = use_i18n();
    let m = i.t().money;
    let t = &list.totals;
    let totals = vec![
        (
            m.total_invoiced,
            t.invoiced_cents,
            "invoices-total-invoiced",
        ),
        (m.total_paid, t.paid_cents, "invoices-total-paid"),
        (m.total_balance, t.balance_cents, "invoices-total-balance"),
        (m.total_overdue, t.overdue_cents, "invoices-total-overdue"),
    ];
    let total = list.total;
    let body = if list.items.is_empty() {
        view! { <EmptyState><p data-testid="invoices-empty">{m.invoices_empty}</p></EmptyState> }
            .into_any()
    } else {
        let rows = list.items.into_iter().map(|inv| {
            view! {
                <tr data-testid="invoice-row">
                    <th scope="row"><a href=format!("/admin/factures/{}", inv.id) data-testid="invoice-link">{inv.number.clone()}</a></th>
                    <td data-label=m.kind>{invoice_kind(m, inv.kind)}</td>
                    <td data-label=m.buyer>{inv.buyer.name.clone()}</td>
                    <td data-label=m.beneficiary>{inv.beneficiary_name.clone()}</td>
                    <td data-label=m.issue_date>{date_fr(inv.issue_date)}</td>
                    <td data-label=m.due_date>{date_fr(inv.due_date)}</td>
                    <td data-label=m.total class="num">{format_cents(inv.total_cents)}</td>
                    <td data-label=m.balance class="num">{format_cents(inv.balance_cents)}</td>
                    <td data-label=i.t().status data-testid="invoice-status">{status_badge(m, inv.status)}</td>
                </tr>
            }
        });
        view! {
            <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=m.invoices_title>
                <table data-testid="invoices-table">
                    <caption>{m.invoices_caption.replace("{n}", &total.to_string())}</caption>
                    <thead><tr>
                        <th scope="col">{m.number}</th>
                        <th scope="col">{m.kind}</th>
                        <th scope="col">{m.buyer}</th>
                        <th scope="col">{m.beneficiary}</th>
                        <th scope="col">{m.issue_date}</th>
                        <th scope="col">{m.due_date}</th>
                        <th scope="col">{m.total}</th>
                        <th scope="col">{m.balance}</th>
                        <th scope="col">{i.t().status}</th>
                    </tr></thead>
                    <tbody>{rows.collect_view()}</tbody>
                </table>
            </div>
            <Pagination page per_page=PER_PAGE total=Signal::stored(total)/>
        }
        .into_any()
    };
    view! {
        <Totals testid="invoices-totals" items=totals/>
        {body}
    }
}

/// "Mes factures", on the beneficiary's home: their own invoices (the API answers them theirs only).
#[component]
pub fn MyInvoices() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let invoices = crate::components::loader(move || async move {
        api.invoices(1, 100, &InvoiceFilter::default()).await
    });
    let error = RwSignal::new(None::<ApiError>);
    let download = download_action(error);
    let table = move |list: InvoiceList| {
        let m = i.t().money;
        if list.items.is_empty() {
            return None;
        }
        let rows = list.items.into_iter().map(|inv| {
            let label = format!("{} {}", m.download_pdf, inv.number);
            view! {
                <tr data-testid="my-invoice-row">
                    <th scope="row">{format!("{} {}", invoice_kind(m, inv.kind), inv.number)}</th>
                    <td data-label=m.issue_date>{date_fr(inv.issue_date)}</td>
                    <td data-label=m.total class="num">{format_cents(inv.total_cents)}</td>
                    <td data-label=m.balance class="num">{format_cents(inv.balance_cents)}</td>
                    <td data-label=i.t().status>{status_badge(m, inv.status)}</td>
                    <td>
                        <button type="button" class="btn btn-secondary btn-small" aria-label=label
                            on:click=move |_| { download.dispatch(inv.clone()); }
                            data-testid="my-invoice-download">{m.download_pdf}</button>
                    </td>
                </tr>
            }
        });
        Some(view! {
            <section class="card" aria-labelledby="mes-factures" data-testid="my-invoices">
                <h2 id="mes-factures">{m.mine_title}</h2>
                <p class="note">{m.mine_intro}</p>
                <FormError error testid="my-invoices-error"/>
                <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=m.mine_title>
                    <table>
                        <thead><tr>
                            <th scope="col">{m.number}</th>
                            <th scope="col">{m.issue_date}</th>
                            <th scope="col">{m.total}</th>
                            <th scope="col">{m.balance}</th>
                            <th scope="col">{i.t().status}</th>
                            <th scope="col"><span class="visually-hidden">{m.download_pdf}</span></th>
                        </tr></thead>
                        <tbody>{rows.collect_view()}</tbody>
                    </table>
                </div>
            </section>
        })
    };
    // Nothing at all while there is no invoice (most bilans are funded by others), nor on a failure:
    // the home page has more important things to say.
    move || match invoices.get() {
        Some(Ok(list)) => table(list),
        _ => None,
    }
}
