//! A bilan's files (issue 12 item 5): the documents the beneficiary and the assigned consultants share,
//! encrypted by the API under the bilan's key. Upload with its progress, the list, download. The
//! consultant finds it as a tab of the bilan's file, the beneficiary at `/bilans/:id/fichiers`
//! (linked from their home). Admins never see it (bilan content: the API answers 403).

use boussole_shared::bilans::BilanFile;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::{
    api::{ApiError, Progress, use_api},
    components::*,
    dates::paris_fr,
    i18n::{MessagesStrings, use_i18n},
    pages::save_file,
};

/// A size in kilobytes, rounded up (a file is never "0 KB").
fn size_label(m: &MessagesStrings, bytes: i64) -> String {
    m.files_kb
        .replace("{n}", &((bytes.max(0) + 1023) / 1024).to_string())
}

/// `/bilans/:id/fichiers` (the beneficiary's way in).
#[component]
pub fn FilesPage() -> impl IntoView {
    let i = use_i18n();
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    view! {
        <Page title=move || i.t().msg.files_title>
            {match id {
                Some(id) => view! { <FilesPanel id/> }.into_any(),
                None => view! { <p>{move || i.t().not_found_text}</p> }.into_any(),
            }}
        </Page>
    }
}

/// The list and the upload form.
#[component]
pub fn FilesPanel(id: Uuid) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let me = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id));
    let version = RwSignal::new(0u32);
    let files = loader(move || {
        version.track();
        async move { api.bilan_files(id).await }
    });
    let error = RwSignal::new(None::<ApiError>);
    let progress: Progress = RwSignal::new(None);
    let file_ref = NodeRef::<leptos::html::Input>::new();
    let on_file = move |_| {
        let Some(input) = file_ref.get_untracked() else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        error.set(None);
        leptos::task::spawn_local(async move {
            match api.upload_bilan_file(id, &file, progress).await {
                Ok(f) => {
                    toasts.show(i.t().msg.files_uploaded.replace("{name}", &f.name));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
            input.set_value("");
        });
    };
    let download = act(move |f: &BilanFile| {
        let (file, mime, name) = (f.id, f.content_type.clone(), f.name.clone());
        async move {
            error.set(None);
            match api.bilan_file(id, file).await {
                Ok(d) => save_file(&d.bytes, &mime, &name),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let rows = move |list: Vec<BilanFile>| {
        let m = i.t().msg;
        list.into_iter()
            .rev()
            .map(|f| {
                let by = if Some(f.uploaded_by) == me { m.files_you } else { m.files_other };
                let (name, size, at) = (f.name.clone(), size_label(m, f.size), paris_fr(f.created_at));
                view! {
                    <tr data-testid="file-row">
                        <th scope="row">{name}</th>
                        <td data-label=m.files_col_size>{size}</td>
                        <td data-label=m.files_col_by>{by}</td>
                        <td data-label=m.files_col_at>{at}</td>
                        <td>
                            <Button kind=ButtonKind::Secondary on_click=move |_| { download.dispatch(f.clone()); }
                                testid="file-download">{i.t().docs.download}</Button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
            <section class="card" aria-labelledby="fichiers-titre" data-testid="bilan-files">
                <h2 id="fichiers-titre">{move || i.t().msg.files_title}</h2>
                <p class="hint">{move || i.t().msg.files_intro}</p>
                <div class="field">
                    <label for="bilan-file">{move || i.t().msg.files_upload}</label>
                    <p class="hint" id="bilan-file-aide">{move || i.t().msg.attach_hint}</p>
                    <input id="bilan-file" type="file" node_ref=file_ref
                        aria-describedby="bilan-file-aide bilan-file-erreur"
                        disabled=move || progress.with(Option::is_some) on:change=on_file data-testid="bilan-file-input"/>
                </div>
                <UploadProgress progress/>
                <div id="bilan-file-erreur"><FormError error testid="bilan-file-error"/></div>
                <Loaded resource=files let:data>{
        let list: Vec<BilanFile> = data;
        {
                    if list.is_empty() {
                        return view! { <p data-testid="files-empty">{move || i.t().msg.files_empty}</p> }.into_any();
                    }
                    let m = i.t().msg;
                    let caption = m.files_caption.replace("{n}", &list.len().to_string());
                    view! {
                        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=m.files_title>
                            <table data-testid="files-table">
                                <caption>{caption}</caption>
                                <thead><tr>
                                    <th scope="col">{m.files_col_name}</th>
                                    <th scope="col">{m.files_col_size}</th>
                                    <th scope="col">{m.files_col_by}</th>
                                    <th scope="col">{m.files_col_at}</th>
                                    <th scope="col"><span class="visually-hidden">{i.t().docs.download}</span></th>
                                </tr></thead>
                                <tbody>{rows(list)}</tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                }
    }</Loaded>
            </section>
        }
}
