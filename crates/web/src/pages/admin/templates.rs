//! `/admin/modeles`: the document templates (issue 12, item 2), each kind with its current version.
//! `/admin/modeles/:kind`: its editable paragraphs, the merge fields they may quote, saving the next
//! version (the version edited goes with it: the API answers 409 when someone saved in between) and
//! the history. The legally required mentions are not templates: the page says they stay fixed.

use boussole_shared::documents::DocumentKind;
use boussole_shared::templates::{DocumentTemplate, TemplateSectionText, TemplateUpdate};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::paris_fr,
    i18n::use_i18n,
    pages::{documents::kind_label, no_reload},
};

/// The element id of the `n`-th paragraph's text area (ids must be `'static`; the API's section
/// keys are data, so the page numbers them instead).
pub fn section_id(n: usize) -> &'static str {
    const IDS: [&str; 8] = [
        "paragraphe-1",
        "paragraphe-2",
        "paragraphe-3",
        "paragraphe-4",
        "paragraphe-5",
        "paragraphe-6",
        "paragraphe-7",
        "paragraphe-8",
    ];
    IDS.get(n)
        .copied()
        .unwrap_or_else(|| String::leak(format!("paragraphe-{}", n + 1)))
}

/// What the API says about the paragraph `key`, sent `n`-th: the 422 `template-invalid` names it
/// `sections.{key}: …` (an unknown merge field, a brace left open), a 400 `sections[{n}].text` (empty
/// or too long).
pub fn section_error(e: &ApiError, n: usize, key: &str) -> Option<String> {
    let prefix = format!("sections.{key}: ");
    let mut msgs: Vec<String> = e
        .missing()
        .iter()
        .filter_map(|m| m.strip_prefix(&prefix).map(str::to_string))
        .collect();
    msgs.extend(e.field(&format!("sections[{n}].text")));
    (!msgs.is_empty()).then(|| msgs.join(" ; "))
}

/// "Texte d'origine" for the built-in version 0, else when it was saved.
fn saved_on(t: &DocumentTemplate, builtin: &'static str) -> String {
    t.updated_at.map_or_else(|| builtin.to_string(), paris_fr)
}

#[component]
pub fn Templates() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let list = crate::components::loader(move || async move { api.templates().await });
    let row = move |t: DocumentTemplate| {
        let (l, d) = (i.t().legal, i.t().docs);
        let name = kind_label(d, t.kind);
        view! {
            <tr data-testid="template-row" data-kind=t.kind.as_str()>
                <th scope="row">{name}</th>
                <td data-label=d.col_version>{t.version}</td>
                <td data-label=l.tpl_updated>{saved_on(&t, l.tpl_builtin)}</td>
                <td>
                    <a href=format!("/admin/modeles/{}", t.kind.as_str()) aria-label=l.tpl_edit_label.replace("{name}", name)
                        data-testid="template-edit">{l.tpl_edit}</a>
                </td>
            </tr>
        }
    };
    view! {
        <Page title=move || i.t().legal.tpl_nav help="modeles">
            <p>{move || i.t().legal.tpl_intro}</p>
            <p class="notice" data-testid="template-fixed">{move || i.t().legal.tpl_fixed}</p>
            <Loaded resource=list let:list>
                <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=i.t().legal.tpl_nav>
                    <table data-testid="templates-table">
                        <caption>{i.t().legal.tpl_caption.replace("{n}", &list.len().to_string())}</caption>
                        <thead><tr>
                            <th scope="col">{i.t().docs.col_document}</th>
                            <th scope="col">{i.t().docs.col_version}</th>
                            <th scope="col">{i.t().legal.tpl_updated}</th>
                            <th scope="col">{i.t().actions}</th>
                        </tr></thead>
                        <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                    </table>
                </div>
            </Loaded>
        </Page>
    }
}

#[component]
pub fn TemplatePage() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let kind = use_params_map()
        .with_untracked(|p| p.get("kind").and_then(|s| DocumentKind::parse(&s)))
        .unwrap_or(DocumentKind::PreContractInfo);
    let template = crate::components::loader(move || async move { api.template(kind).await });
    // Bumped by each save, so that the history shows the new version.
    let saves = RwSignal::new(0_u32);
    let versions = crate::components::loader(move || {
        saves.track();
        async move { api.template_versions(kind).await }
    });
    view! {
        <Page title=move || i.t().legal.tpl_page.replace("{name}", kind_label(i.t().docs, kind)) help="modeles">
            <p><a href="/admin/modeles" data-testid="template-back">{move || i.t().legal.tpl_back}</a></p>
            <p class="notice">{move || i.t().legal.tpl_fixed}</p>
            <Loaded resource=template let:t>
                {view! { <TemplateForm t kind saves reload=template/> }}
            </Loaded>
            <section class="card" aria-labelledby="historique">
                <h2 id="historique">{move || i.t().legal.tpl_history}</h2>
                <Loaded resource=versions let:list>{history(list)}</Loaded>
            </section>
        </Page>
    }
}

