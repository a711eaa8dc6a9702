//! The sessions tab: the held sessions in Paris time, and recording one (consultants).

use boussole_shared::bilans::{NewSession, Phase, SessionKind, SessionMode};
use leptos::prelude::*;
use uuid::Uuid;

use crate::pages::bilans::*;
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::*,
    i18n::use_i18n,
    pages::no_reload,
};

pub fn phase_options() -> Vec<(&'static str, TextProp)> {
    let i = use_i18n();
    Phase::ALL
        .iter()
        .map(|p| {
            let p = *p;
            (p.as_str(), TextProp::from(move || phase_label(i.t(), p)))
        })
        .collect()
}

#[component]
pub fn SessionsPanel(id: Uuid, version: RwSignal<u32>, can_add: bool) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let sessions = crate::components::loader(move || {
        version.track();
        async move { api.bilan_sessions(id).await.map(Data::Sessions) }
    });
    let kind = RwSignal::new(SessionKind::Accompaniment.as_str().to_string());
    let phase = RwSignal::new(Phase::Preliminary.as_str().to_string());
    let mode = RwSignal::new(SessionMode::OnSite.as_str().to_string());
    let (start, end) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (start_err, end_err) = (RwSignal::new(None::<String>), RwSignal::new(None::<String>));
    let error = RwSignal::new(None::<ApiError>);
    let add = crate::components::act(move |_: &()| {
        // Typed in Paris time, stored in UTC; the DST change's missing and doubled hours are refused here.
        let utc = |value: RwSignal<String>, err: RwSignal<Option<String>>| {
            let r = paris_input_to_utc(&value.get_untracked());
            err.set(r.err().map(|e| e.text(i.t()).to_string()));
            r.ok()
        };
        let (s, e) = (utc(start, start_err), utc(end, end_err));
        let body = s.zip(e).map(|(starts_at, ends_at)| NewSession {
            kind: SessionKind::parse(&kind.get_untracked()).unwrap_or(SessionKind::Accompaniment),
            phase: Phase::parse(&phase.get_untracked()).unwrap_or(Phase::Preliminary),
            mode: SessionMode::parse(&mode.get_untracked()).unwrap_or(SessionMode::OnSite),
            starts_at,
            ends_at,
        });
        async move {
            let Some(body) = body else { return };
            error.set(None);
            match api.create_bilan_session(id, &body).await {
                Ok(_) => {
                    toasts.show(i.t().session_added);
                    start.set(String::new());
                    end.set(String::new());
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
    let merged = |local: RwSignal<Option<String>>, name: &'static str| {
        let server = field_error(error, name);
        Signal::derive(move || local.get().or_else(|| server.get()))
    };
    let list = view! {
        <Loaded resource=sessions let:d>
            {match d {
                Data::Sessions(v) if v.is_empty() => {
                    view! { <EmptyState>{i.t().sessions_empty}</EmptyState> }.into_any()
                }
                Data::Sessions(v) => {
                    let t = i.t();
                    let caption = t
                        .bilan_sessions_caption
                        .replace("{n}", &v.len().to_string());
                    let rows = v
                        .into_iter()
                        .map(|s| {
                            (
                                None,
                                vec![
                                    paris_fr(s.starts_at),
                                    paris_fr(s.ends_at),
                                    session_kind_label(t, s.kind).to_string(),
                                    phase_label(t, s.phase).to_string(),
                                    mode_label(t, s.mode).to_string(),
                                    hours(s.minutes),
                                ],
                            )
                        })
                        .collect();
                    view! {
                        <TextTable label=t.tab_sessions caption rows testid="sessions-table" row_testid="session-row"
                            headers=vec![t.session_start, t.bilan_session_end, t.session_kind, t.phase_label, t.session_mode, t.session_minutes]/>
                    }.into_any()
                }
                _ => ().into_any(),
            }}
        </Loaded>
    };
    view! {
        {list}
        {can_add.then(|| view! {
            <section class="card" aria-labelledby="seance-ajout">
                <h2 id="seance-ajout">{move || i.t().session_add}</h2>
                <form class="form" on:submit=submit novalidate data-testid="session-form">
                    <FormError error testid="session-error"/>
                    <SelectField id="session-kind" label=move || i.t().session_kind value=kind testid="session-kind" options=vec![
                        ("accompaniment", (move || i.t().session_kind_accompaniment).into()),
                        ("personal_work", (move || i.t().session_kind_personal_work).into()),
                    ]/>
                    <SelectField id="session-phase" label=move || i.t().phase_label value=phase testid="session-phase" options=phase_options()/>
                    <SelectField id="session-mode" label=move || i.t().session_mode value=mode testid="session-mode" options=vec![
                        ("on_site", (move || i.t().mode_on_site).into()),
                        ("remote", (move || i.t().mode_remote).into()),
                    ]/>
                    <DateTimeField id="session-start" label=move || i.t().session_start value=start
                        error=merged(start_err, "starts_at") testid="session-start"/>
                    <DateTimeField id="session-end" label=move || i.t().bilan_session_end value=end
                        error=merged(end_err, "ends_at") testid="session-end"/>
                    <Button submit=true busy=add.pending() testid="session-submit">{move || i.t().session_submit}</Button>
                </form>
            </section>
        })}
    }
}
