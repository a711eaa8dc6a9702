//! `/admin/messages`: the outbox — every email and SMS, its status and attempts, its text (the
//! development mailbox when no SMTP server is configured), and a retry for the failed ones.

use boussole_shared::{
    Page,
    appointments::{OutboxMessage, OutboxStatus},
};
use leptos::prelude::*;
use uuid::Uuid;

use super::{AData, AResource, action, resource, when};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::paris_fr,
    i18n::{AptStrings, use_i18n},
};

const PER_PAGE: i64 = 50;

fn status_label(t: &AptStrings, s: OutboxStatus) -> &'static str {
    match s {
        OutboxStatus::Pending => t.out_pending,
        OutboxStatus::Sending => t.out_sending,
        OutboxStatus::Sent => t.out_sent,
        OutboxStatus::Failed => t.out_failed,
        OutboxStatus::Cancelled => t.out_cancelled,
    }
}

#[component]
fn OutStatus(status: OutboxStatus) -> impl IntoView {
    let i = use_i18n();
    let tone = match status {
        OutboxStatus::Sent => Tone::Ok,
        OutboxStatus::Cancelled => Tone::Muted,
        _ => Tone::Warn,
    };
    view! { <StatusBadge tone label=move || status_label(i.t().apt, status)/> }
}

/// The list of messages; `read` opens one, `retry` sends a failed one again.
#[component]
fn Table(p: Page<OutboxMessage>, read: Callback<Uuid>, retry: Callback<Uuid>) -> impl IntoView {
    let i = use_i18n();
    let total = p.total;
    let caption = move || i.t().apt.out_caption.replace("{n}", &total.to_string());
    let row = move |m: OutboxMessage| {
        let id = m.id;
        let subject = m.subject.clone();
        let failed = m.status == OutboxStatus::Failed;
        view! {
            <tr data-testid="outbox-row" data-kind=m.kind.clone() data-status=m.status.as_str()>
                <td data-label=move || i.t().created_on>{paris_fr(m.created_at)}</td>
                <td data-label=move || i.t().apt.out_channel>{m.channel.clone()}</td>
                <td class="wrap" data-label=move || i.t().apt.out_recipient>{m.recipient.clone()}</td>
                <th scope="row" class="wrap">{m.subject.clone()}</th>
                <td data-label=move || i.t().status><OutStatus status=m.status/></td>
                <td data-label=move || i.t().apt.out_attempts>{m.attempts}</td>
                <td class="actions">
                    <button type="button" class="btn btn-secondary btn-small" data-testid="outbox-view"
                        aria-label=move || format!("{} : {subject}", i.t().apt.out_view)
                        on:click=move |_| read.run(id)>
                        {move || i.t().apt.out_view}
                    </button>
                    {failed.then(|| view! {
                        <button type="button" class="btn btn-secondary btn-small" data-testid="outbox-retry"
                            on:click=move |_| retry.run(id)>
                            {move || i.t().apt.out_retry}
                        </button>
                    })}
                </td>
            </tr>
        }
    };
    view! {
        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=caption>
            <table class="table-wide" data-testid="outbox-table">
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">{move || i.t().created_on}</th>
                    <th scope="col">{move || i.t().apt.out_channel}</th>
                    <th scope="col">{move || i.t().apt.out_recipient}</th>
                    <th scope="col">{move || i.t().apt.out_subject}</th>
                    <th scope="col">{move || i.t().status}</th>
                    <th scope="col">{move || i.t().apt.out_attempts}</th>
                    <th scope="col">{move || i.t().actions}</th>
                </tr></thead>
                <tbody>{p.items.into_iter().map(row).collect_view()}</tbody>
            </table>
        </div>
    }
}

/// One message: its facts and its text.
#[component]
fn Message(m: OutboxMessage) -> impl IntoView {
    let i = use_i18n();
    let (not_before, sent_at) = (m.not_before, m.sent_at);
    view! {
        <dl class="facts-list">
            <dt>{move || i.t().apt.out_subject}</dt>
            <dd data-testid="outbox-subject">{m.subject}</dd>
            <dt>{move || i.t().apt.out_recipient}</dt>
            <dd>{m.recipient}</dd>
            <dt>{move || i.t().status}</dt>
            <dd><OutStatus status=m.status/></dd>
            <dt>{move || i.t().apt.out_not_before}</dt>
            <dd>{move || when(i.t().apt, not_before)}</dd>
            {sent_at.map(|s| view! {
                <dt>{move || i.t().apt.out_sent_at}</dt>
                <dd>{move || when(i.t().apt, s)}</dd>
            })}
            {m.last_error.map(|e| view! {
                <dt>{move || i.t().apt.out_error}</dt>
                <dd>{e}</dd>
            })}
        </dl>
        {m.has_ics.then(|| view! { <p data-testid="outbox-ics">{move || i.t().apt.out_ics}</p> })}
        <pre class="mail-body" data-testid="outbox-body">{m.body.unwrap_or_default()}</pre>
    }
}

#[component]
pub fn Outbox() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let status = RwSignal::new(String::new());
    let page = RwSignal::new(1_i64);
    crate::components::effect(move |_| {
        status.track();
        page.set(1);
    });
    let list: AResource = resource(move || {
        let (s, p) = (OutboxStatus::parse(&status.get()), page.get());
        async move { api.outbox(p, PER_PAGE, s).await.map(AData::Outbox) }
    });
    let reading = RwSignal::new(None::<Uuid>);
    let open = RwSignal::new(false);
    let msg: AResource = resource(move || {
        let id = reading.get();
        async move {
            match id {
                Some(id) => api.outbox_message(id).await.map(AData::Message),
                None => Ok(AData::People(Vec::new())),
            }
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    let retry = action(move |id: &Uuid| {
        let id = *id;
        async move {
            error.set(None);
            match api.retry_outbox(id).await {
                Ok(_) => {
                    toasts.show(i.t().apt.out_retried);
                    list.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let read = Callback::new(move |id: Uuid| {
        reading.set(Some(id));
        open.set(true);
    });
    let retry = Callback::new(move |id: Uuid| {
        retry.dispatch(id);
    });
    let mut options: Vec<(&'static str, TextProp)> = vec![("", (move || i.t().all).into())];
    options.extend(OutboxStatus::ALL.iter().map(|s| {
        let s = *s;
        (
            s.as_str(),
            TextProp::from(move || status_label(i.t().apt, s)),
        )
    }));
    view! {
        <Page title=move || i.t().apt.out_title help="messages">
            <p>{move || i.t().apt.out_text}</p>
            <div class="filters" role="search">
                <SelectField id="outbox-status" label=move || i.t().status value=status options testid="outbox-status"/>
            </div>
            <FormError error testid="outbox-error"/>
            <Loaded resource=list let:d>
                {match d {
                    AData::Outbox(p) if p.items.is_empty() => {
                        view! { <EmptyState>{move || i.t().apt.out_empty}</EmptyState> }.into_any()
                    }
                    AData::Outbox(p) => {
                        let total = p.total;
                        view! {
                            <Table p read retry/>
                            <Pagination page per_page=PER_PAGE total=Signal::stored(total)/>
                        }
                        .into_any()
                    }
                    _ => ().into_any(),
                }}
            </Loaded>
            <Dialog id="message" open title=move || i.t().apt.out_view testid="outbox-dialog">
                <Loaded resource=msg let:d>
                    {match d {
                        AData::Message(m) => Some(view! { <Message m/> }),
                        _ => None,
                    }}
                </Loaded>
            </Dialog>
        </Page>
    }
}
