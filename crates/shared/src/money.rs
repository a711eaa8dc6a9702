//! Money (issue 13): payers, the funding lines of a bilan, invoices and credit notes, payments and the
//! accounting exports. Every amount is an integer number of euro cents (`*_cents`), never a float;
//! [`format_cents`] prints it the French way. Invoices and payments are administrative data, never
//! bilan content.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The largest amount the API accepts on one line, one funding or one payment: €1,000,000.
pub const MAX_AMOUNT_CENTS: i64 = 100_000_000;

str_enum!(
    /// Who pays.
    PayerKind {
        /// A company (the employer, usually): a business customer (the €40 recovery indemnity, Factur-X).
        Company = "company",
        /// An OPCO (opérateur de compétences), paid directly under subrogation.
        Opco = "opco",
        /// France Travail (AIF).
        FranceTravail = "france_travail",
        /// The Caisse des Dépôts, for a CPF file (invoiced through EDOF).
        Cdc = "cdc",
        /// The beneficiary, self-funded (L6353-3 to -7: 10-day withdrawal period, 30 % up front at most).
        Beneficiary = "beneficiary",
    }
);

impl PayerKind {
    /// A professional buyer: its invoices carry the €40 recovery indemnity and come as Factur-X.
    pub fn is_business(self) -> bool {
        !matches!(self, PayerKind::Beneficiary)
    }
}

/// A payer of the directory (`/api/v1/payers`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payer {
    pub id: Uuid,
    pub kind: PayerKind,
    /// Legal name, or the person's full name for a beneficiary.
    pub name: String,
    /// 14 digits (Luhn key); required for companies and OPCOs, absent for a beneficiary.
    pub siret: Option<String>,
    /// Intra-community VAT number, when the buyer has one.
    pub vat_number: Option<String>,
    /// Billing address, lines separated by line breaks.
    pub address: String,
    /// Who to write to about invoices.
    pub contact_name: String,
    pub email: String,
    /// For a beneficiary payer: their account.
    pub user_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// A company's id in the CRM, when one was given.
    #[serde(default)]
    pub external_ref: Option<String>,
}

/// `POST /api/v1/payers`, `PUT /api/v1/payers/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPayer {
    pub kind: Option<PayerKind>,
    /// 1 to 200 characters.
    pub name: String,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    /// 1 to 500 characters.
    pub address: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub email: String,
    pub user_id: Option<Uuid>,
    /// A company's id in the CRM (companies only; 1 to 100 characters, unique among payers: 409
    /// otherwise). On `PUT`, absent or `null` keeps the one recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_ref: Option<String>,
}

/// `GET /api/v1/payers?kind=&q=`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct PayerFilter {
    pub kind: Option<PayerKind>,
    /// Part of the name or the SIRET.
    pub q: Option<String>,
    /// Only the payer with this CRM id (at most one).
    pub external_ref: Option<String>,
}

str_enum!(
    /// Where a funding line stands.
    FundingStatus {
        /// Asked for (the demande de prise en charge is filed).
        Requested = "requested",
        /// The funder agreed (accord de financement).
        Agreed = "agreed",
        Refused = "refused",
        /// Fully paid.
        Paid = "paid",
    }
);

/// One funder's share of a bilan (`/api/v1/bilans/{id}/fundings`): admins only; a consultant of the
/// bilan sees the status, and the amounts unless the organisation hides them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Funding {
    pub id: Uuid,
    pub bilan_id: Uuid,
    pub payer: Payer,
    /// Absent for a consultant when the organisation hides amounts.
    pub amount_cents: Option<i64>,
    /// The funder's agreement (accord de prise en charge) number.
    pub agreement_number: Option<String>,
    pub agreement_date: Option<NaiveDate>,
    pub status: FundingStatus,
    /// The OPCO is paid directly (subrogation de paiement): the invoice goes to it, not the employer.
    pub subrogation: bool,
    /// Issued invoices on this line, less their credit notes (absent when amounts are hidden).
    pub invoiced_cents: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/bilans/{id}/fundings`, `PUT /api/v1/bilans/{id}/fundings/{funding_id}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewFunding {
    pub payer_id: Uuid,
    /// 1 cent to [`MAX_AMOUNT_CENTS`].
    pub amount_cents: i64,
    pub agreement_number: Option<String>,
    pub agreement_date: Option<NaiveDate>,
    pub status: FundingStatus,
    #[serde(default)]
    pub subrogation: bool,
}

str_enum!(
    /// An invoice or a credit note (avoir), numbered in the same gapless series.
    InvoiceKind {
        Invoice = "invoice",
        CreditNote = "credit_note",
    }
);

