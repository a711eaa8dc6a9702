//! `/messages/:id`: one thread, oldest first, the composer under it. Its messages reload when the live
//! stream reports a change in this thread; what the caller sees is marked read. In a bilan's thread a
//! file can be attached: it is uploaded to the bilan's documents first (with its progress), then the
//! message is sent with its id, and shows as a download link.

use boussole_shared::bilans::BilanFile;
use boussole_shared::messages::{Message, NewMessage};
use chrono::Utc;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::{
    api::{ApiError, Progress, use_api},
    components::*,
    dates::paris_fr,
    i18n::use_i18n,
    live::use_live,
    pages::{no_reload, projection::local_error, save_file},
};

/// The bilan of the thread (none for a thread between colleagues) and its documents, for the
/// attachments' names.
#[derive(Clone, Default)]
struct Attachments {
    bilan: Option<Uuid>,
    files: Vec<BilanFile>,
}

type AttachmentsResource = Loader<Result<Attachments, ApiError>>;

/// Messages per page: the newest come first from the API.
const PER_PAGE: i64 = 50;

#[component]
pub fn Thread() -> impl IntoView {
    let i = use_i18n();
    let role = use_api()
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.role));
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    view! {
        <Page title=move || i.t().msg.thread_title help=super::help_section(role)>
            <p><a href="/messages">{move || i.t().msg.back}</a></p>
            {match id {
                Some(id) => view! { <ThreadBody id/> }.into_any(),
                None => view! { <p>{move || i.t().not_found_text}</p> }.into_any(),
            }}
        </Page>
    }
}

#[component]
fn ThreadBody(id: Uuid) -> impl IntoView {
    let i = use_i18n();
    let api = use_api();
    let live = use_live();
    let me = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id));
    let reload = RwSignal::new(0_u32);
    let pages = RwSignal::new(1_i64);
    let announce = RwSignal::new(String::new());
    // A change in this thread, seen live: reload, and tell a screen reader when someone else wrote.
    crate::components::effect(move |first_run: Option<()>| {
        // The event already there when the page opens is not news.
        if let Some(e) = live.last.get()
            && e.conversation_id == id
            && first_run.is_some()
        {
            reload.update(|r| *r += 1);
            announce.set(i.t().msg.arrived.to_string());
        }
    });
    let messages = crate::components::loader(move || {
        reload.track();
        let n = pages.get();
        async move {
            let mut all: Vec<Message> = Vec::new();
            let mut total = 0;
            for page in 1..=n {
                let p = api.messages(id, page, PER_PAGE).await?;
                total = p.total;
                all.extend(p.items);
            }
            all.reverse();
            Ok::<_, ApiError>((all, total))
        }
    });
    let attachments: AttachmentsResource = crate::components::loader(move || {
        reload.track();
        async move {
            let list = api.conversations().await?;
            let bilan = list
                .items
                .into_iter()
                .find(|c| c.id == id)
                .and_then(|c| super::bilan_of(&c));
            let files = match bilan {
                Some(b) => api.bilan_files(b).await?,
                None => Vec::new(),
            };
            Ok(Attachments { bilan, files })
        }
    });
    // What is shown is read: a receipt up to the newest message, once per newest message.
    let marked = StoredValue::new(None::<Uuid>);
    crate::components::effect(move |_| {
        let newest = messages
            .get()
            .and_then(|r| r.ok())
            .and_then(|(all, _)| all.last().map(|m| m.id));
        if let Some(newest) = newest
            && marked.get_value() != Some(newest)
        {
            marked.set_value(Some(newest));
            leptos::task::spawn_local(async move {
                if let Ok(c) = api.mark_read(id, newest).await {
                    live.total.set(c.total_unread);
                }
            });
        }
    });
    view! {
        <p class="visually-hidden" role="status" aria-live="polite">{move || announce.get()}</p>
        <Loaded resource=messages let:data>
            {
                let (all, total) = data;
                let more = (all.len() as i64) < total;
                view! {
                    {more.then(|| view! {
                        <Button kind=ButtonKind::Secondary on_click=Callback::new(move |()| pages.update(|p| *p += 1)) testid="older-messages">
                            {move || i.t().msg.older}
                        </Button>
                    })}
                    {if all.is_empty() {
                        view! { <EmptyState>{move || i.t().msg.thread_empty}</EmptyState> }.into_any()
                    } else {
                        view! {
                            <ol class="messages" aria-label=move || i.t().msg.list_label data-testid="messages">
                                {all.into_iter().map(|m| view! { <Bubble m me reload attachments/> }).collect_view()}
                            </ol>
                        }
                        .into_any()
                    }}
                }
            }
        </Loaded>
        <Composer id reload attachments/>
    }
}

