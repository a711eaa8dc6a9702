//! `/admin/devis`: the quotes with filters (status, period) and the totals of the whole selection; and
//! "Mes devis" on the beneficiary's home, where the buyer of a self-funded bilan accepts or declines.

use boussole_shared::money::{
    NewAcceptance, NewDecline, Quote, QuoteFilter, QuoteList, QuoteStatus, format_cents,
};
use leptos::prelude::*;
use uuid::Uuid;

use super::{Totals, save_file};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::{date_fr, parse_date},
    i18n::{QuoteStrings, quote_status, use_i18n},
    pages::no_reload,
};

const PER_PAGE: i64 = 20;

const STATUSES: [QuoteStatus; 5] = [
    QuoteStatus::Pending,
    QuoteStatus::Accepted,
    QuoteStatus::Declined,
    QuoteStatus::Expired,
    QuoteStatus::Invoiced,
];

/// A quote's status as a badge (the text says it; the colour only repeats it).
pub fn quote_badge(q: &'static QuoteStrings, s: QuoteStatus) -> impl IntoView {
    let tone = match s {
        QuoteStatus::Accepted | QuoteStatus::Invoiced => Tone::Ok,
        QuoteStatus::Pending => Tone::Warn,
        QuoteStatus::Declined | QuoteStatus::Expired => Tone::Muted,
    };
    view! { <StatusBadge tone label=quote_status(q, s)/> }
}

