//! The action plan of the chosen project: the project in a sentence and its path, a checklist of
//! steps with due dates, training to follow and resources. Each change saves the whole plan.

use boussole_shared::projection::{ActionPlan, ActionPlanInput, ActionStep};
use leptos::prelude::*;
use uuid::Uuid;

use super::{PData, local_error};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::*,
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn PlanSection(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let plan = crate::components::loader(move || {
        version.track();
        async move { api.action_plan(id).await.map(PData::Plan) }
    });
    let paths = crate::components::loader(move || {
        version.track();
        async move { api.career_paths(id).await.map(PData::Paths) }
    });
    let path_options = Signal::derive(move || {
        let mut v = vec![(String::new(), i.t().proj.none.to_string())];
        if let Some(Ok(PData::Paths(list))) = paths.get() {
            v.extend(list.into_iter().map(|p| (p.id.to_string(), p.fields.title)));
        }
        v
    });
    view! {
        <section class="card" aria-labelledby="plan-action">
            <h2 id="plan-action">{move || i.t().proj.plan_title}</h2>
            <Loaded resource=plan let:d>
                {match d {
                    PData::Plan(p) => view! { <PlanEditor id plan=p path_options version/> }.into_any(),
                    _ => ().into_any(),
                }}
            </Loaded>
        </section>
    }
}

#[component]
fn PlanEditor(
    id: Uuid,
    plan: ActionPlan,
    path_options: Signal<Vec<(String, String)>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let f = plan.fields;
    let project = RwSignal::new(f.project);
    let path = RwSignal::new(f.career_path_id.map(|p| p.to_string()).unwrap_or_default());
    let steps = RwSignal::new(f.steps);
    let trainings = RwSignal::new(f.trainings);
    let resources = RwSignal::new(f.resources);
    let [step, due, training, resource] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let error = RwSignal::new(None::<ApiError>);
    let save = crate::components::act(move |_: &()| {
        let body = ActionPlanInput {
            career_path_id: Uuid::parse_str(&path.get_untracked()).ok(),
            project: project.get_untracked().trim().to_string(),
            steps: steps.get_untracked(),
            trainings: trainings.get_untracked(),
            resources: resources.get_untracked(),
        };
        async move {
            error.set(None);
            match api.save_action_plan(id, &body).await {
                Ok(_) => {
                    toasts.show(i.t().proj.saved);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let add_step = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        let label = step.get_untracked().trim().to_string();
        if label.is_empty() {
            error.set(Some(local_error("step", i.t().proj.step_label)));
            return;
        }
        steps.update(|s| {
            s.push(ActionStep {
                label,
                due_on: parse_date(&due.get_untracked()),
                done: false,
            })
        });
        save.dispatch(());
    };
    let add_to = move |list: RwSignal<Vec<String>>, input: RwSignal<String>| {
        let item = input.get_untracked().trim().to_string();
        if !item.is_empty() {
            list.update(|l| l.push(item));
            input.set(String::new());
            save.dispatch(());
        }
    };
    let t = move || i.t().proj;
    view! {
        <FormError error testid="plan-error"/>
        <form class="form" novalidate on:submit=move |ev| { no_reload(&ev); save.dispatch(()); } data-testid="plan-form">
            <TextField id="plan-projet" label=move || t().plan_project value=project error=field_error(error, "project") testid="plan-project"/>
            <ChoiceField id="plan-piste" label=move || t().plan_path value=path options=path_options error=field_error(error, "career_path_id")/>
            <Button submit=true busy=save.pending() testid="plan-save">{move || t().plan_save}</Button>
        </form>
        <h3>{move || t().steps_title}</h3>
        <ul class="checklist" data-testid="plan-steps">
            {move || {
                let list = steps.get();
                if list.is_empty() {
                    return view! { <li class="note">{t().steps_empty}</li> }.into_any();
                }
                list.into_iter().enumerate().map(|(n, s)| {
                    let cid = format!("etape-{n}");
                    view! {
                        <li class="field-check">
                            <input type="checkbox" id=cid.clone() prop:checked=s.done
                                on:change=move |ev| {
                                    let done = event_target_checked(&ev);
                                    steps.update(|l| if let Some(x) = l.get_mut(n) { x.done = done });
                                    save.dispatch(());
                                }/>
                            <label for=cid class:done=s.done>
                                {s.label.clone()}
                                {s.due_on.map(|d| format!(" — {}", t().step_due_on.replace("{date}", &date_fr(d))))}
                            </label>
                        </li>
                    }
                }).collect_view().into_any()
            }}
        </ul>
        <form class="form" novalidate on:submit=add_step data-testid="step-form">
            <TextField id="etape-libelle" label=move || t().step_label value=step error=field_error(error, "step") testid="step-label"/>
            <TextField id="etape-echeance" kind="date" label=move || t().step_due value=due/>
            <Button submit=true kind=ButtonKind::Secondary testid="step-add">{move || t().step_add}</Button>
        </form>
        <ListEditor title=Signal::derive(move || t().trainings_title) new_label=Signal::derive(move || t().training_new)
            fid="plan-formation" list=trainings input=training on_add=Callback::new(move |()| add_to(trainings, training))/>
        <ListEditor title=Signal::derive(move || t().resources_title) new_label=Signal::derive(move || t().resource_new)
            fid="plan-ressource" list=resources input=resource on_add=Callback::new(move |()| add_to(resources, resource))/>
    }
}

/// A short list of strings with a field to add one.
#[component]
fn ListEditor(
    title: Signal<&'static str>,
    new_label: Signal<&'static str>,
    fid: &'static str,
    list: RwSignal<Vec<String>>,
    input: RwSignal<String>,
    on_add: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <h3>{move || title.get()}</h3>
        <ul>{move || list.get().into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul>
        <form class="form form-inline" novalidate on:submit=move |ev| { no_reload(&ev); on_add.run(()); }>
            <TextField id=fid label=move || new_label.get() value=input/>
            <Button submit=true kind=ButtonKind::Secondary>{move || i.t().proj.item_add}</Button>
        </form>
    }
}
