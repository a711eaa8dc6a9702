//! `/bilans/:id`: a bilan's file, in tabs. Consultants see and record everything; admins see the
//! administrative facts only (the notes tab does not exist for them, and the API refuses them anyway).

use boussole_shared::{
    bilans::{
        Bilan, BilanStatus, FactKind, NewFact, NewNote, NewSession, Phase, SessionKind,
        SessionMode, TimelineEvent, TransitionRequest,
    },
    users::Role,
};
use chrono::{NaiveDate, NaiveDateTime};
use leptos::{ev::KeyboardEvent, prelude::*};
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::*;
use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::{Strings, use_i18n},
    pages::no_reload,
};

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Summary,
    Timeline,
    Sessions,
    Facts,
    Notes,
    Consents,
}

impl Tab {
    fn key(self) -> &'static str {
        match self {
            Tab::Summary => "resume",
            Tab::Timeline => "historique",
            Tab::Sessions => "seances",
            Tab::Facts => "faits",
            Tab::Notes => "notes",
            Tab::Consents => "consentements",
        }
    }

    fn tab_id(self) -> &'static str {
        match self {
            Tab::Summary => "onglet-resume",
            Tab::Timeline => "onglet-historique",
            Tab::Sessions => "onglet-seances",
            Tab::Facts => "onglet-faits",
            Tab::Notes => "onglet-notes",
            Tab::Consents => "onglet-consentements",
        }
    }

    fn label(self, t: &Strings) -> &'static str {
        match self {
            Tab::Summary => t.tab_summary,
            Tab::Timeline => t.tab_timeline,
            Tab::Sessions => t.tab_sessions,
            Tab::Facts => t.tab_facts,
            Tab::Notes => t.tab_notes,
            Tab::Consents => t.tab_consents,
        }
    }
}

/// Today in UTC, as the date inputs want it.
fn today() -> String {
    chrono::Utc::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// A date input's value, `YYYY-MM-DD` (parsed by hand: chrono's format parser weighs on the wasm).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.trim().splitn(3, '-').map(str::parse::<u32>);
    let (y, m, d) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// A `datetime-local` value, `YYYY-MM-DDTHH:MM` with optional seconds.
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let (date, time) = s.trim().split_once('T')?;
    let mut parts = time.splitn(3, ':').map(str::parse::<u32>);
    let (h, m) = (parts.next()?.ok()?, parts.next()?.ok()?);
    let sec = match parts.next() {
        Some(sec) => sec.ok()?,
        None => 0,
    };
    parse_date(date)?.and_hms_opt(h, m, sec)
}

