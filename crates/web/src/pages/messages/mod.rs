//! The conversations (issue 14): `/messages`, the caller's threads with their unread counts, and
//! `/messages/:id`, one thread. A bilan's thread is for its beneficiary and consultants; staff also
//! open direct threads with a colleague ("Nouvelle conversation"). Admins see only the latter.

mod thread;

pub use thread::Thread;

use boussole_shared::bilans::PersonRef;
use boussole_shared::messages::{ConversationKind, ConversationSummary};
use boussole_shared::users::Role;
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};

use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::paris_fr,
    i18n::use_i18n,
    live::use_live,
    pages::no_reload,
};

/// The guide's section of the messages pages: the admins' "messages" is the outbox.
pub fn help_section(role: Option<Role>) -> &'static str {
    match role {
        Some(Role::Admin) => "conversations",
        _ => "messages",
    }
}

/// The bilan a thread belongs to (none: a thread between colleagues).
pub fn bilan_of(c: &ConversationSummary) -> Option<uuid::Uuid> {
    c.bilan_id
}

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
    let role = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.role));
    let staff = role.is_some_and(|r| r != Role::Beneficiary);
    view! {
        <Page title=move || i.t().msg.title help=help_section(role)>
            <p>{move || i.t().msg.intro}</p>
            {staff.then(|| view! { <NewConversation/> })}
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
    let direct = t.kind == ConversationKind::Direct;
    view! {
        <li class="card thread-item" data-testid="thread-item">
            <A href=format!("/messages/{}", t.id)>
                {move || i.t().msg.with.replace("{names}", &who)}
            </A>
            {direct.then(|| view! { " " <StatusBadge tone=Tone::Muted label=move || i.t().msg.direct/> })}
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

/// "Nouvelle conversation": the thread with a colleague (opened again when it exists).
#[component]
fn NewConversation() -> impl IntoView {
    let (i, api, navigate) = (use_i18n(), use_api(), use_navigate());
    let chosen = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let contacts = crate::components::loader(move || async move { api.contacts().await });
    let options = Signal::derive(move || {
        let mut o = vec![(String::new(), i.t().msg.choose_colleague.to_string())];
        if let Some(Ok(people)) = contacts.get() {
            o.extend(
                people
                    .iter()
                    .map(|p| (p.id.to_string(), names(std::slice::from_ref(p)))),
            );
        }
        o
    });
    let open = crate::components::act(move |with: &uuid::Uuid| {
        let (with, navigate) = (*with, navigate.clone());
        async move {
            error.set(None);
            match api.direct_conversation(with).await {
                Ok(c) => navigate(&format!("/messages/{}", c.id), Default::default()),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        match uuid::Uuid::parse_str(&chosen.get_untracked()) {
            Ok(with) => {
                open.dispatch(with);
            }
            Err(_) => error.set(Some(crate::pages::projection::local_error(
                "with",
                i.t().msg.choose_colleague,
            ))),
        }
    };
    view! {
        <details class="card new-conversation" data-testid="new-conversation">
            <summary>{move || i.t().msg.new_conversation}</summary>
            <form class="form" novalidate on:submit=submit>
                <FormError error/>
                <ChoiceField id="conversation-with" label=move || i.t().msg.colleague value=chosen options required=true
                    error=crate::components::field_error(error, "with") testid="conversation-with"/>
                {move || matches!(contacts.get(), Some(Ok(p)) if p.is_empty())
                    .then(|| view! { <p class="hint">{i.t().msg.no_colleague}</p> })}
                <Button submit=true busy=open.pending() testid="conversation-start">{move || i.t().msg.start}</Button>
            </form>
        </details>
    }
}
