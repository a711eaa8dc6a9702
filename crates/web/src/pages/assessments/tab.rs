//! The "Évaluations" tab of the consultant's bilan file: offer an instrument from the catalogue,
//! see where each assessment stands, and open the results of those sent.

use boussole_shared::assessments::{AssessmentStatus, AssignInstrument};
use leptos::prelude::*;
use uuid::Uuid;

use super::{AData, AssessmentBadge, results_path, state::lt};
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::paris_fr,
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn AssessmentsPanel(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let list = crate::components::loader(move || {
        version.track();
        async move { api.assessments(id).await.map(AData::List) }
    });
    let catalogue = crate::components::loader(move || async move {
        api.instruments().await.map(AData::Instruments)
    });
    let options = Signal::derive(move || {
        let t = i.t().assess;
        let l = i.locale.get();
        let mut v = vec![(String::new(), t.instrument_pick.to_string())];
        if let Some(Ok(AData::Instruments(list))) = catalogue.get() {
            v.extend(list.iter().map(|s| {
                let label = t
                    .instrument_option
                    .replace("{title}", lt(&s.title, l))
                    .replace("{n}", &s.item_count.to_string());
                (s.id.clone(), label)
            }));
        }
        v
    });
    let picked = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let assign = crate::components::act(move |_: &()| {
        let body = AssignInstrument {
            instrument_id: picked.get_untracked(),
            version: None,
        };
        async move {
            error.set(None);
            match api.assign_instrument(id, &body).await {
                Ok(_) => {
                    toasts.show(i.t().assess.assigned_toast);
                    picked.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <Loaded resource=list let:d>
            {match d {
                AData::List(v) if v.is_empty() => view! {
                    <EmptyState><p>{move || i.t().assess.list_empty}</p></EmptyState>
                }.into_any(),
                AData::List(v) => {
                    let t = i.t().assess;
                    let l = i.locale.get_untracked();
                    view! {
                        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=t.list_caption>
                            <table data-testid="assessments-table">
                                <caption>{t.list_caption}</caption>
                                <thead><tr>
                                    <th scope="col">{t.col_instrument}</th>
                                    <th scope="col">{t.col_status}</th>
                                    <th scope="col">{t.col_progress}</th>
                                    <th scope="col">{t.col_assigned_on}</th>
                                    <th scope="col">{t.col_results}</th>
                                </tr></thead>
                                <tbody>
                                    {v.into_iter().map(|a| {
                                        let title = lt(&a.title, l).to_string();
                                        let done = a.status == AssessmentStatus::Submitted;
                                        view! {
                                            <tr data-testid="assessment-row" data-instrument=a.instrument_id.clone()>
                                                <th scope="row" class="wrap">{title.clone()}</th>
                                                <td data-label=t.col_status>
                                                    <AssessmentBadge status=a.status/>
                                                    {a.interpreted.then(|| view! { " "<StatusBadge tone=Tone::Ok label=t.interpreted/> })}
                                                </td>
                                                <td data-label=t.col_progress>{t.answered_of.replace("{n}", &a.answered.to_string()).replace("{m}", &a.total.to_string())}</td>
                                                <td data-label=t.col_assigned_on>{paris_fr(a.assigned_at)}</td>
                                                <td data-label=t.col_results>{done.then(|| view! {
                                                    <a href=results_path(a.id) data-testid="assessment-results">
                                                        {t.see_results}<span class="visually-hidden">{format!(" : {title}")}</span>
                                                    </a>
                                                })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
                _ => ().into_any(),
            }}
        </Loaded>
        <section class="card" aria-labelledby="proposer-questionnaire">
            <h2 id="proposer-questionnaire">{move || i.t().assess.assign_title}</h2>
            <p class="note">{move || i.t().assess.assign_intro}</p>
            <form class="form" novalidate data-testid="assign-form"
                on:submit=move |ev| { no_reload(&ev); if !picked.get_untracked().is_empty() { assign.dispatch(()); } }>
                <FormError error testid="assign-error"/>
                <ChoiceField id="assign-instrument" label=move || i.t().assess.instrument_label value=picked
                    options required=true error=field_error(error, "instrument_id") testid="assign-instrument"/>
                <Button submit=true busy=assign.pending() testid="assign-submit">{move || i.t().assess.assign_button}</Button>
            </form>
        </section>
    }
}
