//! The CII CrossIndustryInvoice of an invoice or credit note, EN 16931 profile.
//!
//! Amounts are written positive for both kinds: the type code (380 invoice, 381 credit note) gives
//! the direction, as EN 16931 wants. The totals hold by construction (BR-CO-10, -13, -15, -16): the
//! tax basis is the sum of the line net amounts, the grand total basis + tax, the amount due the
//! grand total less what was prepaid (nothing: a Factur-X is made when the invoice is issued).
//! VAT: an exempt organisation (or a rate of 0) writes category `E`, rate 0, with the invoice's
//! exemption wording as the reason (BR-E-10); otherwise category `S` at the invoice's rate, the tax
//! amount being the invoice's own VAT.

use std::fmt::Write;

use boussole_shared::documents::OrganisationIdentity;
use boussole_shared::money::{Invoice, InvoiceKind};
use chrono::NaiveDate;

use super::parties::{buyer, notes, seller};

/// What the invoice does not hold but the XML should say.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The late-payment penalty rate printed on invoices (accounting settings), as a payment note.
    pub late_penalty_rate: Option<String>,
    /// For a credit note: the number of the invoice it corrects (BT-25).
    pub corrected_number: Option<String>,
}

/// The Factur-X XML of `inv`, sold by `org`.
pub fn cii_xml(org: &OrganisationIdentity, inv: &Invoice) -> String {
    cii_xml_with(org, inv, &Context::default())
}

/// The wording used when an exempt invoice carries none.
const DEFAULT_EXEMPTION: &str = "Exonération de TVA – article 261-4-4° a du CGI";

/// [`cii_xml`] with the extra facts of `ctx`.
pub fn cii_xml_with(org: &OrganisationIdentity, inv: &Invoice, ctx: &Context) -> String {
    let credit = inv.kind == InvoiceKind::CreditNote;
    let exempt = org.vat_exempt || inv.vat_rate_bp == 0;
    let lines = lines(inv);
    let basis: i64 = lines.iter().map(|l| l.2).sum();
    let tax = if exempt { 0 } else { inv.vat_cents.abs() };
    let grand = basis + tax;
    let mut x = String::with_capacity(8 * 1024);
    x.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rsm:CrossIndustryInvoice \
         xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\" \
         xmlns:qdt=\"urn:un:unece:uncefact:data:standard:QualifiedDataType:100\" \
         xmlns:ram=\"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\" \
         xmlns:udt=\"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100\">\n\
         <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>\
         <ram:ID>urn:cen.eu:en16931:2017</ram:ID>\
         </ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>\n",
    );
    // BT-1..3, notes (BG-1).
    let _ = write!(
        x,
        "<rsm:ExchangedDocument><ram:ID>{}</ram:ID><ram:TypeCode>{}</ram:TypeCode>\
         <ram:IssueDateTime>{}</ram:IssueDateTime>",
        esc(&inv.number),
        if credit { 381 } else { 380 },
        date(inv.issue_date),
    );
    for (subject, note) in notes(org, ctx) {
        let _ = write!(
            x,
            "<ram:IncludedNote><ram:Content>{}</ram:Content><ram:SubjectCode>{subject}</ram:SubjectCode></ram:IncludedNote>",
            esc(&note)
        );
    }
    x.push_str("</rsm:ExchangedDocument>\n<rsm:SupplyChainTradeTransaction>\n");
    let category = if exempt {
        "<ram:CategoryCode>E</ram:CategoryCode><ram:RateApplicablePercent>0</ram:RateApplicablePercent>"
            .to_string()
    } else {
        format!(
            "<ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>{}</ram:RateApplicablePercent>",
            percent(inv.vat_rate_bp)
        )
    };
    for (n, (description, quantity, net, price)) in lines.iter().enumerate() {
        let _ = writeln!(
            x,
            "<ram:IncludedSupplyChainTradeLineItem>\
             <ram:AssociatedDocumentLineDocument><ram:LineID>{}</ram:LineID></ram:AssociatedDocumentLineDocument>\
             <ram:SpecifiedTradeProduct><ram:Name>{}</ram:Name></ram:SpecifiedTradeProduct>\
             <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>\
             <ram:ChargeAmount>{}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>\
             <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode=\"C62\">{quantity}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>\
             <ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode>{category}</ram:ApplicableTradeTax>\
             <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>{}</ram:LineTotalAmount>\
             </ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>\
             </ram:IncludedSupplyChainTradeLineItem>",
            n + 1,
            esc(description),
            amount(*price),
            amount(*net),
        );
    }
    // BG-4 seller, BG-7 buyer, BT-13 purchase order.
    x.push_str("<ram:ApplicableHeaderTradeAgreement>");
    seller(&mut x, org);
    buyer(&mut x, &inv.buyer);
    if let Some(po) = inv
        .purchase_order
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    {
        let _ = write!(
            x,
            "<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>{}</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>",
            esc(po.trim())
        );
    }
    x.push_str("</ram:ApplicableHeaderTradeAgreement>\n<ram:ApplicableHeaderTradeDelivery/>\n");
    // BG-19..22: currency, VAT breakdown, terms, totals, preceding invoice.
    let reason = if exempt {
        let mention = inv
            .vat_mention
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .unwrap_or(DEFAULT_EXEMPTION);
        format!(
            "<ram:ExemptionReason>{}</ram:ExemptionReason>",
            esc(mention)
        )
    } else {
        String::new()
    };
    let _ = write!(
        x,
        "<ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>\
         <ram:ApplicableTradeTax><ram:CalculatedAmount>{}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>\
         {reason}<ram:BasisAmount>{}</ram:BasisAmount>{category}</ram:ApplicableTradeTax>",
        amount(tax),
        amount(basis),
    );
    let terms = org.payment_terms.trim();
    x.push_str("<ram:SpecifiedTradePaymentTerms>");
    if !terms.is_empty() {
        let _ = write!(x, "<ram:Description>{}</ram:Description>", esc(terms));
    }
    let _ = write!(
        x,
        "<ram:DueDateDateTime>{}</ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>",
        date(inv.due_date)
    );
    let _ = write!(
        x,
        "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>\
         <ram:LineTotalAmount>{b}</ram:LineTotalAmount><ram:TaxBasisTotalAmount>{b}</ram:TaxBasisTotalAmount>\
         <ram:TaxTotalAmount currencyID=\"EUR\">{}</ram:TaxTotalAmount><ram:GrandTotalAmount>{g}</ram:GrandTotalAmount>\
         <ram:TotalPrepaidAmount>0.00</ram:TotalPrepaidAmount><ram:DuePayableAmount>{g}</ram:DuePayableAmount>\
         </ram:SpecifiedTradeSettlementHeaderMonetarySummation>",
        amount(tax),
        b = amount(basis),
        g = amount(grand),
    );
    if let Some(number) = ctx.corrected_number.as_deref().filter(|_| credit) {
        let _ = write!(
            x,
            "<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>{}</ram:IssuerAssignedID></ram:InvoiceReferencedDocument>",
            esc(number)
        );
    }
    x.push_str(
        "</ram:ApplicableHeaderTradeSettlement>\n</rsm:SupplyChainTradeTransaction>\n</rsm:CrossIndustryInvoice>\n",
    );
    x
}

