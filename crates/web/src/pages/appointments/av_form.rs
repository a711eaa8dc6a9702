//! The availability document as the editor's text fields, and back: times typed `HH:MM`, the
//! minimum notice in hours. Bad input gets the field names the API would use (`rules[1].start`).

use std::collections::BTreeMap;

use boussole_shared::appointments::{
    AppointmentKind, AppointmentTypeSettings, Availability, AvailabilityException,
    AvailabilityMode, AvailabilityRule, ExceptionKind,
};
use chrono::{NaiveTime, Timelike};

use crate::dates::{date_iso, parse_date, parse_datetime};

/// One weekly rule (`day` = ISO weekday) or one exception (`day` = date, `kind` = off/extra).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RangeText {
    pub day: String,
    pub kind: String,
    pub start: String,
    pub end: String,
    pub mode: String,
    pub place: String,
}

/// One kind of appointment; `offered: false` leaves it out of the document.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeText {
    pub kind: AppointmentKind,
    pub offered: bool,
    pub duration: String,
    pub buffer: String,
    pub notice_hours: String,
    pub horizon: String,
}

pub type Errors = BTreeMap<String, Vec<String>>;

pub fn time_text(t: Option<NaiveTime>) -> String {
    t.map(|t| format!("{:02}:{:02}", t.hour(), t.minute()))
        .unwrap_or_default()
}

impl RangeText {
    pub fn of_rule(r: &AvailabilityRule) -> Self {
        RangeText {
            day: r.weekday.to_string(),
            kind: String::new(),
            start: time_text(Some(r.start)),
            end: time_text(Some(r.end)),
            mode: r.mode.as_str().into(),
            place: r.place.clone().unwrap_or_default(),
        }
    }

    pub fn of_exception(e: &AvailabilityException) -> Self {
        RangeText {
            day: date_iso(e.date),
            kind: e.kind.as_str().into(),
            start: time_text(e.start),
            end: time_text(e.end),
            mode: e.mode.unwrap_or(AvailabilityMode::Either).as_str().into(),
            place: e.place.clone().unwrap_or_default(),
        }
    }
}

impl TypeText {
    /// The kind's settings in `av`, else the API's defaults, unticked.
    pub fn of(av: &Availability, kind: AppointmentKind) -> Self {
        let found = av.types.iter().find(|t| t.kind == kind);
        let (d, b, n, h) = found.map_or((60, 15, 24 * 60, 90), |t| {
            (
                t.duration_minutes,
                t.buffer_minutes,
                t.min_notice_minutes,
                t.horizon_days,
            )
        });
        // Whole hours (a notice of minutes is rare; it rounds up to the next hour when saved).
        let hours = ((n + 59) / 60).to_string();
        TypeText {
            kind,
            offered: found.is_some(),
            duration: d.to_string(),
            buffer: b.to_string(),
            notice_hours: hours,
            horizon: h.to_string(),
        }
    }
}

/// The whole editor: what its fields hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub rules: Vec<RangeText>,
    pub exceptions: Vec<RangeText>,
    pub types: Vec<TypeText>,
    pub holidays: bool,
}

/// The field ids of one row: `r0-start`, `e2-kind`, `tbilan_session-duration`.
pub fn name(prefix: &str, i: impl std::fmt::Display, field: &str) -> String {
    format!("{prefix}{i}-{field}")
}

impl Form {
    pub fn of(av: &Availability) -> Self {
        Form {
            rules: av.rules.iter().map(RangeText::of_rule).collect(),
            exceptions: av.exceptions.iter().map(RangeText::of_exception).collect(),
            types: AppointmentKind::ALL
                .iter()
                .map(|k| TypeText::of(av, *k))
                .collect(),
            holidays: av.exclude_public_holidays,
        }
    }
}

fn time(s: &str) -> Option<NaiveTime> {
    // The date is a carrier: `parse_datetime` reads `HH:MM` with optional seconds.
    parse_datetime(&format!("2000-01-01T{}", s.trim())).map(|d| d.time())
}

fn place(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|p| !p.is_empty())
}

