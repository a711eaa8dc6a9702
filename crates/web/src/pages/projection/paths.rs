//! Career paths: each with its ROME occupations, motivations, constraints, the gap list against the
//! skills identified, and its field research interviews; a form to add one.

use boussole_shared::projection::{
    CareerPath, FieldInterview, GapStatus, NewCareerPath, PathConstraints, PathStatus,
    RomeOccupation,
};
use leptos::prelude::*;
use uuid::Uuid;

use super::{PData, local_error, parse_required, rome::RomePicker};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::*,
    i18n::{ProjectionStrings, use_i18n},
    pages::no_reload,
};

pub fn status_label(t: &ProjectionStrings, s: PathStatus) -> &'static str {
    match s {
        PathStatus::Exploring => t.status_exploring,
        PathStatus::Kept => t.status_kept,
        PathStatus::Dropped => t.status_dropped,
    }
}

#[component]
pub fn PathsSection(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let paths = crate::components::loader(move || {
        version.track();
        async move { api.career_paths(id).await.map(PData::Paths) }
    });
    let error = RwSignal::new(None::<ApiError>);
    let save = crate::components::act(
        move |(item, body): &(Option<Uuid>, Option<NewCareerPath>)| {
            let (item, body) = (*item, body.clone());
            async move {
                error.set(None);
                let done = match (item, body) {
                    (Some(item), Some(body)) => {
                        api.update_career_path(id, item, &body).await.map(|_| ())
                    }
                    (Some(item), None) => api.delete_career_path(id, item).await,
                    (None, _) => Ok(()),
                };
                match done {
                    Ok(()) => {
                        toasts.show(i.t().proj.saved);
                        version.update(|v| *v += 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
            }
        },
    );
    view! {
        <section class="card" aria-labelledby="pistes">
            <h2 id="pistes">{move || i.t().proj.paths_title}</h2>
            <FormError error testid="path-error"/>
            <Loaded resource=paths let:d>
                {match d {
                    PData::Paths(v) if v.is_empty() => view! { <EmptyState>{i.t().proj.paths_empty}</EmptyState> }.into_any(),
                    PData::Paths(v) => view! {
                        <ul class="grid-list" data-testid="path-list">
                            {v.into_iter().map(|p| view! { <PathCard path=p save/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    _ => ().into_any(),
                }}
            </Loaded>
            <PathForm id version/>
        </section>
    }
}

type Save = Act<(Option<Uuid>, Option<NewCareerPath>)>;

#[component]
fn PathCard(path: CareerPath, save: Save) -> impl IntoView {
    let t = use_i18n().t().proj;
    let (pid, fields) = (path.id, path.fields.clone());
    let status = RwSignal::new(fields.status.as_str().to_string());
    let status_id = format!("piste-statut-{pid}");
    let for_status = fields.clone();
    let on_status = move |ev| {
        let mut body = for_status.clone();
        body.status = PathStatus::parse(&event_target_value(&ev)).unwrap_or(body.status);
        status.set(body.status.as_str().to_string());
        save.dispatch((Some(pid), Some(body)));
    };
    let c = &fields.constraints;
    let constraints: Vec<(&str, String)> = [
        (t.path_pay, &c.pay),
        (t.path_mobility, &c.mobility),
        (t.path_training, &c.training),
        (t.path_market, &c.market),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| (k, v.clone()))
    .collect();
    let title = fields.title.clone();
    view! {
        <li class="card" data-testid="path-item">
            <h3>{fields.title.clone()}</h3>
            <div class="field">
                <label for=status_id.clone()>{t.path_status}</label>
                <select id=status_id on:change=on_status data-testid="path-status">
                    {PathStatus::ALL.iter().map(|s| {
                        let v = s.as_str();
                        view! { <option value=v selected=move || status.get() == v>{status_label(t, *s)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <ul class="chips">
                {path.occupations.into_iter().map(|o| view! { <li>{format!("{} · {}", o.code, o.title)}</li> }).collect_view()}
            </ul>
            {(!fields.motivations.is_empty()).then(|| view! { <p><strong>{t.path_motivations}" : "</strong>{fields.motivations.clone()}</p> })}
            {(!constraints.is_empty()).then(|| view! {
                <h4>{t.constraints_title}</h4>
                <dl>{constraints.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}</dl>
            })}
            {(!path.gaps.is_empty()).then(|| view! {
                <h4>{t.gaps_title}</h4>
                <ul class="gaps" data-testid="gap-list">
                    {path.gaps.into_iter().map(|g| {
                        let (tone, label) = match g.status {
                            GapStatus::Met => (Tone::Ok, t.gap_met.to_string()),
                            GapStatus::BelowLevel => (Tone::Warn, t.gap_below
                                .replace("{have}", &g.level.unwrap_or(0).to_string())
                                .replace("{need}", &g.required_level.unwrap_or(0).to_string())),
                            GapStatus::Missing => (Tone::Warn, t.gap_missing.to_string()),
                        };
                        view! { <li>{g.name}" " <StatusBadge tone label/></li> }
                    }).collect_view()}
                </ul>
            })}
            <h4>{t.interviews_title}</h4>
            {if fields.interviews.is_empty() {
                view! { <p class="note">{t.interviews_empty}</p> }.into_any()
            } else {
                view! {
                    <ul data-testid="interview-list">
                        {fields.interviews.iter().map(|x| view! {
                            <li><strong>{format!("{} ({}), {}", x.who, x.role, date_fr(x.held_on))}</strong>" : "{x.learnt.clone()}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <InterviewForm pid fields=fields.clone() save/>
            <button type="button" class="btn btn-secondary" aria-label=t.delete_label.replace("{name}", &title)
                on:click=move |_| { save.dispatch((Some(pid), None)); }>{t.delete}</button>
        </li>
    }
}

#[component]
fn InterviewForm(pid: Uuid, fields: NewCareerPath, save: Save) -> impl IntoView {
    let t = use_i18n().t().proj;
    let [who, role, held, learnt] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let error = RwSignal::new(None::<ApiError>);
    let ids = ["who", "role", "date", "learnt"].map(|k| format!("enquete-{k}-{pid}"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        error.set(None);
        let Some(held_on) = parse_date(&held.get_untracked()) else {
            error.set(Some(local_error("held_on", t.interview_date)));
            return;
        };
        let mut body = fields.clone();
        body.interviews.push(FieldInterview {
            who: who.get_untracked().trim().to_string(),
            role: role.get_untracked().trim().to_string(),
            held_on,
            learnt: learnt.get_untracked().trim().to_string(),
        });
        save.dispatch((Some(pid), Some(body)));
    };
    let [a, b, c, d] = ids;
    view! {
        <details class="add-form">
            <summary>{t.interview_add}</summary>
            <form class="form" novalidate on:submit=submit data-testid="interview-form">
                <FormError error testid="interview-error"/>
                <div class="field"><label for=a.clone()>{t.interview_who}</label>
                    <input id=a type="text" required prop:value=move || who.get() on:input=move |ev| who.set(event_target_value(&ev))/></div>
                <div class="field"><label for=b.clone()>{t.interview_role}</label>
                    <input id=b type="text" prop:value=move || role.get() on:input=move |ev| role.set(event_target_value(&ev))/></div>
                <div class="field"><label for=c.clone()>{t.interview_date}</label>
                    <input id=c type="date" required prop:value=move || held.get() on:input=move |ev| held.set(event_target_value(&ev))/>
                    {move || field_error(error, "held_on").get().map(|e| view! { <p class="field-error">{e}</p> })}</div>
                <div class="field"><label for=d.clone()>{t.interview_learnt}</label>
                    <textarea id=d rows="3" prop:value=move || learnt.get() on:input=move |ev| learnt.set(event_target_value(&ev))></textarea></div>
                <button type="submit" class="btn btn-secondary">{t.interview_add}</button>
            </form>
        </details>
    }
}

#[component]
fn PathForm(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let [
        title,
        motivations,
        required,
        pay,
        mobility,
        training,
        market,
    ] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let chosen = RwSignal::new(Vec::<RomeOccupation>::new());
    let error = RwSignal::new(None::<ApiError>);
    let add = crate::components::act(move |_: &()| {
        let body = NewCareerPath {
            title: title.get_untracked().trim().to_string(),
            rome_codes: chosen.get_untracked().into_iter().map(|o| o.code).collect(),
            motivations: motivations.get_untracked().trim().to_string(),
            required_skills: parse_required(&required.get_untracked()),
            constraints: PathConstraints {
                pay: pay.get_untracked(),
                mobility: mobility.get_untracked(),
                training: training.get_untracked(),
                market: market.get_untracked(),
            },
            interviews: vec![],
            status: PathStatus::Exploring,
        };
        async move {
            error.set(None);
            match api.create_career_path(id, &body).await {
                Ok(_) => {
                    for s in [
                        title,
                        motivations,
                        required,
                        pay,
                        mobility,
                        training,
                        market,
                    ] {
                        s.set(String::new());
                    }
                    chosen.set(vec![]);
                    toasts.show(i.t().proj.saved);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let t = move || i.t().proj;
    view! {
        <details class="add-form" open>
            <summary>{move || t().path_add}</summary>
            <form class="form" novalidate on:submit=move |ev| { no_reload(&ev); add.dispatch(()); } data-testid="path-form">
                <FormError error testid="path-form-error"/>
                <TextField id="piste-titre" label=move || t().path_title value=title required=true error=field_error(error, "title") testid="path-title"/>
                <RomePicker id="piste-rome" chosen/>
                <TextArea id="piste-motivations" label=move || t().path_motivations value=motivations/>
                <TextArea id="piste-requises" label=move || t().path_required value=required testid="path-required"/>
                <TextField id="piste-remuneration" label=move || t().path_pay value=pay/>
                <TextField id="piste-mobilite" label=move || t().path_mobility value=mobility/>
                <TextField id="piste-formation" label=move || t().path_training value=training/>
                <TextField id="piste-marche" label=move || t().path_market value=market/>
                <Button submit=true busy=add.pending() testid="path-submit">{move || t().path_add}</Button>
            </form>
        </details>
    }
}