/// One message; its author may edit or withdraw it while the window is open.
#[component]
fn Bubble(
    m: Message,
    me: Option<Uuid>,
    reload: RwSignal<u32>,
    attachments: AttachmentsResource,
) -> impl IntoView {
    let i = use_i18n();
    let api = use_api();
    let mine = Some(m.author.id) == me;
    let author = format!("{} {}", m.author.first_name, m.author.last_name);
    let editable = mine && m.withdrawn_at.is_none() && Utc::now() < m.editable_until;
    let editing = RwSignal::new(false);
    let text = RwSignal::new(m.body.clone().unwrap_or_default());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let mid = m.id;
    let save = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        let body = text.get_untracked();
        if body.trim().is_empty() {
            error.set(Some(local_error("body", i.t().msg.empty_body)));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api.edit_message(mid, body).await {
                Ok(_) => {
                    editing.set(false);
                    reload.update(|r| *r += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let withdraw = Callback::new(move |()| {
        leptos::task::spawn_local(async move {
            match api.withdraw_message(mid).await {
                Ok(_) => reload.update(|r| *r += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let body = m.body.clone();
    let at = paris_fr(m.created_at.naive_utc());
    let edited = m.edited_at.is_some();
    let read = mine && m.read_by_others;
    let field_id = format!("edit-{mid}");
    view! {
        <li class="message" class:mine=mine data-testid="message">
            <p class="message-head">
                <strong>{move || if mine { i.t().msg.you.to_string() } else { author.clone() }}</strong>
                " · " {at.clone()}
                {edited.then(|| view! { " · " {move || i.t().msg.edited} })}
                {read.then(|| view! { " · " <span data-testid="message-read">{move || i.t().msg.read}</span> })}
            </p>
            {move || match (&body, editing.get()) {
                (None, _) => view! { <p class="message-withdrawn">{move || i.t().msg.withdrawn}</p> }.into_any(),
                (Some(_), true) => view! {
                    <form on:submit=save novalidate>
                        <label class="visually-hidden" for=field_id.clone()>{move || i.t().msg.edit}</label>
                        <textarea id=field_id.clone() rows="3" maxlength="10000"
                            prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                        <Button submit=true busy>{move || i.t().msg.save}</Button>
                        " "
                        <Button kind=ButtonKind::Secondary on_click=Callback::new(move |()| editing.set(false))>{move || i.t().msg.cancel}</Button>
                    </form>
                }.into_any(),
                (Some(b), false) => view! { <p class="message-body" data-testid="message-body">{b.clone()}</p> }.into_any(),
            }}
            {m.attachment_id.filter(|_| m.withdrawn_at.is_none()).map(|file| view! { <AttachmentLink file attachments error/> })}
            <FormError error testid="message-error"/>
            {editable.then(|| view! {
                <p class="message-actions">
                    <Button kind=ButtonKind::Secondary on_click=Callback::new(move |()| editing.set(true)) testid="edit-message">{move || i.t().msg.edit}</Button>
                    " "
                    <Button kind=ButtonKind::Secondary on_click=withdraw testid="withdraw-message">{move || i.t().msg.withdraw}</Button>
                </p>
            })}
        </li>
    }
}

/// A message's attachment: a button that downloads it (the request needs the session's token).
#[component]
fn AttachmentLink(
    file: Uuid,
    attachments: AttachmentsResource,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let found = move || {
        attachments.get().and_then(Result::ok).map(|a| {
            let f = a.files.into_iter().find(|f| f.id == file);
            (a.bilan, f)
        })
    };
    let download = Callback::new(move |()| {
        let Some((Some(bilan), f)) = found() else {
            return;
        };
        leptos::task::spawn_local(async move {
            match api.bilan_file(bilan, file).await {
                Ok(d) => {
                    let (mime, name) = match &f {
                        Some(f) => (f.content_type.as_str(), f.name.clone()),
                        None => (
                            "application/octet-stream",
                            d.name.clone().unwrap_or_default(),
                        ),
                    };
                    save_file(&d.bytes, mime, &name);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let label = move || match found() {
        Some((_, Some(f))) => format!("{} : {}", i.t().msg.attachment, f.name),
        _ => i.t().msg.attachment.to_string(),
    };
    view! {
        <p class="message-attachment">
            <Button kind=ButtonKind::Secondary on_click=download testid="message-attachment">{label}</Button>
        </p>
    }
}

/// The composer: an empty message is refused here, the rest by the API. With a file attached and no
/// text, the message says which file it carries.
#[component]
fn Composer(id: Uuid, reload: RwSignal<u32>, attachments: AttachmentsResource) -> impl IntoView {
    let i = use_i18n();
    let api = use_api();
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let attached = RwSignal::new(None::<BilanFile>);
    let progress: Progress = RwSignal::new(None);
    let bilan = move || attachments.get().and_then(Result::ok).and_then(|a| a.bilan);
    let file_ref = NodeRef::<leptos::html::Input>::new();
    let on_file = move |_| {
        let (Some(bilan), Some(input)) = (bilan(), file_ref.get_untracked()) else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api.upload_bilan_file(bilan, &file, progress).await {
                Ok(f) => attached.set(Some(f)),
                Err(e) => error.set(Some(e)),
            }
            input.set_value("");
            busy.set(false);
        });
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        let file = attached.get_untracked();
        let mut text = body.get_untracked();
        if text.trim().is_empty() {
            match &file {
                Some(f) => text = i.t().msg.attachment_body.replace("{name}", &f.name),
                None => {
                    error.set(Some(local_error("body", i.t().msg.empty_body)));
                    return;
                }
            }
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let new = NewMessage {
                body: text,
                attachment_id: file.map(|f| f.id),
            };
            match api.send_message(id, &new).await {
                Ok(_) => {
                    body.set(String::new());
                    attached.set(None);
                    reload.update(|r| *r += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let field_error =
        Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.field("body"))));
    view! {
        <form class="composer card" on:submit=send novalidate>
            <TextArea id="message-body" label=move || i.t().msg.composer value=body required=true
                hint=move || i.t().msg.composer_hint error=field_error testid="message-body-input"/>
            <Show when=move || bilan().is_some()>
                <div class="field">
                    <label for="message-file">{move || i.t().msg.attach}</label>
                    <p class="hint" id="message-file-aide">{move || i.t().msg.attach_hint}</p>
                    <input id="message-file" type="file" node_ref=file_ref aria-describedby="message-file-aide"
                        disabled=move || busy.get() on:change=on_file data-testid="message-file"/>
                </div>
            </Show>
            <UploadProgress progress/>
            {move || attached.get().map(|f| view! {
                <p data-testid="message-attached">
                    {i.t().msg.attached.replace("{name}", &f.name)} " "
                    <Button kind=ButtonKind::Secondary on_click=Callback::new(move |()| attached.set(None))>
                        {move || i.t().msg.remove_attachment}
                    </Button>
                </p>
            })}
            <FormError error/>
            <Button submit=true busy testid="send-message">{move || i.t().msg.send}</Button>
        </form>
    }
}
