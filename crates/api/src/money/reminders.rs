//! Reminders for overdue invoices, through the outbox (issue 13, item 5): the day after the due date,
//! two weeks later and a month later, an email to the buyer's contact address. Each level is sent at
//! most once per invoice: the row of `invoice_reminders` is inserted in the transaction that queues the
//! email, and its primary key lets only one process do it. An invoice settled or credited meanwhile is
//! left alone; a buyer without an email address is not reminded (the office follows up by hand).

use boussole_shared::money::{InvoiceKind, InvoiceStatus, format_cents};
use chrono::{Days, NaiveDate};
use diesel::prelude::*;

use super::invoices::rows::{self, InvoiceRow};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::notify::outbox::{Channel, Outgoing, enqueue};
use crate::schema::{invoice_reminders as r, invoices};

/// Days after the due date for each reminder level.
const LEVELS: [(i64, u64); 3] = [(1, 1), (2, 15), (3, 30)];

/// The highest level reached on `today` for an invoice due on `due`.
fn level(due: NaiveDate, today: NaiveDate) -> Option<i64> {
    LEVELS
        .iter()
        .rev()
        .find(|(_, days)| {
            due.checked_add_days(Days::new(*days))
                .is_some_and(|d| d <= today)
        })
        .map(|(level, _)| *level)
}

fn message(row: &InvoiceRow, email: &str, balance: i64, level: i64) -> Outgoing {
    let seller = row.seller().map(|s| s.name).unwrap_or_default();
    Outgoing {
        channel: Channel::Email,
        recipient: email.to_string(),
        kind: "invoice_reminder",
        subject: format!(
            "Relance {level} : facture {} échue le {}",
            row.number,
            row.due_date.format("%d/%m/%Y")
        ),
        body: format!(
            "Bonjour,\n\nSauf erreur de notre part, la facture {} du {} (bilan de compétences de {}) \
             reste impayée : {} à régler, échue depuis le {}.\n\nSi vous l'avez réglée entre-temps, \
             merci de ne pas tenir compte de ce message.\n\n{seller}",
            row.number,
            row.issue_date.format("%d/%m/%Y"),
            row.beneficiary_name,
            format_cents(balance),
            row.due_date.format("%d/%m/%Y"),
        ),
        ics: None,
        appointment_id: None,
        not_before: db::now(),
    }
}

/// Queues the reminders due on `today`; returns how many were queued.
pub fn send_overdue(conn: &mut Conn, today: NaiveDate) -> Result<usize, ApiError> {
    let due: Vec<InvoiceRow> = invoices::table
        .filter(invoices::kind.eq(InvoiceKind::Invoice.as_str()))
        .filter(invoices::due_date.lt(today))
        .select(InvoiceRow::as_select())
        .load(conn)?;
    let ids: Vec<&str> = due.iter().map(|d| d.id.as_str()).collect();
    let settled = rows::settled(conn, &ids)?;
    let mut queued = 0;
    for row in &due {
        let s = settled.get(&row.id).copied().unwrap_or_default();
        let status = rows::status(
            InvoiceKind::Invoice,
            row.total_cents,
            s,
            row.due_date,
            today,
        );
        let (Some(level), InvoiceStatus::Overdue) = (level(row.due_date, today), status) else {
            continue;
        };
        let email = row.buyer()?.email;
        if email.trim().is_empty() {
            continue;
        }
        let balance = rows::balance(InvoiceKind::Invoice, row.total_cents, s);
        let sent = db::transaction(conn, |conn| {
            let now = db::now();
            let inserted = crate::on_backend!(conn, |c| {
                diesel::insert_into(r::table)
                    .values((
                        r::invoice_id.eq(&row.id),
                        r::level.eq(level),
                        r::sent_at.eq(now),
                    ))
                    .on_conflict_do_nothing()
                    .execute(c)
            })?;
            // The lower levels count as done: an invoice found late is reminded once, not thrice.
            if inserted == 1 {
                enqueue(conn, &message(row, &email, balance, level))?;
            }
            Ok::<_, ApiError>(inserted == 1)
        })?;
        queued += usize::from(sent);
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_level_starts_on_its_day() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert_eq!(level(due, day(1)), None);
        assert_eq!(level(due, day(2)), Some(1));
        assert_eq!(level(due, day(15)), Some(1));
        assert_eq!(level(due, day(16)), Some(2));
        assert_eq!(level(due, day(31)), Some(3));
    }
}
