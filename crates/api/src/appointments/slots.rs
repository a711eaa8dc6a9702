//! Free slots: the weekly rules and extra hours of a consultant, minus days off, French public
//! holidays, the appointments already held (with their buffers), the minimum notice and the booking
//! horizon. Pure functions over plain data, so that they are unit-tested and benchmarked directly.
//!
//! Rules are Paris wall-clock times; slots are returned in UTC. A slot whose local start falls in the
//! spring DST gap does not exist and is skipped; in the autumn overlap the first instant is used.

use boussole_shared::appointments::{
    AppointmentKind, AppointmentTypeSettings, Availability, AvailabilityMode, ExceptionKind, Slot,
};
use boussole_shared::time::Paris;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

use crate::calendar::is_public_holiday;

/// A time the consultant is taken (UTC), buffer included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Busy {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

pub fn settings_for(av: &Availability, kind: AppointmentKind) -> Option<&AppointmentTypeSettings> {
    av.types.iter().find(|t| t.kind == kind)
}

/// One stretch of local time on one date when the consultant receives.
#[derive(Debug, Clone)]
struct Window<'a> {
    start: NaiveTime,
    end: NaiveTime,
    mode: AvailabilityMode,
    place: Option<&'a str>,
}

/// The receiving windows of one date: weekly rules (unless a holiday), minus days off, plus extras.
fn windows(av: &Availability, date: NaiveDate) -> Vec<Window<'_>> {
    let weekday = date.weekday().number_from_monday() as u8;
    let mut out: Vec<Window> = Vec::new();
    if !(av.exclude_public_holidays && is_public_holiday(date)) {
        out = av
            .rules
            .iter()
            .filter(|r| r.weekday == weekday)
            .map(|r| Window {
                start: r.start,
                end: r.end,
                mode: r.mode,
                place: r.place.as_deref(),
            })
            .collect();
    }
    for off in av
        .exceptions
        .iter()
        .filter(|e| e.date == date && e.kind == ExceptionKind::Off)
    {
        match (off.start, off.end) {
            (Some(s), Some(e)) => out = subtract(out, s, e),
            _ => out.clear(),
        }
    }
    out.extend(
        av.exceptions
            .iter()
            .filter(|e| e.date == date && e.kind == ExceptionKind::Extra)
            .filter_map(|e| {
                Some(Window {
                    start: e.start?,
                    end: e.end?,
                    mode: e.mode.unwrap_or(AvailabilityMode::Either),
                    place: e.place.as_deref(),
                })
            }),
    );
    out.sort_by_key(|w| w.start);
    out
}

