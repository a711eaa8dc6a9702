//! Lettering (*lettrage*): the customer lines of an invoice, of its credit notes and of the payments
//! on them are matched under one code (`A`, `B`, … `Z`, `AA`…) once they balance to zero, i.e. once
//! the invoice is settled; the lettering date is that of the last of them. Codes are given in the
//! order of the invoices' first entries. A partly paid invoice stays unlettered.

use std::collections::HashMap;

use boussole_shared::money::{AccountingSettings, Invoice, InvoiceKind};
use uuid::Uuid;

use super::entries::{Entry, Lettering};

/// `0` → `A`, `25` → `Z`, `26` → `AA`: the lettering codes, in bijective base 26.
pub fn lettering_code(mut n: usize) -> String {
    let mut code = Vec::new();
    loop {
        code.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    code.reverse();
    String::from_utf8_lossy(&code).into_owned()
}

/// Letters the customer lines of each settled invoice in `entries` (sorted and numbered).
pub(super) fn letter(
    entries: &mut [Entry],
    invoices: &HashMap<Uuid, &Invoice>,
    settings: &AccountingSettings,
) {
    // The invoice each entry settles: itself, the one a credit note corrects, the one a payment pays.
    let root = |id: Uuid| match invoices.get(&id) {
        Some(inv) if inv.kind == InvoiceKind::CreditNote => inv.corrects_invoice_id.unwrap_or(id),
        _ => id,
    };
    // The entries of each invoice, in the order of its first entry.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of: HashMap<Uuid, usize> = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let g = *group_of.entry(root(entry.invoice_id)).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    let customer = settings.customer_account.trim();
    let mut next = 0;
    for members in groups {
        let balance: i64 = members
            .iter()
            .flat_map(|i| entries[*i].lines.iter())
            .filter(|l| l.account == customer && l.aux_account.is_some())
            .map(|l| l.debit_cents - l.credit_cents)
            .sum();
        if members.len() < 2 || balance != 0 {
            continue;
        }
        let date = members.iter().map(|i| entries[*i].date).max();
        let Some(date) = date else { continue };
        let code = lettering_code(next);
        next += 1;
        for i in members {
            for l in entries[i].lines.iter_mut() {
                if l.account == customer && l.aux_account.is_some() {
                    l.lettering = Some(Lettering {
                        code: code.clone(),
                        date,
                    });
                }
            }
        }
    }
}
