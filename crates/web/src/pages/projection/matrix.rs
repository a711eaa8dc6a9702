//! The decision matrix: weights per criterion, a score from 1 to 5 per path and criterion, and the
//! weighted totals and ranks as the server computes them on save.

use std::collections::HashMap;

use boussole_shared::projection::{DecisionMatrix, DecisionMatrixInput, Score};
use leptos::prelude::*;
use uuid::Uuid;

use super::PData;
use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
};

#[component]
pub fn MatrixSection(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let matrix = crate::components::loader(move || {
        version.track();
        async move { api.decision_matrix(id).await.map(PData::Matrix) }
    });
    view! {
        <section class="card" aria-labelledby="matrice">
            <h2 id="matrice">{move || i.t().proj.matrix_title}</h2>
            <p class="note">{move || i.t().proj.matrix_intro}</p>
            <Loaded resource=matrix let:d>
                {match d {
                    PData::Matrix(m) if m.ranking.is_empty() => view! { <EmptyState>{i.t().proj.matrix_empty}</EmptyState> }.into_any(),
                    PData::Matrix(m) => view! { <MatrixEditor id matrix=m version/> }.into_any(),
                    _ => ().into_any(),
                }}
            </Loaded>
        </section>
    }
}

#[component]
fn MatrixEditor(id: Uuid, matrix: DecisionMatrix, version: RwSignal<u32>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let t = i.t().proj;
    let criteria = matrix.criteria.clone();
    let weights: Vec<RwSignal<String>> = criteria
        .iter()
        .map(|c| RwSignal::new(c.weight.to_string()))
        .collect();
    let scores: HashMap<(Uuid, String), RwSignal<String>> = matrix
        .ranking
        .iter()
        .flat_map(|r| criteria.iter().map(move |c| (r.path_id, c.key.clone())))
        .map(|k| {
            let given = matrix
                .scores
                .iter()
                .find(|s| s.path_id == k.0 && s.criterion == k.1)
                .map(|s| s.score.to_string())
                .unwrap_or_default();
            (k, RwSignal::new(given))
        })
        .collect();
    let error = RwSignal::new(None::<ApiError>);
    let (crit, w, sc) = (criteria.clone(), weights.clone(), scores.clone());
    let kept = matrix.scores.clone();
    let save = crate::components::act(move |_: &()| {
        // The scores of dropped paths are not shown but kept.
        let kept = kept
            .iter()
            .filter(|s| !sc.keys().any(|(p, _)| *p == s.path_id))
            .cloned();
        let mut body = DecisionMatrixInput {
            criteria: crit.clone(),
            scores: kept.collect(),
        };
        for (c, w) in body.criteria.iter_mut().zip(&w) {
            c.weight = w.get_untracked().parse().unwrap_or(0);
        }
        for ((path_id, criterion), v) in &sc {
            if let Ok(score) = v.get_untracked().parse() {
                body.scores.push(Score {
                    path_id: *path_id,
                    criterion: criterion.clone(),
                    score,
                });
            }
        }
        async move {
            error.set(None);
            match api.save_decision_matrix(id, &body).await {
                Ok(_) => {
                    toasts.show(i.t().proj.saved);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <FormError error testid="matrix-error"/>
        <fieldset class="weights">
            <legend>{t.weights_title}</legend>
            {criteria.iter().zip(weights).enumerate().map(|(n, (c, w))| {
                let fid = format!("poids-{n}");
                view! {
                    <div class="field field-inline">
                        <label for=fid.clone()>{t.weight_label.replace("{criterion}", &c.label)}</label>
                        <input id=fid type="number" min="1" max="10" inputmode="numeric" prop:value=move || w.get()
                            on:input=move |ev| w.set(event_target_value(&ev)) data-testid="matrix-weight"/>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=t.matrix_title>
            <table data-testid="matrix-table">
                <caption>{t.matrix_caption}</caption>
                <thead><tr>
                    <th scope="col">{t.col_rank}</th>
                    <th scope="col">{t.col_path}</th>
                    {criteria.iter().map(|c| view! { <th scope="col">{c.label.clone()}</th> }).collect_view()}
                    <th scope="col">{t.col_total}</th>
                </tr></thead>
                <tbody>
                    {matrix.ranking.into_iter().map(|r| view! {
                        <tr data-testid="matrix-row">
                            <td data-label=t.col_rank data-testid="matrix-rank">{r.rank}</td>
                            <th scope="row">{r.title.clone()}</th>
                            {criteria.iter().map(|c| {
                                let cell = scores.get(&(r.path_id, c.key.clone())).copied();
                                let label = t.score_label.replace("{path}", &r.title).replace("{criterion}", &c.label);
                                cell.map(|v| view! {
                                    <td data-label=c.label.clone()><select aria-label=label on:change=move |ev| v.set(event_target_value(&ev)) data-testid="matrix-score">
                                        {["", "1", "2", "3", "4", "5"].into_iter().map(|o| view! {
                                            <option value=o selected=move || v.get() == o>{if o.is_empty() { "–" } else { o }}</option>
                                        }).collect_view()}
                                    </select></td>
                                })
                            }).collect_view()}
                            <td data-label=t.col_total data-testid="matrix-total">
                                {t.total_of.replace("{total}", &r.total.to_string()).replace("{max}", &r.max_total.to_string())}
                                {(!r.complete).then(|| view! { " " <StatusBadge tone=Tone::Muted label=t.incomplete/> })}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Button on_click=move |_| { save.dispatch(()); } busy=save.pending() testid="matrix-save">{t.matrix_save}</Button>
    }
}
