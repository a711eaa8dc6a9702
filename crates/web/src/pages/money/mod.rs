//! Money (issue 13): the payer directory, the funding lines of a bilan, invoices with their payments
//! and credit notes, the accounting exports, and the beneficiary's own invoices. Amounts are integer
//! cents; people type euros (`1800,50`) and read them the French way (`format_cents`).

mod exports;
mod funding;
mod invoice;
mod invoices;
mod payers;
mod quote;
mod quotes;

pub use exports::Exports;
pub use funding::FundingPanel;
pub use invoice::InvoicePage;
pub use invoices::{Invoices, MyInvoices};
pub use payers::Payers;
pub use quote::QuotePage;
pub use quotes::{MyQuotes, Quotes};

use crate::pages::save_file;

use boussole_shared::money::{
    FundingStatus, InvoiceKind, InvoiceLine, InvoiceStatus, PayerKind, PaymentMethod, format_cents,
};
use leptos::prelude::*;

use crate::components::{StatusBadge, Tone};
use crate::i18n::MoneyStrings;

/// "1800,50", "1 800.50" or "1800" → 180050 cents; blank → None; anything else (negative, three
/// decimals, letters) → Err. The reading itself is `boussole_shared::money::parse_euros`.
pub fn parse_euros(text: &str) -> Result<Option<i64>, ()> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    boussole_shared::money::parse_euros(text)
        .map(Some)
        .ok_or(())
}

/// 180050 → "1800,50", what an amount field shows for editing.
pub fn show_euros(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

pub const PAYER_KINDS: [PayerKind; 5] = [
    PayerKind::Company,
    PayerKind::Opco,
    PayerKind::FranceTravail,
    PayerKind::Cdc,
    PayerKind::Beneficiary,
];

pub fn payer_kind(m: &MoneyStrings, k: PayerKind) -> &'static str {
    match k {
        PayerKind::Company => m.kind_company,
        PayerKind::Opco => m.kind_opco,
        PayerKind::FranceTravail => m.kind_france_travail,
        PayerKind::Cdc => m.kind_cdc,
        PayerKind::Beneficiary => m.kind_beneficiary,
    }
}

pub fn funding_status(m: &MoneyStrings, s: FundingStatus) -> &'static str {
    match s {
        FundingStatus::Requested => m.fs_requested,
        FundingStatus::Agreed => m.fs_agreed,
        FundingStatus::Refused => m.fs_refused,
        FundingStatus::Paid => m.fs_paid,
    }
}

pub fn invoice_kind(m: &MoneyStrings, k: InvoiceKind) -> &'static str {
    match k {
        InvoiceKind::Invoice => m.ik_invoice,
        InvoiceKind::CreditNote => m.ik_credit_note,
    }
}

pub fn invoice_status(m: &MoneyStrings, s: InvoiceStatus) -> &'static str {
    match s {
        InvoiceStatus::Unpaid => m.is_unpaid,
        InvoiceStatus::PartiallyPaid => m.is_partially_paid,
        InvoiceStatus::Paid => m.is_paid,
        InvoiceStatus::Overdue => m.is_overdue,
        InvoiceStatus::Credited => m.is_credited,
    }
}

/// An invoice's status as a badge (the text says it; the colour only repeats it).
pub fn status_badge(m: &'static MoneyStrings, s: InvoiceStatus) -> impl IntoView {
    let tone = match s {
        InvoiceStatus::Paid => Tone::Ok,
        InvoiceStatus::Overdue | InvoiceStatus::PartiallyPaid => Tone::Warn,
        InvoiceStatus::Unpaid | InvoiceStatus::Credited => Tone::Muted,
    };
    view! { <StatusBadge tone label=invoice_status(m, s)/> }
}

pub fn payment_method(m: &MoneyStrings, p: PaymentMethod) -> &'static str {
    match p {
        PaymentMethod::Transfer => m.pm_transfer,
        PaymentMethod::Card => m.pm_card,
        PaymentMethod::Cheque => m.pm_cheque,
        PaymentMethod::Cash => m.pm_cash,
        PaymentMethod::DirectDebit => m.pm_direct_debit,
    }
}

/// The totals of a whole selection, above its list: (label, cents, testid) each.
#[component]
pub fn Totals(
    testid: &'static str,
    items: Vec<(&'static str, i64, &'static str)>,
) -> impl IntoView {
    let m = crate::i18n::use_i18n().t().money;
    let items = items
        .into_iter()
        .map(|(label, cents, testid)| {
            view! { <div><dt>{label}</dt><dd data-testid=testid>{format_cents(cents)}</dd></div> }
        })
        .collect_view();
    view! {
        <section aria-label=m.totals_label>
            <dl class="totals" data-testid=testid>{items}</dl>
        </section>
    }
}

/// The lines of an invoice or a quote, as issued.
#[component]
pub fn LinesTable(lines: Vec<InvoiceLine>) -> impl IntoView {
    let m = crate::i18n::use_i18n().t().money;
    let rows = lines
        .into_iter()
        .map(|l| {
            view! {
                <tr>
                    <th scope="row">{l.description}</th>
                    <td data-label=m.quantity class="num">{l.quantity}</td>
                    <td data-label=m.unit_price class="num">{format_cents(l.unit_price_cents)}</td>
                    <td data-label=m.line_total class="num">{format_cents(l.total_cents)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=m.lines_caption>
            <table data-testid="invoice-lines">
                <caption>{m.lines_caption}</caption>
                <thead><tr>
                    <th scope="col">{m.line_description}</th>
                    <th scope="col">{m.quantity}</th>
                    <th scope="col">{m.unit_price}</th>
                    <th scope="col">{m.line_total}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_read_the_french_and_english_ways() {
        assert_eq!(parse_euros(""), Ok(None));
        assert_eq!(parse_euros("  "), Ok(None));
        assert_eq!(parse_euros("1 800"), Ok(Some(180_000)));
        assert_eq!(parse_euros("1800,5"), Ok(Some(180_050)));
        assert_eq!(parse_euros("1800.50"), Ok(Some(180_050)));
        assert_eq!(parse_euros("0,05"), Ok(Some(5)));
        for bad in [
            "18,005",
            "abc",
            "-5",
            "1,-5",
            ",50",
            "1.2.3",
            "99999999999999999999",
        ] {
            assert!(parse_euros(bad).is_err(), "{bad}");
        }
        assert_eq!(show_euros(180_050), "1800,50");
        assert_eq!(show_euros(5), "0,05");
    }
}
