//! Double entries from invoices, credit notes and payments (plan comptable général):
//!
//! | document    | journal | debit                          | credit                            |
//! |-------------|---------|--------------------------------|-----------------------------------|
//! | invoice     | sales   | 411 (payer's auxiliary), total | 706 net total; 44571 VAT when any |
//! | credit note | sales   | 706 net total; 44571 VAT       | 411 (payer's auxiliary), total    |
//! | payment     | bank    | 512, amount                    | 411 (payer's auxiliary), amount   |
//!
//! (a payment on a credit note, i.e. a refund, or a negative payment goes the other way). Journal
//! codes and account numbers come from [`AccountingSettings`]. Every entry is checked to balance
//! when it is built ([`Entry::check`]); an unbalanced one is an error, never written.
//!
//! **Auxiliary accounts.** Each payer is a customer sub-account: the customer account without its
//! trailing zeros (`411000` → `411`) followed by the last 8 hex digits of the payer's id, upper case
//! (`411` + `9F3A01BC`). The id never changes when the payer is renamed, unlike a code made from the
//! name, and its last digits are random in a UUID v7 (the first ones are a timestamp, shared by payers
//! created together). 11 characters fit every French accounting tool's limit.
//!
//! **Order and numbers.** Entries are sorted by date, then invoices before credit notes before
//! payments of the same day, then by document number, and numbered 1, 2, 3… in that order.
//!
//! **Lettering**: see [`super::lettering`].

use std::collections::HashMap;

use boussole_shared::money::{
    AccountingSettings, Invoice, InvoiceKind, Payer, Payment, PaymentMethod,
};
use chrono::NaiveDate;
use uuid::Uuid;

use super::LedgerError;

/// One line of an entry: an amount on one side of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryLine {
    pub account: String,
    pub account_label: String,
    /// The payer's customer sub-account, on customer lines only.
    pub aux_account: Option<String>,
    pub aux_label: Option<String>,
    pub debit_cents: i64,
    pub credit_cents: i64,
    /// Set on the customer lines of a settled invoice.
    pub lettering: Option<Lettering>,
}

/// Customer lines matched together (*lettrage*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lettering {
    pub code: String,
    pub date: NaiveDate,
}

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Invoice,
    CreditNote,
    Payment,
}

/// One balanced accounting entry (*écriture*).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub journal: String,
    pub journal_label: String,
    /// 1, 2, 3… in chronological order over the documents given.
    pub number: u32,
    pub date: NaiveDate,
    /// The invoice or credit note number (for a payment: the number of the invoice it pays).
    pub piece_ref: String,
    pub piece_date: NaiveDate,
    pub label: String,
    /// When the entry became final: an invoice when it was issued, a payment when it was recorded.
    pub valid_date: NaiveDate,
    pub source: Source,
    /// The id of the invoice, credit note or payment.
    pub document_id: Uuid,
    /// The invoice or credit note recorded, or the one a payment pays.
    pub invoice_id: Uuid,
    pub lines: Vec<EntryLine>,
}

impl Entry {
    /// Refuses an entry whose debits and credits differ, or with a negative amount or a line on
    /// both sides.
    pub fn check(&self) -> Result<(), LedgerError> {
        let unbalanced = || LedgerError::Unbalanced {
            piece: self.piece_ref.clone(),
            debit_cents: self.lines.iter().map(|l| l.debit_cents).sum(),
            credit_cents: self.lines.iter().map(|l| l.credit_cents).sum(),
        };
        let mut debit = 0i64;
        let mut credit = 0i64;
        for line in &self.lines {
            if line.debit_cents < 0
                || line.credit_cents < 0
                || (line.debit_cents != 0 && line.credit_cents != 0)
            {
                return Err(unbalanced());
            }
            debit = debit
                .checked_add(line.debit_cents)
                .ok_or(LedgerError::Overflow)?;
            credit = credit
                .checked_add(line.credit_cents)
                .ok_or(LedgerError::Overflow)?;
        }
        if self.lines.is_empty() || debit == 0 {
            return Err(LedgerError::Empty {
                piece: self.piece_ref.clone(),
            });
        }
        if debit != credit {
            return Err(unbalanced());
        }
        Ok(())
    }

    pub fn debit_cents(&self) -> i64 {
        self.lines.iter().map(|l| l.debit_cents).sum()
    }

    pub fn credit_cents(&self) -> i64 {
        self.lines.iter().map(|l| l.credit_cents).sum()
    }
}

/// The customer sub-account of `payer` (see the module's documentation).
pub fn aux_account(settings: &AccountingSettings, payer: &Payer) -> String {
    let prefix = settings.customer_account.trim().trim_end_matches('0');
    let prefix = if prefix.is_empty() { "411" } else { prefix };
    let hex = payer.id.simple().to_string().to_uppercase();
    format!("{prefix}{}", &hex[hex.len() - 8..])
}

/// The entries of `invoices` (invoices and credit notes) and `payments`, sorted, numbered and
/// lettered. Pass every invoice a payment refers to, even one issued before the period exported, and
/// keep the entries of the period with [`within`].
pub fn from_documents(
    invoices: &[Invoice],
    payments: &[Payment],
    settings: &AccountingSettings,
) -> Result<Vec<Entry>, LedgerError> {
    let by_id: HashMap<Uuid, &Invoice> = invoices.iter().map(|i| (i.id, i)).collect();
    let mut entries = Vec::with_capacity(invoices.len() + payments.len());
    for invoice in invoices {
        entries.push(invoice_entry(invoice, settings)?);
    }
    for payment in payments {
        let invoice = by_id
            .get(&payment.invoice_id)
            .ok_or(LedgerError::UnknownInvoice {
                payment: payment.id,
            })?;
        entries.push(payment_entry(payment, invoice, settings)?);
    }
    entries.sort_by(|a, b| {
        (a.date, a.source, &a.piece_ref, a.document_id).cmp(&(
            b.date,
            b.source,
            &b.piece_ref,
            b.document_id,
        ))
    });
    for (n, entry) in entries.iter_mut().enumerate() {
        entry.number = u32::try_from(n + 1).map_err(|_| LedgerError::Overflow)?;
    }
    super::lettering::letter(&mut entries, &by_id, settings);
    Ok(entries)
}

