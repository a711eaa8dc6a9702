//! The ledger over a small year of documents: an OPCO invoice partly paid, an employer's invoice
//! paid in full, a taxable invoice corrected by a credit note and settled, and documents of the years
//! around it.

use std::process::Command;

use boussole_shared::money::{AccountingSettings, Invoice, PayerKind, Payment};

use super::entries::{Source, aux_account, within};
use super::fixtures::*;
use super::lettering::lettering_code;
use super::*;

/// An employer whose name needs ISO-8859-15 (`œ`, `€` are not in Latin-1) and has a `|`.
const ACCENTED: &str = "Bâtiments Cœur & Frères | Œuvre d'Éloïse";

fn year() -> (Vec<Invoice>, Vec<Payment>) {
    let opco = payer(1, PayerKind::Opco, "OPCO Atlas");
    let employer = payer(2, PayerKind::Company, ACCENTED);
    let taxable = payer(3, PayerKind::Company, "=HYPERLINK(\"x\";\"y\")");
    let old = invoice(
        9,
        "F-2025-000042",
        &opco,
        day(2025, 12, 15),
        &[(1, 50_000)],
        0,
    );
    let f1 = invoice(
        1,
        "F-2026-000001",
        &opco,
        day(2026, 3, 2),
        &[(1, 180_000)],
        0,
    );
    let f2 = invoice(
        2,
        "F-2026-000002",
        &employer,
        day(2026, 3, 2),
        &[(4, 15_000)],
        0,
    );
    let f3 = invoice(
        3,
        "F-2026-000003",
        &taxable,
        day(2026, 4, 1),
        &[(3, 33), (2, 10_000)],
        2000,
    );
    let a1 = credit_note(4, "A-2026-000001", &f3, day(2026, 4, 10), 5_000);
    let payments = vec![
        payment(1, &f1, day(2026, 3, 20), 90_000),
        payment(2, &f2, day(2026, 3, 25), 60_000),
        // F3: 20 099 net + 4 020 VAT = 24 119; credited 5 000 + 1 000 VAT; 18 119 left, paid in two.
        payment(3, &f3, day(2026, 5, 2), 10_000),
        payment(4, &f3, day(2026, 5, 30), 8_119),
        // The 2025 invoice is paid in January 2026.
        payment(5, &old, day(2026, 1, 8), 50_000),
    ];
    (vec![f3.clone(), a1, f2, f1, old], payments)
}

fn entries() -> Vec<Entry> {
    let (invoices, payments) = year();
    from_documents(&invoices, &payments, &AccountingSettings::default()).unwrap()
}

#[test]
fn an_invoice_debits_the_customer_and_credits_sales_and_vat() {
    let entries = entries();
    let f3 = entries
        .iter()
        .find(|e| e.piece_ref == "F-2026-000003" && e.source == Source::Invoice)
        .unwrap();
    assert_eq!(f3.journal, "VE");
    let shape: Vec<(&str, i64, i64)> = f3
        .lines
        .iter()
        .map(|l| (l.account.as_str(), l.debit_cents, l.credit_cents))
        .collect();
    assert_eq!(
        shape,
        [
            ("411000", 24_119, 0),
            ("706000", 0, 20_099),
            ("445710", 0, 4_020)
        ]
    );
    assert_eq!(f3.lines[0].aux_account.as_deref(), Some("41100000003"));

    // Exempt: no VAT line.
    let f1 = entries
        .iter()
        .find(|e| e.piece_ref == "F-2026-000001" && e.source == Source::Invoice)
        .unwrap();
    assert_eq!(f1.lines.len(), 2);
    assert_eq!(
        (f1.lines[0].debit_cents, f1.lines[1].credit_cents),
        (180_000, 180_000)
    );

    // A credit note is the mirror image.
    let a1 = entries
        .iter()
        .find(|e| e.source == Source::CreditNote)
        .unwrap();
    let shape: Vec<(&str, i64, i64)> = a1
        .lines
        .iter()
        .map(|l| (l.account.as_str(), l.debit_cents, l.credit_cents))
        .collect();
    assert_eq!(
        shape,
        [
            ("411000", 0, 6_000),
            ("706000", 5_000, 0),
            ("445710", 1_000, 0)
        ]
    );

    // A payment: bank journal, 512 against the customer.
    let p = entries
        .iter()
        .find(|e| e.source == Source::Payment && e.piece_ref == "F-2026-000001")
        .unwrap();
    assert_eq!(p.journal, "BQ");
    assert_eq!(
        p.label,
        "Règlement F-2026-000001 OPCO Atlas (virement VIR-1)"
    );
    let shape: Vec<(&str, i64, i64)> = p
        .lines
        .iter()
        .map(|l| (l.account.as_str(), l.debit_cents, l.credit_cents))
        .collect();
    assert_eq!(shape, [("512000", 90_000, 0), ("411000", 0, 90_000)]);
}

