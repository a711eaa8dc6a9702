//! `/admin/cles-api`: API keys for integrations. Each scope says what it lets the key do; a key may
//! end on a day; the list shows when each key ends and its last use (time and address). A new key is
//! shown once; revoking is immediate.

use boussole_shared::auth::{ApiKey, ApiScope, NewApiKey};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use uuid::Uuid;

use super::shown_once::ShownOnce;
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::{date_iso, now_utc, paris_input_to_utc, parse_date},
    i18n::{IntegStrings, use_i18n},
    pages::no_reload,
};

/// Every scope a key can be given, in the order of the form.
pub const SCOPES: [ApiScope; 11] = [
    ApiScope::UsersRead,
    ApiScope::AuditRead,
    ApiScope::InvoicesRead,
    ApiScope::AccountingRead,
    ApiScope::BeneficiariesRead,
    ApiScope::BeneficiariesWrite,
    ApiScope::BilansRead,
    ApiScope::BilansWrite,
    ApiScope::AppointmentsRead,
    ApiScope::AppointmentsWrite,
    ApiScope::WebhooksManage,
];

/// A scope's checkbox id, label and one-line explanation.
pub fn scope_text(t: &IntegStrings, s: ApiScope) -> (&'static str, &'static str, &'static str) {
    match s {
        ApiScope::UsersRead => ("scope-users-read", t.users_read, t.users_read_help),
        ApiScope::AuditRead => ("scope-audit-read", t.audit_read, t.audit_read_help),
        ApiScope::InvoicesRead => ("scope-invoices-read", t.invoices_read, t.invoices_read_help),
        ApiScope::AccountingRead => (
            "scope-accounting-read",
            t.accounting_read,
            t.accounting_read_help,
        ),
        ApiScope::BeneficiariesRead => (
            "scope-beneficiaries-read",
            t.beneficiaries_read,
            t.beneficiaries_read_help,
        ),
        ApiScope::BeneficiariesWrite => (
            "scope-beneficiaries-write",
            t.beneficiaries_write,
            t.beneficiaries_write_help,
        ),
        ApiScope::BilansRead => ("scope-bilans-read", t.bilans_read, t.bilans_read_help),
        ApiScope::BilansWrite => ("scope-bilans-write", t.bilans_write, t.bilans_write_help),
        ApiScope::AppointmentsRead => (
            "scope-appointments-read",
            t.appointments_read,
            t.appointments_read_help,
        ),
        ApiScope::AppointmentsWrite => (
            "scope-appointments-write",
            t.appointments_write,
            t.appointments_write_help,
        ),
        ApiScope::WebhooksManage => (
            "scope-webhooks-manage",
            t.webhooks_manage,
            t.webhooks_manage_help,
        ),
    }
}

/// The instant a key typed to work "until `day` included" ends: the next midnight in Paris (never
/// on a daylight-saving change, which happens at night between 2 and 3).
pub fn end_of_day(day: &str) -> Option<DateTime<Utc>> {
    let next = parse_date(day)?.succ_opt()?;
    paris_input_to_utc(&format!("{}T00:00", date_iso(next))).ok()
}

fn when(at: Option<DateTime<Utc>>) -> String {
    at.map(crate::dates::paris_fr).unwrap_or_else(|| "—".into())
}