fn date_fr(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn datetime_fr(d: NaiveDateTime) -> String {
    d.format("%d/%m/%Y %H:%M").to_string()
}

#[component]
pub fn BilanFile() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let role = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.role));
    let is_admin = role == Some(Role::Admin);
    let version = RwSignal::new(0_u32);
    let loaded = LocalResource::new(move || {
        version.track();
        async move {
            match id {
                Some(id) => api.bilan(id).await.map(Data::Bilan),
                None => Err(ApiError::Unexpected(404)),
            }
        }
    });
    let bilan = Memo::new(move |_| match loaded.get() {
        Some(Ok(Data::Bilan(b))) => Some(b),
        _ => None,
    });
    let title = move || match bilan.get() {
        Some(b) => i
            .t()
            .bilan_file_title
            .replace("{name}", &person(&b.beneficiary)),
        None => i.t().nav_bilans.to_string(),
    };
    let back = if is_admin {
        "/admin/bilans"
    } else {
        "/consultant"
    };
    let tabs: Vec<Tab> = if is_admin {
        vec![
            Tab::Summary,
            Tab::Timeline,
            Tab::Sessions,
            Tab::Facts,
            Tab::Consents,
        ]
    } else {
        vec![
            Tab::Summary,
            Tab::Timeline,
            Tab::Sessions,
            Tab::Facts,
            Tab::Notes,
            Tab::Consents,
        ]
    };
    let tab = RwSignal::new(Tab::Summary);
    let tabs_for_keys = tabs.clone();
    let on_key = move |ev: KeyboardEvent| {
        let n = tabs_for_keys.len();
        let Some(pos) = tabs_for_keys.iter().position(|t| *t == tab.get_untracked()) else {
            return;
        };
        let to = match ev.key().as_str() {
            "ArrowRight" => (pos + 1) % n,
            "ArrowLeft" => (pos + n - 1) % n,
            "Home" => 0,
            "End" => n - 1,
            _ => return,
        };
        ev.prevent_default();
        if let Some(t) = tabs_for_keys.get(to) {
            tab.set(*t);
            focus_later(t.tab_id());
        }
    };
    let Some(id) = id else {
        return view! {
            <Page title=move || i.t().not_found_title>
                <p>{move || i.t().not_found_text}</p>
            </Page>
        }
        .into_any();
    };
    view! {
        <Page title>
            <p><a href=back data-testid="bilan-back">{move || i.t().back_to_list}</a></p>
            {is_admin.then(|| view! { <p class="notice" data-testid="admin-no-content">{move || i.t().admin_no_content}</p> })}
            {move || match loaded.get() {
                Some(Err(e)) => Some(view! { <p class="form-error" role="alert">{e.message(i.t(), &[])}</p> }),
                _ => None,
            }}
            <Show when=move || bilan.with(Option::is_some) fallback=|| view! { <Loading/> }>
                <div class="tabs" role="tablist" aria-label=move || i.t().tabs_label on:keydown=on_key.clone()>
                    {tabs
                        .iter()
                        .map(|t| {
                            let t = *t;
                            let selected = move || tab.get() == t;
                            view! {
                                <button
                                    type="button"
                                    role="tab"
                                    class="tab"
                                    id=t.tab_id()
                                    aria-selected=move || if selected() { "true" } else { "false" }
                                    aria-controls=format!("panneau-{}", t.key())
                                    tabindex=move || if selected() { "0" } else { "-1" }
                                    on:click=move |_| tab.set(t)
                                    data-testid=format!("tab-{}", t.key())
                                >
                                    {move || t.label(i.t())}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                {move || {
                    let t = tab.get();
                    let panel = match t {
                        Tab::Summary => view! { <Summary bilan id version/> }.into_any(),
                        Tab::Timeline => view! { <TimelinePanel id version/> }.into_any(),
                        Tab::Sessions => view! { <SessionsPanel id version can_add=!is_admin/> }.into_any(),
                        Tab::Facts => view! { <FactsPanel id version/> }.into_any(),
                        Tab::Notes => view! { <NotesPanel id version/> }.into_any(),
                        Tab::Consents => view! { <ConsentsPanel id version/> }.into_any(),
                    };
                    view! {
                        <div
                            class="tab-panel"
                            role="tabpanel"
                            id=format!("panneau-{}", t.key())
                            aria-labelledby=t.tab_id()
                            data-testid=format!("panel-{}", t.key())
                        >
                            {panel}
                        </div>
                    }
                }}
            </Show>
        </Page>
    }
    .into_any()
}

#[component]
fn Summary(bilan: Memo<Option<Bilan>>, id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let step_error = RwSignal::new(None::<ApiError>);
    let abandon_error = RwSignal::new(None::<ApiError>);
    let abandon_open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    // Both actions have the `()` input the other forms use: one Action type for the whole app.
    let go = move |req: TransitionRequest| {
        let abandoning = req.to == BilanStatus::Abandoned;
        async move {
            step_error.set(None);
            abandon_error.set(None);
            match api.transition(id, &req).await {
                Ok(b) => {
                    toasts.show(
                        i.t()
                            .moved_to
                            .replace("{status}", status_label(i.t(), b.status)),
                    );
                    abandon_open.set(false);
                    reason.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) if abandoning => abandon_error.set(Some(e)),
                Err(e) => step_error.set(Some(e)),
            }
        }
    };
    let transition = Action::new_local(move |_: &()| {
        let to = bilan
            .with_untracked(|b| b.as_ref().and_then(|b| next_status(b.status)))
            .unwrap_or(BilanStatus::Closed);
        go(TransitionRequest { to, reason: None })
    });
    let abandon = Action::new_local(move |_: &()| {
        go(TransitionRequest {
            to: BilanStatus::Abandoned,
            reason: Some(reason.get_untracked().trim().to_string()),
        })
    });
    let body = move || {
        bilan.get().map(|b| {
            let t = i.t();
            let alerts = alerts(t, &b);
            let next = next_status(b.status);
            let status = b.status;
            let next_block = next.map(|n| {
                let label = status_label(t, n);
                let missing = b.next_step_missing.clone();
                view! {
                    <section class="card" aria-labelledby="etape-suivante">
                        <h2 id="etape-suivante">{t.move_to.replace("{status}", label)}</h2>
                        {if missing.is_empty() {
                            view! { <p class="success" data-testid="next-step-ready">{t.next_step_ready.replace("{status}", label)}</p> }.into_any()
                        } else {
                            view! {
                                <p>{t.next_step_needs.replace("{status}", label)}</p>
                                <ul data-testid="next-step-missing">
                                    {missing.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <div class="toolbar">
                            <Button busy=transition.pending() testid="transition-next"
                                on_click=move |_| { transition.dispatch(()); }>
                                {t.move_to.replace("{status}", label)}
                            </Button>
                            {is_active(status).then(|| view! {
                                <Button kind=ButtonKind::Danger testid="abandon-open" on_click=move |_| {
                                    abandon_error.set(None);
                                    abandon_open.set(true);
                                }>{t.abandon}</Button>
                            })}
                        </div>
                    </section>
                }
            });
            view! {
                <StatusStepper status=b.status/>
                <dl class="facts-list" data-testid="bilan-summary">
                    <dt>{t.status}</dt>
                    <dd data-testid="bilan-status"><StatusBadge tone=status_tone(b.status) label=status_label(t, b.status)/></dd>
                    <dt>{t.bilan_beneficiary}</dt>
                    <dd>{person(&b.beneficiary)}</dd>
                    <dt>{t.bilan_consultants}</dt>
                    <dd data-testid="bilan-consultants">{consultants(&b)}</dd>
                    <dt>{t.bilan_funding}</dt>
                    <dd>{funding_label(t, b.funding)}</dd>
                    <dt>{t.bilan_format}</dt>
                    <dd>{format_label(t, b.format)}</dd>
                    <dt>{t.bilan_planned_hours}</dt>
                    <dd>{format!("{} h", b.planned_hours)}</dd>
                </dl>
                <HoursBar id="bilan-heures" minutes=b.accompaniment_minutes/>
                <p class="note">{t.hours_personal_work.replace("{h}", &hours(b.personal_work_minutes))}</p>
                {(!alerts.is_empty()).then(|| view! {
                    <div class="notice" data-testid="bilan-alerts">
                        <p><strong>{t.bilan_alerts}</strong></p>
                        <ul>{alerts.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul>
                    </div>
                })}
                {b.abandon_reason.clone().map(|r| view! { <p>{t.abandon_reason_shown.replace("{reason}", &r)}</p> })}
                {b.content_destroyed_at.map(|d| view! { <p class="notice">{t.content_destroyed.replace("{date}", &datetime_fr(d))}</p> })}
                {b.retention_until.map(|d| view! { <p class="note">{t.retention_until.replace("{date}", &datetime_fr(d))}</p> })}
                {next_block}
            }
        })
    };
    let submit_abandon = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        abandon.dispatch(());
    };
    view! {
        {body}
        <StepError error=step_error testid="transition-error"/>
        <Dialog id="abandon" open=abandon_open title=move || i.t().abandon testid="abandon-dialog">
            <form class="form" on:submit=submit_abandon novalidate data-testid="abandon-form">
                <StepError error=abandon_error testid="abandon-error"/>
                <TextArea id="abandon-reason" label=move || i.t().abandon_reason value=reason required=true
                    hint=move || i.t().abandon_hint error=field_error(abandon_error, "reason") testid="abandon-reason"/>
                <Button submit=true kind=ButtonKind::Danger busy=abandon.pending() testid="abandon-submit">
                    {move || i.t().abandon_confirm}
                </Button>
            </form>
        </Dialog>
    }
}

fn event_details(t: &Strings, e: &TimelineEvent) -> String {
    let d = &e.details;
    let s = |k: &str| d.get(k).and_then(|v| v.as_str()).map(str::to_string);
    match e.kind.as_str() {
        "transition" => {
            let st = |k: &str| {
                s(k).and_then(|v| BilanStatus::parse(&v))
                    .map(|v| status_label(t, v).to_string())
                    .unwrap_or_default()
            };
            format!("{} → {}", st("from"), st("to"))
        }
        "fact" => format!(
            "{} ({})",
            s("kind")
                .and_then(|k| FactKind::parse(&k))
                .map(|k| fact_label(t, k))
                .unwrap_or_default(),
            s("occurred_on").unwrap_or_default()
        ),
        "session" => format!(
            "{}, {} — {}",
            s("kind")
                .and_then(|k| SessionKind::parse(&k))
                .map(|k| session_kind_label(t, k))
                .unwrap_or_default(),
            s("phase")
                .and_then(|k| Phase::parse(&k))
                .map(|k| phase_label(t, k))
                .unwrap_or_default(),
            hours(d.get("minutes").and_then(|v| v.as_i64()).unwrap_or(0))
        ),
        "consent" => s("kind")
            .and_then(|k| boussole_shared::bilans::ConsentKind::parse(&k))
            .map(|k| consent_kind_label(t, k).to_string())
            .unwrap_or_default(),
        "note" => s("phase")
            .and_then(|k| Phase::parse(&k))
            .map(|k| phase_label(t, k).to_string())
            .unwrap_or_default(),
        "created" => s("funding")
            .and_then(|k| boussole_shared::bilans::FundingMode::parse(&k))
            .map(|k| funding_label(t, k).to_string())
            .unwrap_or_default(),
        "retention" => s("until").unwrap_or_default(),
        // Assignments and withdrawals carry only ids: the event's name says it all.
        _ => String::new(),
    }
}

#[component]
fn TimelinePanel(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let events = LocalResource::new(move || {
        version.track();
        async move { api.timeline(id).await.map(Data::Timeline) }
    });
    move || match events.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => {
            view! { <p class="form-error" role="alert">{e.message(i.t(), &[])}</p> }.into_any()
        }
        Some(Ok(Data::Timeline(v))) if v.is_empty() => {
            view! { <EmptyState>{i.t().timeline_empty}</EmptyState> }.into_any()
        }
        Some(Ok(Data::Timeline(v))) => {
            let t = i.t();
            let caption = t.timeline_caption.replace("{n}", &v.len().to_string());
            let rows = v
                .into_iter()
                .map(|e| {
                    (
                        None,
                        vec![
                            datetime_fr(e.at),
                            event_label(t, &e.kind),
                            event_details(t, &e),
                        ],
                    )
                })
                .collect();
            view! {
                <TextTable label=t.tab_timeline caption rows testid="timeline-table" row_testid="timeline-row"
                    headers=vec![t.timeline_at, t.timeline_event, t.timeline_details]/>
            }.into_any()
        }
        Some(Ok(_)) => ().into_any(),
    }
}

fn phase_options() -> Vec<(&'static str, TextProp)> {
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
fn SessionsPanel(id: Uuid, version: RwSignal<u32>, can_add: bool) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let sessions = LocalResource::new(move || {
        version.track();
        async move { api.bilan_sessions(id).await.map(Data::Sessions) }
    });
    let kind = RwSignal::new(SessionKind::Accompaniment.as_str().to_string());
    let phase = RwSignal::new(Phase::Preliminary.as_str().to_string());
    let mode = RwSignal::new(SessionMode::OnSite.as_str().to_string());
    let (start, end) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (start_err, end_err) = (RwSignal::new(None::<String>), RwSignal::new(None::<String>));
    let error = RwSignal::new(None::<ApiError>);
    let add = Action::new_local(move |_: &()| {
        let (s, e) = (
            parse_datetime(&start.get_untracked()),
            parse_datetime(&end.get_untracked()),
        );
        start_err.set(s.is_none().then(|| i.t().err_datetime.to_string()));
        end_err.set(e.is_none().then(|| i.t().err_datetime.to_string()));
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
    let list = move || match sessions.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => {
            view! { <p class="form-error" role="alert">{e.message(i.t(), &[])}</p> }.into_any()
        }
        Some(Ok(Data::Sessions(v))) if v.is_empty() => {
            view! { <EmptyState>{i.t().sessions_empty}</EmptyState> }.into_any()
        }
        Some(Ok(Data::Sessions(v))) => {
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
                            datetime_fr(s.starts_at),
                            datetime_fr(s.ends_at),
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
        Some(Ok(_)) => ().into_any(),
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

#[component]
fn FactsPanel(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let facts = LocalResource::new(move || {
        version.track();
        async move { api.facts(id).await.map(Data::Facts) }
    });
    let kind = RwSignal::new(FactKind::PreContractInfo.as_str().to_string());
    let date = RwSignal::new(today());
    let date_err = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let add = Action::new_local(move |_: &()| {
        let d = parse_date(&date.get_untracked());
        date_err.set(d.is_none().then(|| i.t().err_date.to_string()));
        let body = d
            .zip(FactKind::parse(&kind.get_untracked()))
            .map(|(occurred_on, kind)| NewFact { kind, occurred_on });
        async move {
            let Some(body) = body else { return };
            error.set(None);
            match api.create_fact(id, &body).await {
                Ok(_) => {
                    toasts.show(i.t().fact_added);
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
    let server_date_err = field_error(error, "occurred_on");
    let options: Vec<(&'static str, TextProp)> = FactKind::ALL
        .iter()
        .map(|k| {
            let k = *k;
            (k.as_str(), TextProp::from(move || fact_label(i.t(), k)))
        })
        .collect();
    let list = move || match facts.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => {
            view! { <p class="form-error" role="alert">{e.message(i.t(), &[])}</p> }.into_any()
        }
        Some(Ok(Data::Facts(v))) if v.is_empty() => {
            view! { <EmptyState>{i.t().facts_empty}</EmptyState> }.into_any()
        }
        Some(Ok(Data::Facts(v))) => {
            let t = i.t();
            let caption = t.facts_caption.replace("{n}", &v.len().to_string());
            let rows = v
                .into_iter()
                .map(|f| {
                    (
                        Some(f.kind.as_str()),
                        vec![
                            fact_label(t, f.kind).to_string(),
                            date_fr(f.occurred_on),
                            datetime_fr(f.recorded_at),
                        ],
                    )
                })
                .collect();
            view! {
                <TextTable label=t.tab_facts caption rows testid="facts-table" row_testid="fact-row"
                    headers=vec![t.fact_kind, t.fact_date, t.fact_recorded_at]/>
            }
            .into_any()
        }
        Some(Ok(_)) => ().into_any(),
    };
    view! {
        {list}
        <section class="card" aria-labelledby="fait-ajout">
            <h2 id="fait-ajout">{move || i.t().fact_add}</h2>
            <form class="form" on:submit=submit novalidate data-testid="fact-form">
                <FormError error testid="fact-error"/>
                <SelectField id="fact-kind" label=move || i.t().fact_kind value=kind testid="fact-kind" options/>
                <TextField id="fact-date" label=move || i.t().fact_date value=date kind="date" required=true
                    error=Signal::derive(move || date_err.get().or_else(|| server_date_err.get())) testid="fact-date"/>
                <Button submit=true busy=add.pending() testid="fact-submit">{move || i.t().fact_submit}</Button>
            </form>
        </section>
    }
}

#[component]
fn NotesPanel(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let notes = LocalResource::new(move || {
        version.track();
        async move { api.notes(id).await.map(Data::Notes) }
    });
    let phase = RwSignal::new(Phase::Preliminary.as_str().to_string());
    let body = RwSignal::new(String::new());
    let shared = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let add = Action::new_local(move |_: &()| {
        let n = NewNote {
            phase: Phase::parse(&phase.get_untracked()).unwrap_or(Phase::Preliminary),
            session_id: None,
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
        {move || match notes.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message(i.t(), &[])}</p> }.into_any(),
            Some(Ok(Data::Notes(v))) => view! { <NoteList notes=v/> }.into_any(),
            Some(Ok(_)) => ().into_any(),
        }}
        <section class="card" aria-labelledby="note-ajout">
            <h2 id="note-ajout">{move || i.t().note_add}</h2>
            <form class="form" on:submit=submit novalidate data-testid="note-form">
                <FormError error testid="note-error"/>
                <SelectField id="note-phase" label=move || i.t().phase_label value=phase testid="note-phase" options=phase_options()/>
                <TextArea id="note-body" label=move || i.t().note_body value=body required=true
                    error=field_error(error, "body") testid="note-body"/>
                <Checkbox id="note-shared" label=move || i.t().note_shared checked=shared testid="note-shared"/>
                <Button submit=true busy=add.pending() testid="note-submit">{move || i.t().note_submit}</Button>
            </form>
        </section>
    }
}

/// Notes as articles, newest first as the API gives them; also used on the beneficiary's home.
#[component]
pub fn NoteList(notes: Vec<boussole_shared::bilans::Note>) -> impl IntoView {
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
                        {t.note_meta.replace("{phase}", phase_label(t, n.phase)).replace("{date}", &datetime_fr(n.created_at))}
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

#[component]
fn ConsentsPanel(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let api = use_api();
    let consents = LocalResource::new(move || {
        version.track();
        async move { api.consents(id).await.map(Data::Consents) }
    });
    view! { <ConsentTable consents on_revoke=None/> }
}

/// The consents of a bilan; with `on_revoke` (the beneficiary), each one in force has a withdraw button.
#[component]
pub fn ConsentTable(consents: DataResource, on_revoke: Option<Callback<Uuid>>) -> impl IntoView {
    let i = use_i18n();
    move || match consents.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => {
            view! { <p class="form-error" role="alert">{e.message(i.t(), &[])}</p> }.into_any()
        }
        Some(Ok(Data::Consents(v))) if v.is_empty() => {
            view! { <EmptyState>{i.t().consents_empty}</EmptyState> }.into_any()
        }
        Some(Ok(Data::Consents(v))) => {
            let t = i.t();
            let n = v.len();
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=t.tab_consents>
                    <table data-testid="consents-table">
                        <caption>{t.consents_caption.replace("{n}", &n.to_string())}</caption>
                        <thead><tr>
                            <th scope="col">{t.consent_kind}</th>
                            <th scope="col">{t.consent_statement}</th>
                            <th scope="col">{t.consent_given_at}</th>
                            <th scope="col">{t.consent_state}</th>
                            {on_revoke.is_some().then(|| view! { <th scope="col">{t.actions}</th> })}
                        </tr></thead>
                        <tbody>
                            {v.into_iter().map(|c| {
                                let kind = consent_kind_label(t, c.kind);
                                let active = c.revoked_at.is_none();
                                let cid = c.id;
                                view! {
                                    <tr data-testid="consent-row" data-kind=c.kind.as_str()>
                                        <th scope="row">{kind}</th>
                                        <td class="wrap">{c.statement}</td>
                                        <td>{datetime_fr(c.given_at)}</td>
                                        <td>{match c.revoked_at {
                                            None => view! { <StatusBadge tone=Tone::Ok label=t.consent_active/> }.into_any(),
                                            Some(d) => view! { <StatusBadge tone=Tone::Muted label=t.consent_revoked_on.replace("{date}", &datetime_fr(d))/> }.into_any(),
                                        }}</td>
                                        {on_revoke.map(|cb| view! {
                                            <td>{active.then(|| view! {
                                                <button type="button" class="btn btn-secondary btn-small"
                                                    aria-label=t.consent_revoke_label.replace("{kind}", kind)
                                                    on:click=move |_| cb.run(cid) data-testid="consent-revoke">
                                                    {t.consent_revoke}
                                                </button>
                                            })}</td>
                                        })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }
        Some(Ok(_)) => ().into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_date, parse_datetime};

    #[test]
    fn datetime_local_values_parse_with_or_without_seconds() {
        assert!(parse_datetime("2026-11-30T09:30").is_some());
        assert!(parse_datetime("2026-11-30T09:30:15").is_some());
        assert!(parse_datetime("30/11/2026").is_none());
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-02-28").is_some());
    }
}
