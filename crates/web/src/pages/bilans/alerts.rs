//! A bilan's alerts, in words, and the figures behind them. Plain functions of the bilan and the clock,
//! so that the portfolio's filters, the bilan file and the tests apply the same rules.

use boussole_shared::{bilans::Bilan, time::to_paris};
use chrono::{DateTime, NaiveDate, Utc};

use super::{NEAR_MAX_MINUTES, is_active};
use crate::{dates::date_fr, i18n::Strings};

/// No contact for this many days raises an alert.
pub const NO_CONTACT_DAYS: i64 = 14;
/// A planned end this many days away or less raises an alert.
pub const DEADLINE_SOON_DAYS: i64 = 14;

/// Days since the last session ended or, before any session, since the bilan was opened: a bilan
/// nobody has met yet is as silent as one whose last meeting is old.
pub fn days_without_contact(b: &Bilan, now: DateTime<Utc>) -> i64 {
    (now - b.last_contact_at.unwrap_or(b.created_at))
        .num_days()
        .max(0)
}

/// Where the planned end stands for a bilan still under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// In this many days (0 = today), within `DEADLINE_SOON_DAYS`.
    Soon(i64),
    /// Past by this many days.
    Passed(i64),
}

pub fn deadline(b: &Bilan, today: NaiveDate) -> Option<Deadline> {
    let end = b.planned_end_on.filter(|_| is_active(b.status))?;
    let days = (end - today).num_days();
    if days < 0 {
        Some(Deadline::Passed(-days))
    } else if days <= DEADLINE_SOON_DAYS {
        Some(Deadline::Soon(days))
    } else {
        None
    }
}

/// The alerts of a bilan as (kind, words); `now` is UTC. Kinds: `near-max` (20 h or more used),
/// `below-min`, `missing` (the next step lacks something), `no-contact`, `deadline-soon`, `deadline-passed`.
pub fn alerts(t: &Strings, b: &Bilan, now: DateTime<Utc>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if b.accompaniment_minutes >= NEAR_MAX_MINUTES {
        out.push(("near-max", t.alert_near_max.to_string()));
    }
    let active = is_active(b.status);
    if b.below_minimum_hours && active {
        out.push(("below-min", t.alert_below_min.to_string()));
    }
    if !b.next_step_missing.is_empty() {
        let n = b.next_step_missing.len().to_string();
        out.push(("missing", t.alert_missing.replace("{n}", &n)));
    }
    let silent = days_without_contact(b, now);
    if active && silent >= NO_CONTACT_DAYS {
        let text = t.alert_no_contact.replace("{n}", &silent.to_string());
        out.push(("no-contact", text));
    }
    let date = || b.planned_end_on.map(date_fr).unwrap_or_default();
    match deadline(b, to_paris(now.naive_utc()).date()) {
        Some(Deadline::Soon(_)) => out.push((
            "deadline-soon",
            t.alert_deadline_soon.replace("{date}", &date()),
        )),
        Some(Deadline::Passed(_)) => out.push((
            "deadline-passed",
            t.alert_deadline_passed.replace("{date}", &date()),
        )),
        None => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use boussole_shared::bilans::{BilanFormat, BilanStatus, FundingMode, PersonRef};
    use uuid::Uuid;

    use super::*;
    use crate::i18n::FR;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .unwrap_or_default()
            .and_utc()
    }

    fn bilan(status: BilanStatus) -> Bilan {
        let who = PersonRef {
            id: Uuid::nil(),
            first_name: "Lucas".into(),
            last_name: "Moreau".into(),
        };
        Bilan {
            id: Uuid::nil(),
            beneficiary: who,
            consultants: Vec::new(),
            status,
            funding: FundingMode::Cpf,
            format: BilanFormat::OnSite,
            planned_hours: 24,
            planned_end_on: None,
            accompaniment_minutes: 14 * 60,
            personal_work_minutes: 0,
            last_contact_at: None,
            below_minimum_hours: false,
            status_changed_at: at(2026, 1, 1),
            abandon_reason: None,
            next_step_missing: Vec::new(),
            content_destroyed_at: None,
            retention_until: None,
            created_at: at(2026, 1, 1),
            external_ref: None,
        }
    }

    fn kinds(b: &Bilan, now: DateTime<Utc>) -> Vec<&'static str> {
        alerts(&FR, b, now).into_iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn silence_counts_from_the_last_session_or_the_opening() {
        let mut b = bilan(BilanStatus::Investigation);
        assert_eq!(days_without_contact(&b, at(2026, 1, 15)), 14);
        assert_eq!(kinds(&b, at(2026, 1, 15)), ["no-contact"]);
        b.last_contact_at = Some(at(2026, 1, 10));
        assert_eq!(days_without_contact(&b, at(2026, 1, 15)), 5);
        assert!(kinds(&b, at(2026, 1, 15)).is_empty());
        // A finished bilan is not chased.
        b.status = BilanStatus::Completed;
        assert!(kinds(&b, at(2026, 3, 1)).is_empty());
    }

    #[test]
    fn deadlines_near_and_past_while_under_way() {
        let mut b = bilan(BilanStatus::Conclusion);
        b.last_contact_at = Some(at(2026, 3, 1));
        b.planned_end_on = NaiveDate::from_ymd_opt(2026, 3, 10);
        assert_eq!(deadline(&b, at(2026, 2, 1).date_naive()), None);
        assert_eq!(
            deadline(&b, at(2026, 3, 1).date_naive()),
            Some(Deadline::Soon(9))
        );
        assert_eq!(kinds(&b, at(2026, 3, 1)), ["deadline-soon"]);
        assert_eq!(
            deadline(&b, at(2026, 3, 12).date_naive()),
            Some(Deadline::Passed(2))
        );
        let words = alerts(&FR, &b, at(2026, 3, 12));
        assert!(words.iter().any(|(_, w)| w.contains("10/03/2026")));
        b.status = BilanStatus::Completed;
        assert_eq!(deadline(&b, at(2026, 3, 12).date_naive()), None);
    }

    #[test]
    fn hours_alerts() {
        let mut b = bilan(BilanStatus::Preliminary);
        b.last_contact_at = Some(at(2026, 1, 1));
        b.accompaniment_minutes = 20 * 60;
        b.below_minimum_hours = false;
        b.next_step_missing = vec!["x".into()];
        assert_eq!(kinds(&b, at(2026, 1, 2)), ["near-max", "missing"]);
    }
}
