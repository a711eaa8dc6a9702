//! Creating or editing a resource. A file resource is created first, then its file is put (with the
//! upload's progress); editing one may replace its file.

use boussole_shared::resources::{
    NewResource, Resource, ResourceAudience, ResourceKind, UpdateResource,
};
use leptos::{html, prelude::*};

use crate::{
    api::{ApiError, Progress, use_api},
    components::*,
    i18n::use_i18n,
    pages::no_reload,
};

/// "a, b ,c" → ["a", "b", "c"].
fn tags(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

#[component]
pub fn ResourceDialog(
    open: RwSignal<bool>,
    editing: RwSignal<Option<Resource>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let [title, description, kind, url, tag_text, audience] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let error = RwSignal::new(None::<ApiError>);
    let progress: Progress = RwSignal::new(None);
    let file_ref = NodeRef::<html::Input>::new();
    // Each opening starts from the resource edited, or blank.
    crate::components::effect(move |_| {
        if !open.get() {
            return;
        }
        error.set(None);
        let r = editing.get_untracked();
        let text = |f: fn(&Resource) -> String| r.as_ref().map(f).unwrap_or_default();
        title.set(text(|r| r.title.clone()));
        description.set(text(|r| r.description.clone().unwrap_or_default()));
        kind.set(r.as_ref().map_or("link", |r| r.kind.as_str()).to_string());
        url.set(text(|r| r.url.clone().unwrap_or_default()));
        tag_text.set(text(|r| r.tags.join(", ")));
        audience.set(
            r.as_ref()
                .map_or("shared", |r| r.audience.as_str())
                .to_string(),
        );
        if let Some(input) = file_ref.get_untracked() {
            input.set_value("");
        }
    });
    let is_file = move || kind.get() == ResourceKind::File.as_str();
    let save = crate::components::act(move |_: &()| {
        let id = editing.with_untracked(|r| r.as_ref().map(|r| r.id));
        let link = !is_file();
        let url_text = url.get_untracked().trim().to_string();
        let desc = description.get_untracked().trim().to_string();
        let new = NewResource {
            title: title.get_untracked().trim().to_string(),
            description: (!desc.is_empty()).then(|| desc.clone()),
            kind: if link {
                ResourceKind::Link
            } else {
                ResourceKind::File
            },
            url: link.then(|| url_text.clone()),
            tags: tags(&tag_text.get_untracked()),
            audience: ResourceAudience::parse(&audience.get_untracked())
                .unwrap_or(ResourceAudience::Shared),
        };
        let file = file_ref
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|f| f.get(0));
        async move {
            error.set(None);
            let saved = match id {
                Some(id) => {
                    let patch = UpdateResource {
                        title: Some(new.title),
                        description: Some(desc),
                        url: new.url,
                        tags: Some(new.tags),
                        audience: Some(new.audience),
                    };
                    api.update_resource(id, &patch).await
                }
                None => api.create_resource(&new).await,
            };
            let saved = match (saved, file) {
                (Ok(r), Some(file)) if r.kind == ResourceKind::File => {
                    // From here on it exists: a failed upload is said in the form, which now edits it.
                    editing.set(Some(r.clone()));
                    api.upload_resource_file(r.id, &file, progress).await
                }
                (other, _) => other,
            };
            version.update(|v| *v += 1);
            match saved {
                Ok(_) => {
                    toasts.show(if id.is_some() {
                        i.t().lib.saved
                    } else {
                        i.t().lib.created
                    });
                    open.set(false);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let title_text = move || {
        let l = i.t().lib;
        if editing.with(Option::is_some) {
            l.edit_title
        } else {
            l.new
        }
    };
    let creating = move || editing.with(Option::is_none);
    view! {
        <Dialog id="ressource" open title=title_text testid="resource-dialog">
            <form class="form" novalidate data-testid="resource-form" on:submit=move |ev| {
                no_reload(&ev);
                save.dispatch(());
            }>
                <FormError error testid="resource-form-error"/>
                <TextField id="resource-title" label=move || i.t().lib.field_title value=title required=true
                    error=field_error(error, "title") testid="resource-title"/>
                <TextArea id="resource-description" label=move || i.t().lib.field_description value=description
                    error=field_error(error, "description") testid="resource-description"/>
                <Show when=creating>
                    <SelectField id="resource-kind" label=move || i.t().lib.field_kind value=kind testid="resource-kind"
                        error=field_error(error, "kind") options=vec![
                            ("link", (move || i.t().lib.kind_link).into()),
                            ("file", (move || i.t().lib.kind_file).into()),
                        ]/>
                </Show>
                <Show when=move || !is_file()>
                    <TextField id="resource-url" label=move || i.t().lib.field_url value=url kind="url" required=true
                        error=field_error(error, "url") testid="resource-url"/>
                </Show>
                <div class="field" hidden=move || !is_file()>
                    <label for="resource-file">{move || i.t().lib.field_file}</label>
                    <p class="hint" id="resource-file-aide">{move || i.t().lib.file_hint}</p>
                    <input id="resource-file" type="file" node_ref=file_ref aria-describedby="resource-file-aide"
                        data-testid="resource-file"/>
                </div>
                <UploadProgress progress/>
                <TextField id="resource-tags" label=move || i.t().lib.field_tags value=tag_text
                    hint=move || i.t().lib.tags_hint error=field_error(error, "tags") testid="resource-tags"/>
                <SelectField id="resource-audience" label=move || i.t().lib.field_audience value=audience testid="resource-audience"
                    error=field_error(error, "audience") options=vec![
                        ("shared", (move || i.t().lib.audience_shared).into()),
                        ("all", (move || i.t().lib.audience_all).into()),
                    ]/>
                <Button submit=true busy=save.pending() testid="resource-save">
                    {move || if creating() { i.t().lib.create } else { i.t().save }}
                </Button>
            </form>
        </Dialog>
    }
}
