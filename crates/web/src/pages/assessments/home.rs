//! "Mes questionnaires" on the beneficiary's home: what the consultant offered, how far each one
//! is, and the way in (start, resume, or read the results).

use boussole_shared::assessments::{Assessment, AssessmentStatus};
use leptos::prelude::*;
use uuid::Uuid;

use super::{AData, AssessmentBadge, results_path, state::lt, take_path};
use crate::{api::use_api, components::*, i18n::use_i18n};

#[component]
pub fn MyAssessments(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let list = crate::components::loader(move || {
        version.track();
        async move { api.assessments(id).await.map(AData::List) }
    });
    view! {
        <section class="card" aria-labelledby="mes-questionnaires" data-testid="my-assessments">
            <h2 id="mes-questionnaires">{move || i.t().assess.home_title}</h2>
            <p class="note">{move || i.t().assess.home_intro}</p>
            <Loaded resource=list let:d>
                {match d {
                    AData::List(v) if v.is_empty() => view! {
                        <EmptyState><p>{move || i.t().assess.home_empty}</p></EmptyState>
                    }.into_any(),
                    AData::List(v) => view! {
                        <ul class="assessments">
                            {v.into_iter().map(|a| view! { <Entry a/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    _ => ().into_any(),
                }}
            </Loaded>
        </section>
    }
}

#[component]
fn Entry(a: Assessment) -> impl IntoView {
    let i = use_i18n();
    let t1 = a.title.clone();
    let title = move || lt(&t1, i.locale.get()).to_string();
    let bar_id = format!("avancement-{}", a.id);
    let status = a.status;
    let href = match status {
        AssessmentStatus::Submitted => results_path(a.id),
        _ => take_path(a.id),
    };
    let action = move || {
        let t = i.t().assess;
        match status {
            AssessmentStatus::Submitted => t.see_results,
            AssessmentStatus::InProgress => t.resume,
            AssessmentStatus::Assigned => t.start,
        }
    };
    let progress = move || {
        i.t()
            .assess
            .answered_of
            .replace("{n}", &a.answered.to_string())
            .replace("{m}", &a.total.to_string())
    };
    let t2 = a.title.clone();
    view! {
        <li class="assessment-entry" data-testid="assessment-entry" data-instrument=a.instrument_id.clone()>
            <h3>{title}</h3>
            <p><AssessmentBadge status=a.status/></p>
            <div class="hours">
                <label for=bar_id.clone()>{move || i.t().assess.progress_label}</label>
                <progress id=bar_id max=a.total.max(1) value=a.answered></progress>
                <span class="hours-text">{progress}</span>
            </div>
            <a class="btn btn-primary" href=href data-testid="assessment-open">
                {action}
                <span class="visually-hidden">{move || format!(" : {}", lt(&t2, i.locale.get()))}</span>
            </a>
        </li>
    }
}