#[test]
fn journals_and_accounts_come_from_the_settings() {
    let (invoices, payments) = year();
    let settings = AccountingSettings {
        sales_journal: "VT".into(),
        bank_journal: "BNP".into(),
        sales_account: "706100".into(),
        customer_account: "41100000".into(),
        bank_account: "512100".into(),
        vat_account: "445711".into(),
        ..Default::default()
    };
    let entries = from_documents(&invoices, &payments, &settings).unwrap();
    let accounts: std::collections::BTreeSet<&str> = entries
        .iter()
        .flat_map(|e| e.lines.iter().map(|l| l.account.as_str()))
        .collect();
    assert_eq!(
        accounts.into_iter().collect::<Vec<_>>(),
        ["41100000", "445711", "512100", "706100"]
    );
    assert!(
        entries
            .iter()
            .all(|e| e.journal == "VT" || e.journal == "BNP")
    );
    assert_eq!(aux_account(&settings, &invoices[0].buyer), "41100000003");
}

#[test]
fn every_entry_balances_and_entries_are_numbered_in_date_order() {
    let entries = entries();
    assert_eq!(entries.len(), 10);
    for (i, e) in entries.iter().enumerate() {
        e.check().unwrap();
        assert_eq!(e.debit_cents(), e.credit_cents());
        assert_eq!(e.number as usize, i + 1);
        if i > 0 {
            assert!(entries[i - 1].date <= e.date);
        }
    }
    // Same day: the invoices by number.
    assert_eq!(entries[2].piece_ref, "F-2026-000001");
    assert_eq!(entries[3].piece_ref, "F-2026-000002");
    let debit: i64 = entries.iter().map(Entry::debit_cents).sum();
    let credit: i64 = entries.iter().map(Entry::credit_cents).sum();
    assert_eq!(debit, credit);
}

#[test]
fn an_unbalanced_entry_is_refused() {
    let mut e = entries().remove(0);
    e.lines[0].debit_cents += 1;
    assert!(
        matches!(e.check(), Err(LedgerError::Unbalanced { debit_cents, credit_cents, .. }) if debit_cents == credit_cents + 1)
    );
    let mut e = entries().remove(0);
    e.lines[1].debit_cents = e.lines[1].credit_cents; // on both sides at once
    assert!(matches!(e.check(), Err(LedgerError::Unbalanced { .. })));

    let (mut invoices, payments) = year();
    invoices[0].vat_cents += 1;
    assert_eq!(
        from_documents(&invoices, &payments, &AccountingSettings::default()),
        Err(LedgerError::InconsistentTotals {
            number: "F-2026-000003".into()
        })
    );
    let (invoices, mut payments) = year();
    payments[0].amount_cents = 0;
    assert!(matches!(
        from_documents(&invoices, &payments, &AccountingSettings::default()),
        Err(LedgerError::Empty { .. })
    ));
    let (invoices, payments) = year();
    assert_eq!(
        from_documents(&invoices[1..], &payments, &AccountingSettings::default()),
        Err(LedgerError::UnknownInvoice {
            payment: payments[2].id
        })
    );
}

#[test]
fn a_refund_goes_out_of_the_bank() {
    let (invoices, _) = year();
    let refund = payment(9, &invoices[1], day(2026, 6, 1), 6_000); // paid back on the credit note
    let entries = from_documents(&invoices, &[refund], &AccountingSettings::default()).unwrap();
    let e = entries
        .iter()
        .find(|e| e.source == Source::Payment)
        .unwrap();
    assert_eq!(
        (e.lines[0].account.as_str(), e.lines[0].credit_cents),
        ("512000", 6_000)
    );
    assert_eq!(e.lines[1].debit_cents, 6_000);
}

