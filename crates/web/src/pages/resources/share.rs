//! Sharing a resource with beneficiaries (a consultant: those of their bilans; an admin: anyone with
//! a bilan), and the openings log that shows which resources each beneficiary used.

use boussole_shared::bilans::PersonRef;
use boussole_shared::resources::{Resource, ResourceShare, ResourceShares};
use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::paris_fr,
    i18n::use_i18n,
    pages::no_reload,
};

fn name(p: &PersonRef) -> String {
    format!("{} {}", p.first_name, p.last_name)
}

/// The beneficiaries of the caller's bilans, once each, by name.
async fn beneficiaries(api: crate::api::Api) -> Result<Vec<PersonRef>, ApiError> {
    let bilans = api.bilans(1, 100, None).await?;
    let mut people: Vec<PersonRef> = Vec::new();
    for b in bilans.items {
        if !people.iter().any(|p| p.id == b.beneficiary.id) {
            people.push(b.beneficiary);
        }
    }
    people.sort_by_key(name);
    Ok(people)
}

#[component]
pub fn ShareDialog(
    open: RwSignal<bool>,
    resource: RwSignal<Option<Resource>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let changed = RwSignal::new(0_u32);
    let error = RwSignal::new(None::<ApiError>);
    let chosen = RwSignal::new(String::new());
    let id = move || resource.with(|r| r.as_ref().map(|r| r.id));
    // Who it is shared with now, and who else it could be.
    let shares = crate::components::loader(move || {
        changed.track();
        let (id, open) = (id(), open.get());
        async move {
            let (Some(id), true) = (id, open) else {
                return Ok((Vec::new(), Vec::new()));
            };
            let shares = api.resource_shares(id).await?;
            let others = beneficiaries(api)
                .await?
                .into_iter()
                .filter(|p| !shares.iter().any(|s| s.beneficiary.id == p.id))
                .collect::<Vec<_>>();
            Ok::<_, ApiError>((shares, others))
        }
    });
    let act = crate::components::act(move |who: &(bool, Uuid)| {
        let (add, who) = *who;
        let rid = id();
        async move {
            let Some(rid) = rid else { return };
            error.set(None);
            let r = if add {
                let body = ResourceShares {
                    beneficiary_ids: vec![who],
                };
                api.share_resource(rid, &body).await.map(|_| ())
            } else {
                api.unshare_resource(rid, who).await
            };
            match r {
                Ok(()) => {
                    if add {
                        toasts.show(i.t().lib.shared_toast);
                        chosen.set(String::new());
                    }
                    changed.update(|c| *c += 1);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        if let Ok(who) = Uuid::parse_str(&chosen.get_untracked()) {
            act.dispatch((true, who));
        }
    };
    let title = move || {
        let t = resource.with(|r| r.as_ref().map(|r| r.title.clone()).unwrap_or_default());
        i.t().lib.share_title.replace("{title}", &t)
    };
    let row = move |s: ResourceShare| {
        let who = s.beneficiary.id;
        view! {
            <li data-testid="resource-share-row">
                {name(&s.beneficiary)} " · " {paris_fr(s.shared_at)} " "
                <Button kind=ButtonKind::Secondary on_click=move |_| { act.dispatch((false, who)); } testid="resource-unshare">
                    {move || i.t().lib.unshare}
                </Button>
            </li>
        }
    };
    view! {
        <Dialog id="partage" open title testid="share-dialog">
            <FormError error testid="share-error"/>
            <Loaded resource=shares let:data>
                {
                    let (list, others) = data;
                    let options = others
                        .iter()
                        .map(|p| (p.id.to_string(), name(p)))
                        .collect::<Vec<_>>();
                    let options = std::iter::once((String::new(), i.t().lib.choose_beneficiary.to_string()))
                        .chain(options)
                        .collect::<Vec<_>>();
                    view! {
                        <h3>{i.t().lib.shared_with}</h3>
                        {if list.is_empty() {
                            view! { <p class="hint">{i.t().lib.no_share}</p> }.into_any()
                        } else {
                            view! { <ul data-testid="resource-shares">{list.into_iter().map(row).collect_view()}</ul> }.into_any()
                        }}
                        <form class="form" novalidate on:submit=submit data-testid="share-form">
                            <ChoiceField id="share-beneficiary" label=move || i.t().lib.beneficiary value=chosen
                                options=Signal::stored(options) required=true
                                error=field_error(error, "beneficiary_ids") testid="share-beneficiary"/>
                            <Button submit=true busy=act.pending() testid="share-submit">{move || i.t().lib.share}</Button>
                        </form>
                    }
                }
            </Loaded>
        </Dialog>
    }
}

const PER_PAGE: i64 = 20;

/// Who opened which resource, newest first (a consultant: their beneficiaries only).
#[component]
pub fn Accesses(version: RwSignal<u32>) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let page = RwSignal::new(1_i64);
    let list = crate::components::loader(move || {
        version.track();
        let p = page.get();
        async move { api.resource_accesses(p, PER_PAGE).await }
    });
    view! {
        <section class="card" aria-labelledby="accesses-title">
            <h2 id="accesses-title">{move || i.t().lib.accesses_title}</h2>
            <p class="note">{move || i.t().lib.accesses_intro}</p>
            <Loaded resource=list let:list>
                <Paged list empty=move || i.t().lib.accesses_empty page per_page=PER_PAGE children=move |p| {
                    let l = i.t().lib;
                    view! {
                        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=l.accesses_title>
                            <table data-testid="accesses-table">
                                <caption>{l.accesses_caption}</caption>
                                <thead><tr>
                                    <th scope="col">{l.col_resource}</th>
                                    <th scope="col">{l.col_person}</th>
                                    <th scope="col">{l.col_at}</th>
                                </tr></thead>
                                <tbody>
                                    {p.items.into_iter().map(|a| view! {
                                        <tr data-testid="access-row">
                                            <th scope="row">{a.resource_title}</th>
                                            <td data-label=l.col_person>{name(&a.person)}</td>
                                            <td data-label=l.col_at>{paris_fr(a.at)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                }/>
            </Loaded>
        </section>
    }
}
