//! The accounting side of invoices, credit notes and payments, as pure functions over the shared DTOs:
//! [`entries::from_documents`] turns them into balanced double entries, [`csv::journal`] writes the
//! journal an accountant imports, [`fec::file`] the *fichier des écritures comptables* of a financial
//! year (LPF A47 A-1), and [`totals`] holds the cent arithmetic invoices are built with.
//!
//! Nothing here reads the database or the clock: the routes fetch the documents and settings, call
//! these functions and send the bytes.

pub mod csv;
pub mod entries;
pub mod fec;
pub mod lettering;
pub mod totals;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;

pub use entries::{Entry, EntryLine, Lettering, from_documents};

use crate::error::ApiError;
use boussole_shared::Slug;

/// Why documents could not be turned into entries: each is a bug or corrupt data upstream, never the
/// caller's input, so the API answers 500 (and logs which document).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// Debits and credits of one entry differ: the entry is refused rather than written.
    #[error("entry {piece} is unbalanced: debit {debit_cents} ≠ credit {credit_cents} cents")]
    Unbalanced {
        piece: String,
        debit_cents: i64,
        credit_cents: i64,
    },
    /// An invoice whose total is not its net total plus its VAT, or with amounts of the wrong sign.
    #[error("invoice {number}: inconsistent totals")]
    InconsistentTotals { number: String },
    /// A payment on an invoice that was not passed in.
    #[error("payment {payment} refers to an invoice that was not given")]
    UnknownInvoice { payment: uuid::Uuid },
    /// A document that comes to zero: it would make an entry with no amount.
    #[error("{piece}: nothing to record")]
    Empty { piece: String },
    /// The organisation's SIRET has no 9-digit SIREN, which names the FEC file.
    #[error("the organisation's SIRET is missing or malformed: no SIREN to name the FEC")]
    NoSiren,
    /// An amount past what an `i64` of cents holds (never with amounts the API accepts).
    #[error("amount overflow")]
    Overflow,
}

impl From<LedgerError> for ApiError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::NoSiren => ApiError::Rule {
                slug: Slug::SIRET_MISSING,
                detail: "Le SIRET de l'organisme est requis pour nommer le FEC.".into(),
                missing: vec!["organisation.siret".into()],
            },
            e => ApiError::Internal(anyhow::Error::new(e)),
        }
    }
}

/// `123450` → `"1234,50"`, `-5` → `"-0,05"`: cents with a decimal comma and no grouping, as French
/// accounting tools import numbers (the FEC and the CSV journal).
pub fn decimal_comma(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod decimal {
    use super::*;

    #[test]
    fn amounts_are_written_with_a_decimal_comma() {
        assert_eq!(decimal_comma(0), "0,00");
        assert_eq!(decimal_comma(5), "0,05");
        assert_eq!(decimal_comma(123_450), "1234,50");
        assert_eq!(decimal_comma(-99_999), "-999,99");
        assert_eq!(decimal_comma(i64::MIN), "-92233720368547758,08");
    }
}