#[test]
fn settled_invoices_are_lettered_with_their_payments_and_credit_notes() {
    let entries = entries();
    let letters = |piece: &str| -> Vec<Option<String>> {
        entries
            .iter()
            .filter(|e| e.piece_ref == piece || (piece.starts_with('F') && e.label.contains(piece)))
            .flat_map(|e| e.lines.iter().filter(|l| l.aux_account.is_some()))
            .map(|l| {
                l.lettering
                    .as_ref()
                    .map(|l| format!("{} {}", l.code, l.date))
            })
            .collect()
    };
    assert_eq!(
        letters("F-2025-000042"),
        [Some("A 2026-01-08".into()), Some("A 2026-01-08".into())]
    );
    assert_eq!(
        letters("F-2026-000001"),
        [None, None],
        "partly paid: not lettered"
    );
    assert_eq!(
        letters("F-2026-000002"),
        [Some("B 2026-03-25".into()), Some("B 2026-03-25".into())]
    );
    // Invoice, credit note and two payments, lettered on the last payment's day.
    assert_eq!(letters("F-2026-000003").len(), 3);
    let a1 = letters("A-2026-000001");
    assert_eq!(a1, [Some("C 2026-05-30".into())]);
    // Bank and sales lines are never lettered.
    assert!(
        entries
            .iter()
            .flat_map(|e| &e.lines)
            .filter(|l| l.aux_account.is_none())
            .all(|l| l.lettering.is_none())
    );
    assert_eq!(
        [0, 1, 25, 26, 27, 51, 52, 701, 702].map(lettering_code),
        ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
    );
}

#[test]
fn the_csv_journal_is_semicolon_separated_with_decimal_commas() {
    let entries = within(&entries(), day(2026, 3, 1), day(2026, 3, 31));
    assert_eq!(entries.len(), 4);
    let csv = csv::journal(&entries);
    assert!(csv.starts_with('\u{feff}'));
    let rows: Vec<&str> = csv
        .trim_start_matches('\u{feff}')
        .split_terminator("\r\n")
        .collect();
    assert_eq!(
        rows[0],
        "Journal;Date;N° écriture;Compte;Compte auxiliaire;Libellé compte auxiliaire;Pièce;Libellé;Débit;Crédit;Lettrage"
    );
    assert_eq!(rows.len(), 1 + 8);
    assert_eq!(
        rows[1],
        "VE;02/03/2026;3;411000;41100000001;OPCO Atlas;F-2026-000001;Facture F-2026-000001 OPCO Atlas;1800,00;0,00;"
    );
    assert!(
        rows.iter()
            .any(|r| r.ends_with("600,00;0,00;B") && r.contains(ACCENTED))
    );
    // Every row has the same 11 columns (the names hold no `;`).
    assert!(rows.iter().all(|r| r.split(';').count() == 11));
    // Debits equal credits over the period.
    let sum = |col: usize| -> i64 {
        rows[1..]
            .iter()
            .map(|r| {
                r.split(';')
                    .nth(col)
                    .unwrap()
                    .replace(',', "")
                    .parse::<i64>()
                    .unwrap()
            })
            .sum()
    };
    assert_eq!(sum(8), sum(9));
    assert_eq!(sum(8), 180_000 + 60_000 + 90_000 + 60_000);
}

#[test]
fn csv_text_is_quoted_and_cannot_become_a_formula() {
    let entries = within(&entries(), day(2026, 4, 1), day(2026, 4, 1));
    let csv = csv::journal(&entries);
    assert!(
        csv.contains(";\"'=HYPERLINK(\"\"x\"\";\"\"y\"\")\";"),
        "{csv}"
    );
    assert!(csv.contains(";\"Facture F-2026-000003 =HYPERLINK(\"\"x\"\";\"\"y\"\")\";"));
}

#[test]
fn a_period_without_entries_is_the_header_line_alone() {
    let csv = csv::journal(&within(&entries(), day(2027, 1, 1), day(2027, 12, 31)));
    assert_eq!(csv, format!("\u{feff}{}\r\n", csv::COLUMNS.join(";")));
    assert_eq!(
        csv::file_name(day(2026, 1, 1), day(2026, 3, 31)),
        "journal-2026-01-01-2026-03-31.csv"
    );
}

