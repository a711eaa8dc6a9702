//! `/ressources`, the resource library (issue 14, item 5; Qualiopi indicator 19). Staff curate it:
//! create a link or a file (uploaded with its progress), edit, archive, share with beneficiaries, and
//! read who opened what. A beneficiary sees what is for all or shared with them, and opens or
//! downloads it (each opening is logged by the API).

mod form;
mod share;

use boussole_shared::resources::{Resource, ResourceFilter, ResourceKind};
use boussole_shared::users::Role;
use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
    pages::{no_reload, save_file},
};

const PER_PAGE: i64 = 20;

/// What the cards of the list change on the page: the dialogs they open and the list's version.
#[derive(Clone, Copy)]
struct Ctx {
    staff: bool,
    editing: RwSignal<Option<Resource>>,
    form_open: RwSignal<bool>,
    sharing: RwSignal<Option<Resource>>,
    share_open: RwSignal<bool>,
    version: RwSignal<u32>,
    error: RwSignal<Option<ApiError>>,
}

#[component]
pub fn Library() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let staff = api
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.user.role != Role::Beneficiary));
    let ctx = Ctx {
        staff,
        editing: RwSignal::new(None),
        form_open: RwSignal::new(false),
        sharing: RwSignal::new(None),
        share_open: RwSignal::new(false),
        version: RwSignal::new(0),
        error: RwSignal::new(None),
    };
    let page = RwSignal::new(1_i64);
    let (q, applied) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let archived = RwSignal::new(false);
    let list = crate::components::loader(move || {
        ctx.version.track();
        let f = ResourceFilter {
            page: Some(page.get()),
            per_page: Some(PER_PAGE),
            q: Some(applied.get()).filter(|q| !q.trim().is_empty()),
            tag: None,
            include_archived: archived.get().then_some(true),
        };
        async move { api.resources(&f).await }
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        page.set(1);
        applied.set(q.get_untracked());
    };
    let intro = move || {
        let l = i.t().lib;
        if staff {
            l.intro_staff
        } else {
            l.intro_beneficiary
        }
    };
    view! {
        <Page title=move || i.t().lib.title help="ressources">
            <p>{intro}</p>
            {staff.then(|| view! {
                <div class="toolbar">
                    <Button on_click=move |_| { ctx.editing.set(None); ctx.form_open.set(true); } testid="resource-new">
                        {move || i.t().lib.new}
                    </Button>
                </div>
            })}
            <form class="filters" on:submit=apply role="search" data-testid="resources-filters">
                <TextField id="resources-q" label=move || i.t().lib.search value=q kind="search"
                    hint=move || i.t().lib.search_hint testid="resources-search"/>
                {staff.then(|| view! {
                    <Checkbox id="resources-archived" label=move || i.t().lib.include_archived checked=archived testid="resources-archived"/>
                })}
                <Button submit=true kind=ButtonKind::Secondary testid="resources-filter-submit">{move || i.t().filter}</Button>
            </form>
            <FormError error=ctx.error testid="resource-error"/>
            <Loaded resource=list let:list>
                <Paged list empty=move || i.t().lib.empty page per_page=PER_PAGE children=move |p| view! {
                    <ul class="resource-list" aria-label=i.t().lib.list_label data-testid="resource-list">
                        {p.items.into_iter().map(|r| view! { <Card r ctx/> }).collect_view()}
                    </ul>
                }/>
            </Loaded>
            {staff.then(|| view! {
                <form::ResourceDialog open=ctx.form_open editing=ctx.editing version=ctx.version/>
                <share::ShareDialog open=ctx.share_open resource=ctx.sharing version=ctx.version/>
                <share::Accesses version=ctx.version/>
            })}
        </Page>
    }
}

/// One resource: what it is, its tags, and what the caller may do with it.
#[component]
fn Card(r: Resource, ctx: Ctx) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let id = r.id;
    let l = move || i.t().lib;
    // Opening a link: the browser follows it (a new tab, so no pop-up blocker), the API logs it.
    let log_open = move |_| {
        if !ctx.staff {
            leptos::task::spawn_local(async move {
                let _ = api.open_resource(id).await;
            });
        }
    };
    let file = r.file_name.clone().zip(r.content_type.clone());
    let download = Callback::new({
        let file = file.clone();
        move |()| {
            let Some((name, mime)) = file.clone() else {
                return;
            };
            leptos::task::spawn_local(async move {
                match api.resource_file(id).await {
                    Ok(d) => save_file(&d.bytes, &mime, &name),
                    Err(e) => ctx.error.set(Some(e)),
                }
            });
        }
    });
    let toasts = use_toasts();
    let archive = Callback::new(move |()| {
        leptos::task::spawn_local(async move {
            match api.archive_resource(id).await {
                Ok(()) => {
                    toasts.show(i.t().lib.archived_toast);
                    ctx.version.update(|v| *v += 1);
                }
                Err(e) => ctx.error.set(Some(e)),
            }
        });
    });
    let is_link = r.kind == ResourceKind::Link;
    let archived = r.archived_at.is_some();
    let by = format!("{} {}", r.created_by.first_name, r.created_by.last_name);
    let stats = r.shared_count.zip(r.open_count);
    let (edit_r, share_r) = (r.clone(), r.clone());
    view! {
        <li class="card resource" data-testid="resource" data-kind=r.kind.as_str()>
            <h2 class="resource-title">{r.title.clone()}</h2>
            <p class="thread-meta">
                <StatusBadge tone=Tone::Muted label=move || if is_link { l().kind_link } else { l().kind_file }/>
                {archived.then(|| view! { " " <StatusBadge tone=Tone::Warn label=move || l().archived/> })}
                {ctx.staff.then(|| view! { " " {move || l().by.replace("{name}", &by)} })}
            </p>
            {r.description.clone().map(|d| view! { <p class="resource-description">{d}</p> })}
            {(!r.tags.is_empty()).then(|| view! {
                <ul class="tags">{r.tags.iter().map(|t| view! { <li class="badge badge-muted">{t.clone()}</li> }).collect_view()}</ul>
            })}
            {stats.map(|(s, o)| view! {
                <p class="hint" data-testid="resource-stats">
                    {move || l().stats.replace("{s}", &s.to_string()).replace("{o}", &o.to_string())}
                </p>
            })}
            <p class="resource-actions">
                {match (r.url.clone(), file) {
                    (Some(url), _) => view! {
                        <a class="btn btn-primary" href=url target="_blank" rel="noopener noreferrer external"
                            on:click=log_open data-testid="resource-open">{move || l().open}</a>
                    }.into_any(),
                    (None, Some(_)) => view! {
                        <Button on_click=download testid="resource-download">{move || l().download}</Button>
                    }.into_any(),
                    (None, None) => view! { <span class="hint">{move || l().file_missing}</span> }.into_any(),
                }}
                {ctx.staff.then(|| view! {
                    " "
                    <Button kind=ButtonKind::Secondary testid="resource-edit"
                        on_click=move |_| { ctx.editing.set(Some(edit_r.clone())); ctx.form_open.set(true); }>
                        {move || l().edit}
                    </Button>
                    " "
                    <Button kind=ButtonKind::Secondary testid="resource-share"
                        on_click=move |_| { ctx.sharing.set(Some(share_r.clone())); ctx.share_open.set(true); }>
                        {move || l().share}
                    </Button>
                    " "
                    {(!archived).then(|| view! {
                        <Button kind=ButtonKind::Danger on_click=archive testid="resource-archive">{move || l().archive}</Button>
                    })}
                })}
            </p>
        </li>
    }
}
