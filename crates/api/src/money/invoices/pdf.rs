//! The PDF of an invoice or a credit note, through the PDF writer (`crate::pdf`): every
//! mention of DOMAIN.md §4.2, read from the row alone (its seller, buyer and wording are snapshots),
//! so the PDF says what the row says. The tests read each mention back from the PDF.

use boussole_shared::documents::OrganisationIdentity;
use boussole_shared::money::{InvoiceKind, InvoiceLine, format_cents};
use chrono::NaiveDate;

use super::rows::InvoiceRow;
use crate::error::ApiError;
use crate::pdf::Writer;

/// "1 234,50 €" with plain spaces (the thin no-break space may be missing from the font).
fn euros(cents: i64) -> String {
    format_cents(cents).replace(['\u{202f}', '\u{a0}'], " ")
}

pub fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// "SAS", "SARL"…: the forms registered at the RCS with a share capital. An association or a sole
/// trader prints neither.
pub fn is_company(legal_form: &str) -> bool {
    let first = legal_form
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_uppercase();
    [
        "SA", "SAS", "SASU", "SARL", "EURL", "SNC", "SCA", "SCS", "SELARL", "SELAS", "SELASU",
        "SCOP",
    ]
    .contains(&first.trim_matches(|c: char| !c.is_alphanumeric()))
}

/// The seller's legal identity line: form, SIREN and SIRET, capital and RCS for a company, VAT number.
pub fn seller_identity(seller: &OrganisationIdentity) -> String {
    let siren: String = seller.siret.chars().take(9).collect();
    let mut identity = format!(
        "{} — SIREN {siren} — SIRET {}",
        seller.legal_form.trim(),
        seller.siret
    );
    if is_company(&seller.legal_form) {
        identity.push_str(&format!(
            " — au capital de {} — RCS {} {siren}",
            seller.share_capital.trim(),
            seller.rcs_city.trim()
        ));
    }
    if !seller.vat_number.trim().is_empty() {
        identity.push_str(&format!(
            " — TVA intracommunautaire {}",
            seller.vat_number.trim()
        ));
    }
    identity
}

/// `corrected`: for a credit note, the number and issue date of the invoice it corrects.
pub fn render(row: &InvoiceRow, corrected: Option<(&str, NaiveDate)>) -> Result<Vec<u8>, ApiError> {
    let seller = row.seller()?;
    let buyer = row.buyer()?;
    let kind = row.kind()?;
    let title = match kind {
        InvoiceKind::Invoice => format!("Facture n° {}", row.number),
        InvoiceKind::CreditNote => format!("Avoir n° {}", row.number),
    };
    let mut w = Writer::new(&title, &seller)?;
    w.title(&title);
    w.paragraph(&seller_identity(&seller));
    w.field("Date d'émission", &day(row.issue_date));
    if let Some((number, issued)) = corrected {
        w.field("Facture rectifiée", &format!("{number} du {}", day(issued)));
        w.field("Motif", row.reason.as_deref().unwrap_or_default());
    }
    w.heading("Client");
    w.paragraph(&format!("{}\n{}", buyer.name, buyer.address));
    if let Some(siret) = &buyer.siret {
        w.field(
            "SIREN du client",
            &siret.chars().take(9).collect::<String>(),
        );
    }
    if let Some(vat) = &buyer.vat_number {
        w.field("TVA intracommunautaire du client", vat);
    }
    if let Some(po) = &row.purchase_order {
        w.field("Bon de commande", po);
    }
    w.heading("Prestation");
    w.field(
        "Action",
        &format!("Bilan de compétences de {}", row.beneficiary_name),
    );
    w.field("Catégorie d'opération", "prestation de services");
    let period = match (row.service_from, row.service_to) {
        (Some(a), Some(b)) => format!("du {} au {}", day(a), day(b)),
        _ => "à venir (acompte)".to_string(),
    };
    w.field("Date de la prestation", &period);
    lines(&mut w, row)?;
    payment(&mut w, row, kind, buyer.kind.is_business());
    w.space(8.0);
    w.paragraph(&format!(
        "{} n° {} émis(e) par Boussole.",
        match kind {
            InvoiceKind::Invoice => "Facture",
            InvoiceKind::CreditNote => "Avoir",
        },
        row.number
    ));
    w.finish(row.issued_at.and_utc())
}

fn lines(w: &mut Writer, row: &InvoiceRow) -> Result<(), ApiError> {
    priced(
        w,
        &row.lines()?,
        (row.total_excl_vat_cents, row.vat_cents, row.total_cents),
        row.vat_rate_bp,
        row.vat_mention.as_deref(),
    );
    Ok(())
}

/// The lines' table and the totals (excl. VAT, VAT or its exemption wording, incl. VAT), as an invoice
/// or a quote prints them.
pub fn priced(
    w: &mut Writer,
    lines: &[InvoiceLine],
    (excl, vat, total): (i64, i64, i64),
    vat_rate_bp: i64,
    vat_mention: Option<&str>,
) {
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                l.description.clone(),
                l.quantity.to_string(),
                euros(l.unit_price_cents),
                euros(l.total_cents),
            ]
        })
        .collect();
    w.table(
        &["Désignation", "Quantité", "Prix unitaire HT", "Total HT"],
        &[0.52, 0.12, 0.18, 0.18],
        &rows,
    );
    w.field("Total HT", &euros(excl));
    match vat_mention {
        Some(mention) => {
            w.field("TVA", &euros(vat));
            w.paragraph(mention);
        }
        None => w.field(
            &format!("TVA ({} %)", vat_rate_bp as f64 / 100.0),
            &euros(vat),
        ),
    }
    w.field("Total TTC", &euros(total));
}

fn payment(w: &mut Writer, row: &InvoiceRow, kind: InvoiceKind, business: bool) {
    w.heading("Règlement");
    match kind {
        InvoiceKind::Invoice => w.field("Date d'échéance", &day(row.due_date)),
        InvoiceKind::CreditNote => w.field(
            "Montant porté au crédit du client",
            &euros(-row.total_cents),
        ),
    }
    w.paragraph("Escompte pour paiement anticipé : néant");
    w.paragraph(&format!(
        "Pénalités de retard : {} (taux applicable en cas de paiement après la date d'échéance).",
        row.late_penalty_rate
    ));
    if business {
        w.paragraph("Indemnité forfaitaire pour frais de recouvrement : 40 € (C. com. L441-10).");
    }
}
