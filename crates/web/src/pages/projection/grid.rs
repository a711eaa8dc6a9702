//! The "Compétences" tab: experiences (with achievements in situation–action–result form) and the
//! skills identified from them, transferable ones highlighted.

use boussole_shared::projection::{
    Achievement, Experience, NewExperience, NewSkill, Skill, SkillCategory,
};
use leptos::prelude::*;
use uuid::Uuid;

use super::{PData, local_error, name};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::*,
    i18n::{ProjectionStrings, use_i18n},
    pages::no_reload,
};

fn category_label(t: &ProjectionStrings, c: SkillCategory) -> &'static str {
    match c {
        SkillCategory::KnowHow => t.cat_know_how,
        SkillCategory::SoftSkill => t.cat_soft_skill,
        SkillCategory::Knowledge => t.cat_knowledge,
    }
}

#[component]
pub fn SkillsPanel(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let experiences = crate::components::loader(move || {
        version.track();
        async move { api.experiences(id).await.map(PData::Experiences) }
    });
    let skills = crate::components::loader(move || {
        version.track();
        async move { api.skills(id).await.map(PData::Skills) }
    });
    let exp_list = move || match experiences.get() {
        Some(Ok(PData::Experiences(v))) => v,
        _ => Vec::new(),
    };
    let delete_error = RwSignal::new(None::<ApiError>);
    let remove = crate::components::act(move |(skill, item): &(bool, Uuid)| {
        let (skill, item) = (*skill, *item);
        async move {
            delete_error.set(None);
            let done = if skill {
                api.delete_skill(id, item).await
            } else {
                api.delete_experience(id, item).await
            };
            match done {
                Ok(()) => version.update(|v| *v += 1),
                Err(e) => delete_error.set(Some(e)),
            }
        }
    });
    let on_saved = Callback::new(move |()| {
        toasts.show(i.t().proj.saved);
        version.update(|v| *v += 1);
    });
    view! {
        <section class="card" aria-labelledby="experiences">
            <h2 id="experiences">{move || i.t().proj.experiences_title}</h2>
            <FormError error=delete_error testid="grid-delete-error"/>
            <Loaded resource=experiences let:d>
                {match d {
                    PData::Experiences(v) => view! { <ExperienceList list=v remove/> }.into_any(),
                    _ => ().into_any(),
                }}
            </Loaded>
            <ExperienceForm id on_saved/>
        </section>
        <section class="card" aria-labelledby="competences">
            <h2 id="competences">{move || i.t().proj.skills_title}</h2>
            <Loaded resource=skills let:d>
                {match d {
                    PData::Skills(v) => view! { <SkillTable list=v experiences=exp_list() remove/> }.into_any(),
                    _ => ().into_any(),
                }}
            </Loaded>
            <SkillForm id experiences=Signal::derive(exp_list) on_saved/>
        </section>
    }
}