/// The entries dated `from..=to`, in order (their numbers are kept).
pub fn within(entries: &[Entry], from: NaiveDate, to: NaiveDate) -> Vec<Entry> {
    entries
        .iter()
        .filter(|e| (from..=to).contains(&e.date))
        .cloned()
        .collect()
}

fn line(account: &str, label: &str, debit_cents: i64, credit_cents: i64) -> EntryLine {
    EntryLine {
        account: account.trim().to_string(),
        account_label: label.to_string(),
        aux_account: None,
        aux_label: None,
        debit_cents,
        credit_cents,
        lettering: None,
    }
}

fn customer_line(
    settings: &AccountingSettings,
    payer: &Payer,
    debit_cents: i64,
    credit_cents: i64,
) -> EntryLine {
    EntryLine {
        aux_account: Some(aux_account(settings, payer)),
        aux_label: Some(payer.name.trim().to_string()),
        ..line(
            &settings.customer_account,
            "Clients",
            debit_cents,
            credit_cents,
        )
    }
}

fn invoice_entry(inv: &Invoice, settings: &AccountingSettings) -> Result<Entry, LedgerError> {
    let inconsistent = || LedgerError::InconsistentTotals {
        number: inv.number.clone(),
    };
    let amounts = [inv.total_excl_vat_cents, inv.vat_cents, inv.total_cents];
    let same_sign = amounts.iter().all(|a| *a >= 0) || amounts.iter().all(|a| *a <= 0);
    let (net, vat, total) = (amounts[0].abs(), amounts[1].abs(), amounts[2].abs());
    if !same_sign || net.checked_add(vat) != Some(total) {
        return Err(inconsistent());
    }
    let credit_note = inv.kind == InvoiceKind::CreditNote;
    if !credit_note && inv.total_cents < 0 {
        return Err(inconsistent());
    }
    // A credit note mirrors an invoice: what the invoice debits, it credits.
    let side = |amount: i64, debit: bool| {
        if debit != credit_note {
            (amount, 0)
        } else {
            (0, amount)
        }
    };
    let (d, c) = side(total, true);
    let mut lines = vec![customer_line(settings, &inv.buyer, d, c)];
    let (d, c) = side(net, false);
    lines.push(line(
        &settings.sales_account,
        "Prestations de services",
        d,
        c,
    ));
    if vat != 0 {
        let (d, c) = side(vat, false);
        lines.push(line(&settings.vat_account, "TVA collectée", d, c));
    }
    let what = if credit_note { "Avoir" } else { "Facture" };
    let entry = Entry {
        journal: settings.sales_journal.trim().to_string(),
        journal_label: "Ventes".into(),
        number: 0,
        date: inv.issue_date,
        piece_ref: inv.number.clone(),
        piece_date: inv.issue_date,
        label: format!("{what} {} {}", inv.number, inv.buyer.name.trim()),
        valid_date: inv.issue_date.max(inv.issued_at.date_naive()),
        source: if credit_note {
            Source::CreditNote
        } else {
            Source::Invoice
        },
        document_id: inv.id,
        invoice_id: inv.id,
        lines,
    };
    entry.check()?;
    Ok(entry)
}

fn method(m: PaymentMethod) -> &'static str {
    match m {
        PaymentMethod::Transfer => "virement",
        PaymentMethod::Card => "carte",
        PaymentMethod::Cheque => "chèque",
        PaymentMethod::Cash => "espèces",
        PaymentMethod::DirectDebit => "prélèvement",
    }
}

fn payment_entry(
    p: &Payment,
    inv: &Invoice,
    settings: &AccountingSettings,
) -> Result<Entry, LedgerError> {
    let amount = p.amount_cents.abs();
    // Money in (a payment of an invoice) or out (a refund: negative, or on a credit note).
    let incoming = (p.amount_cents > 0) == (inv.kind == InvoiceKind::Invoice);
    let (bank, customer) = if incoming {
        (
            line(&settings.bank_account, "Banque", amount, 0),
            customer_line(settings, &inv.buyer, 0, amount),
        )
    } else {
        (
            line(&settings.bank_account, "Banque", 0, amount),
            customer_line(settings, &inv.buyer, amount, 0),
        )
    };
    let reference = p.reference.trim();
    let label = if reference.is_empty() {
        format!(
            "Règlement {} {} ({})",
            inv.number,
            inv.buyer.name.trim(),
            method(p.method)
        )
    } else {
        format!(
            "Règlement {} {} ({} {reference})",
            inv.number,
            inv.buyer.name.trim(),
            method(p.method)
        )
    };
    let entry = Entry {
        journal: settings.bank_journal.trim().to_string(),
        journal_label: "Banque".into(),
        number: 0,
        date: p.paid_on,
        piece_ref: inv.number.clone(),
        piece_date: p.paid_on,
        label,
        valid_date: p.paid_on.max(p.recorded_at.date_naive()),
        source: Source::Payment,
        document_id: p.id,
        invoice_id: inv.id,
        lines: vec![bank, customer],
    };
    entry.check()?;
    Ok(entry)
}
