//! `/beneficiaire/questionnaires/:id`: the beneficiary answers, part by part, with autosave, the
//! progress bar and a "saved" status; it opens where they left off; the last part sends the
//! answers after a confirmation. Once sent, the page says so and links to the results.

use boussole_shared::assessments::{Answer, AssessmentStatus, Instrument};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use super::{
    AData,
    autosave::Autosave,
    items::{ItemField, anchor},
    results_path,
    state::{
        AnswerMap, SaveState, answer_map, first_open, lt, part_items, parts, progress, resume_part,
    },
};
use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
};

#[component]
pub fn TakePage() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let data = crate::components::loader(move || async move {
        let id = id.ok_or(ApiError::Unexpected(404))?;
        let answers = api.answers(id).await?;
        let a = &answers.assessment;
        let inst = api
            .instrument(&a.instrument_id, a.instrument_version)
            .await?;
        Ok(AData::Taking(Box::new(inst), answers))
    });
    let title = move || match data.get() {
        Some(Ok(AData::Taking(inst, _))) => lt(&inst.title, i.locale.get()).to_string(),
        _ => i.t().assess.home_title.to_string(),
    };
    view! {
        <Page title help="questionnaire">
            <p><a href="/beneficiaire">{move || i.t().assess.back_home}</a></p>
            <Loaded resource=data let:d>
                {match (d, id) {
                    (AData::Taking(inst, a), Some(id)) if a.assessment.status == AssessmentStatus::Submitted => {
                        let _ = inst;
                        view! {
                            <p class="notice" data-testid="already-submitted">{move || i.t().assess.already_submitted}</p>
                            <p><a class="btn btn-primary" href=results_path(id)>{move || i.t().assess.see_results}</a></p>
                        }.into_any()
                    }
                    (AData::Taking(inst, a), Some(id)) => {
                        view! { <Questionnaire id inst=*inst answers=answer_map(a.answers)/> }.into_any()
                    }
                    _ => ().into_any(),
                }}
            </Loaded>
        </Page>
    }
}