/// The document to send, and the kinds in the order sent (the API's `types[i]` errors name them by
/// position); or the field errors, each with `bad` as message.
pub fn build(
    rules: &[RangeText],
    exceptions: &[RangeText],
    types: &[TypeText],
    holidays: bool,
    bad: &str,
) -> Result<(Availability, Vec<AppointmentKind>), Errors> {
    let mut errors = Errors::new();
    let mut err = |k: String| errors.entry(k).or_default().push(bad.to_string());
    let mut av = Availability {
        rules: Vec::new(),
        exceptions: Vec::new(),
        types: Vec::new(),
        exclude_public_holidays: holidays,
    };
    for (i, r) in rules.iter().enumerate() {
        let (start, end) = (time(&r.start), time(&r.end));
        if start.is_none() {
            err(format!("rules[{i}].start"));
        }
        if end.is_none() {
            err(format!("rules[{i}].end"));
        }
        if let (Some(start), Some(end)) = (start, end) {
            av.rules.push(AvailabilityRule {
                weekday: r.day.parse().unwrap_or(0),
                start,
                end,
                mode: AvailabilityMode::parse(&r.mode).unwrap_or(AvailabilityMode::Either),
                place: place(&r.place),
            });
        }
    }
    for (i, e) in exceptions.iter().enumerate() {
        let date = parse_date(&e.day);
        let (start, end) = (time(&e.start), time(&e.end));
        if date.is_none() {
            err(format!("exceptions[{i}].date"));
        }
        if start.is_none() && !e.start.trim().is_empty() {
            err(format!("exceptions[{i}].start"));
        }
        if end.is_none() && !e.end.trim().is_empty() {
            err(format!("exceptions[{i}].end"));
        }
        let kind = ExceptionKind::parse(&e.kind).unwrap_or(ExceptionKind::Off);
        let extra = kind == ExceptionKind::Extra;
        if let Some(date) = date {
            av.exceptions.push(AvailabilityException {
                date,
                kind,
                start,
                end,
                mode: AvailabilityMode::parse(&e.mode).filter(|_| extra),
                place: place(&e.place).filter(|_| extra),
            });
        }
    }
    let mut kinds = Vec::new();
    for t in types.iter().filter(|t| t.offered) {
        let j = kinds.len();
        let mut num = |s: &str, name: &str| {
            let v = s.trim().parse::<i64>().ok().filter(|v| *v >= 0);
            if v.is_none() {
                err(format!("types[{j}].{name}"));
            }
            v.unwrap_or(0)
        };
        av.types.push(AppointmentTypeSettings {
            kind: t.kind,
            duration_minutes: num(&t.duration, "duration_minutes"),
            buffer_minutes: num(&t.buffer, "buffer_minutes"),
            min_notice_minutes: num(&t.notice_hours, "min_notice_minutes") * 60,
            horizon_days: num(&t.horizon, "horizon_days"),
        });
        kinds.push(t.kind);
    }
    if errors.is_empty() {
        Ok((av, kinds))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(day: &str, start: &str, end: &str) -> RangeText {
        RangeText {
            day: day.into(),
            start: start.into(),
            end: end.into(),
            mode: "either".into(),
            place: " Lyon ".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_document_round_trips_through_the_fields() {
        let exc = RangeText {
            day: "2026-12-24".into(),
            kind: "off".into(),
            mode: "remote".into(),
            ..Default::default()
        };
        let types = [TypeText::of(
            &Availability {
                rules: vec![],
                exceptions: vec![],
                types: vec![],
                exclude_public_holidays: true,
            },
            AppointmentKind::BilanSession,
        )];
        let types = [TypeText {
            offered: true,
            notice_hours: "2".into(),
            ..types[0].clone()
        }];
        let (av, kinds) = build(&[rule("1", "09:00", "12:30")], &[exc], &types, true, "x").unwrap();
        assert_eq!(kinds, vec![AppointmentKind::BilanSession]);
        assert_eq!(av.types[0].min_notice_minutes, 120);
        assert_eq!(av.rules[0].place.as_deref(), Some("Lyon"));
        // A day off carries neither mode nor place.
        assert_eq!(av.exceptions[0].mode, None);
        assert_eq!(RangeText::of_rule(&av.rules[0]).start, "09:00");
        assert_eq!(
            TypeText::of(&av, AppointmentKind::BilanSession).notice_hours,
            "2"
        );
    }

    #[test]
    fn bad_fields_are_named_as_the_api_names_them() {
        let errors = build(
            &[rule("1", "09:00", ""), rule("2", "9h", "10:00")],
            &[],
            &[],
            true,
            "x",
        )
        .unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["rules[0].end", "rules[1].start"]
        );
    }
}