#[component]
fn ExperienceList(list: Vec<Experience>, remove: Act<(bool, Uuid)>) -> impl IntoView {
    let t = use_i18n().t().proj;
    if list.is_empty() {
        return view! { <EmptyState>{t.experiences_empty}</EmptyState> }.into_any();
    }
    view! {
        <ul class="grid-list" data-testid="experience-list">
            {list.into_iter().map(|e| {
                let to = e.fields.ended_on.map(date_fr).unwrap_or_else(|| t.exp_current.to_string());
                let title = e.fields.job_title.clone();
                view! {
                    <li class="card" data-testid="experience-item">
                        <h3>{e.fields.job_title.clone()}{e.fields.employer.clone().map(|x| format!(" · {x}"))}</h3>
                        <p class="note">{format!("{} – {to}", date_fr(e.fields.started_on))}" · "{t.recorded_by.replace("{name}", &name(&e.authorship.recorded_by))}</p>
                        {(!e.fields.tasks.is_empty()).then(|| view! { <p>{e.fields.tasks.clone()}</p> })}
                        {e.fields.achievements.into_iter().map(|a| view! {
                            <dl class="sar">
                                <dt>{t.exp_situation}</dt><dd>{a.situation}</dd>
                                <dt>{t.exp_action}</dt><dd>{a.action}</dd>
                                <dt>{t.exp_result}</dt><dd>{a.result}</dd>
                            </dl>
                        }).collect_view()}
                        <button type="button" class="btn btn-secondary" aria-label=t.delete_label.replace("{name}", &title)
                            on:click=move |_| { remove.dispatch((false, e.id)); }>{t.delete}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn ExperienceForm(id: Uuid, on_saved: Callback<()>) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let [
        title,
        employer,
        started,
        ended,
        tasks,
        situation,
        action,
        result,
    ] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let error = RwSignal::new(None::<ApiError>);
    let add = crate::components::act(move |_: &()| async move {
        error.set(None);
        let Some(started_on) = parse_date(&started.get_untracked()) else {
            error.set(Some(local_error("started_on", i.t().proj.exp_started)));
            return;
        };
        let sar = [situation, action, result].map(|s| s.get_untracked().trim().to_string());
        let body = NewExperience {
            job_title: title.get_untracked().trim().to_string(),
            employer: Some(employer.get_untracked().trim().to_string()).filter(|e| !e.is_empty()),
            started_on,
            ended_on: parse_date(&ended.get_untracked()),
            tasks: tasks.get_untracked().trim().to_string(),
            achievements: if sar.iter().all(String::is_empty) {
                vec![]
            } else {
                let [situation, action, result] = sar;
                vec![Achievement {
                    situation,
                    action,
                    result,
                }]
            },
        };
        match api.create_experience(id, &body).await {
            Ok(_) => {
                for s in [
                    title, employer, started, ended, tasks, situation, action, result,
                ] {
                    s.set(String::new());
                }
                on_saved.run(());
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let t = move || i.t().proj;
    view! {
        <details class="add-form">
            <summary>{move || t().exp_add}</summary>
            <form class="form" novalidate on:submit=move |ev| { no_reload(&ev); add.dispatch(()); } data-testid="experience-form">
                <FormError error testid="experience-error"/>
                <TextField id="exp-titre" label=move || t().exp_job_title value=title required=true error=field_error(error, "job_title") testid="exp-title"/>
                <TextField id="exp-employeur" label=move || t().exp_employer value=employer error=field_error(error, "employer")/>
                <TextField id="exp-debut" kind="date" label=move || t().exp_started value=started required=true error=field_error(error, "started_on") testid="exp-started"/>
                <TextField id="exp-fin" kind="date" label=move || t().exp_ended value=ended error=field_error(error, "ended_on")/>
                <TextArea id="exp-taches" label=move || t().exp_tasks value=tasks error=field_error(error, "tasks")/>
                <fieldset>
                    <legend>{move || t().exp_sar}</legend>
                    <TextArea id="exp-situation" label=move || t().exp_situation value=situation/>
                    <TextArea id="exp-action" label=move || t().exp_action value=action/>
                    <TextArea id="exp-resultat" label=move || t().exp_result value=result/>
                </fieldset>
                <Button submit=true busy=add.pending() testid="exp-submit">{move || t().exp_add}</Button>
            </form>
        </details>
    }
}

#[component]
fn SkillTable(
    list: Vec<Skill>,
    experiences: Vec<Experience>,
    remove: Act<(bool, Uuid)>,
) -> impl IntoView {
    let t = use_i18n().t().proj;
    if list.is_empty() {
        return view! { <EmptyState>{t.skills_empty}</EmptyState> }.into_any();
    }
    let exp_title = move |id: Option<Uuid>| {
        id.and_then(|id| experiences.iter().find(|e| e.id == id))
            .map(|e| e.fields.job_title.clone())
            .unwrap_or_default()
    };
    view! {
        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=t.skills_title>
            <table data-testid="skill-table">
                <caption>{t.skills_caption}</caption>
                <thead><tr>
                    <th scope="col">{t.skill_name}</th>
                    <th scope="col">{t.skill_category}</th>
                    <th scope="col">{t.skill_level}</th>
                    <th scope="col">{t.skill_evidence}</th>
                    <th scope="col">{t.skill_experience}</th>
                    <th scope="col">{t.col_by}</th>
                    <th scope="col">{t.col_actions}</th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|s| {
                        let f = s.fields;
                        let label = f.name.clone();
                        view! {
                            <tr class:transferable=f.transferable data-testid="skill-row">
                                <th scope="row">
                                    {f.name}
                                    {f.transferable.then(|| view! { " " <StatusBadge tone=Tone::Ok label=t.transferable_badge/> })}
                                </th>
                                <td data-label=t.skill_category>{category_label(t, f.category)}</td>
                                <td data-label=t.skill_level>{format!("{}/4", f.level)}</td>
                                <td data-label=t.skill_evidence>{f.evidence}</td>
                                <td data-label=t.skill_experience>{exp_title(f.experience_id)}</td>
                                <td data-label=t.col_by>{name(&s.authorship.recorded_by)}</td>
                                <td><button type="button" class="btn btn-secondary" aria-label=t.delete_label.replace("{name}", &label)
                                    on:click=move |_| { remove.dispatch((true, s.id)); }>{t.delete}</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn SkillForm(
    id: Uuid,
    experiences: Signal<Vec<Experience>>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let (skill, evidence, experience) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let category = RwSignal::new(SkillCategory::KnowHow.as_str().to_string());
    let level = RwSignal::new("2".to_string());
    let transferable = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let add = crate::components::act(move |_: &()| {
        let body = NewSkill {
            name: skill.get_untracked().trim().to_string(),
            category: SkillCategory::parse(&category.get_untracked())
                .unwrap_or(SkillCategory::KnowHow),
            level: level.get_untracked().parse().unwrap_or(1),
            evidence: evidence.get_untracked().trim().to_string(),
            experience_id: Uuid::parse_str(&experience.get_untracked()).ok(),
            transferable: transferable.get_untracked(),
        };
        async move {
            error.set(None);
            match api.create_skill(id, &body).await {
                Ok(_) => {
                    skill.set(String::new());
                    evidence.set(String::new());
                    transferable.set(false);
                    on_saved.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let t = move || i.t().proj;
    let exp_options = Signal::derive(move || {
        let mut v = vec![(String::new(), t().none.to_string())];
        v.extend(
            experiences
                .get()
                .into_iter()
                .map(|e| (e.id.to_string(), e.fields.job_title)),
        );
        v
    });
    let categories = SkillCategory::ALL
        .iter()
        .map(|c| (c.as_str(), TextProp::from(move || category_label(t(), *c))))
        .collect();
    let levels = vec![
        ("1", TextProp::from(move || t().level_1)),
        ("2", TextProp::from(move || t().level_2)),
        ("3", TextProp::from(move || t().level_3)),
        ("4", TextProp::from(move || t().level_4)),
    ];
    view! {
        <details class="add-form" open>
            <summary>{move || t().skill_add}</summary>
            <form class="form" novalidate on:submit=move |ev| { no_reload(&ev); add.dispatch(()); } data-testid="skill-form">
                <FormError error testid="skill-error"/>
                <TextField id="comp-nom" label=move || t().skill_name value=skill required=true error=field_error(error, "name") testid="skill-name"/>
                <SelectField id="comp-categorie" label=move || t().skill_category value=category options=categories testid="skill-category"/>
                <SelectField id="comp-niveau" label=move || t().skill_level value=level options=levels error=field_error(error, "level") testid="skill-level"/>
                <TextArea id="comp-preuve" label=move || t().skill_evidence value=evidence error=field_error(error, "evidence") testid="skill-evidence"/>
                <ChoiceField id="comp-experience" label=move || t().skill_experience value=experience options=exp_options error=field_error(error, "experience_id")/>
                <Checkbox id="comp-transferable" label=move || t().skill_transferable checked=transferable testid="skill-transferable"/>
                <Button submit=true busy=add.pending() testid="skill-submit">{move || t().skill_add}</Button>
            </form>
        </details>
    }
}