#[component]
fn Questionnaire(id: Uuid, inst: Instrument, answers: AnswerMap) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let navigate = use_navigate();
    let all = parts(&inst);
    let count = all.len();
    let part = RwSignal::new(resume_part(&inst, &answers));
    let answers = RwSignal::new(answers);
    let inst = StoredValue::new(inst);
    let all = StoredValue::new(all);
    let save = Autosave::new(api, id);
    let on_answer = Callback::new(move |a: Answer| {
        answers.update(|m| {
            m.insert(a.item_id.clone(), a.clone());
        });
        save.put(a);
    });
    let prog = Memo::new(move |_| answers.with(|m| inst.with_value(|inst| progress(inst, m))));
    let go = move |n: usize| {
        save.flush();
        part.set(n);
        focus_later("partie-titre");
    };
    let confirm_open = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = crate::components::act(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            error.set(None);
            match api.submit_assessment(id).await {
                Ok(_) => {
                    toasts.show(i.t().assess.submitted_toast);
                    navigate(&results_path(id), Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let to_first_missing = move |_| {
        if let Some((n, item)) = answers.with(|m| inst.with_value(|inst| first_open(inst, m))) {
            save.flush();
            part.set(n);
            focus_later(anchor(&item));
        }
    };
    let instructions = inst.with_value(|inst| inst.instructions.clone());
    view! {
        <section class="card" aria-labelledby="consignes">
            <h2 id="consignes">{move || i.t().assess.instructions}</h2>
            <p>{move || lt(&instructions, i.locale.get()).to_string()}</p>
        </section>
        <div class="take-status">
            <div class="hours">
                <label for="avancement">{move || i.t().assess.progress_label}</label>
                <progress id="avancement" max=move || prog.get().total.max(1) value=move || prog.get().answered></progress>
                <span class="hours-text" data-testid="take-progress">
                    {move || i.t().assess.answered_of.replace("{n}", &prog.get().answered.to_string()).replace("{m}", &prog.get().total.to_string())}
                </span>
            </div>
            <SaveStatus save/>
        </div>
        {move || {
            let n = part.get();
            let Some(p) = all.with_value(|a| a.get(n).copied()) else { return ().into_any() };
            let offset: usize = all.with_value(|a| a[..n].iter().map(|p| p.end - p.start).sum());
            let (section, items) = inst.with_value(|inst| {
                (inst.sections.get(p.section).cloned(), part_items(inst, &p).to_vec())
            });
            let Some(section) = section else { return ().into_any() };
            let t = i.t().assess;
            view! {
                <section class="card take-part" aria-labelledby="partie-titre" data-testid="take-part">
                    <h2 id="partie-titre" tabindex="-1">
                        {lt(&section.title, i.locale.get_untracked()).to_string()}
                        <span class="part-of">{format!(" — {}", t.part_of.replace("{n}", &(n + 1).to_string()).replace("{m}", &count.to_string()))}</span>
                    </h2>
                    {section.intro.map(|x| view! { <p>{lt(&x, i.locale.get_untracked()).to_string()}</p> })}
                    {items.into_iter().enumerate().map(|(k, item)| view! {
                        <ItemField item number=offset + k + 1 answers on_answer disabled=false/>
                    }).collect_view()}
                </section>
                <div class="toolbar take-nav">
                    {(n > 0).then(|| view! {
                        <Button kind=ButtonKind::Secondary on_click=move |_| go(n - 1) testid="part-prev">{t.prev_part}</Button>
                    })}
                    {(n + 1 < count).then(|| view! {
                        <Button on_click=move |_| go(n + 1) testid="part-next">{t.next_part}</Button>
                    })}
                </div>
            }.into_any()
        }}
        <Show when=move || { part.get() + 1 >= count }>
            <section class="card" aria-labelledby="envoi">
                <h2 id="envoi">{move || i.t().assess.submit}</h2>
                {move || {
                    let missing = prog.get().required_missing;
                    let t = i.t().assess;
                    if missing > 0 {
                        view! {
                            <p data-testid="submit-missing">{t.submit_missing.replace("{n}", &missing.to_string())}</p>
                            <button type="button" class="btn btn-secondary" on:click=to_first_missing data-testid="first-missing">{t.first_missing}</button>
                        }.into_any()
                    } else {
                        view! {
                            <Button on_click=move |_| { save.flush(); error.set(None); confirm_open.set(true); } testid="submit-open">{t.submit}</Button>
                        }.into_any()
                    }
                }}
            </section>
        </Show>
        <Dialog id="envoi-confirmation" open=confirm_open title=move || i.t().assess.confirm_title testid="submit-dialog">
            <p>{move || i.t().assess.confirm_text}</p>
            <FormError error testid="submit-error"/>
            <Button busy=Signal::derive(move || submit.pending().get() || save.state.get() != SaveState::Saved)
                on_click=move |_| { submit.dispatch(()); } testid="submit-confirm">
                {move || i.t().assess.confirm_button}
            </Button>
        </Dialog>
    }
}

/// "Enregistré", "Enregistrement…", or the failure with a way to try again; announced politely.
#[component]
fn SaveStatus(save: Autosave) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="save-status" role="status" data-testid="save-status" data-state=move || format!("{:?}", save.state.get())>
            {move || {
                let t = i.t().assess;
                match save.state.get() {
                    SaveState::Saved => view! { <span class="saved">"✓ "{t.save_saved}</span> }.into_any(),
                    SaveState::Pending => view! { <span>{t.save_pending}</span> }.into_any(),
                    SaveState::Saving => view! { <span>{t.save_saving}</span> }.into_any(),
                    SaveState::Failed => view! {
                        <span class="form-error">{t.save_failed}" "{save.error.get().map(|e| e.message(i.t(), &[]))}</span>
                        " "
                        <button type="button" class="btn btn-secondary" on:click=move |_| save.flush()>{t.retry}</button>
                    }.into_any(),
                }
            }}
        </div>
    }
}
