//! The notes tab (consultants only): the bilan's notes and writing one, about a phase or a session.

use boussole_shared::bilans::{BilanSession, NewNote, Note, Phase};
use leptos::prelude::*;
use uuid::Uuid;

use super::sessions::phase_options;
use crate::pages::bilans::*;
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::*,
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn NotesPanel(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let notes = crate::components::loader(move || {
        version.track();
        async move { api.notes(id).await.map(Data::Notes) }
    });
    // The sessions, for the picker and to say which session a note is about.
    let sessions = crate::components::loader(move || {
        version.track();
        async move { api.bilan_sessions(id).await.map(Data::Sessions) }
    });
    let session_list = move || match sessions.get() {
        Some(Ok(Data::Sessions(v))) => v,
        _ => Vec::new(),
    };
    let session = RwSignal::new(String::new());
    let session_options = Signal::derive(move || {
        let t = i.t();
        let mut v = vec![(String::new(), t.note_no_session.to_string())];
        v.extend(
            session_list()
                .iter()
                .map(|s| (s.id.to_string(), session_label(t, s))),
        );
        v
    });
    let phase = RwSignal::new(Phase::Preliminary.as_str().to_string());
    // A note about a session is about that session's phase: picking one sets the phase.
    crate::components::effect(move |_| {
        let picked = session.get();
        let found = session_list()
            .into_iter()
            .find(|s| s.id.to_string() == picked);
        if let Some(s) = found {
            phase.set(s.phase.as_str().to_string());
        }
    });
    let body = RwSignal::new(String::new());
    let shared = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let add = crate::components::act(move |_: &()| {
        let n = NewNote {
            phase: Phase::parse(&phase.get_untracked()).unwrap_or(Phase::Preliminary),
            session_id: Uuid::parse_str(&session.get_untracked()).ok(),
            body: body.get_untracked().trim().to_string(),
            shared_with_beneficiary: shared.get_untracked(),
        };
        async move {
            error.set(None);
            match api.create_note(id, &n).await {
                Ok(_) => {
                    toasts.show(i.t().note_added);
                    body.set(String::new());
                    shared.set(false);
                    session.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        add.dispatch(());
    };
    view! {
        <Loaded resource=notes let:d>
            {match d {
                Data::Notes(v) => view! { <NoteList notes=v sessions=session_list()/> }.into_any(),
                _ => ().into_any(),
            }}
        </Loaded>
        <section class="card" aria-labelledby="note-ajout">
            <h2 id="note-ajout">{move || i.t().note_add}</h2>
            <form class="form" on:submit=submit novalidate data-testid="note-form">
                <FormError error testid="note-error"/>
                <ChoiceField id="note-session" label=move || i.t().note_session value=session
                    options=session_options error=field_error(error, "session_id") testid="note-session"/>
                <SelectField id="note-phase" label=move || i.t().phase_label value=phase testid="note-phase" options=phase_options()/>
                <TextArea id="note-body" label=move || i.t().note_body value=body required=true
                    error=field_error(error, "body") testid="note-body"/>
                <Checkbox id="note-shared" label=move || i.t().note_shared checked=shared testid="note-shared"/>
                <Button submit=true busy=add.pending() testid="note-submit">{move || i.t().note_submit}</Button>
            </form>
        </section>
    }
}

/// A session as one line, in Paris time: "12/03/2026 09:00–11:30 · Accompagnement · Phase préliminaire".
pub fn session_label(t: &crate::i18n::Strings, s: &BilanSession) -> String {
    format!(
        "{}–{} · {} · {}",
        paris_fr(s.starts_at),
        paris_hm(s.ends_at),
        session_kind_label(t, s.kind),
        phase_label(t, s.phase)
    )
}

/// Notes as articles, newest first as the API gives them; also used on the beneficiary's home.
/// With `sessions`, a note about one of them says which.
#[component]
pub fn NoteList(notes: Vec<Note>, #[prop(optional)] sessions: Vec<BilanSession>) -> impl IntoView {
    let i = use_i18n();
    let t = i.t();
    if notes.is_empty() {
        return view! { <EmptyState>{t.notes_empty}</EmptyState> }.into_any();
    }
    view! {
        <ul class="notes" data-testid="notes-list">
            {notes.into_iter().map(|n| view! {
                <li class="note-item card" data-testid="note-item">
                    <p class="note">
                        {t.note_meta.replace("{phase}", phase_label(t, n.phase)).replace("{date}", &paris_fr(n.created_at))}
                        {n.session_id.and_then(|id| sessions.iter().find(|s| s.id == id)).map(|s| {
                            format!(" · {}", t.note_about_session.replace("{date}", &paris_fr(s.starts_at)))
                        })}
                        " "
                        {if n.shared_with_beneficiary {
                            view! { <StatusBadge tone=Tone::Ok label=t.note_shared_badge/> }
                        } else {
                            view! { <StatusBadge tone=Tone::Muted label=t.note_private_badge/> }
                        }}
                    </p>
                    <p class="note-body">{n.body}</p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