#[component]
pub fn ApiKeys() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let keys = crate::components::loader(move || async move { api.api_keys().await });
    let name = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let scopes = SCOPES.map(|s| (s, RwSignal::new(false)));
    let local = RwSignal::new(None::<(&'static str, String)>);
    let error = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<String>);
    let create = crate::components::act(move |_: &()| {
        let chosen: Vec<ApiScope> = scopes
            .iter()
            .filter(|(_, on)| on.get_untracked())
            .map(|(s, _)| *s)
            .collect();
        let day = expires.get_untracked();
        let expires_at = (!day.trim().is_empty()).then(|| end_of_day(&day));
        let t = i.t().integ;
        local.set(match expires_at {
            Some(None) => Some(("expires_at", t.key_expires_invalid.into())),
            Some(Some(at)) if at <= now_utc() => Some(("expires_at", t.key_expires_invalid.into())),
            _ if chosen.is_empty() => Some(("scopes", t.scopes_required.into())),
            _ => None,
        });
        let body = local.with_untracked(Option::is_none).then(|| NewApiKey {
            name: name.get_untracked().trim().to_string(),
            scopes: chosen,
            expires_at: expires_at.flatten(),
        });
        async move {
            let Some(body) = body else { return };
            error.set(None);
            match api.create_api_key(&body).await {
                Ok(k) => {
                    created.set(Some(k.key));
                    name.set(String::new());
                    expires.set(String::new());
                    keys.refetch();
                    focus_later("new-key");
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let revoke = crate::components::act(move |id: &Uuid| {
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
        let (t, it) = (i.t(), i.t().integ);
        let scopes = k
            .scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let (id, revoked) = (k.id, k.revoked_at.is_some());
        let expired = k.expires_at.is_some_and(|at| at <= now_utc());
        let confirm = t.key_revoke_confirm.replace("{name}", &k.name);
        let last = match (k.last_used_at, k.last_used_ip) {
            (Some(at), Some(ip)) => {
                format!("{} {}", when(Some(at)), it.key_from_ip.replace("{ip}", &ip))
            }
            (at, _) => when(at),
        };
        let status = match (revoked, expired) {
            (true, _) => view! { <StatusBadge tone=Tone::Muted label=t.key_revoked_status/> },
            (false, true) => view! { <StatusBadge tone=Tone::Warn label=it.key_expired/> },
            (false, false) => view! { <StatusBadge tone=Tone::Ok label=t.status_active/> },
        };
        view! {
            <tr data-testid="api-key-row">
                <th scope="row">{k.name.clone()}</th>
                <td data-label=t.key_prefix><code>{k.prefix.clone()}</code></td>
                <td data-label=t.key_scopes>{scopes}</td>
                <td data-label=t.created_on>{when(Some(k.created_at))}</td>
                <td data-label=it.key_expires_col data-testid="api-key-expires">
                    {k.expires_at.map(crate::dates::paris_fr).unwrap_or_else(|| it.key_never.into())}
                </td>
                <td data-label=t.key_last_used data-testid="api-key-last-used">{last}</td>
                <td data-label=t.status data-testid="api-key-status">{status}</td>
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
    let boxes = scopes
        .into_iter()
        .map(|(s, on)| {
            let id = scope_text(i.t().integ, s).0;
            view! {
                <Checkbox id label=move || scope_text(i.t().integ, s).1 checked=on
                    hint=move || format!("{} ({})", scope_text(i.t().integ, s).2, s.as_str()) testid=id/>
            }
        })
        .collect_view();
    let scopes_error = field_error_or_local(local, error, "scopes");
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
                    <fieldset aria-describedby=move || scopes_error.with(Option::is_some).then_some("scopes-erreur")>
                        <legend>{move || i.t().key_scopes}</legend>
                        {boxes}
                        {move || scopes_error.get().map(|m| view! { <p class="field-error" id="scopes-erreur">{m}</p> })}
                    </fieldset>
                    <TextField id="key-expires" label=move || i.t().integ.key_expires value=expires kind="date"
                        hint=move || i.t().integ.key_expires_hint
                        error=field_error_or_local(local, error, "expires_at") testid="api-key-expires-input"/>
                    <Button submit=true busy=create.pending() testid="api-key-create">{move || i.t().key_create}</Button>
                </form>
                {move || created.get().map(|key| view! {
                    <ShownOnce id="new-key" message=Signal::derive(move || i.t().key_shown_once) value=key testid="api-key-created"/>
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
                                    <th scope="col">{i.t().integ.key_expires_col}</th>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_ends_at_the_paris_midnight_after_its_last_day() {
        // Winter: Paris is UTC+1, so the key ends at 23:00 UTC on its last day.
        assert_eq!(
            end_of_day("2026-12-31").map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-12-31T23:00:00+00:00")
        );
        // Summer: UTC+2.
        assert_eq!(
            end_of_day("2026-07-14").map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-07-14T22:00:00+00:00")
        );
        assert_eq!(end_of_day("31/12/2026"), None);
    }

    #[test]
    fn every_scope_has_its_own_checkbox_and_words_in_both_languages() {
        let mut ids: Vec<&str> = SCOPES
            .iter()
            .map(|s| scope_text(crate::i18n::FR.integ, *s).0)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), SCOPES.len());
        for s in SCOPES {
            let (id, label, help) = scope_text(crate::i18n::EN.integ, s);
            assert!(id.ends_with(&s.as_str().replace(':', "-")));
            assert!(!label.is_empty() && !help.is_empty());
        }
    }
}
