//! The PDF of a quote, through the documents' writer: the seller's identity and activity declaration,
//! the buyer, the action, the priced lines with the VAT or its exemption, the validity date, and the
//! "bon pour accord" block the buyer signs. Read from the row alone (snapshots), like an invoice's.

use crate::error::ApiError;
use crate::money::invoices::pdf::{day, priced, seller_identity};
use crate::pdf::Writer;

use super::rows::QuoteRow;

pub fn render(row: &QuoteRow) -> Result<Vec<u8>, ApiError> {
    let seller = row.seller()?;
    let buyer = row.buyer()?;
    let title = format!("Devis n° {}", row.number);
    let mut w = Writer::new(&title, &seller)?;
    w.title(&title);
    w.paragraph(&seller_identity(&seller));
    w.field("Date du devis", &day(row.issue_date));
    w.field("Valable jusqu'au", &day(row.valid_until));
    w.heading("Client");
    w.paragraph(&format!("{}\n{}", buyer.name, buyer.address));
    if let Some(siret) = &buyer.siret {
        w.field("SIRET du client", siret);
    }
    w.heading("Prestation proposée");
    w.field(
        "Action",
        &format!("Bilan de compétences de {}", row.beneficiary_name),
    );
    w.paragraph(
        "Bilan de compétences (C. trav. L6313-1 et L6313-4, R6313-4 à R6313-8) : phase préliminaire, \
         phase d'investigation et phase de conclusion, avec un document de synthèse remis au seul \
         bénéficiaire et un entretien de suivi à six mois.",
    );
    priced(
        &mut w,
        &row.lines()?,
        (row.total_excl_vat_cents, row.vat_cents, row.total_cents),
        row.vat_rate_bp,
        row.vat_mention.as_deref(),
    );
    w.heading("Acceptation");
    w.paragraph(&format!(
        "Devis valable jusqu'au {}. Pour l'accepter : date, nom, qualité et signature, précédés de la \
         mention « Bon pour accord ».",
        day(row.valid_until)
    ));
    w.space(40.0);
    w.paragraph(&format!("Devis n° {} émis par Boussole.", row.number));
    w.finish(row.issued_at.and_utc())
}
