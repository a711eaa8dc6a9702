//! `/admin/messages`: the outbox — every email and SMS, its status and attempts, its text (the
//! development mailbox when no SMTP server is configured), and a retry for the failed ones.

use boussole_shared::appointments::{OutboxMessage, OutboxStatus};
use leptos::prelude::*;
use uuid::Uuid;

use super::{
    AData, AResource, action,
    html::{badge, clicked, esc, loaded},
    resource, when,
};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::paris_fr,
    i18n::{AptStrings, Strings, use_i18n},
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

fn status_badge(t: &AptStrings, s: OutboxStatus) -> String {
    let tone = match s {
        OutboxStatus::Sent => "ok",
        OutboxStatus::Cancelled => "muted",
        _ => "warn",
    };
    badge(tone, status_label(t, s))
}

fn row(t: &AptStrings, m: &OutboxMessage) -> String {
    let retry = if m.status == OutboxStatus::Failed {
        format!(
            r#"<button type="button" class="btn btn-secondary btn-small" data-retry="{}" data-testid="outbox-retry">{}</button>"#,
            m.id, t.out_retry
        )
    } else {
        String::new()
    };
    format!(
        r#"<tr data-testid="outbox-row" data-kind="{}" data-status="{}"><td>{}</td><td>{}</td><td class="wrap">{}</td><th scope="row" class="wrap">{}</th><td>{}</td><td>{}</td><td class="actions"><button type="button" class="btn btn-secondary btn-small" data-read="{}" aria-label="{} : {}" data-testid="outbox-view">{}</button>{retry}</td></tr>"#,
        esc(&m.kind),
        m.status.as_str(),
        paris_fr(m.created_at),
        esc(&m.channel),
        esc(&m.recipient),
        esc(&m.subject),
        status_badge(t, m.status),
        m.attempts,
        m.id,
        t.out_view,
        esc(&m.subject),
        t.out_view
    )
}

fn table(t: &Strings, items: &[OutboxMessage], total: i64) -> String {
    let a = t.apt;
    if items.is_empty() {
        return format!(r#"<div class="empty-state">{}</div>"#, a.out_empty);
    }
    let caption = a.out_caption.replace("{n}", &total.to_string());
    let rows: String = items.iter().map(|m| row(a, m)).collect();
    format!(
        r#"<div class="table-wrap" tabindex="0" role="region" aria-label="{caption}"><table class="table-wide" data-testid="outbox-table"><caption>{caption}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{rows}</tbody></table></div>"#,
        t.created_on,
        a.out_channel,
        a.out_recipient,
        a.out_subject,
        t.status,
        a.out_attempts,
        t.actions
    )
}

fn message(t: &Strings, m: &OutboxMessage) -> String {
    let a = t.apt;
    let mut facts = format!(
        r#"<dt>{}</dt><dd data-testid="outbox-subject">{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>"#,
        a.out_subject,
        esc(&m.subject),
        a.out_recipient,
        esc(&m.recipient),
        t.status,
        status_badge(a, m.status),
        a.out_not_before,
        when(a, m.not_before)
    );
    if let Some(s) = m.sent_at {
        facts += &format!("<dt>{}</dt><dd>{}</dd>", a.out_sent_at, when(a, s));
    }
    if let Some(e) = &m.last_error {
        facts += &format!("<dt>{}</dt><dd>{}</dd>", a.out_error, esc(e));
    }
    let ics = if m.has_ics {
        format!(r#"<p data-testid="outbox-ics">{}</p>"#, a.out_ics)
    } else {
        String::new()
    };
    format!(
        r#"<dl class="facts-list">{facts}</dl>{ics}<pre class="mail-body" data-testid="outbox-body">{}</pre>"#,
        esc(m.body.as_deref().unwrap_or_default())
    )
}

#[component]
pub fn Outbox() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let status = RwSignal::new(String::new());
    let page = RwSignal::new(1_i64);
    Effect::new(move || {
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
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let id = |name| clicked(&ev, name).and_then(|s| Uuid::parse_str(&s).ok());
        if let Some(id) = id("data-read") {
            reading.set(Some(id));
            open.set(true);
        } else if let Some(id) = id("data-retry") {
            retry.dispatch(id);
        }
    };
    let mut options: Vec<(&'static str, TextProp)> = vec![("", (move || i.t().all).into())];
    options.extend(OutboxStatus::ALL.iter().map(|s| {
        let s = *s;
        (
            s.as_str(),
            TextProp::from(move || status_label(i.t().apt, s)),
        )
    }));
    let total = Signal::derive(move || {
        list.with(|r| match r {
            Some(Ok(AData::Outbox(p))) => p.total,
            _ => 0,
        })
    });
    let html = move || {
        let t = i.t();
        loaded(t, list.get(), |d| match d {
            AData::Outbox(p) => table(t, &p.items, p.total),
            _ => String::new(),
        })
    };
    let body = move || {
        let t = i.t();
        loaded(t, msg.get(), |d| match d {
            AData::Message(m) => message(t, &m),
            _ => String::new(),
        })
    };
    view! {
        <Page title=move || i.t().apt.out_title>
            <p>{move || i.t().apt.out_text}</p>
            <div class="filters" role="search">
                <SelectField id="outbox-status" label=move || i.t().status value=status options testid="outbox-status"/>
            </div>
            <FormError error testid="outbox-error"/>
            <div inner_html=html on:click=on_click></div>
            <Pagination page per_page=PER_PAGE total/>
            <Dialog id="message" open title=move || i.t().apt.out_view testid="outbox-dialog">
                <div inner_html=body></div>
            </Dialog>
        </Page>
    }
}
