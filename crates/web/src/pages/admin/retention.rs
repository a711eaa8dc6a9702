//! `/admin/conservation`: the retention rules (issue 12, item 4), one form per class of documents
//! (the months within the bounds the API gives; a rule the law fixes is only shown), the destruction
//! records, and "Lancer maintenant" behind a confirmation.
//! `/admin/conservation/:id`: a destruction record's items and its procès-verbal in PDF.

use boussole_shared::retention::{DestructionRun, RetentionRule, RetentionRuleUpdate};
use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::paris_fr,
    i18n::{LegalStrings, Strings, use_i18n},
    pages::{no_reload, save_file},
};

const PER_PAGE: i64 = 20;

/// What the months field says of a failed save: the API's 422 `retention-out-of-bounds` (in French
/// its detail, which names the bounds and their basis; in English the slug's own words, the bounds
/// being under the field already) or its 400 on `months_after_end`; `None` for any other failure,
/// which the form shows as a whole.
pub fn months_error(e: &ApiError, t: &Strings) -> Option<String> {
    if e.is("retention-out-of-bounds") {
        return Some(e.message(t, &[]));
    }
    e.field("months_after_end")
}

fn trigger_label(l: &LegalStrings, trigger: &str) -> &'static str {
    match trigger {
        "admin" => l.ret_by_admin,
        _ => l.ret_by_job,
    }
}

