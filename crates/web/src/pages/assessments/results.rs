//! `/questionnaires/:id/resultats`: a submitted assessment's results, the same for the beneficiary
//! and the consultants: the RIASEC hexagon with the Holland code, bars with bands, skills by
//! category, the values ranking; each chart with its table; the consultant's interpretation; the
//! instrument's source and licence; and a print button (the print stylesheet keeps the content).
//! The words describe what was answered and never state a verdict (GDPR art. 22).

use boussole_shared::{
    assessments::{Instrument, Results},
    users::{Locale, Role},
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::{
    AData,
    figures::{band_marks, consistency_label, hexagon, num, range, ranking_rows, scale_rows},
    interpretation::InterpretationSection,
    state::lt,
};
use crate::{
    api::{ApiError, use_api},
    components::{
        charts::{BarChart, ChartText, RadarChart},
        *,
    },
    i18n::{strings_for, use_i18n},
};

#[component]
pub fn ResultsPage() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let staff = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.role))
        == Some(Role::Consultant);
    let data = crate::components::loader(move || async move {
        let id = id.ok_or(ApiError::Unexpected(404))?;
        let r = api.results(id).await?;
        let a = &r.assessment;
        let inst = api
            .instrument(&a.instrument_id, a.instrument_version)
            .await?;
        Ok(AData::Results(Box::new(r), Box::new(inst)))
    });
    let title = move || match data.get() {
        Some(Ok(AData::Results(r, _))) => i
            .t()
            .assess
            .results_title
            .replace("{title}", lt(&r.assessment.title, i.locale.get())),
        _ => i.t().assess.see_results.to_string(),
    };
    let back = move || match data.get() {
        Some(Ok(AData::Results(r, _))) if staff => {
            Some(format!("/bilans/{}", r.assessment.bilan_id))
        }
        _ if staff => None,
        _ => Some("/beneficiaire".to_string()),
    };
    view! {
        <Page title help="resultats">
            <p class="no-print">
                {move || back().map(|href| view! {
                    <a href=href data-testid="results-back">
                        {if staff { i.t().assess.back_to_file } else { i.t().assess.back_home }}
                    </a>
                })}
            </p>
            <Loaded resource=data let:d>
                {match d {
                    AData::Results(r, inst) => view! { <ResultsBody r=*r inst=*inst staff/> }.into_any(),
                    _ => ().into_any(),
                }}
            </Loaded>
        </Page>
    }
}

/// The results. The figures and the "about" box are drawn again when the language changes (a
/// component body runs once: reading the locale there froze the charts in the first language); the
/// interpretation is not, so that a draft being typed survives a language switch.
#[component]
fn ResultsBody(r: Results, inst: Instrument, staff: bool) -> impl IntoView {
    let i = use_i18n();
    let id = r.assessment.id;
    let current = r.interpretation.clone();
    let (r, inst) = (StoredValue::new(r), StoredValue::new(inst));
    let shown = move || {
        let l = i.locale.get();
        r.with_value(|r| inst.with_value(|inst| figures(r, inst, l)))
    };
    let facts = move || {
        let l = i.locale.get();
        inst.with_value(|inst| about(inst, l))
    };
    view! {
        <div class="results" data-testid="results">
            {shown}
            <InterpretationSection id current staff/>
            {facts}
        </div>
    }
}

fn figures(r: &Results, inst: &Instrument, l: Locale) -> AnyView {
    let t = strings_for(l).assess;
    let text = |title: String, first: &str| ChartText {
        title,
        label_header: first.to_string(),
        value_header: t.col_score.to_string(),
        note_header: t.col_band.to_string(),
    };
    let fill = |s: &str, (min, max): (f64, f64)| {
        s.replace("{min}", &num(min, l))
            .replace("{max}", &num(max, l))
    };
    let holland = r.holland.clone().map(|h| {
        let hex = hexagon(&r.scales);
        let span = range(&hex);
        let rows = scale_rows(&hex, t, l);
        view! {
            <section class="card" aria-labelledby="code-holland" data-testid="holland">
                <h2 id="code-holland">{t.holland_title}</h2>
                <p class="holland-code" data-testid="holland-code">{h.code.clone()}</p>
                <p>{t.holland_text.replace("{code}", &h.code)}</p>
                {(!h.ties.is_empty()).then(|| view! { <p>{t.holland_ties.replace("{letters}", &h.ties.join(", "))}</p> })}
                <p>{t.holland_differentiation.replace("{n}", &num(h.differentiation, l))}</p>
                <p>{t.holland_consistency.replace("{label}", consistency_label(t, &h))}</p>
                <RadarChart text=text(fill(t.radar_title, span), t.col_type) rows min=span.0 max=span.1/>
            </section>
        }
    });
    // Without a Holland code, the scales are bars (personality, skills, custom questionnaires).
    // A values ranking's scales only repeat the ranking: the ranking is shown instead.
    let bars = (r.holland.is_none() && r.rankings.is_empty() && !r.scales.is_empty()).then(|| {
        let scales: Vec<_> = r.scales.iter().collect();
        {
            let span = range(&scales);
            let marks = inst
                .scales
                .first()
                .map(|s| band_marks(&s.bands))
                .unwrap_or_default();
            let skills = inst.kind == boussole_shared::assessments::InstrumentKind::Skills;
            let (title, first) = if skills {
                (t.skills_title, t.col_category)
            } else {
                (t.bars_title, t.col_dimension)
            };
            let rows = scale_rows(&scales, t, l);
            view! {
                <section class="card" aria-labelledby="scores" data-testid="scores">
                    <h2 id="scores">{t.col_score}</h2>
                    <BarChart text=text(fill(title, span), first) rows min=span.0 max=span.1 marks/>
                </section>
            }
        }
    });
    let rankings = r
        .rankings
        .iter()
        .map(|rk| {
            let rows = ranking_rows(rk, t, l);
            let n = rows.len() as f64;
            let chart_text = ChartText {
                title: t.values_title.to_string(),
                label_header: t.col_value.to_string(),
                value_header: t.col_rank.to_string(),
                note_header: String::new(),
            };
            view! {
                <section class="card" aria-labelledby="classement" data-testid="ranking-result">
                    <h2 id="classement">{lt(&rk.text, l).to_string()}</h2>
                    <BarChart text=chart_text rows min=0.0 max=n/>
                </section>
            }
        })
        .collect_view();
    let note = inst.translation_note.clone();
    view! {
        <p class="notice" data-testid="exploratory">{t.exploratory}</p>
        {note.map(|n| view! { <p class="note">{n}</p> })}
        <p>{t.results_intro}</p>
        {holland}
        {bars}
        {rankings}
    }
    .into_any()
}

fn about(inst: &Instrument, l: Locale) -> AnyView {
    let t = strings_for(l).assess;
    view! {
        <section class="card" aria-labelledby="a-propos">
            <h2 id="a-propos">{t.about_title}</h2>
            <p>{lt(&inst.title, l).to_string()}" (v"{inst.version}")"</p>
            <dl class="facts-list about-list">
                <dt>{t.source}</dt><dd>{inst.source.clone()}</dd>
                <dt>{t.licence}</dt><dd>{inst.licence.clone()}</dd>
                <dt>{t.attribution}</dt><dd>{inst.attribution.clone()}</dd>
            </dl>
        </section>
        <p class="no-print">
            <button type="button" class="btn btn-secondary" on:click=|_| { let _ = window().print(); } data-testid="results-print">
                {t.print}
            </button>
        </p>
    }
    .into_any()
}
