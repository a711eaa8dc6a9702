//! Money (issue 13): the payer directory, the funding lines of a bilan, invoices and credit notes with
//! their gapless numbering and PDF, payments, and the accounting settings. Administrative data, never
//! bilan content: admins manage it; a consultant sees the funding status of their bilans (and the
//! amounts unless the organisation hides them); a beneficiary sees the invoices addressed to them
//! (a self-funded bilan) and their payments, never those sent to an employer or a funder.
//!
//! The double-entry ledger, its CSV and FEC exports (`exports`, `ledger`) and Factur-X (`facturx`) are
//! pure functions of the rows kept here.

pub mod demo;
pub mod exports;
pub mod facturx;
pub mod fundings;
pub mod invoices;
pub mod ledger;
pub mod payers;
pub mod payments;
pub mod quotes;
pub mod reminders;
pub mod settings;

use boussole_shared::field_rules::FieldRule;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::Fields;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.configure(payers::routes)
        .configure(fundings::routes)
        .configure(settings::routes)
        .configure(invoices::routes)
        .configure(payments::routes)
        .configure(quotes::routes)
        .configure(exports::routes);
}

/// A text field of a body: trimmed, then 1 to `max` characters (or 0 to `max` when `optional`).
fn text_error(value: &str, max: usize, optional: bool) -> Option<(FieldRule, String)> {
    let n = value.trim().chars().count();
    if n == 0 && !optional {
        Some((FieldRule::Required, "obligatoire".into()))
    } else if n > max {
        Some((FieldRule::TooLong, format!("{max} caractères au plus")))
    } else {
        None
    }
}

/// Field errors gathered before a 400, so that the whole form is answered at once; with the money
/// forms' two common checks.
#[derive(Default)]
pub(crate) struct Errors(Fields);

impl Errors {
    fn add(&mut self, field: &str, rule: FieldRule, message: impl Into<String>) {
        self.0.add(field, rule, message);
    }

    fn text(&mut self, field: &str, value: &str, max: usize, optional: bool) {
        if let Some((rule, m)) = text_error(value, max, optional) {
            self.add(field, rule, m);
        }
    }

    fn amount(&mut self, field: &str, cents: i64) {
        if !(1..=boussole_shared::money::MAX_AMOUNT_CENTS).contains(&cents) {
            self.add(field, FieldRule::Range, "entre 0,01 € et 1 000 000 €");
        }
    }

    fn done(self) -> Result<(), crate::error::ApiError> {
        self.0.done()
    }
}

/// A blank optional text as `None`, trimmed otherwise.
fn optional(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}
