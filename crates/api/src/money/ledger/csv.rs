//! The accounting journal as CSV, one row per entry line, for an accountant's tool or a spreadsheet.
//!
//! The format is the one French accounting software and a French Excel read without an import
//! wizard: **`;` as separator** (the comma is the decimal mark in French, so a comma-separated file
//! splits every amount), **decimal comma** with no thousands separator (`1234,50`), dates as
//! `JJ/MM/AAAA`, **UTF-8 with a byte-order mark** (without it Excel decodes the file as Windows-1252
//! and garbles accents; Sage, Cegid, EBP, Pennylane and LibreOffice all accept the BOM), CRLF line
//! ends (RFC 4180). Text fields are quoted when they hold `;`, `"` or a line break; one that starts
//! with `=`, `+`, `-` or `@` gets a leading `'`, so a payer's name cannot become a spreadsheet
//! formula. A period with no entries gives the header line alone.
//!
//! Columns: `Journal;Date;N° écriture;Compte;Compte auxiliaire;Libellé compte auxiliaire;Pièce;Libellé;Débit;Crédit;Lettrage`.

use super::{Entry, decimal_comma};

/// The header row, in order.
pub const COLUMNS: [&str; 11] = [
    "Journal",
    "Date",
    "N° écriture",
    "Compte",
    "Compte auxiliaire",
    "Libellé compte auxiliaire",
    "Pièce",
    "Libellé",
    "Débit",
    "Crédit",
    "Lettrage",
];

/// The media type to serve it with.
pub const CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// `journal-2026-01-01-2026-03-31.csv`.
pub fn file_name(from: chrono::NaiveDate, to: chrono::NaiveDate) -> String {
    format!("journal-{from}-{to}.csv")
}

/// The journal of `entries` (already restricted to the period, see [`super::entries::within`]).
pub fn journal(entries: &[Entry]) -> String {
    let mut out = String::from("\u{feff}");
    push_row(&mut out, COLUMNS.iter().map(|c| c.to_string()));
    for entry in entries {
        for line in &entry.lines {
            push_row(
                &mut out,
                [
                    text(&entry.journal),
                    entry.date.format("%d/%m/%Y").to_string(),
                    entry.number.to_string(),
                    text(&line.account),
                    text(line.aux_account.as_deref().unwrap_or_default()),
                    text(line.aux_label.as_deref().unwrap_or_default()),
                    text(&entry.piece_ref),
                    text(&entry.label),
                    decimal_comma(line.debit_cents),
                    decimal_comma(line.credit_cents),
                    line.lettering
                        .as_ref()
                        .map(|l| text(&l.code))
                        .unwrap_or_default(),
                ],
            );
        }
    }
    out
}

fn push_row(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(&field);
    }
    out.push_str("\r\n");
}

/// A text field, defused and quoted as needed.
fn text(value: &str) -> String {
    let value = value.trim();
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}
