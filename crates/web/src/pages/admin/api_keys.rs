//! `/admin/cles-api`: API keys for integrations. A new key is shown once; revoking is immediate.

use boussole_shared::auth::{ApiKey, ApiScope, NewApiKey};
use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
    pages::no_reload,
};

fn when(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(crate::dates::paris_fr).unwrap_or_else(|| "—".into())
}

#[component]
pub fn ApiKeys() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let keys = crate::components::resource(move || async move { api.api_keys().await });
    let name = RwSignal::new(String::new());
    let (users_read, audit_read) = (RwSignal::new(false), RwSignal::new(false));
    let (invoices_read, accounting_read) = (RwSignal::new(false), RwSignal::new(false));
    let error = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<String>);
    let create = crate::components::action(move |_: &()| {
        let scopes = [
            (users_read, ApiScope::UsersRead),
            (audit_read, ApiScope::AuditRead),
            (invoices_read, ApiScope::InvoicesRead),
            (accounting_read, ApiScope::AccountingRead),
        ]
        .into_iter()
        .filter(|(on, _)| on.get_untracked())
        .map(|(_, s)| s)
        .collect();
        let body = NewApiKey {
            name: name.get_untracked().trim().to_string(),
            scopes,
            expires_at: None,
        };
        async move {
            error.set(None);
            match api.create_api_key(&body).await {
                Ok(k) => {
                    created.set(Some(k.key));
                    name.set(String::new());
                    keys.refetch();
                    focus_later("new-key");
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let revoke = crate::components::action(move |id: &Uuid| {
        let id = *id;
        async move {
            match api.revoke_api_key(id).await {
                Ok(()) => {
                    toasts.show(i.t().key_revoked);
                    keys.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let row = move |k: ApiKey| {
        let t = i.t();
        let scopes = k
            .scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let (id, revoked) = (k.id, k.revoked_at.is_some());
        let confirm = t.key_revoke_confirm.replace("{name}", &k.name);
        view! {
            <tr data-testid="api-key-row">
                <th scope="row">{k.name.clone()}</th>
                <td data-label=t.key_prefix><code>{k.prefix.clone()}</code></td>
                <td data-label=t.key_scopes>{scopes}</td>
                <td data-label=t.created_on>{when(Some(k.created_at))}</td>
                <td data-label=t.key_last_used>{when(k.last_used_at)}</td>
                <td data-label=t.status>{if revoked {
                    view! { <StatusBadge tone=Tone::Muted label=t.key_revoked_status/> }
                } else {
                    view! { <StatusBadge tone=Tone::Ok label=t.status_active/> }
                }}</td>
                <td>{(!revoked).then(|| view! {
                    <button type="button" class="btn btn-danger btn-small" data-testid="api-key-revoke"
                        aria-label=format!("{} {}", t.revoke, k.name)
                        on:click=move |_| {
                            if window().confirm_with_message(&confirm).unwrap_or(false) {
                                revoke.dispatch(id);
                            }
                        }>{t.revoke}</button>
                })}</td>
            </tr>
        }
    };
    view! {
        <Page title=move || i.t().keys_title help="cles-api">
            <section aria-labelledby="new-key-title" class="card">
                <h2 id="new-key-title">{move || i.t().key_create_title}</h2>
                <form class="form" on:submit=move |ev| {
                    no_reload(&ev);
                    create.dispatch(());
                } novalidate data-testid="api-key-form">
                    <FormError error/>
                    <TextField id="key-name" label=move || i.t().key_name value=name required=true
                        error=field_error(error, "name") testid="api-key-name"/>
                    <fieldset aria-describedby=move || error.with(|e| e.as_ref().and_then(|e| e.field("scopes")).map(|_| "scopes-erreur"))>
                        <legend>{move || i.t().key_scopes}</legend>
                        <Checkbox id="scope-users" label=move || i.t().scope_users_read checked=users_read testid="api-key-scope-users"/>
                        <Checkbox id="scope-audit" label=move || i.t().scope_audit_read checked=audit_read testid="api-key-scope-audit"/>
                        <Checkbox id="scope-invoices" label=move || i.t().scope_invoices_read checked=invoices_read testid="api-key-scope-invoices"/>
                        <Checkbox id="scope-accounting" label=move || i.t().scope_accounting_read checked=accounting_read testid="api-key-scope-accounting"/>
                        {move || field_error(error, "scopes").get().map(|m| view! { <p class="field-error" id="scopes-erreur">{m}</p> })}
                    </fieldset>
                    <Button submit=true busy=create.pending() testid="api-key-create">{move || i.t().key_create}</Button>
                </form>
                {move || created.get().map(|key| view! {
                    <div class="secret" id="new-key" tabindex="-1" data-testid="api-key-created">
                        <p><strong>{i.t().key_shown_once}</strong></p>
                        <p><code data-testid="api-key-value">{key}</code></p>
                    </div>
                })}
            </section>
            <Loaded resource=keys let:d>
                {match d {
                    list if list.is_empty() => view! { <EmptyState>{i.t().keys_empty}</EmptyState> }.into_any(),
                    list => view! {
                        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=i.t().keys_caption>
                            <table data-testid="api-keys-table">
                                <caption>{i.t().keys_caption}</caption>
                                <thead><tr>
                                    <th scope="col">{i.t().key_name}</th>
                                    <th scope="col">{i.t().key_prefix}</th>
                                    <th scope="col">{i.t().key_scopes}</th>
                                    <th scope="col">{i.t().created_on}</th>
                                    <th scope="col">{i.t().key_last_used}</th>
                                    <th scope="col">{i.t().status}</th>
                                    <th scope="col">{i.t().actions}</th>
                                </tr></thead>
                                <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                    }.into_any(),
                }}
            </Loaded>
        </Page>
    }
}