#[component]
pub fn Retention() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let rules = crate::components::loader(move || async move { api.retention_rules().await });
    let page = RwSignal::new(1_i64);
    let runs_changed = RwSignal::new(0_u32);
    let runs = crate::components::loader(move || {
        let p = page.get();
        runs_changed.track();
        async move { api.destruction_runs(p, PER_PAGE).await }
    });
    let open = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let run = crate::components::act(move |_: &()| async move {
        error.set(None);
        match api.run_destruction().await {
            Ok(d) => {
                open.set(false);
                let n = d.run.items.to_string();
                toasts.show(i.t().legal.ret_done.replace("{n}", &n));
                page.set(1);
                runs_changed.update(|n| *n += 1);
            }
            Err(e) => error.set(Some(e)),
        }
    });
    // Each record downloads as its procès-verbal, which lists what was destroyed and under which
    // rule (no page of its own: the PDF is the record an auditor asks for).
    let pdf = crate::components::act(move |id: &Uuid| {
        let id = *id;
        async move {
            error.set(None);
            match api.destruction_pdf(id).await {
                Ok(file) => {
                    let name = file
                        .name
                        .as_deref()
                        .unwrap_or("proces-verbal-destruction.pdf");
                    save_file(&file.bytes, "application/pdf", name);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let row = move |r: DestructionRun| {
        let l = i.t().legal;
        let at = paris_fr(r.ran_at);
        view! {
            <tr data-testid="run-row">
                <th scope="row">{at.clone()}</th>
                <td data-label=l.ret_trigger>{trigger_label(l, &r.trigger)}</td>
                <td data-label=l.ret_items>{r.items}</td>
                <td>
                    <Button kind=ButtonKind::Secondary busy=pdf.pending() testid="run-pdf"
                        on_click=move |_| { pdf.dispatch(r.id); }>
                        <span aria-label=l.ret_open_label.replace("{date}", &at)>{l.run_pdf}</span>
                    </Button>
                </td>
            </tr>
        }
    };
    view! {
        <Page title=move || i.t().legal.ret_title help="conservation">
            <p>{move || i.t().legal.ret_intro}</p>
            <section aria-labelledby="durees">
                <h2 id="durees">{move || i.t().legal.ret_rules}</h2>
                <Loaded resource=rules let:list>
                    {list.into_iter().map(|rule| view! { <RuleForm rule/> }).collect_view()}
                </Loaded>
            </section>
            <section class="card" aria-labelledby="destructions">
                <h2 id="destructions">{move || i.t().legal.ret_runs}</h2>
                <div class="toolbar">
                    <Button kind=ButtonKind::Danger on_click=move |_| { error.set(None); open.set(true); } testid="run-now">
                        {move || i.t().legal.ret_run_now}
                    </Button>
                </div>
                <FormError error testid="run-pdf-error"/>
                <Loaded resource=runs let:list>
                    <Paged list empty=move || i.t().legal.ret_runs_empty page per_page=PER_PAGE children=move |p| view! {
                        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=i.t().legal.ret_runs>
                            <table data-testid="runs-table">
                                <caption>{i.t().legal.ret_runs_caption.replace("{n}", &p.total.to_string())}</caption>
                                <thead><tr>
                                    <th scope="col">{i.t().legal.ret_ran_at}</th>
                                    <th scope="col">{i.t().legal.ret_trigger}</th>
                                    <th scope="col">{i.t().legal.ret_items}</th>
                                    <th scope="col">{i.t().legal.run_pdf}</th>
                                </tr></thead>
                                <tbody>{p.items.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                    }/>
                </Loaded>
            </section>
            <Dialog id="destruction" open title=move || i.t().legal.ret_confirm_title testid="run-now-dialog">
                <p>{move || i.t().legal.ret_confirm_text}</p>
                <FormError error testid="run-now-error"/>
                <Button kind=ButtonKind::Danger busy=run.pending() on_click=move |_| { run.dispatch(()); } testid="run-now-confirm">
                    {move || i.t().legal.ret_confirm}
                </Button>
            </Dialog>
        </Page>
    }
}

/// One class's rule: its period, editable within its bounds unless the law fixes it.
#[component]
fn RuleForm(rule: RetentionRule) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let (class, id) = (rule.class, rule.class.as_str());
    let heading = format!("regle-{id}");
    let months = RwSignal::new(rule.months_after_end.to_string());
    let changed = RwSignal::new(rule.updated_at);
    let field = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let save = crate::components::act(move |m: &i64| {
        let body = RetentionRuleUpdate {
            months_after_end: *m,
        };
        async move {
            error.set(None);
            match api.put_retention_rule(class, &body).await {
                Ok(r) => {
                    months.set(r.months_after_end.to_string());
                    changed.set(r.updated_at);
                    toasts.show(i.t().legal.ret_saved);
                }
                // Focus on the field makes a screen reader read its error.
                Err(e) => match months_error(&e, i.t()) {
                    Some(msg) => {
                        field.set(Some(msg));
                        focus_later(id);
                    }
                    None => error.set(Some(e)),
                },
            }
        }
    });
    let (min, max, basis) = (rule.min_months, rule.max_months, rule.basis);
    let body = if min == max {
        let text = move || {
            let t = i.t().legal.ret_fixed.replace("{n}", &min.to_string());
            t.replace("{basis}", &basis)
        };
        view! { <p data-testid="retention-fixed">{text}</p> }.into_any()
    } else {
        let hint = move || {
            let l = i.t().legal;
            l.ret_bounds
                .replace("{min}", &min.to_string())
                .replace("{max}", &max.to_string())
                .replace("{basis}", &basis)
        };
        view! {
            <form class="form" novalidate aria-labelledby=heading.clone() on:submit=move |ev| {
                no_reload(&ev);
                match months.get_untracked().trim().parse::<i64>() {
                    Ok(m) => {
                        field.set(None);
                        save.dispatch(m);
                    }
                    Err(_) => {
                        field.set(Some(i.t().legal.ret_not_number.to_string()));
                        focus_later(id);
                    }
                }
            }>
                <FormError error testid="retention-error"/>
                <TextField id label=move || i.t().legal.ret_months value=months kind="number" hint
                    error=field testid="retention-months"/>
                {move || changed.get().map(|at| view! {
                    <p class="hint" data-testid="retention-changed">{i.t().legal.ret_changed.replace("{date}", &paris_fr(at))}</p>
                })}
                <Button submit=true busy=save.pending() testid="retention-save">{move || i.t().save}</Button>
            </form>
        }
        .into_any()
    };
    let labelled_by = heading.clone();
    view! {
        <section class="card" aria-labelledby=labelled_by data-testid="retention-rule" data-class=id>
            <h3 id=heading>{rule.label}</h3>
            {body}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use boussole_shared::Problem;

    use super::*;

    fn problem(
        slug: &str,
        detail: &str,
        errors: Option<BTreeMap<String, Vec<String>>>,
    ) -> ApiError {
        ApiError::Problem(Problem {
            kind: format!("urn:boussole:problem:{slug}"),
            title: "Titre".into(),
            status: 422,
            detail: Some(detail.into()),
            errors,
            rules: None,
            missing: Some(vec![]),
        })
    }

    #[test]
    fn the_months_field_shows_the_bounds_and_validation_errors_only() {
        let (fr, en) = (&crate::i18n::FR, &crate::i18n::EN);
        let bounds = "La durée doit être comprise entre 36 et 120 mois.";
        let out = problem("retention-out-of-bounds", bounds, None);
        assert_eq!(months_error(&out, fr).as_deref(), Some(bounds));
        // In English, the slug's words, not the API's French.
        let english = months_error(&out, en).unwrap_or_default();
        assert!(english.contains("outside the bounds"), "{english}");
        let range = BTreeMap::from([(
            "months_after_end".to_string(),
            vec!["de 0 à 1200".to_string()],
        )]);
        assert_eq!(
            months_error(&problem("validation", "x", Some(range)), fr).as_deref(),
            Some("de 0 à 1200")
        );
        // Anything else is the form's: a lost network, a conflict.
        assert_eq!(months_error(&problem("conflict", "x", None), fr), None);
        assert_eq!(months_error(&ApiError::Network, en), None);
    }

    #[test]
    fn a_run_says_who_started_it() {
        let l = &crate::i18n::FR.legal;
        assert_eq!(trigger_label(l, "admin"), l.ret_by_admin);
        assert_eq!(trigger_label(l, "job"), l.ret_by_job);
    }
}
