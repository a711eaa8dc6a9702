//! Dates and times as people read and type them. The API stores and sends UTC; people see and type
//! Europe/Paris wall-clock times, across the daylight-saving changes.
//!
//! Formatting and parsing are written by hand: chrono's `format` and `parse_from_str` pull its strftime
//! machinery into the wasm, which has a 600 KB (gzip) budget.

use boussole_shared::time::{LocalTimeError, paris_to_utc, to_paris};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};

use crate::i18n::Strings;

/// A UTC instant: the API's `DateTime<Utc>` or one computed here as naive UTC. The formatters take
/// either, so a page can show what the API sent as it is.
pub trait UtcInstant: Copy {
    fn naive(self) -> NaiveDateTime;
}

impl UtcInstant for NaiveDateTime {
    fn naive(self) -> NaiveDateTime {
        self
    }
}

impl UtcInstant for DateTime<Utc> {
    fn naive(self) -> NaiveDateTime {
        self.naive_utc()
    }
}

/// Now, in UTC (the API's clock).
pub fn now_utc() -> DateTime<Utc> {
    Utc::now()
}

/// Today in Paris: the day people mean when they type a date.
pub fn today_paris() -> NaiveDate {
    to_paris(now_utc().naive_utc()).date()
}

/// `31/12/2026`.
pub fn date_fr(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// A UTC instant as Paris time, `31/12/2026 09:30`.
pub fn paris_fr(utc: impl UtcInstant) -> String {
    let l = to_paris(utc.naive());
    format!("{} {:02}:{:02}", date_fr(l.date()), l.hour(), l.minute())
}

/// The Paris day of a UTC instant, `31/12/2026`.
pub fn paris_day(utc: impl UtcInstant) -> String {
    date_fr(to_paris(utc.naive()).date())
}

/// A UTC instant as Paris time with seconds (the audit journal).
pub fn paris_fr_seconds(utc: impl UtcInstant) -> String {
    format!("{}:{:02}", paris_fr(utc), to_paris(utc.naive()).second())
}

/// Only the Paris time of day, `09:30`.
pub fn paris_hm(utc: impl UtcInstant) -> String {
    let l = to_paris(utc.naive());
    format!("{:02}:{:02}", l.hour(), l.minute())
}

/// `2026-12-31`, what date inputs and the API want.
pub fn date_iso(d: NaiveDate) -> String {
    format!("{}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `2026-12-31T09:30:00`, a wall-clock time for a `datetime-local` input.
pub fn datetime_iso(d: NaiveDateTime) -> String {
    format!(
        "{}T{:02}:{:02}:{:02}",
        date_iso(d.date()),
        d.hour(),
        d.minute(),
        d.second()
    )
}

/// A date input's value, `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.trim().splitn(3, '-').map(str::parse::<u32>);
    let (y, m, d) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// A `datetime-local` value, `YYYY-MM-DDTHH:MM` with optional seconds (a wall-clock time, no zone);
/// also the API's JSON form, whose fractions of a second are dropped.
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let (date, time) = s.trim().split_once('T')?;
    let mut parts = time.splitn(3, ':');
    let num = |p: Option<&str>| p.and_then(|p| p.split('.').next()?.parse::<u32>().ok());
    let (h, m) = (num(parts.next())?, num(parts.next())?);
    let sec = match parts.next() {
        Some(sec) => num(Some(sec))?,
        None => 0,
    };
    parse_date(date)?.and_hms_opt(h, m, sec)
}

/// Why a typed time was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputTimeError {
    /// Not a date and time at all (an empty or half-filled input).
    Invalid,
    /// A Paris time that the daylight-saving changes make nonexistent or ambiguous.
    Dst(LocalTimeError),
}

impl InputTimeError {
    pub fn text(self, t: &Strings) -> &'static str {
        match self {
            InputTimeError::Invalid => t.err_datetime,
            InputTimeError::Dst(LocalTimeError::Nonexistent) => t.err_time_nonexistent,
            InputTimeError::Dst(LocalTimeError::Ambiguous) => t.err_time_ambiguous,
        }
    }
}

/// A `datetime-local` value typed as Paris time, as the UTC instant the API stores.
pub fn paris_input_to_utc(s: &str) -> Result<DateTime<Utc>, InputTimeError> {
    let local = parse_datetime(s).ok_or(InputTimeError::Invalid)?;
    paris_to_utc(local)
        .map(|t| t.and_utc())
        .map_err(InputTimeError::Dst)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .unwrap_or_default()
    }

    #[test]
    fn inputs_parse_with_or_without_seconds() {
        assert!(parse_datetime("2026-11-30T09:30").is_some());
        assert!(parse_datetime("2026-11-30T09:30:15").is_some());
        assert!(parse_datetime("2029-11-30T09:30:15.123456").is_some());
        assert!(parse_datetime("30/11/2026").is_none());
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-02-28").is_some());
    }

    #[test]
    fn utc_is_shown_as_paris_time_in_winter_and_summer() {
        assert_eq!(paris_fr(at(2026, 1, 15, 8, 5)), "15/01/2026 09:05");
        assert_eq!(paris_fr(at(2026, 7, 15, 7, 0)), "15/07/2026 09:00");
        assert_eq!(
            paris_fr_seconds(at(2026, 7, 15, 7, 0)),
            "15/07/2026 09:00:00"
        );
        assert_eq!(paris_hm(at(2026, 12, 31, 23, 30)), "00:30");
    }

    #[test]
    fn typed_paris_times_become_utc_and_dst_gaps_are_refused() {
        assert_eq!(
            paris_input_to_utc("2026-07-15T09:00"),
            Ok(at(2026, 7, 15, 7, 0).and_utc())
        );
        assert_eq!(
            paris_input_to_utc("2026-03-29T02:30"),
            Err(InputTimeError::Dst(LocalTimeError::Nonexistent))
        );
        assert_eq!(
            paris_input_to_utc("2026-10-25T02:30"),
            Err(InputTimeError::Dst(LocalTimeError::Ambiguous))
        );
        assert_eq!(paris_input_to_utc(""), Err(InputTimeError::Invalid));
    }

    #[test]
    fn iso_forms_for_inputs_and_queries() {
        let d = at(2026, 3, 5, 7, 8);
        assert_eq!(date_iso(d.date()), "2026-03-05");
        assert_eq!(datetime_iso(d), "2026-03-05T07:08:00");
        assert_eq!(date_fr(d.date()), "05/03/2026");
    }
}
