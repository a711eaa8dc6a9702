//! The admin area: accounts, API keys, the audit journal, security settings, the organisation's
//! identity, document templates and retention.

mod api_keys;
mod audit;
mod bilans;
mod import;
mod invite;
mod organisation;
mod retention;
mod security;
mod shown_once;
mod templates;
mod users;
mod webhooks;

pub use api_keys::ApiKeys;
pub use audit::Audit;
pub use bilans::Bilans;
pub use import::Import;
pub use organisation::Organisation;
pub use retention::Retention;
pub use security::Security;
pub use templates::{TemplatePage, Templates};
pub use users::Users;
pub use webhooks::{WebhookPage, Webhooks};

use leptos::prelude::*;

use crate::{i18n::use_i18n, pages::bilans::CpfAlerts, pages::welcome::Welcome};

#[component]
pub fn Home() -> impl IntoView {
    let i = use_i18n();
    view! {
        <Welcome coming=move || i.t().admin_coming>
            <ul class="cards">
                <li><a href="/admin/bilans">{move || i.t().nav_bilans}</a></li>
                <li><a href="/admin/beneficiaires">{move || i.t().nav_records}</a></li>
                <li><a href="/admin/utilisateurs">{move || i.t().nav_users}</a></li>
                <li><a href="/admin/cles-api">{move || i.t().nav_api_keys}</a></li>
                <li><a href="/admin/webhooks">{move || i.t().integ.nav_webhooks}</a></li>
                <li><a href="/admin/import">{move || i.t().integ.nav_import}</a></li>
                <li><a href="/admin/journal">{move || i.t().nav_audit}</a></li>
                <li><a href="/admin/securite">{move || i.t().nav_security}</a></li>
                <li><a href="/admin/organisme">{move || i.t().docs.nav_organisation}</a></li>
                <li><a href="/admin/modeles">{move || i.t().legal.tpl_nav}</a></li>
                <li><a href="/admin/conservation">{move || i.t().legal.ret_nav}</a></li>
                <li><a href="/admin/factures">{move || i.t().money.nav_invoices}</a></li>
                <li><a href="/admin/payeurs">{move || i.t().money.nav_payers}</a></li>
                <li><a href="/admin/exports">{move || i.t().money.nav_exports}</a></li>
            </ul>
            <CpfAlerts/>
        </Welcome>
    }
}
