//! The French working calendar: public holidays and working days, for the free slots of the calendars
//! and the working-day deadlines of CPF files (DOMAIN.md §3.1).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Metropolitan France's public holidays (Code du travail L3133-1). Alsace-Moselle's two extra days
/// (Good Friday, 26 December) can be added as days off.
pub fn is_public_holiday(date: NaiveDate) -> bool {
    let fixed = matches!(
        (date.month(), date.day()),
        (1, 1) | (5, 1) | (5, 8) | (7, 14) | (8, 15) | (11, 1) | (11, 11) | (12, 25)
    );
    if fixed {
        return true;
    }
    let Ok(easter) = computus::gregorian_naive(date.year()) else {
        return false;
    };
    // Easter Monday, Ascension Thursday, Whit Monday.
    [1, 39, 50]
        .iter()
        .any(|d| easter + Duration::days(*d) == date)
}

/// Monday to Friday and not a public holiday ("jour ouvré").
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(date)
}

/// The `n`th working day after `from` (`from` itself does not count: a request on Friday with 2
/// working days to answer is due on Tuesday).
pub fn add_working_days(from: NaiveDate, n: u32) -> NaiveDate {
    let mut day = from;
    let mut left = n;
    while left > 0 {
        day = day.succ_opt().unwrap_or(day);
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// Working days from `today` to `due` (0 when equal, negative once `due` has passed): how many
/// working days are left to act, as an alert shows it.
pub fn working_days_until(today: NaiveDate, due: NaiveDate) -> i64 {
    let (from, to, sign) = if today <= due {
        (today, due, 1)
    } else {
        (due, today, -1)
    };
    let mut count = 0;
    let mut day = from;
    while day < to {
        day = day.succ_opt().unwrap_or(to);
        if is_working_day(day) {
            count += 1;
        }
    }
    sign * count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn movable_holidays_follow_easter() {
        // Easter 2026 is 5 April: Monday 6 April, Ascension 14 May, Whit Monday 25 May.
        assert!(is_public_holiday(day(2026, 4, 6)));
        assert!(is_public_holiday(day(2026, 5, 14)));
        assert!(is_public_holiday(day(2026, 5, 25)));
        assert!(!is_public_holiday(day(2026, 4, 5 + 2)));
        assert!(is_public_holiday(day(2026, 7, 14)));
    }

    #[test]
    fn deadlines_skip_weekends_and_holidays() {
        // Friday 8 May 2026 is a holiday: a request on Thursday 7 May with 2 working days is due
        // Tuesday 12 May (Friday off, weekend off, Monday 11, Tuesday 12).
        assert_eq!(add_working_days(day(2026, 5, 7), 2), day(2026, 5, 12));
        // Friday 4 December 2026 + 3 working days = Wednesday 9 December.
        assert_eq!(add_working_days(day(2026, 12, 4), 3), day(2026, 12, 9));
        // Christmas: Thursday 24 December + 1 = Monday 28 December.
        assert_eq!(add_working_days(day(2026, 12, 24), 1), day(2026, 12, 28));
        assert_eq!(add_working_days(day(2026, 12, 4), 0), day(2026, 12, 4));
    }

    #[test]
    fn days_left_count_working_days_both_ways() {
        assert_eq!(working_days_until(day(2026, 12, 4), day(2026, 12, 9)), 3);
        assert_eq!(working_days_until(day(2026, 12, 9), day(2026, 12, 9)), 0);
        assert_eq!(working_days_until(day(2026, 12, 9), day(2026, 12, 4)), -3);
    }
}