/// Downloads a quote's PDF under the name the server gives it (else its number).
pub fn quote_download(error: RwSignal<Option<ApiError>>) -> Act<(Uuid, String)> {
    let api = use_api();
    crate::components::act(move |(id, number): &(Uuid, String)| {
        let (id, number) = (*id, number.clone());
        async move {
            error.set(None);
            match api.quote_pdf(id).await {
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
pub fn Quotes() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let [status, from, to] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let filter = RwSignal::new(QuoteFilter::default());
    let page = RwSignal::new(1_i64);
    let quotes = crate::components::loader(move || {
        let (f, p) = (filter.get(), page.get());
        async move { api.quotes(p, PER_PAGE, &f).await }
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        filter.set(QuoteFilter {
            status: QuoteStatus::parse(&status.get_untracked()),
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
            TextProp::from(move || quote_status(i.t().quotes, s)),
        )
    }));
    view! {
        <Page title=move || i.t().quotes.title help="devis">
            <form class="filters" on:submit=apply role="search" data-testid="quotes-filters">
                <SelectField id="quotes-status" label=move || i.t().status value=status options=status_options
                    testid="quotes-status"/>
                <TextField id="quotes-from" label=move || i.t().money.period_from value=from kind="date"
                    testid="quotes-from"/>
                <TextField id="quotes-to" label=move || i.t().money.period_to value=to kind="date"
                    testid="quotes-to"/>
                <Button submit=true kind=ButtonKind::Secondary testid="quotes-filter-submit">{move || i.t().filter}</Button>
            </form>
            <Loaded resource=quotes let:list>{view! { <QuoteTable list page/> }}</Loaded>
        </Page>
    }
}

/// The totals, then the page of quotes with its pagination.
#[component]
fn QuoteTable(list: QuoteList, page: RwSignal<i64>) -> impl IntoView {
    let i = use_i18n();
    let (m, q) = (i.t().money, i.t().quotes);
    let t = &list.totals;
    let totals = vec![
        (q.total_pending, t.pending_cents, "quotes-total-pending"),
        (q.total_accepted, t.accepted_cents, "quotes-total-accepted"),
        (q.total_invoiced, t.invoiced_cents, "quotes-total-invoiced"),
    ];
    let total = list.total;
    let body = if list.items.is_empty() {
        view! { <EmptyState><p data-testid="quotes-empty">{q.empty}</p></EmptyState> }.into_any()
    } else {
        let rows = list.items.into_iter().map(|d| {
            view! {
                <tr data-testid="quote-row">
                    <th scope="row"><a href=format!("/admin/devis/{}", d.id) data-testid="quote-link">{d.number.clone()}</a></th>
                    <td data-label=m.buyer>{d.buyer.name.clone()}</td>
                    <td data-label=m.beneficiary>{d.beneficiary_name.clone()}</td>
                    <td data-label=m.issue_date>{date_fr(d.issue_date)}</td>
                    <td data-label=q.valid_until>{date_fr(d.valid_until)}</td>
                    <td data-label=m.total class="num">{format_cents(d.total_cents)}</td>
                    <td data-label=i.t().status data-testid="quote-status">{quote_badge(q, d.status)}</td>
                </tr>
            }
        });
        view! {
            <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=q.title>
                <table data-testid="quotes-table">
                    <caption>{q.caption.replace("{n}", &total.to_string())}</caption>
                    <thead><tr>
                        <th scope="col">{m.number}</th>
                        <th scope="col">{m.buyer}</th>
                        <th scope="col">{m.beneficiary}</th>
                        <th scope="col">{m.issue_date}</th>
                        <th scope="col">{q.valid_until}</th>
                        <th scope="col">{m.total}</th>
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
        <Totals testid="quotes-totals" items=totals/>
        {body}
    }
}

/// "Mes devis", beside "Mes factures": the quotes addressed to the beneficiary (the API answers them
/// theirs only), with "Accepter le devis" and "Refuser" while one is pending.
#[component]
pub fn MyQuotes() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let version = RwSignal::new(0_u32);
    let quotes = crate::components::loader(move || {
        version.track();
        async move { api.quotes(1, 100, &QuoteFilter::default()).await }
    });
    let error = RwSignal::new(None::<ApiError>);
    let download = quote_download(error);
    let (accept_open, decline_open) = (RwSignal::new(false), RwSignal::new(false));
    let chosen = RwSignal::new(None::<Quote>);
    let table = move |list: QuoteList| {
        let (m, q) = (i.t().money, i.t().quotes);
        let rows = list.items.into_iter().map(|d| {
            let label = format!("{} {}", m.download_pdf, d.number);
            let (accept_label, refuse_label) = (format!("{} {}", q.accept, d.number), format!("{} {}", q.refuse, d.number));
            let pdf = (d.id, d.number.clone());
            let pending = (d.status == QuoteStatus::Pending).then(|| {
                let (a, r) = (d.clone(), d.clone());
                view! {
                    " "
                    <button type="button" class="btn btn-primary btn-small" aria-label=accept_label
                        on:click=move |_| { chosen.set(Some(a.clone())); accept_open.set(true); }
                        data-testid="my-quote-accept">{q.accept}</button>
                    " "
                    <button type="button" class="btn btn-secondary btn-small" aria-label=refuse_label
                        on:click=move |_| { chosen.set(Some(r.clone())); decline_open.set(true); }
                        data-testid="my-quote-decline">{q.refuse}</button>
                }
            });
            view! {
                <tr data-testid="my-quote-row">
                    <th scope="row">{d.number.clone()}</th>
                    <td data-label=m.issue_date>{date_fr(d.issue_date)}</td>
                    <td data-label=q.valid_until>{date_fr(d.valid_until)}</td>
                    <td data-label=m.total class="num">{format_cents(d.total_cents)}</td>
                    <td data-label=i.t().status data-testid="my-quote-status">{quote_badge(q, d.status)}</td>
                    <td>
                        <button type="button" class="btn btn-secondary btn-small" aria-label=label
                            on:click=move |_| { download.dispatch(pdf.clone()); }
                            data-testid="my-quote-download">{m.download_pdf}</button>
                        {pending}
                    </td>
                </tr>
            }
        });
        view! {
            <section class="card" aria-labelledby="mes-devis" data-testid="my-quotes">
                <h2 id="mes-devis">{q.mine_title}</h2>
                <p class="note">{q.mine_intro}</p>
                <FormError error testid="my-quotes-error"/>
                <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=q.mine_title>
                    <table>
                        <thead><tr>
                            <th scope="col">{m.number}</th>
                            <th scope="col">{m.issue_date}</th>
                            <th scope="col">{q.valid_until}</th>
                            <th scope="col">{m.total}</th>
                            <th scope="col">{i.t().status}</th>
                            <th scope="col"><span class="visually-hidden">{i.t().actions}</span></th>
                        </tr></thead>
                        <tbody>{rows.collect_view()}</tbody>
                    </table>
                </div>
            </section>
        }
    };
    let changed = Callback::new(move |_: ()| version.update(|v| *v += 1));
    // Nothing at all while there is no quote (most bilans are funded by others), nor on a failure.
    view! {
        {move || match quotes.get() {
            Some(Ok(list)) if !list.items.is_empty() => Some(table(list)),
            _ => None,
        }}
        <AcceptDialog open=accept_open quote=chosen changed/>
        <DeclineDialog open=decline_open quote=chosen changed/>
    }
}

/// The beneficiary accepts online: their full name typed, "Bon pour accord" ticked, then confirm.
#[component]
fn AcceptDialog(
    open: RwSignal<bool>,
    quote: RwSignal<Option<Quote>>,
    changed: Callback<()>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let name = RwSignal::new(String::new());
    let agreed = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let local = RwSignal::new(None::<(&'static str, String)>);
    crate::components::effect(move |_| {
        if open.get() {
            error.set(None);
            local.set(None);
            name.set(String::new());
            agreed.set(false);
        }
    });
    let accept = crate::components::act(move |(id, body): &(Uuid, NewAcceptance)| {
        let (id, body) = (*id, body.clone());
        async move {
            error.set(None);
            match api.accept_quote(id, &body).await {
                Ok(_) => {
                    toasts.show(i.t().quotes.accepted_done);
                    open.set(false);
                    changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        if !agreed.get_untracked() {
            return local.set(Some(("agreed", i.t().quotes.agree_required.to_string())));
        }
        local.set(None);
        let Some(id) = quote.with_untracked(|q| q.as_ref().map(|q| q.id)) else {
            return;
        };
        accept.dispatch((
            id,
            NewAcceptance {
                signer_name: name.get_untracked().trim().to_string(),
                signer_role: None,
                signed_on: None,
                agreed: true,
            },
        ));
    };
    let err = move |field: &'static str| field_error_or_local(local, error, field);
    let agreed_error = err("agreed");
    let number = move || quote.with(|q| q.as_ref().map(|q| q.number.clone()).unwrap_or_default());
    let intro = move || {
        let total = quote.with(|q| {
            q.as_ref()
                .map(|q| format_cents(q.total_cents))
                .unwrap_or_default()
        });
        i.t().quotes.accept_intro.replace("{total}", &total)
    };
    view! {
        <Dialog id="accepter-devis" open title=move || i.t().quotes.accept_title.replace("{n}", &number()) testid="accept-dialog">
            <form class="form" novalidate data-testid="accept-form" on:submit=submit>
                <p data-testid="accept-intro">{intro}</p>
                <FormError error testid="accept-error"/>
                <TextField id="accept-name" label=move || i.t().quotes.full_name value=name required=true
                    autocomplete="name" error=err("signer_name") testid="accept-name"/>
                <Checkbox id="accept-agree" label=move || i.t().quotes.agree checked=agreed testid="accept-agree"/>
                {move || agreed_error.get().map(|e| view! { <p class="field-error" role="alert" data-testid="accept-agree-error">{e}</p> })}
                <Button submit=true busy=accept.pending() testid="accept-confirm">{move || i.t().quotes.accept_confirm}</Button>
            </form>
        </Dialog>
    }
}

/// The beneficiary declines a pending quote, saying why.
#[component]
fn DeclineDialog(
    open: RwSignal<bool>,
    quote: RwSignal<Option<Quote>>,
    changed: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let id = Signal::derive(move || quote.with(|q| q.as_ref().map(|q| q.id)));
    let number = move || quote.with(|q| q.as_ref().map(|q| q.number.clone()).unwrap_or_default());
    let done = Callback::new(move |_: ()| {
        open.set(false);
        changed.run(());
    });
    view! {
        <Dialog id="refuser-devis" open title=move || i.t().quotes.refuse_title.replace("{n}", &number()) testid="decline-dialog">
            <DeclineForm id done reset=open/>
        </Dialog>
    }
}

/// The reason and the button that declines (the buyer) or withdraws (the organisation) a quote.
#[component]
pub fn DeclineForm(
    id: Signal<Option<Uuid>>,
    done: Callback<()>,
    #[prop(into)] reset: Signal<bool>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    crate::components::effect(move |_| {
        if reset.get() {
            reason.set(String::new());
            error.set(None);
        }
    });
    let decline = crate::components::act(move |(id, body): &(Uuid, NewDecline)| {
        let (id, body) = (*id, body.clone());
        async move {
            error.set(None);
            match api.decline_quote(id, &body).await {
                Ok(_) => {
                    toasts.show(i.t().quotes.declined_done);
                    done.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        if let Some(id) = id.get_untracked() {
            decline.dispatch((
                id,
                NewDecline {
                    reason: reason.get_untracked().trim().to_string(),
                },
            ));
        }
    };
    view! {
        <form class="form" novalidate data-testid="decline-form" on:submit=submit>
            <p class="hint">{move || i.t().quotes.decline_hint}</p>
            <FormError error testid="decline-error"/>
            <TextArea id="decline-reason" label=move || i.t().quotes.reason value=reason required=true
                error=field_error(error, "reason") testid="decline-reason"/>
            <Button submit=true kind=ButtonKind::Danger busy=decline.pending() testid="decline-submit">
                {move || i.t().quotes.decline_submit}
            </Button>
        </form>
    }
}