/// The merge fields and the paragraphs of the current version, saved as the next one.
#[component]
fn TemplateForm(
    t: DocumentTemplate,
    kind: DocumentKind,
    saves: RwSignal<u32>,
    reload: Loader<Result<DocumentTemplate, ApiError>>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let version = RwSignal::new(t.version);
    let texts: Vec<(String, RwSignal<String>)> = t
        .sections
        .iter()
        .map(|s| (s.key.clone(), RwSignal::new(s.text.clone())))
        .collect();
    let keys = StoredValue::new(texts.clone());
    let error = RwSignal::new(None::<ApiError>);
    let save = crate::components::act(move |_: &()| {
        let body = TemplateUpdate {
            version: version.get_untracked(),
            sections: keys.with_value(|k| {
                k.iter()
                    .map(|(key, text)| TemplateSectionText {
                        key: key.clone(),
                        text: text.get_untracked(),
                    })
                    .collect()
            }),
        };
        async move {
            error.set(None);
            match api.put_template(kind, &body).await {
                Ok(saved) => {
                    version.set(saved.version);
                    saves.update(|n| *n += 1);
                    let n = saved.version.to_string();
                    toasts.show(i.t().legal.tpl_saved.replace("{n}", &n));
                }
                Err(e) => {
                    // Focus goes to the first paragraph the API found wrong, which reads its error.
                    let wrong = keys.with_value(|k| {
                        (0..k.len()).find(|n| section_error(&e, *n, &k[*n].0).is_some())
                    });
                    error.set(Some(e));
                    if let Some(n) = wrong {
                        focus_later(section_id(n));
                    }
                }
            }
        }
    });
    let fields = t
        .merge_fields
        .into_iter()
        .map(|f| {
            view! {
                <dt><code>{format!("{{{{{}}}}}", f.name)}</code></dt>
                <dd>{f.description}</dd>
            }
        })
        .collect_view();
    let areas = t
        .sections
        .into_iter()
        .zip(texts)
        .enumerate()
        .map(|(n, (s, (key, value)))| {
            let err = Signal::derive(move || {
                error.with(|e| e.as_ref().and_then(|e| section_error(e, n, &key)))
            });
            view! { <TextArea id=section_id(n) label=s.label value error=err testid="template-section"/> }
        })
        .collect_view();
    let conflict = move || error.with(|e| e.as_ref().is_some_and(|e| e.is("template-changed")));
    view! {
        <section class="card" aria-labelledby="champs-fusion">
            <h2 id="champs-fusion">{move || i.t().legal.tpl_fields}</h2>
            <p class="hint">{move || i.t().legal.tpl_fields_intro}</p>
            <dl class="merge-fields" data-testid="template-fields">{fields}</dl>
        </section>
        <section class="card" aria-labelledby="paragraphes">
            <h2 id="paragraphes">{move || i.t().legal.tpl_paragraphs}</h2>
            <p data-testid="template-version">
                {move || i.t().legal.tpl_current.replace("{n}", &version.get().to_string())}
            </p>
            <form class="form form-wide template-form" novalidate data-testid="template-form" on:submit=move |ev| {
                no_reload(&ev);
                save.dispatch(());
            }>
                <FormError error testid="template-error"/>
                {move || conflict().then(|| view! {
                    <div class="notice" data-testid="template-conflict">
                        <p>{i.t().legal.tpl_conflict}</p>
                        <Button kind=ButtonKind::Secondary on_click=move |_| reload.refetch() testid="template-reload">
                            {i.t().legal.tpl_reload}
                        </Button>
                    </div>
                })}
                {areas}
                <Button submit=true busy=save.pending() testid="template-save">{move || i.t().legal.tpl_save}</Button>
            </form>
        </section>
    }
}

/// The versions, newest first, with when and by whom each was saved (a document names the version
/// it was issued with; its PDF holds the wording).
fn history(list: Vec<DocumentTemplate>) -> impl IntoView {
    let i = use_i18n();
    let (l, d) = (i.t().legal, i.t().docs);
    let caption = l
        .tpl_history_caption
        .replace("{n}", &list.len().to_string());
    let rows = list
        .into_iter()
        .map(|t| {
            view! {
                <tr data-testid="template-version-row">
                    <th scope="row">{t.version}</th>
                    <td data-label=l.tpl_updated>{saved_on(&t, l.tpl_builtin)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=l.tpl_history>
            <table data-testid="template-versions">
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">{d.col_version}</th>
                    <th scope="col">{l.tpl_updated}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use boussole_shared::Problem;

    use super::*;

    fn problem(missing: &[&str], errors: &[(&str, &str)]) -> ApiError {
        let errors: BTreeMap<String, Vec<String>> = errors
            .iter()
            .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
            .collect();
        ApiError::Problem(Problem {
            kind: "https://boussole.fr/problems/template-invalid".into(),
            title: "Règle".into(),
            status: 422,
            detail: None,
            errors: (!errors.is_empty()).then_some(errors),
            rules: None,
            missing: Some(missing.iter().map(|m| m.to_string()).collect()),
        })
    }

    #[test]
    fn each_paragraph_gets_only_its_own_errors() {
        let e = problem(
            &[
                "sections.introduction: champ de fusion inconnu : {{beneficiary.age}}",
                "sections.introduction: accolades « {{ » sans « }} »",
                "sections.objectives: section inconnue",
            ],
            &[("sections[2].text", "de 1 à 4000 caractères")],
        );
        assert_eq!(
            section_error(&e, 0, "introduction").as_deref(),
            Some("champ de fusion inconnu : {{beneficiary.age}} ; accolades « {{ » sans « }} »")
        );
        assert_eq!(
            section_error(&e, 1, "objectives").as_deref(),
            Some("section inconnue")
        );
        assert_eq!(
            section_error(&e, 2, "evaluation").as_deref(),
            Some("de 1 à 4000 caractères")
        );
        // A key that only starts like another one is not confused with it.
        assert_eq!(section_error(&e, 3, "intro"), None);
        assert_eq!(section_error(&ApiError::Network, 0, "introduction"), None);
    }

    #[test]
    fn paragraph_ids_are_numbered_from_one_and_distinct() {
        assert_eq!(section_id(0), "paragraphe-1");
        assert_eq!(section_id(7), "paragraphe-8");
        assert_eq!(section_id(11), "paragraphe-12");
        let ids: std::collections::HashSet<_> = (0..12).map(section_id).collect();
        assert_eq!(ids.len(), 12);
    }
}