str_enum!(
    /// Where an invoice stands, from its payments, credit notes and due date.
    InvoiceStatus {
        Unpaid = "unpaid",
        PartiallyPaid = "partially_paid",
        Paid = "paid",
        /// Past its due date with a balance left.
        Overdue = "overdue",
        /// Fully cancelled by credit notes.
        Credited = "credited",
    }
);

/// One line of an invoice: quantity × unit price, excluding VAT.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceLine {
    pub description: String,
    /// Whole units (hours, sessions, the bilan: 1).
    pub quantity: i64,
    pub unit_price_cents: i64,
    /// quantity × unit price.
    pub total_cents: i64,
}

/// A line to invoice.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInvoiceLine {
    /// 1 to 300 characters.
    pub description: String,
    /// 1 to 1,000.
    pub quantity: i64,
    /// 1 cent to [`MAX_AMOUNT_CENTS`].
    pub unit_price_cents: i64,
}

/// `POST /api/v1/invoices`: issues an invoice at once (numbered, immutable). The buyer is the funding
/// line's payer, or `payer_id`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInvoice {
    pub bilan_id: Uuid,
    /// The funding line invoiced (its payer is the buyer).
    pub funding_id: Option<Uuid>,
    /// The buyer when no funding line is given.
    pub payer_id: Option<Uuid>,
    /// 1 to 20 lines.
    pub lines: Vec<NewInvoiceLine>,
    /// Days until due (0 to 90; default 30).
    pub payment_days: Option<i64>,
    /// The buyer's purchase-order number, printed when given.
    pub purchase_order: Option<String>,
}

/// An issued invoice or credit note: never changes once issued.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    pub id: Uuid,
    pub kind: InvoiceKind,
    /// `F-2026-000001` (invoices), `A-2026-000001` (credit notes): continuous per series and year.
    pub number: String,
    pub bilan_id: Uuid,
    pub funding_id: Option<Uuid>,
    /// For a credit note: the invoice it corrects.
    pub corrects_invoice_id: Option<Uuid>,
    /// The buyer as printed on the invoice (a snapshot: later edits of the payer do not change it).
    pub buyer: Payer,
    /// The beneficiary the bilan is for (the invoice names the action and its trainee).
    pub beneficiary_name: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub lines: Vec<InvoiceLine>,
    pub total_excl_vat_cents: i64,
    /// VAT rate in basis points (2000 = 20 %); 0 when exempt.
    pub vat_rate_bp: i64,
    pub vat_cents: i64,
    /// Negative for a credit note.
    pub total_cents: i64,
    /// The exemption wording printed (dated data), when exempt.
    pub vat_mention: Option<String>,
    pub purchase_order: Option<String>,
    /// Sum of the payments recorded (invoices only).
    pub paid_cents: i64,
    /// Sum of its credit notes, as a positive amount (invoices only).
    pub credited_cents: i64,
    /// What is left to pay: total − credited − paid.
    pub balance_cents: i64,
    pub status: InvoiceStatus,
    /// SHA-256 of its PDF (hex).
    pub sha256: String,
    pub issued_by: Uuid,
    pub issued_at: DateTime<Utc>,
}

/// `GET /api/v1/invoices?status=&payer_id=&bilan_id=&from=&to=&kind=`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct InvoiceFilter {
    pub status: Option<InvoiceStatus>,
    pub kind: Option<InvoiceKind>,
    pub payer_id: Option<Uuid>,
    pub bilan_id: Option<Uuid>,
    /// Issued on or after this day.
    pub from: Option<NaiveDate>,
    /// Issued on or before this day.
    pub to: Option<NaiveDate>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The totals over every invoice the filter matches (all pages), shown above the list.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceTotals {
    /// Invoices less credit notes, including VAT.
    pub invoiced_cents: i64,
    pub paid_cents: i64,
    pub balance_cents: i64,
    pub overdue_cents: i64,
}

/// `GET /api/v1/invoices`: one page, and the totals of the whole selection.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceList {
    pub items: Vec<Invoice>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub totals: InvoiceTotals,
}

/// `POST /api/v1/invoices/{id}/credit-notes`: corrects an issued invoice.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCreditNote {
    /// Positive; at most what the invoice still holds (total − credited). Absent: all of it.
    pub amount_cents: Option<i64>,
    /// 1 to 300 characters, printed on the credit note.
    pub reason: String,
}