fn subtract(windows: Vec<Window<'_>>, s: NaiveTime, e: NaiveTime) -> Vec<Window<'_>> {
    let mut out = Vec::new();
    for w in windows {
        if e <= w.start || s >= w.end {
            out.push(w);
            continue;
        }
        if w.start < s {
            out.push(Window {
                end: s,
                ..w.clone()
            });
        }
        if e < w.end {
            out.push(Window { start: e, ..w });
        }
    }
    out
}

/// Whether `[start, end)` meets any busy time; `busy` is sorted and non-overlapping (the database
/// guarantees it), so a binary search finds the only candidate.
fn collides(busy: &[Busy], start: NaiveDateTime, end: NaiveDateTime) -> bool {
    let i = busy.partition_point(|b| b.end <= start);
    busy.get(i).is_some_and(|b| b.start < end)
}

/// The free slots of `kind` between two Paris dates (both included), at `now` (UTC).
pub fn free_slots(
    av: &Availability,
    kind: AppointmentKind,
    from: NaiveDate,
    to: NaiveDate,
    now: NaiveDateTime,
    busy: &[Busy],
) -> Vec<Slot> {
    let Some(t) = settings_for(av, kind) else {
        return Vec::new();
    };
    let duration = Duration::minutes(t.duration_minutes);
    let buffer = Duration::minutes(t.buffer_minutes);
    let earliest = now + Duration::minutes(t.min_notice_minutes);
    let latest = now + Duration::days(t.horizon_days);
    let mut out = Vec::new();
    let mut date = from;
    while date <= to {
        for w in windows(av, date) {
            let mut local = date.and_time(w.start);
            let window_end = date.and_time(w.end);
            while local + duration <= window_end {
                let start = Paris.from_local_datetime(&local).earliest();
                if let Some(start) = start.map(|s| s.naive_utc()) {
                    let end = start + duration;
                    if start >= earliest && start <= latest && !collides(busy, start, end + buffer)
                    {
                        out.push(Slot {
                            starts_at: start.and_utc(),
                            ends_at: end.and_utc(),
                            mode: w.mode,
                            place: w.place.map(str::to_string),
                        });
                    }
                }
                local += duration + buffer;
            }
        }
        let Some(next) = date.succ_opt() else { break };
        date = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use boussole_shared::appointments::{AvailabilityException, AvailabilityRule};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }
    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }
    fn availability(
        rules: Vec<AvailabilityRule>,
        exceptions: Vec<AvailabilityException>,
    ) -> Availability {
        Availability {
            rules,
            exceptions,
            types: vec![AppointmentTypeSettings {
                kind: AppointmentKind::BilanSession,
                duration_minutes: 60,
                buffer_minutes: 15,
                min_notice_minutes: 0,
                horizon_days: 365,
            }],
            exclude_public_holidays: true,
        }
    }
    fn every_day(start: NaiveTime, end: NaiveTime) -> Vec<AvailabilityRule> {
        (1..=7)
            .map(|weekday| AvailabilityRule {
                weekday,
                start,
                end,
                mode: AvailabilityMode::Either,
                place: None,
            })
            .collect()
    }
    fn slots(av: &Availability, from: NaiveDate, to: NaiveDate, busy: &[Busy]) -> Vec<Slot> {
        free_slots(
            av,
            AppointmentKind::BilanSession,
            from,
            to,
            d(2026, 1, 1).and_time(t(0, 0)),
            busy,
        )
    }

    #[test]
    fn holidays_include_the_moving_feasts() {
        // Easter 2027 is 28 March: Monday 29 March, Ascension 6 May, Whit Monday 17 May.
        for day in [
            d(2027, 3, 29),
            d(2027, 5, 6),
            d(2027, 5, 17),
            d(2027, 7, 14),
            d(2027, 11, 11),
        ] {
            assert!(is_public_holiday(day), "{day}");
        }
        for day in [
            d(2027, 3, 28),
            d(2027, 3, 30),
            d(2027, 5, 7),
            d(2027, 5, 18),
        ] {
            assert!(!is_public_holiday(day), "{day}");
        }
    }

    #[test]
    fn local_nine_oclock_is_eight_utc_in_winter_and_seven_in_summer() {
        let av = availability(every_day(t(9, 0), t(10, 0)), vec![]);
        // 28 March 2026 (Saturday, UTC+1) and 29 March (Sunday, DST starts at 02:00).
        let s = slots(&av, d(2026, 3, 28), d(2026, 3, 29), &[]);
        let starts: Vec<_> = s.iter().map(|s| s.starts_at.naive_utc()).collect();
        assert_eq!(
            starts,
            vec![
                d(2026, 3, 28).and_time(t(8, 0)),
                d(2026, 3, 29).and_time(t(7, 0))
            ]
        );
        // 25 October 2026: back to UTC+1.
        let s = slots(&av, d(2026, 10, 24), d(2026, 10, 25), &[]);
        let starts: Vec<_> = s.iter().map(|s| s.starts_at.naive_utc()).collect();
        assert_eq!(
            starts,
            vec![
                d(2026, 10, 24).and_time(t(7, 0)),
                d(2026, 10, 25).and_time(t(8, 0))
            ]
        );
    }

    #[test]
    fn a_slot_in_the_spring_gap_does_not_exist_and_the_autumn_overlap_takes_the_first() {
        let av = availability(every_day(t(2, 0), t(3, 0)), vec![]);
        assert!(slots(&av, d(2026, 3, 29), d(2026, 3, 29), &[]).is_empty());
        let autumn = slots(&av, d(2026, 10, 25), d(2026, 10, 25), &[]);
        // 02:00 local happens first at 00:00 UTC (still UTC+2).
        assert_eq!(autumn.len(), 1);
        assert_eq!(
            autumn[0].starts_at.naive_utc(),
            d(2026, 10, 25).and_time(t(0, 0))
        );
    }

    #[test]
    fn holidays_and_days_off_remove_slots_and_extras_add_them() {
        let off = AvailabilityException {
            date: d(2026, 6, 2),
            kind: ExceptionKind::Off,
            start: Some(t(9, 0)),
            end: Some(t(10, 0)),
            mode: None,
            place: None,
        };
        let extra = AvailabilityException {
            date: d(2026, 7, 14),
            kind: ExceptionKind::Extra,
            start: Some(t(14, 0)),
            end: Some(t(15, 0)),
            mode: Some(AvailabilityMode::Remote),
            place: None,
        };
        let av = availability(every_day(t(9, 0), t(11, 15)), vec![off, extra]);
        // 1 June: 09:00 and 10:15. 2 June: 09:00–10:00 is off, what is left (10:00–11:15) has 10:00.
        let june = slots(&av, d(2026, 6, 1), d(2026, 6, 2), &[]);
        assert_eq!(june.len(), 3);
        assert_eq!(
            june[2].starts_at.naive_utc(),
            d(2026, 6, 2).and_time(t(8, 0))
        );
        // 14 July is a holiday: only the extra hour, remote.
        let july = slots(&av, d(2026, 7, 14), d(2026, 7, 14), &[]);
        assert_eq!(july.len(), 1);
        assert_eq!(july[0].mode, AvailabilityMode::Remote);
        assert_eq!(
            july[0].starts_at.naive_utc(),
            d(2026, 7, 14).and_time(t(12, 0))
        );
    }

    #[test]
    fn appointments_and_their_buffers_take_slots_away() {
        let av = availability(every_day(t(9, 0), t(12, 0)), vec![]);
        // Winter, UTC+1: local slots 09:00, 10:15 (the third, 11:30, would end after 12:00).
        let all = slots(&av, d(2026, 2, 3), d(2026, 2, 3), &[]);
        assert_eq!(all.len(), 2);
        // An appointment 10:00–10:30 local (09:00–09:30 UTC) with its 15 min buffer to 09:45 UTC:
        // the 09:00 slot (with its own buffer to 10:15 local) collides, the 10:15 slot collides too
        // (it starts at 09:15 UTC).
        let busy = [Busy {
            start: d(2026, 2, 3).and_time(t(9, 0)),
            end: d(2026, 2, 3).and_time(t(9, 45)),
        }];
        assert!(slots(&av, d(2026, 2, 3), d(2026, 2, 3), &busy).is_empty());
        // Ending exactly where the first slot's buffer ends leaves the second slot free.
        let busy = [Busy {
            start: d(2026, 2, 3).and_time(t(8, 15)),
            end: d(2026, 2, 3).and_time(t(9, 15)),
        }];
        assert_eq!(slots(&av, d(2026, 2, 3), d(2026, 2, 3), &busy).len(), 1);
    }

    #[test]
    fn notice_and_horizon_bound_the_offer() {
        let mut av = availability(every_day(t(9, 0), t(10, 0)), vec![]);
        av.types[0].min_notice_minutes = 48 * 60;
        av.types[0].horizon_days = 5;
        let now = d(2026, 2, 2).and_time(t(7, 0));
        let s = free_slots(
            &av,
            AppointmentKind::BilanSession,
            d(2026, 2, 1),
            d(2026, 2, 28),
            now,
            &[],
        );
        let days: Vec<u32> = s.iter().map(|s| s.starts_at.day()).collect();
        // 2 Feb 09:00 local is 08:00 UTC: 4 Feb 08:00 UTC is 49 h later; the horizon ends 7 Feb 07:00 UTC.
        assert_eq!(days, vec![4, 5, 6]);
        // A kind the consultant does not offer has no slot.
        assert!(
            free_slots(
                &av,
                AppointmentKind::FollowUp,
                d(2026, 2, 1),
                d(2026, 2, 28),
                now,
                &[]
            )
            .is_empty()
        );
    }
}
