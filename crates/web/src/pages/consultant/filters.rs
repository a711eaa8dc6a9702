//! The portfolio's filters, as plain data over the consultant's bilans (the select values as typed).

use boussole_shared::bilans::{Bilan, BilanStatus};
use chrono::{DateTime, Utc};

use crate::pages::bilans::{NEAR_MAX_MINUTES, days_without_contact, is_active};

/// `status` select value meaning any phase of a bilan under way.
pub const IN_PROGRESS: &str = "in_progress";
/// `hours` select values.
pub const NEAR_MAX: &str = "near_max";
pub const BELOW_MIN: &str = "below_min";
/// The "days without contact" thresholds offered.
pub const CONTACT_THRESHOLDS: [&str; 3] = ["7", "14", "30"];

/// Each field is a select's value; empty means "all".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PortfolioFilter {
    /// `request`, `in_progress`, `completed`, `closed` or `abandoned`.
    pub status: String,
    /// A phase (the same words as the status of a bilan in that phase).
    pub phase: String,
    /// A funding mode.
    pub funding: String,
    /// `near_max` (20 h or more) or `below_min` (under the configured minimum, 13 h by default).
    pub hours: String,
    /// At least this many days without contact.
    pub no_contact_days: String,
}

impl PortfolioFilter {
    /// Whether `b` passes every filter; `now` is UTC.
    pub fn matches(&self, b: &Bilan, now: DateTime<Utc>) -> bool {
        let status = b.status.as_str();
        let in_progress = is_active(b.status) && b.status != BilanStatus::Request;
        let status_ok = match self.status.as_str() {
            "" => true,
            IN_PROGRESS => in_progress,
            s => s == status,
        };
        let hours_ok = match self.hours.as_str() {
            NEAR_MAX => b.accompaniment_minutes >= NEAR_MAX_MINUTES,
            BELOW_MIN => b.below_minimum_hours,
            _ => true,
        };
        let contact_ok = match self.no_contact_days.parse::<i64>() {
            Ok(days) => is_active(b.status) && days_without_contact(b, now) >= days,
            Err(_) => true,
        };
        status_ok
            && (self.phase.is_empty() || self.phase == status)
            && (self.funding.is_empty() || self.funding == b.funding.as_str())
            && hours_ok
            && contact_ok
    }
}

#[cfg(test)]
mod tests {
    use boussole_shared::bilans::{BilanFormat, FundingMode, PersonRef};
    use chrono::NaiveDate;
    use uuid::Uuid;

    use super::*;

    fn at(d: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(2026, 3, d)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .unwrap_or_default()
            .and_utc()
    }

    fn bilan(status: BilanStatus, funding: FundingMode, minutes: i64) -> Bilan {
        Bilan {
            id: Uuid::nil(),
            beneficiary: PersonRef {
                id: Uuid::nil(),
                first_name: "A".into(),
                last_name: "B".into(),
            },
            consultants: Vec::new(),
            status,
            funding,
            format: BilanFormat::Remote,
            planned_hours: 24,
            planned_end_on: None,
            accompaniment_minutes: minutes,
            personal_work_minutes: 0,
            last_contact_at: Some(at(2)),
            below_minimum_hours: minutes < 13 * 60,
            status_changed_at: at(1),
            abandon_reason: None,
            next_step_missing: Vec::new(),
            content_destroyed_at: None,
            retention_until: None,
            created_at: at(1),
            external_ref: None,
        }
    }

    fn filter(f: impl FnOnce(&mut PortfolioFilter)) -> PortfolioFilter {
        let mut out = PortfolioFilter::default();
        f(&mut out);
        out
    }

    #[test]
    fn status_phase_and_funding() {
        let b = bilan(BilanStatus::Investigation, FundingMode::Cpf, 60);
        let now = at(3);
        assert!(PortfolioFilter::default().matches(&b, now));
        assert!(filter(|f| f.status = IN_PROGRESS.into()).matches(&b, now));
        assert!(!filter(|f| f.status = "request".into()).matches(&b, now));
        assert!(filter(|f| f.phase = "investigation".into()).matches(&b, now));
        assert!(!filter(|f| f.phase = "conclusion".into()).matches(&b, now));
        assert!(filter(|f| f.funding = "cpf".into()).matches(&b, now));
        assert!(!filter(|f| f.funding = "employer".into()).matches(&b, now));
        let request = bilan(BilanStatus::Request, FundingMode::Cpf, 0);
        assert!(!filter(|f| f.status = IN_PROGRESS.into()).matches(&request, now));
    }

    #[test]
    fn hours_and_silence() {
        let low = bilan(BilanStatus::Preliminary, FundingMode::Cpf, 60);
        let high = bilan(BilanStatus::Conclusion, FundingMode::Cpf, 21 * 60);
        let near = filter(|f| f.hours = NEAR_MAX.into());
        let below = filter(|f| f.hours = BELOW_MIN.into());
        assert!(near.matches(&high, at(3)) && !near.matches(&low, at(3)));
        assert!(below.matches(&low, at(3)) && !below.matches(&high, at(3)));
        // Last contact on the 2nd: 14 days of silence on the 16th, not on the 15th.
        let silent = filter(|f| f.no_contact_days = "14".into());
        assert!(!silent.matches(&low, at(15)));
        assert!(silent.matches(&low, at(16)));
        let done = bilan(BilanStatus::Completed, FundingMode::Cpf, 60);
        assert!(!silent.matches(&done, at(30)));
    }
}
