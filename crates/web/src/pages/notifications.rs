//! The notification centre (issue 14, item 4): the bell of the header, `/notifications` (the list,
//! newest first, read one or all, each a link to its page) and the preferences table of the profile
//! (kind × channel).

use boussole_shared::notifications::{Notification, NotificationKind, NotificationPreferences};
use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::paris_fr,
    i18n::use_i18n,
    live::use_live,
};

const PER_PAGE: i64 = 20;

/// The bell: a link to `/notifications` whose text (for screen readers) and badge say the unread count,
/// kept by the live stream.
#[component]
pub fn Bell() -> impl IntoView {
    let (i, live) = (use_i18n(), use_live());
    let unread = move || live.notifications.get();
    let label = move || match unread() {
        0 => i.t().notif.bell.to_string(),
        n => i.t().notif.bell_unread.replace("{n}", &n.to_string()),
    };
    view! {
        <a href="/notifications" class="bell" aria-label=label data-testid="notification-bell">
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"/>
            </svg>
            {move || (unread() > 0).then(|| view! {
                <span class="bell-count" aria-hidden="true" data-testid="notification-count">{unread().min(99)}</span>
            })}
        </a>
    }
}

/// `/notifications`: every notification of the caller, reloaded when one arrives live.
#[component]
pub fn Notifications() -> impl IntoView {
    let (i, api, live) = (use_i18n(), use_api(), use_live());
    let page = RwSignal::new(1_i64);
    let unread_only = RwSignal::new(false);
    let version = RwSignal::new(0_u32);
    let error = RwSignal::new(None::<ApiError>);
    let list = crate::components::loader(move || {
        live.notifications.track();
        version.track();
        let (p, unread) = (page.get(), unread_only.get());
        async move { api.notifications(p, PER_PAGE, unread).await }
    });
    // Reading one or all: the count the API answers is the bell's.
    let read = crate::components::act(move |id: &Option<Uuid>| {
        let id = *id;
        async move {
            let r = match id {
                Some(id) => api.read_notification(id).await,
                None => api.read_all_notifications().await,
            };
            match r {
                Ok(s) => {
                    live.notifications.set(s.unread);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    crate::components::effect(move |_| {
        unread_only.track();
        page.set(1);
    });
    let empty = move || {
        let t = i.t().notif;
        if unread_only.get() {
            t.empty_unread
        } else {
            t.empty
        }
    };
    view! {
        <Page title=move || i.t().notif.title help="notifications">
            <p>{move || i.t().notif.intro}</p>
            <div class="toolbar">
                <Checkbox id="notifications-unread" label=move || i.t().notif.unread_only checked=unread_only testid="notifications-unread"/>
                <Button kind=ButtonKind::Secondary busy=read.pending() on_click=move |_| { read.dispatch(None); } testid="notifications-read-all">
                    {move || i.t().notif.read_all}
                </Button>
            </div>
            <FormError error/>
            <Loaded resource=list let:list>
                <Paged list empty=empty page per_page=PER_PAGE children=move |p| view! {
                    <ul class="notification-list" aria-label=i.t().notif.list_label data-testid="notification-list">
                        {p.items.into_iter().map(|n| view! { <Item n read/> }).collect_view()}
                    </ul>
                }/>
            </Loaded>
        </Page>
    }
}

/// One notification: what happened (in the interface's language), about whom or what, when; a link
/// to its page, which marks it read.
#[component]
fn Item(n: Notification, read: Act<Option<Uuid>>) -> impl IntoView {
    let i = use_i18n();
    let (id, kind, unread) = (n.id, n.kind, n.read_at.is_none());
    let subject = n.subject.clone();
    let at = paris_fr(n.created_at);
    view! {
        <li class="card notification" class:unread=unread data-testid="notification" data-kind=kind.as_str()>
            <p class="notification-head">
                <a href=n.link on:click=move |_| if unread { read.dispatch(Some(id)); } data-testid="notification-link">
                    <strong>{move || i.t().notif.kind(kind)}</strong>
                    {subject.map(|s| view! { " · " {s} })}
                </a>
            </p>
            <p class="thread-meta">
                {at} " "
                {unread.then(|| view! {
                    <StatusBadge tone=Tone::Warn label=move || i.t().notif.unread/>
                    " "
                    <Button kind=ButtonKind::Secondary on_click=move |_| { read.dispatch(Some(id)); } testid="notification-read">
                        {move || i.t().notif.mark_read}
                    </Button>
                })}
            </p>
        </li>
    }
}

/// The profile's table of channels per kind; SMS only once a mobile is opted in.
#[component]
pub fn Preferences() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let prefs = RwSignal::new(None::<NotificationPreferences>);
    let error = RwSignal::new(None::<ApiError>);
    let loaded = crate::components::loader(move || async move {
        let r = api.notification_preferences().await;
        if let Ok(p) = &r {
            prefs.set(Some(p.clone()));
        }
        r.map(|_| ())
    });
    let save = crate::components::act(move |_: &()| {
        let body = prefs.get_untracked();
        async move {
            error.set(None);
            let Some(body) = body else { return };
            match api.put_notification_preferences(&body).await {
                Ok(p) => {
                    prefs.set(Some(p));
                    toasts.show(i.t().notif.prefs_saved);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let sms_available = move || prefs.with(|p| p.as_ref().is_some_and(|p| p.sms_available));
    // One checkbox of the table: `channel` 0 in app, 1 email, 2 SMS.
    let cell = move |row: usize, kind: NotificationKind, channel: usize| {
        let checked = move || {
            prefs.with(|p| {
                p.as_ref()
                    .and_then(|p| p.items.get(row))
                    .is_some_and(|x| [x.in_app, x.email, x.sms][channel])
            })
        };
        let toggle = move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            prefs.update(|p| {
                if let Some(x) = p.as_mut().and_then(|p| p.items.get_mut(row)) {
                    *[&mut x.in_app, &mut x.email, &mut x.sms][channel] = on;
                }
            });
        };
        let col = move || {
            let t = i.t().notif;
            [t.col_in_app, t.col_email, t.col_sms][channel]
        };
        let label = move || format!("{} — {}", i.t().notif.kind(kind), col());
        let key = ["in_app", "email", "sms"][channel];
        view! {
            <td data-label=col>
                <input type="checkbox" aria-label=label prop:checked=checked on:change=toggle
                    disabled=move || channel == 2 && !sms_available() data-testid=format!("pref-{key}")/>
            </td>
        }
    };
    view! {
        <section class="card" aria-labelledby="prefs-title">
            <h2 id="prefs-title">{move || i.t().notif.prefs_title}</h2>
            <p class="note">{move || i.t().notif.prefs_intro}</p>
            <FormError error/>
            <Loaded resource=loaded let:_done>
                {move || (!sms_available()).then(|| view! { <p class="hint" data-testid="prefs-sms-unavailable">{i.t().notif.sms_unavailable}</p> })}
                <div class="table-wrap" tabindex="0" role="region" aria-label=i.t().notif.prefs_caption>
                    <table data-testid="prefs-table">
                        <caption>{i.t().notif.prefs_caption}</caption>
                        <thead><tr>
                            <th scope="col">{i.t().notif.col_kind}</th>
                            <th scope="col">{i.t().notif.col_in_app}</th>
                            <th scope="col">{i.t().notif.col_email}</th>
                            <th scope="col">{i.t().notif.col_sms}</th>
                        </tr></thead>
                        <tbody>
                            {prefs.with_untracked(|p| p.as_ref().map(|p| p.items.iter().map(|x| x.kind).collect::<Vec<_>>()).unwrap_or_default())
                                .into_iter().enumerate().map(|(row, kind)| view! {
                                    <tr data-testid="pref-row" data-kind=kind.as_str()>
                                        <th scope="row">{move || i.t().notif.kind(kind)}</th>
                                        {cell(row, kind, 0)}{cell(row, kind, 1)}{cell(row, kind, 2)}
                                    </tr>
                                }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Button busy=save.pending() on_click=move |_| { save.dispatch(()); } testid="prefs-save">{move || i.t().notif.prefs_save}</Button>
            </Loaded>
        </section>
    }
}
