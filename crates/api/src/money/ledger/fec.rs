//! The FEC (*fichier des écritures comptables*, LPF A47 A-1; DOMAIN.md §4.4) of one financial year.
//!
//! - The 18 fields of [`FIELDS`], in that order, names on the first line; `|` between fields (no
//!   field may contain one: it is replaced by `/`, and tabs and line breaks by spaces); CRLF line ends.
//! - Dates `AAAAMMJJ`; amounts with a decimal comma (`1234,50`, zero as `0,00`), both Debit and
//!   Credit written; Montantdevise and Idevise empty (everything is in euros, the account currency).
//! - Encoded in **ISO-8859-15** (one of the three encodings A47 A-1 allows, and the one with `€`, `œ`
//!   and `Œ`), through `encoding_rs`. A character outside it becomes its nearest ASCII (`’` → `'`,
//!   `–` → `-`, a narrow no-break space → a space) or `?`.
//! - The entries dated in the year, in chronological order, numbered again 1, 2, 3… without a gap
//!   (EcritureNum); each checked to balance before it is written.
//! - Named `<SIREN>FEC<AAAAMMJJ>.txt`: the first 9 digits of the SIRET and the closing date, 31
//!   December of the year (the financial year is the calendar year).

use boussole_shared::documents::OrganisationIdentity;
use chrono::{Datelike, NaiveDate};
use encoding_rs::{EncoderResult, ISO_8859_15};

use super::{Entry, LedgerError, decimal_comma};

/// The 18 mandatory fields, in order.
pub const FIELDS: [&str; 18] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
];

/// The media type to serve it with.
pub const CONTENT_TYPE: &str = "text/plain; charset=iso-8859-15";

/// `123456789FEC20261231.txt`.
pub fn file_name(org: &OrganisationIdentity, year: i32) -> Result<String, LedgerError> {
    let digits: String = org.siret.chars().filter(|c| !c.is_whitespace()).collect();
    let siren = digits
        .get(..9)
        .filter(|s| s.chars().all(|c| c.is_ascii_digit()));
    let siren = siren.ok_or(LedgerError::NoSiren)?;
    Ok(format!("{siren}FEC{year:04}1231.txt"))
}

/// The FEC of `year` over `entries` (those dated in another year are left out): its file name and
/// its bytes.
pub fn file(
    org: &OrganisationIdentity,
    year: i32,
    entries: &[Entry],
) -> Result<(String, Vec<u8>), LedgerError> {
    let name = file_name(org, year)?;
    let mut text = FIELDS.join("|");
    text.push_str("\r\n");
    let mut in_year: Vec<&Entry> = entries.iter().filter(|e| e.date.year() == year).collect();
    in_year.sort_by_key(|e| (e.date, e.number));
    for (n, entry) in in_year.into_iter().enumerate() {
        entry.check()?;
        for line in &entry.lines {
            let (let_code, let_date) = match &line.lettering {
                Some(l) => (l.code.as_str(), day(l.date)),
                None => ("", String::new()),
            };
            let fields = [
                field(&entry.journal),
                field(&entry.journal_label),
                (n + 1).to_string(),
                day(entry.date),
                field(&line.account),
                field(&line.account_label),
                field(line.aux_account.as_deref().unwrap_or_default()),
                field(line.aux_label.as_deref().unwrap_or_default()),
                field(&entry.piece_ref),
                day(entry.piece_date),
                field(&entry.label),
                decimal_comma(line.debit_cents),
                decimal_comma(line.credit_cents),
                field(let_code),
                let_date,
                day(entry.valid_date),
                String::new(),
                String::new(),
            ];
            text.push_str(&fields.join("|"));
            text.push_str("\r\n");
        }
    }
    Ok((name, latin9(&text)))
}

fn day(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn field(value: &str) -> String {
    value
        .trim()
        .chars()
        .map(|c| match c {
            '|' => '/',
            '\t' | '\r' | '\n' => ' ',
            c => c,
        })
        .collect()
}

/// The nearest ASCII of a character ISO-8859-15 lacks.
fn fallback(c: char) -> &'static str {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{2032}' => "'",
        '\u{201c}' | '\u{201d}' | '\u{201e}' => "\"",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        '\u{2026}' => "...",
        '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' => " ",
        _ => "?",
    }
}

/// `text` in ISO-8859-15.
pub fn latin9(text: &str) -> Vec<u8> {
    let mut encoder = ISO_8859_15.new_encoder();
    let mut out = Vec::with_capacity(text.len() + 16);
    let mut rest = text;
    loop {
        // Room for the whole rest: a single-byte encoding never writes more bytes than it reads.
        let start = out.len();
        out.resize(start + rest.len(), 0);
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(rest, &mut out[start..], true);
        out.truncate(start + written);
        rest = &rest[read..];
        match result {
            EncoderResult::InputEmpty => return out,
            EncoderResult::Unmappable(c) => out.extend_from_slice(fallback(c).as_bytes()),
            // Cannot happen (see above); go round again with more room.
            EncoderResult::OutputFull => {}
        }
    }
}
