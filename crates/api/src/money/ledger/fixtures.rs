//! Documents to test with: invoices, credit notes and payments as the money routes return them.

use boussole_shared::documents::OrganisationIdentity;
use boussole_shared::money::{
    Invoice, InvoiceKind, InvoiceLine, InvoiceStatus, Payer, PayerKind, Payment, PaymentMethod,
};
use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn org() -> OrganisationIdentity {
    OrganisationIdentity {
        name: "Cap Avenir SARL".into(),
        address: "12 rue de la République\n69002 Lyon".into(),
        city: "Lyon".into(),
        siret: "73282932000074".into(),
        nda: "84691234569".into(),
        nda_region: "Auvergne-Rhône-Alpes".into(),
        vat_exempt: true,
        representative_name: "Élodie Marchand".into(),
        representative_title: "Gérante".into(),
        payment_terms: "Paiement à 30 jours par virement.".into(),
        legal_form: "SARL".into(),
        share_capital: "10 000 €".into(),
        rcs_city: "Lyon".into(),
        ..Default::default()
    }
}

pub fn payer(n: u128, kind: PayerKind, name: &str) -> Payer {
    Payer {
        id: Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0000 + n),
        kind,
        name: name.into(),
        siret: (kind != PayerKind::Beneficiary).then(|| "55210055400013".into()),
        vat_number: None,
        address: "3 avenue des Champs\nBâtiment C\n75008 Paris".into(),
        contact_name: "Service comptabilité".into(),
        email: "compta@example.test".into(),
        user_id: None,
        created_at: Utc.with_ymd_and_hms(2026, 1, 2, 9, 0, 0).unwrap(),
        external_ref: None,
    }
}

/// An issued invoice of `lines` (quantity, unit price) at `vat_rate_bp`.
pub fn invoice(
    n: u128,
    number: &str,
    buyer: &Payer,
    issued: NaiveDate,
    lines: &[(i64, i64)],
    vat_rate_bp: i64,
) -> Invoice {
    let t = super::totals::totals(lines, vat_rate_bp).unwrap();
    Invoice {
        id: Uuid::from_u128(0x0194_0000_0000_7000_8000_0000_0000_0000 + n),
        kind: InvoiceKind::Invoice,
        number: number.into(),
        bilan_id: Uuid::from_u128(7),
        funding_id: None,
        corrects_invoice_id: None,
        buyer: buyer.clone(),
        beneficiary_name: "Zoé Lefèvre".into(),
        issue_date: issued,
        due_date: issued + chrono::Days::new(30),
        lines: lines
            .iter()
            .map(|&(quantity, unit_price_cents)| InvoiceLine {
                description: "Bilan de compétences — accompagnement de 24 h".into(),
                quantity,
                unit_price_cents,
                total_cents: quantity * unit_price_cents,
            })
            .collect(),
        total_excl_vat_cents: t.excl_vat_cents,
        vat_rate_bp,
        vat_cents: t.vat_cents,
        total_cents: t.total_cents,
        vat_mention: (vat_rate_bp == 0)
            .then(|| "Exonération de TVA – article 261-4-4° a du CGI".into()),
        purchase_order: Some("BC-2026-118".into()),
        paid_cents: 0,
        credited_cents: 0,
        balance_cents: t.total_cents,
        status: InvoiceStatus::Unpaid,
        sha256: "0".repeat(64),
        issued_by: Uuid::from_u128(1),
        issued_at: issued.and_hms_opt(9, 30, 0).unwrap().and_utc(),
    }
}

/// A credit note of `amount_cents` (net) on `of`, amounts negative as the API returns them.
pub fn credit_note(n: u128, number: &str, of: &Invoice, issued: NaiveDate, net: i64) -> Invoice {
    let vat = super::totals::rate_of(net, of.vat_rate_bp).unwrap();
    Invoice {
        id: Uuid::from_u128(0x0195_0000_0000_7000_8000_0000_0000_0000 + n),
        kind: InvoiceKind::CreditNote,
        number: number.into(),
        corrects_invoice_id: Some(of.id),
        lines: vec![InvoiceLine {
            description: format!("Avoir sur la facture {}", of.number),
            quantity: 1,
            unit_price_cents: -net,
            total_cents: -net,
        }],
        total_excl_vat_cents: -net,
        vat_cents: -vat,
        total_cents: -(net + vat),
        balance_cents: 0,
        issue_date: issued,
        due_date: issued,
        issued_at: issued.and_hms_opt(10, 0, 0).unwrap().and_utc(),
        ..of.clone()
    }
}

pub fn payment(n: u128, of: &Invoice, paid_on: NaiveDate, amount_cents: i64) -> Payment {
    Payment {
        id: Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_0000_0000 + n),
        invoice_id: of.id,
        amount_cents,
        method: PaymentMethod::Transfer,
        paid_on,
        reference: format!("VIR-{n}"),
        recorded_by: Uuid::from_u128(1),
        recorded_at: paid_on.and_hms_opt(16, 0, 0).unwrap().and_utc(),
    }
}
