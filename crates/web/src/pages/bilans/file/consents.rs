//! The consents tab, and the consents table the beneficiary's home shares.

use leptos::prelude::*;
use uuid::Uuid;

use crate::pages::bilans::*;
use crate::{api::use_api, components::*, dates::*, i18n::use_i18n};

#[component]
pub fn ConsentsPanel(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let api = use_api();
    let consents = crate::components::loader(move || {
        version.track();
        async move { api.consents(id).await.map(Data::Consents) }
    });
    view! { <ConsentTable consents on_revoke=None/> }
}

/// The consents of a bilan; with `on_revoke` (the beneficiary), each one in force has a withdraw button.
#[component]
pub fn ConsentTable(consents: DataResource, on_revoke: Option<Callback<Uuid>>) -> impl IntoView {
    let i = use_i18n();
    view! {
        <Loaded resource=consents let:d>
            {match d {
                Data::Consents(v) if v.is_empty() => {
                    view! { <EmptyState>{i.t().consents_empty}</EmptyState> }.into_any()
                }
                Data::Consents(v) => {
                    let t = i.t();
                    let n = v.len();
                    view! {
                        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=t.tab_consents>
                            <table data-testid="consents-table">
                                <caption>{t.consents_caption.replace("{n}", &n.to_string())}</caption>
                                <thead><tr>
                                    <th scope="col">{t.consent_kind}</th>
                                    <th scope="col">{t.consent_statement}</th>
                                    <th scope="col">{t.consent_given_at}</th>
                                    <th scope="col">{t.consent_state}</th>
                                    {on_revoke.is_some().then(|| view! { <th scope="col">{t.actions}</th> })}
                                </tr></thead>
                                <tbody>
                                    {v.into_iter().map(|c| {
                                        let kind = consent_kind_label(t, c.kind);
                                        let active = c.revoked_at.is_none();
                                        let cid = c.id;
                                        view! {
                                            <tr data-testid="consent-row" data-kind=c.kind.as_str()>
                                                <th scope="row">{kind}</th>
                                                <td class="wrap" data-label=t.consent_statement>{c.statement}</td>
                                                <td data-label=t.consent_given_at>{paris_fr(c.given_at)}</td>
                                                <td data-label=t.consent_state>{match c.revoked_at {
                                                    None => view! { <StatusBadge tone=Tone::Ok label=t.consent_active/> }.into_any(),
                                                    Some(d) => view! { <StatusBadge tone=Tone::Muted label=t.consent_revoked_on.replace("{date}", &paris_fr(d))/> }.into_any(),
                                                }}</td>
                                                {on_revoke.map(|cb| view! {
                                                    <td>{active.then(|| view! {
                                                        <button type="button" class="btn btn-secondary btn-small"
                                                            aria-label=t.consent_revoke_label.replace("{kind}", kind)
                                                            on:click=move |_| cb.run(cid) data-testid="consent-revoke">
                                                            {t.consent_revoke}
                                                        </button>
                                                    })}</td>
                                                })}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
                _ => ().into_any(),
            }}
        </Loaded>
    }
}