str_enum!(
    /// Where a quote (devis) stands. `expired` is computed: still pending past its validity date.
    QuoteStatus {
        /// Sent, waiting for the buyer's answer.
        Pending = "pending",
        /// Accepted ("bon pour accord") by the buyer.
        Accepted = "accepted",
        /// Declined by the buyer, or withdrawn by the organisation.
        Declined = "declined",
        /// Pending past its validity date: can no longer be accepted.
        Expired = "expired",
        /// Accepted, then turned into an invoice.
        Invoiced = "invoiced",
    }
);

str_enum!(
    /// How an acceptance was given.
    AcceptanceMethod {
        /// The beneficiary, signed in, accepted it in Boussole (simple electronic signature: who,
        /// when, from where, and the SHA-256 of the PDF they accepted).
        Online = "online",
        /// A signed copy came back (paper, scan, email): an admin records the signatory and the date.
        Recorded = "recorded",
    }
);

/// The buyer's acceptance of a quote.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteAcceptance {
    pub method: AcceptanceMethod,
    /// The signatory's name, as typed by them (online) or recorded by the admin.
    pub signer_name: String,
    /// The signatory's role at the buyer (a company's HR manager…), when recorded.
    pub signer_role: Option<String>,
    /// The day it was signed.
    pub signed_on: NaiveDate,
    /// When it was recorded in Boussole.
    pub recorded_at: DateTime<Utc>,
    /// The SHA-256 of the PDF accepted (the quote's `sha256`).
    pub sha256: String,
}

/// A quote (devis): numbered `D-2026-000001`, its PDF issued at once and never edited; a changed offer
/// is a new quote (the old one declined).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    pub id: Uuid,
    pub number: String,
    pub bilan_id: Uuid,
    /// The funding line it prices, when one is given.
    pub funding_id: Option<Uuid>,
    /// The buyer as printed (a snapshot).
    pub buyer: Payer,
    pub beneficiary_name: String,
    pub issue_date: NaiveDate,
    /// The last day it can be accepted.
    pub valid_until: NaiveDate,
    pub lines: Vec<InvoiceLine>,
    pub total_excl_vat_cents: i64,
    pub vat_rate_bp: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
    pub vat_mention: Option<String>,
    pub status: QuoteStatus,
    pub acceptance: Option<QuoteAcceptance>,
    /// Why it was declined or withdrawn.
    pub decline_reason: Option<String>,
    /// The invoice it became.
    pub invoice_id: Option<Uuid>,
    /// SHA-256 of its PDF (hex).
    pub sha256: String,
    pub issued_by: Uuid,
    pub issued_at: DateTime<Utc>,
}

/// `POST /api/v1/quotes`: issues a quote at once.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewQuote {
    pub bilan_id: Uuid,
    /// The funding line priced (its payer is the buyer).
    pub funding_id: Option<Uuid>,
    /// The buyer when no funding line is given.
    pub payer_id: Option<Uuid>,
    /// 1 to 20 lines.
    pub lines: Vec<NewInvoiceLine>,
    /// Days it stays valid (1 to 180; default 30).
    pub valid_days: Option<i64>,
}

/// `POST /api/v1/quotes/{id}/acceptance`. The beneficiary buyer accepts online (`signer_name` is the
/// name they type, `signed_on` ignored: today); an admin records a signed copy (`signer_name`,
/// `signer_role`, `signed_on` required, not in the future).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAcceptance {
    /// 1 to 200 characters.
    pub signer_name: String,
    pub signer_role: Option<String>,
    pub signed_on: Option<NaiveDate>,
    /// Must be `true`: the "bon pour accord" box, ticked.
    pub agreed: bool,
}

/// `POST /api/v1/quotes/{id}/decline`: the buyer declines, or the organisation withdraws it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDecline {
    /// 1 to 300 characters.
    pub reason: String,
}

/// `POST /api/v1/quotes/{id}/invoice`: issues the accepted quote's invoice (same buyer, funding line
/// and lines; every invoice rule applies).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteToInvoice {
    /// Days until due (0 to 90; default 30).
    pub payment_days: Option<i64>,
    pub purchase_order: Option<String>,
}

/// `GET /api/v1/quotes?status=&bilan_id=&payer_id=&from=&to=`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct QuoteFilter {
    pub status: Option<QuoteStatus>,
    pub payer_id: Option<Uuid>,
    pub bilan_id: Option<Uuid>,
    /// Issued on or after this day.
    pub from: Option<NaiveDate>,
    /// Issued on or before this day.
    pub to: Option<NaiveDate>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The totals over every quote the filter matches (all pages), incl. VAT.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteTotals {
    pub pending_cents: i64,
    pub accepted_cents: i64,
    pub invoiced_cents: i64,
}

/// `GET /api/v1/quotes`: one page, and the totals of the whole selection.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteList {
    pub items: Vec<Quote>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub totals: QuoteTotals,
}

