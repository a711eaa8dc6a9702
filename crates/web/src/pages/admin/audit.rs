//! `/admin/journal`: the append-only audit journal, filtered and paged, and a check of its hash chain.

use boussole_shared::audit::{AuditEntry, AuditFilter, AuditVerification};
use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::{paris_fr_seconds, paris_input_to_utc},
    i18n::{Strings, use_i18n},
    pages::no_reload,
};

const PER_PAGE: i64 = 50;

fn verification_text(t: &Strings, v: &AuditVerification) -> String {
    match (v.valid, v.first_invalid_seq) {
        (true, _) => t.audit_chain_ok.replace("{n}", &v.checked.to_string()),
        (false, Some(seq)) => t.audit_chain_broken.replace("{seq}", &seq.to_string()),
        (false, None) => t.audit_chain_broken.replace("{seq}", "?"),
    }
}

fn row(t: &'static Strings, e: AuditEntry) -> impl IntoView {
    let actor = match e.actor_id {
        Some(id) => format!("{} {id}", e.actor_kind),
        None => e.actor_kind.clone(),
    };
    let entity = match &e.entity_id {
        Some(id) => format!("{} {id}", e.entity_type),
        None => e.entity_type.clone(),
    };
    view! {
        <tr data-testid="audit-row">
            <td data-label="#">{e.seq}</td>
            <td data-label=t.audit_at>{paris_fr_seconds(e.at)}</td>
            <th scope="row"><code>{e.action.clone()}</code></th>
            <td class="wrap" data-label=t.audit_actor>{actor}</td>
            <td class="wrap" data-label=t.audit_entity_type>{entity}</td>
            <td data-label=t.audit_ip>{e.ip.clone().unwrap_or_default()}</td>
            <td class="wrap" data-label=t.audit_details><code>{e.details.to_string()}</code></td>
        </tr>
    }
}

#[component]
pub fn Audit() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let [action, entity_type, entity_id, actor_id, from, to] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let [actor_err, from_err, to_err] = std::array::from_fn(|_| RwSignal::new(None::<String>));
    let filter = RwSignal::new(AuditFilter::default());
    let page = RwSignal::new(1_i64);
    let entries = crate::components::loader(move || {
        let (f, p) = (filter.get(), page.get());
        async move { api.audit(p, PER_PAGE, &f).await }
    });
    let error = RwSignal::new(None::<ApiError>);
    let verify = crate::components::action(move |_: &()| async move {
        error.set(None);
        api.verify_audit()
            .await
            .map_err(|e| error.set(Some(e)))
            .ok()
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        let some = |s: RwSignal<String>| {
            Some(s.get_untracked().trim().to_string()).filter(|s| !s.is_empty())
        };
        // Typed as Paris time, sent as UTC; a time the DST change makes nonexistent or ambiguous is refused.
        let at = |s: RwSignal<String>, err: RwSignal<Option<String>>| {
            let parsed = some(s).map(|v| paris_input_to_utc(&v)).transpose();
            err.set(parsed.err().map(|e| e.text(i.t()).to_string()));
            parsed.ok()
        };
        let actor = some(actor_id)
            .map(|s| uuid::Uuid::parse_str(&s))
            .transpose();
        actor_err.set(actor.is_err().then(|| i.t().audit_actor_id_bad.to_string()));
        let (Some(from), Some(to), Ok(actor_id)) = (at(from, from_err), at(to, to_err), actor)
        else {
            return;
        };
        filter.set(AuditFilter {
            action: some(action),
            entity_type: some(entity_type),
            entity_id: some(entity_id),
            actor_id,
            from,
            to,
        });
        page.set(1);
    };
    view! {
        <Page title=move || i.t().audit_title help="journal">
            <div class="toolbar">
                <Button kind=ButtonKind::Secondary busy=verify.pending() on_click=move |_| { verify.dispatch(()); }
                    testid="audit-verify">{move || i.t().audit_verify}</Button>
                <p role="status" data-testid="audit-verify-result" class="verify-result">
                    {move || verify.value().get().flatten().map(|v| {
                        let tone = if v.valid { Tone::Ok } else { Tone::Warn };
                        view! { <StatusBadge tone label=verification_text(i.t(), &v)/> }
                    })}
                </p>
            </div>
            <FormError error/>
            <form class="filters" on:submit=apply role="search" data-testid="audit-filters">
                <TextField id="audit-action" label=move || i.t().audit_action value=action
                    hint=move || i.t().audit_action_hint testid="audit-action"/>
                <TextField id="audit-entity" label=move || i.t().audit_entity_type value=entity_type
                    hint=move || i.t().audit_entity_hint testid="audit-entity-type"/>
                <TextField id="audit-entity-id" label=move || i.t().audit_entity_id value=entity_id
                    hint=move || i.t().audit_id_hint testid="audit-entity-id"/>
                <TextField id="audit-actor-id" label=move || i.t().audit_actor_id value=actor_id
                    hint=move || i.t().audit_id_hint error=actor_err testid="audit-actor-id"/>
                <DateTimeField id="audit-from" label=move || i.t().audit_from value=from error=from_err testid="audit-from"/>
                <DateTimeField id="audit-to" label=move || i.t().audit_to value=to error=to_err testid="audit-to"/>
                <Button submit=true kind=ButtonKind::Secondary testid="audit-filter-submit">{move || i.t().filter}</Button>
            </form>
            <Loaded resource=entries let:list>
                <Paged list empty=move || i.t().audit_empty page per_page=PER_PAGE children=move |p| view! {
                    <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=i.t().audit_title>
                        <table data-testid="audit-table">
                            <caption>{i.t().audit_caption.replace("{n}", &p.total.to_string())}</caption>
                            <thead><tr>
                                <th scope="col">"#"</th>
                                <th scope="col">{i.t().audit_at}</th>
                                <th scope="col">{i.t().audit_action}</th>
                                <th scope="col">{i.t().audit_actor}</th>
                                <th scope="col">{i.t().audit_entity_type}</th>
                                <th scope="col">{i.t().audit_ip}</th>
                                <th scope="col">{i.t().audit_details}</th>
                            </tr></thead>
                            <tbody>{p.items.into_iter().map(|e| row(i.t(), e)).collect_view()}</tbody>
                        </table>
                    </div>
                }/>
            </Loaded>
        </Page>
    }
}
