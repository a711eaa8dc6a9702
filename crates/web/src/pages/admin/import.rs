//! `/admin/import`: a CSV file of beneficiaries or companies, read in the browser and sent as
//! `text/csv`. "Vérifier" runs the dry run and lists every bad line (number, column, reason);
//! "Importer" is offered only once the dry run of this very file found no error, and creates every
//! line or none.

use boussole_shared::imports::{ImportKind, ImportReport};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
    pages::{no_reload, save_file},
};

/// The text of the file chosen in `<input type=file>`, without a byte-order mark.
async fn read_file(input: web_sys::HtmlInputElement) -> Option<String> {
    let file = input.files()?.get(0)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()?
        .as_string()?;
    Some(text.trim_start_matches('\u{feff}').to_string())
}

#[component]
pub fn Import() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let kind = RwSignal::new(ImportKind::Beneficiaries.as_str().to_string());
    let csv = RwSignal::new(None::<String>);
    let local = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<ApiError>);
    // The last report, and whether it was the dry run of the file and kind chosen now.
    let report = RwSignal::new(None::<ImportReport>);
    let the_kind =
        move || ImportKind::parse(&kind.get_untracked()).unwrap_or(ImportKind::Beneficiaries);
    // A new file or kind: what was checked no longer holds.
    let reset = move || {
        report.set(None);
        error.set(None);
        local.set(None);
    };
    crate::components::effect(move |_| {
        kind.track();
        reset();
    });
    let on_file = move |ev: leptos::ev::Event| {
        reset();
        csv.set(None);
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            match read_file(input).await {
                Some(text) => csv.set(Some(text)),
                None => local.set(Some(i.t().integ.import_unreadable)),
            }
        });
    };
    let run = crate::components::act(move |dry_run: &bool| {
        let (dry_run, text, kind) = (*dry_run, csv.get_untracked(), the_kind());
        async move {
            let Some(text) = text else {
                local.set(Some(i.t().integ.import_no_file));
                return;
            };
            error.set(None);
            local.set(None);
            match api.import(kind, text, dry_run).await {
                Ok(r) => {
                    report.set(Some(r));
                    focus_later("rapport-import");
                }
                Err(e) => {
                    report.set(None);
                    error.set(Some(e));
                }
            }
        }
    });
    let template = crate::components::act(move |_: &()| {
        let kind = the_kind();
        async move {
            match api.import_template(kind).await {
                Ok(f) => {
                    let name = f
                        .name
                        .unwrap_or_else(|| format!("modele-{}.csv", kind.as_str()));
                    save_file(&f.bytes, "text/csv", &name);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    // "Importer": after a dry run of this file without any error.
    let can_import = move || {
        report.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.dry_run && r.errors.is_empty() && r.lines > 0)
        })
    };
    let kinds: Vec<(&'static str, TextProp)> = vec![
        (
            ImportKind::Beneficiaries.as_str(),
            (move || i.t().integ.import_beneficiaries).into(),
        ),
        (
            ImportKind::Companies.as_str(),
            (move || i.t().integ.import_companies).into(),
        ),
    ];
    let shown = move |r: ImportReport| {
        let it = i.t().integ;
        let summary = it
            .import_report
            .replace("{lines}", &r.lines.to_string())
            .replace("{valid}", &r.valid.to_string());
        let body = if !r.dry_run {
            view! { <p data-testid="import-done"><strong>{it.import_done.replace("{n}", &r.created.len().to_string())}</strong></p> }
                .into_any()
        } else if r.errors.is_empty() {
            view! { <p>{summary}</p><p data-testid="import-ok">{it.import_ok}</p> }.into_any()
        } else {
            let n = r.errors.len();
            let rows = r
                .errors
                .into_iter()
                .map(|e| view! {
                    <tr data-testid="import-error-row">
                        <th scope="row" data-label=it.import_line>{e.line}</th>
                        <td data-label=it.import_column>{e.column.unwrap_or_else(|| "—".into())}</td>
                        <td data-label=it.import_reason>{e.reason}</td>
                    </tr>
                })
                .collect_view();
            view! {
                {(r.lines > 0).then(|| view! { <p>{summary}</p> })}
                <p>{it.import_fix}</p>
                <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=it.import_errors_caption.replace("{n}", &n.to_string())>
                    <table data-testid="import-errors">
                        <caption>{it.import_errors_caption.replace("{n}", &n.to_string())}</caption>
                        <thead><tr>
                            <th scope="col">{it.import_line}</th>
                            <th scope="col">{it.import_column}</th>
                            <th scope="col">{it.import_reason}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        };
        view! {
            <section class="card" id="rapport-import" tabindex="-1" aria-live="polite" data-testid="import-report">
                {body}
            </section>
        }
    };
    view! {
        <Page title=move || i.t().integ.import_title help="import">
            <p class="note">{move || i.t().integ.import_intro}</p>
            <form class="form" novalidate data-testid="import-form" on:submit=move |ev| {
                no_reload(&ev);
                run.dispatch(true);
            }>
                <FormError error testid="import-error"/>
                <SelectField id="import-kind" label=move || i.t().integ.import_kind value=kind options=kinds testid="import-kind"/>
                <p>
                    <button type="button" class="btn btn-secondary btn-small" data-testid="import-template"
                        aria-busy=move || template.pending().get().then_some("true")
                        on:click=move |_| { template.dispatch(()); }>
                        {move || i.t().integ.import_template}
                    </button>
                </p>
                <div class="field">
                    <label for="import-file">{move || i.t().integ.import_file}</label>
                    <input type="file" id="import-file" name="import-file" accept=".csv,text/csv"
                        aria-invalid=move || if local.with(Option::is_some) { "true" } else { "false" }
                        aria-describedby=move || local.with(Option::is_some).then_some("import-file-erreur")
                        on:change=on_file data-testid="import-file"/>
                    {move || local.get().map(|m| view! { <p class="field-error" id="import-file-erreur" data-testid="import-file-error">{m}</p> })}
                </div>
                <div class="button-row">
                    <Button submit=true kind=ButtonKind::Secondary busy=run.pending() testid="import-check">{move || i.t().integ.import_check}</Button>
                    <button type="button" class="btn btn-primary" data-testid="import-run"
                        disabled=move || !can_import() || run.pending().get()
                        on:click=move |_| { run.dispatch(false); }>
                        {move || i.t().integ.import_run}
                    </button>
                </div>
            </form>
            {move || report.get().map(shown)}
        </Page>
    }
}
