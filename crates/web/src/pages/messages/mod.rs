//! The conversations (issue 14): `/messages`, the caller's threads with their unread counts, and
//! `/messages/:id`, one thread. For beneficiaries and consultants; admins have no entry (a thread is
//! bilan content).

mod thread;

pub use thread::Thread;

use boussole_shared::bilans::PersonRef;
use boussole_shared::messages::ConversationSummary;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::{api::use_api, components::*, dates::paris_fr, i18n::use_i18n, live::use_live};

pub fn names(people: &[PersonRef]) -> String {
    people
        .iter()
        .map(|p| format!("{} {}", p.first_name, p.last_name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `/messages`: the threads, most recent first; the list reloads when the live stream says so.
#[component]
pub fn Inbox() -> impl IntoView {
    let i = use_i18n();
    let api = use_api();
    let live = use_live();
    let list = crate::components::loader(move || {
        live.tick.track();
        async move { api.conversations().await }
    });
    view! {
        <Page title=move || i.t().msg.title help="messages">
            <p>{move || i.t().msg.intro}</p>
            <Loaded resource=list let:data>
                {if data.items.is_empty() {
                    view! { <EmptyState>{move || i.t().msg.empty}</EmptyState> }.into_any()
                } else {
                    view! {
                        <ul class="thread-list" data-testid="thread-list">
                            {data.items.into_iter().map(|t| view! { <ThreadItem t/> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </Loaded>
        </Page>
    }
}

#[component]
fn ThreadItem(t: ConversationSummary) -> impl IntoView {
    let i = use_i18n();
    let who = names(&t.with);
    let unread = t.unread;
    let last = t.last_message_at;
    view! {
        <li class="card thread-item" data-testid="thread-item">
            <A href=format!("/messages/{}", t.id)>
                {move || i.t().msg.with.replace("{names}", &who)}
            </A>
            <p class="thread-meta">
                {move || match last {
                    Some(at) => i.t().msg.last_at.replace("{date}", &paris_fr(at.naive_utc())),
                    None => i.t().msg.no_message.to_string(),
                }}
                " "
                {(unread > 0).then(|| view! {
                    <StatusBadge tone=Tone::Warn label=move || i.t().msg.unread.replace("{n}", &unread.to_string())/>
                })}
            </p>
        </li>
    }
}