/// (description, quantity, net amount, unit price) of each line, positive. An invoice always has
/// lines; a credit note made for an amount alone may not, and gets one line for its net total.
fn lines(inv: &Invoice) -> Vec<(String, i64, i64, i64)> {
    let lines: Vec<_> = inv
        .lines
        .iter()
        .map(|l| {
            (
                l.description.trim().to_string(),
                l.quantity.abs(),
                l.total_cents.abs(),
                l.unit_price_cents.abs(),
            )
        })
        .collect();
    let sum: i64 = lines.iter().map(|l| l.2).sum();
    if lines.is_empty() || sum != inv.total_excl_vat_cents.abs() {
        let net = inv.total_excl_vat_cents.abs();
        let what = match inv.kind {
            InvoiceKind::CreditNote => "Avoir",
            InvoiceKind::Invoice => "Facture",
        };
        return vec![(format!("{what} {}", inv.number), 1, net, net)];
    }
    lines
}

pub(super) fn date(d: NaiveDate) -> String {
    format!(
        "<udt:DateTimeString format=\"102\">{}</udt:DateTimeString>",
        d.format("%Y%m%d")
    )
}

/// `123450` → `1234.50`.
fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Basis points as a percentage: `2000` → `20`, `550` → `5.50`.
fn percent(bp: i64) -> String {
    if bp % 100 == 0 {
        (bp / 100).to_string()
    } else {
        format!("{}.{:02}", bp / 100, (bp % 100).abs())
    }
}

pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than making the file unreadable.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn amounts_and_rates_are_written_as_xml_decimals() {
        assert_eq!(amount(0), "0.00");
        assert_eq!(amount(180_000), "1800.00");
        assert_eq!(amount(-5), "-0.05");
        assert_eq!(percent(2000), "20");
        assert_eq!(percent(550), "5.50");
        assert_eq!(
            esc("A & B <c> \"d\" l'e\u{1}"),
            "A &amp; B &lt;c&gt; &quot;d&quot; l&apos;e"
        );
    }
}