str_enum!(
    /// How a payment came in.
    PaymentMethod {
        Transfer = "transfer",
        Card = "card",
        Cheque = "cheque",
        Cash = "cash",
        /// Direct debit (prélèvement).
        DirectDebit = "direct_debit",
    }
);

/// A payment received on an invoice.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payment {
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub amount_cents: i64,
    pub method: PaymentMethod,
    pub paid_on: NaiveDate,
    /// Bank reference, cheque number…
    pub reference: String,
    pub recorded_by: Uuid,
    pub recorded_at: DateTime<Utc>,
}

/// `POST /api/v1/invoices/{id}/payments`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPayment {
    /// Positive; at most the invoice's balance.
    pub amount_cents: i64,
    pub method: PaymentMethod,
    /// Not in the future.
    pub paid_on: NaiveDate,
    #[serde(default)]
    pub reference: String,
}

/// Accounting settings (`GET/PUT /api/v1/settings/accounting`): journal codes and account numbers of
/// the exports, and who sees amounts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AccountingSettings {
    /// Sales journal code (default `VE`).
    pub sales_journal: String,
    /// Bank journal code (default `BQ`).
    pub bank_journal: String,
    /// Sales of services (default `706000`).
    pub sales_account: String,
    /// Customers (default `411000`); each payer is an auxiliary account under it.
    pub customer_account: String,
    /// Bank (default `512000`).
    pub bank_account: String,
    /// VAT collected (default `445710`), used when the organisation is not exempt.
    pub vat_account: String,
    /// Late-payment penalty rate printed on invoices (e.g. "trois fois le taux d'intérêt légal").
    pub late_penalty_rate: String,
    /// Whether consultants see the amounts of their bilans' fundings (they always see the status).
    pub consultants_see_amounts: bool,
}

impl Default for AccountingSettings {
    fn default() -> Self {
        AccountingSettings {
            sales_journal: "VE".into(),
            bank_journal: "BQ".into(),
            sales_account: "706000".into(),
            customer_account: "411000".into(),
            bank_account: "512000".into(),
            vat_account: "445710".into(),
            late_penalty_rate: "trois fois le taux d'intérêt légal".into(),
            consultants_see_amounts: true,
        }
    }
}

/// `GET /api/v1/exports/accounting.csv?from=&to=`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct PeriodQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// `GET /api/v1/exports/fec?year=`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct FecQuery {
    /// The financial year (calendar year), 2000 to 2100.
    pub year: i32,
}

/// `1234550` → `"12 345,50 €"`: French grouping (narrow no-break space), decimal comma, euro sign after a
/// no-break space.
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (euros, rest) = (abs / 100, abs % 100);
    let digits = euros.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{rest:02}\u{a0}€")
}

/// What a person types as an amount in euros (`1 234,50`, `1234.5`, `1 600 €`) in cents; `None` when it
/// is not a plain non-negative amount with at most two decimals.
pub fn parse_euros(text: &str) -> Option<i64> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '€'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let (euros, cents) = match cleaned.split_once('.') {
        Some((e, c)) => (e, c),
        None => (cleaned.as_str(), ""),
    };
    if euros.is_empty() || euros.len() > 9 || cents.len() > 2 {
        return None;
    }
    if !euros
        .chars()
        .chain(cents.chars())
        .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let cents = format!("{cents:0<2}");
    Some(euros.parse::<i64>().ok()? * 100 + cents.parse::<i64>().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_euros_become_cents() {
        assert_eq!(parse_euros("1 234,50"), Some(123_450));
        assert_eq!(parse_euros("1600"), Some(160_000));
        assert_eq!(parse_euros("1\u{202f}600,5 €"), Some(160_050));
        assert_eq!(parse_euros("0.05"), Some(5));
        assert_eq!(parse_euros("12,345"), None);
        assert_eq!(parse_euros("-3"), None);
        assert_eq!(parse_euros(""), None);
        assert_eq!(parse_euros("abc"), None);
        assert_eq!(parse_euros("1,2,3"), None);
    }

    #[test]
    fn amounts_print_the_french_way() {
        assert_eq!(format_cents(0), "0,00\u{a0}€");
        assert_eq!(format_cents(5), "0,05\u{a0}€");
        assert_eq!(format_cents(123_450), "1\u{202f}234,50\u{a0}€");
        assert_eq!(
            format_cents(100_000_000),
            "1\u{202f}000\u{202f}000,00\u{a0}€"
        );
        assert_eq!(format_cents(-99_999), "-999,99\u{a0}€");
    }
}