#[test]
fn the_fec_has_the_18_fields_in_order_and_is_latin9() {
    let (name, bytes) = fec::file(&org(), 2026, &entries()).unwrap();
    assert_eq!(name, "732829320FEC20261231.txt");
    // Not UTF-8: `é` is one byte, `œ` is 0xBD (it does not exist in Latin-1).
    assert!(String::from_utf8(bytes.clone()).is_err());
    assert!(bytes.windows(3).any(|w| w == b"C\xbdu"));
    let (text, had_errors) = encoding_rs::ISO_8859_15.decode_without_bom_handling(&bytes);
    assert!(!had_errors);
    let rows: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(
        rows[0],
        "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise"
    );
    assert!(rows.iter().all(|r| r.split('|').count() == 18));
    // The 2025 invoice is left out; its January payment is entry 1.
    assert_eq!(
        rows[1],
        "BQ|Banque|1|20260108|512000|Banque|||F-2025-000042|20260108|Règlement F-2025-000042 OPCO Atlas (virement VIR-5)|500,00|0,00|||20260108||"
    );
    assert_eq!(
        rows[2],
        "BQ|Banque|1|20260108|411000|Clients|41100000001|OPCO Atlas|F-2025-000042|20260108|Règlement F-2025-000042 OPCO Atlas (virement VIR-5)|0,00|500,00|A|20260108|20260108||"
    );
    // The `|` of the name is replaced, the accents kept.
    let employer = ACCENTED.replace('|', "/");
    assert!(
        rows.iter()
            .any(|r| r.contains(&format!("|41100000002|{employer}|")))
    );
    // 5 payments of 2 lines, 2 exempt invoices of 2, an invoice and a credit note of 3.
    assert_eq!(rows.len(), 1 + 10 + 4 + 6);
}

#[test]
fn the_fec_needs_a_siren() {
    let mut org = org();
    org.siret = "12345".into();
    assert_eq!(fec::file(&org, 2026, &[]), Err(LedgerError::NoSiren));
    org.siret = "732 829 320 00074".into();
    assert_eq!(
        fec::file_name(&org, 2026).unwrap(),
        "732829320FEC20261231.txt"
    );
}

#[test]
fn characters_latin9_lacks_fall_back_to_ascii() {
    assert_eq!(
        fec::latin9("l’Œuvre – 1\u{202f}000 € … 漢"),
        b"l'\xbcuvre - 1 000 \xa4 ... ?"
    );
}

/// Runs the independent checker on a FEC written under its own name.
fn check_fec(name: &str, bytes: &[u8]) -> Result<serde_json::Value, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/check-fec.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3 runs the independent FEC checker (apt-get install python3)");
    if out.status.success() {
        Ok(serde_json::from_slice(&out.stdout).unwrap())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn an_independent_script_reads_the_fec_back_and_finds_it_balanced() {
    let (name, bytes) = fec::file(&org(), 2026, &entries()).unwrap();
    let summary = check_fec(&name, &bytes).unwrap();
    assert_eq!(summary["entries"], 9);
    assert_eq!(summary["debit"], summary["credit"]);
    assert_eq!(summary["debit"], "4882.38");
    let labels = summary["aux_labels"].as_array().unwrap();
    assert!(
        labels.contains(&serde_json::json!(ACCENTED.replace('|', "/"))),
        "{labels:?}"
    );
    assert_eq!(
        summary["lettering_codes"],
        serde_json::json!(["A", "B", "C"])
    );

    // An empty year is the header line alone, and valid.
    let (name, bytes) = fec::file(&org(), 2030, &entries()).unwrap();
    assert_eq!(check_fec(&name, &bytes).unwrap()["entries"], 0);
}

#[test]
fn the_independent_script_fails_when_balance_breaks() {
    let (name, bytes) = fec::file(&org(), 2026, &entries()).unwrap();
    let text = encoding_rs::ISO_8859_15
        .decode_without_bom_handling(&bytes)
        .0;
    // One cent more on the first credit of the OPCO's payment.
    let broken = text.replacen("|0,00|500,00|A|", "|0,00|500,01|A|", 1);
    assert_ne!(broken, text);
    let err = check_fec(&name, &fec::latin9(&broken)).unwrap_err();
    assert!(
        err.contains("entry 1 is unbalanced") && err.contains("the file is unbalanced"),
        "{err}"
    );
    // A gap in the numbers, a wrong name, a field too many.
    let gap = text.replace("|9|", "|10|");
    assert!(
        check_fec(&name, &fec::latin9(&gap))
            .unwrap_err()
            .contains("without a gap")
    );
    assert!(
        check_fec("FEC2026.txt", &bytes)
            .unwrap_err()
            .contains("file name")
    );
    let extra = text.replacen("|Idevise", "|Idevise|Extra", 1);
    assert!(
        check_fec(&name, &fec::latin9(&extra))
            .unwrap_err()
            .contains("18 field names")
    );
}
