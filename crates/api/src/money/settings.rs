//! The accounting settings (`GET/PUT /api/v1/settings/accounting`, admins): journal codes and account
//! numbers of the exports, the late-payment penalty rate printed on invoices, and whether consultants
//! see the amounts of their bilans' fundings. Stored like the organisation's identity (`settings`).

use actix_web::{get, put, web};
use boussole_shared::field_rules::FieldRule;
use boussole_shared::money::AccountingSettings;
use utoipa_actix_web::service_config::ServiceConfig;

use super::Errors;
use crate::AppState;
use crate::auth::caller::Admin;
use crate::db;
use crate::error::ApiError;
use crate::json::JsonBody;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_accounting_settings)
        .service(put_accounting_settings);
}

/// The accounting settings; the defaults (706000, 411000, 512000…) until an admin saves them. Kept in
/// the settings store, which the CPF files read too.
pub use crate::settings::{ACCOUNTING, accounting};

fn check(s: &AccountingSettings) -> Result<(), ApiError> {
    let mut errors = Errors::default();
    for (field, code) in [
        ("sales_journal", &s.sales_journal),
        ("bank_journal", &s.bank_journal),
    ] {
        // FEC JournalCode: short, no separator character.
        if code.trim().is_empty()
            || code.chars().count() > 10
            || !code.chars().all(|c| c.is_ascii_alphanumeric())
        {
            errors.add(field, FieldRule::Format, "1 à 10 lettres ou chiffres");
        }
    }
    for (field, account) in [
        ("sales_account", &s.sales_account),
        ("customer_account", &s.customer_account),
        ("bank_account", &s.bank_account),
        ("vat_account", &s.vat_account),
    ] {
        if !(3..=20).contains(&account.len()) || !account.chars().all(|c| c.is_ascii_alphanumeric())
        {
            errors.add(
                field,
                FieldRule::Format,
                "un numéro de compte de 3 à 20 caractères (chiffres, lettres)",
            );
        }
    }
    errors.text("late_penalty_rate", &s.late_penalty_rate, 300, false);
    errors.done()
}

/// The accounting settings (admins).
#[utoipa::path(tag = "money",
    responses((status = 200, description = "OK", body = AccountingSettings), crate::problems::Caller),
    security(("bearer" = [])))]
#[get("/settings/accounting")]
async fn get_accounting_settings(
    _admin: Admin,
    state: web::Data<AppState>,
) -> Result<web::Json<AccountingSettings>, ApiError> {
    Ok(web::Json(db::run(&state.pool, accounting).await?))
}

/// Replaces the accounting settings (admins); a field left out takes its default. Invoices already
/// issued keep the penalty rate they were issued with.
#[utoipa::path(tag = "money", request_body = AccountingSettings,
    responses((status = 200, description = "OK", body = AccountingSettings), crate::problems::Write),
    security(("bearer" = [])))]
#[put("/settings/accounting")]
async fn put_accounting_settings(
    Admin(admin): Admin,
    state: web::Data<AppState>,
    body: JsonBody<AccountingSettings>,
) -> Result<web::Json<AccountingSettings>, ApiError> {
    let mut new = body.parse()?;
    new.late_penalty_rate = new.late_penalty_rate.trim().to_string();
    check(&new)?;
    let saved = db::tx(&state.pool, move |conn| {
        let value = serde_json::to_value(&new).map_err(ApiError::internal)?;
        crate::settings::put(conn, ACCOUNTING, &value)?;
        crate::journal::record(
            conn,
            &admin.actor(),
            "settings.accounting.update",
            "settings",
            Some(ACCOUNTING),
            value,
        )?;
        accounting(conn)
    })
    .await?;
    Ok(web::Json(saved))
}
