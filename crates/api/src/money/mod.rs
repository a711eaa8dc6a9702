//! Money (issue 13): the double-entry ledger of invoices, credit notes and payments, its exports, and Factur-X.

pub mod facturx;
pub mod ledger;
