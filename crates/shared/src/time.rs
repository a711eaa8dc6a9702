//! Local time. Everything is stored in UTC; people see and type Europe/Paris times, across the
//! daylight-saving changes (the last Sundays of March and October).

use chrono::{LocalResult, NaiveDateTime, TimeZone};
pub use chrono_tz::Europe::Paris;

/// The Paris wall-clock time of a UTC instant.
pub fn to_paris(utc: NaiveDateTime) -> NaiveDateTime {
    Paris.from_utc_datetime(&utc).naive_local()
}

/// The day it is in Paris at a UTC instant: the day people mean when they date something (a fact, a
/// birth date, a deadline). Between 22:00 or 23:00 and midnight UTC it is already tomorrow there.
pub fn paris_date(utc: NaiveDateTime) -> chrono::NaiveDate {
    to_paris(utc).date()
}

/// Why a Paris wall-clock time does not name one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTimeError {
    /// In the spring gap (02:00–03:00 on the last Sunday of March): that time never happens.
    Nonexistent,
    /// In the autumn overlap (02:00–03:00 on the last Sunday of October): it happens twice.
    Ambiguous,
}

/// The UTC instant of a Paris wall-clock time, refusing the times the DST changes make
/// nonexistent or ambiguous.
pub fn paris_to_utc(local: NaiveDateTime) -> Result<NaiveDateTime, LocalTimeError> {
    match Paris.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.naive_utc()),
        LocalResult::Ambiguous(..) => Err(LocalTimeError::Ambiguous),
        LocalResult::None => Err(LocalTimeError::Nonexistent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn late_in_the_utc_evening_it_is_already_tomorrow_in_paris() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default();
        assert_eq!(paris_date(at(2026, 12, 4, 23, 8)), day(5));
        assert_eq!(paris_date(at(2026, 12, 4, 22, 59)), day(4));
        // Summer time: two hours ahead.
        assert_eq!(
            paris_date(at(2026, 7, 4, 22, 30)),
            NaiveDate::from_ymd_opt(2026, 7, 5).unwrap_or_default()
        );
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .unwrap_or_default()
    }

    #[test]
    fn winter_is_utc_plus_one_and_summer_utc_plus_two() {
        assert_eq!(
            paris_to_utc(at(2026, 1, 15, 9, 0)),
            Ok(at(2026, 1, 15, 8, 0))
        );
        assert_eq!(
            paris_to_utc(at(2026, 7, 15, 9, 0)),
            Ok(at(2026, 7, 15, 7, 0))
        );
        assert_eq!(to_paris(at(2026, 7, 15, 7, 0)), at(2026, 7, 15, 9, 0));
    }

    #[test]
    fn the_dst_gap_and_overlap_are_refused() {
        // 2026: summer time starts on 29 March, ends on 25 October.
        assert_eq!(
            paris_to_utc(at(2026, 3, 29, 2, 30)),
            Err(LocalTimeError::Nonexistent)
        );
        assert_eq!(
            paris_to_utc(at(2026, 10, 25, 2, 30)),
            Err(LocalTimeError::Ambiguous)
        );
        assert_eq!(
            paris_to_utc(at(2026, 3, 29, 3, 0)),
            Ok(at(2026, 3, 29, 1, 0))
        );
    }
}
