//! Appointments: the availability editor, booking, the consultant's calendar, the beneficiary's list,
//! the appointment page (attendance, video), the calendar feed and SMS opt-in, the admin outbox.
//!
//! The API speaks UTC; people see and type Europe/Paris times (`boussole_shared::time`).

mod attendance;
mod av_form;
mod av_rows;
mod availability;
mod book_for;
mod booking;
mod calendar;
mod detail;
mod feed;
mod list;
mod outbox;
mod slots;
mod video;

pub use availability::{AdminAvailability, MyAvailability};
pub use booking::Book;
pub use calendar::Agenda;
pub use detail::AppointmentPage;
pub use feed::Reminders;
pub use list::MyAppointments;
pub use outbox::Outbox;

use boussole_shared::{
    Page,
    appointments::{
        Appointment, AppointmentKind, AppointmentStatus, AttendanceSheet, Availability,
        AvailabilityMode, OutboxMessage, Party, Slot,
    },
    bilans::{Bilan, SessionMode},
    time::{paris_to_utc, to_paris},
};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use std::{future::Future, pin::Pin, rc::Rc};

use leptos::prelude::*;

pub use crate::dates::{UtcInstant, now_utc, today_paris as today};

use crate::{
    api::ApiError,
    components::{StatusBadge, Tone},
    i18n::{AptStrings, use_i18n},
};

/// What these screens load, as one enum (it predates `components::Loader`, which now shares the
/// resource machinery among all loaded types; the enum still keeps one reader per module).
#[derive(Clone)]
pub enum AData {
    Availability(Availability),
    Slots(Vec<Slot>),
    Appointments(Page<Appointment>),
    Appointment(Appointment),
    Sheet(AttendanceSheet),
    Bilans(Page<Bilan>),
    /// (id, label) choices.
    People(Vec<(String, String)>),
    Outbox(Page<OutboxMessage>),
    Message(OutboxMessage),
}

pub type AResource = crate::components::Loader<Result<AData, ApiError>>;

type Fetch = Pin<Box<dyn Future<Output = Result<AData, ApiError>>>>;
type Task = Pin<Box<dyn Future<Output = ()>>>;

/// `components::loader`, with the fetcher boxed. Why: the loader and `Act` are generic over their
/// closure and future; behind one boxed type, the screens of this module share a single instance.
pub fn resource<F: Future<Output = Result<AData, ApiError>> + 'static>(
    f: impl Fn() -> F + 'static,
) -> AResource {
    let f: Rc<dyn Fn() -> Fetch> = Rc::new(move || Box::pin(f()));
    crate::components::loader(move || f())
}

/// `Action::new_local`, with the task boxed (see `resource`).
pub fn action<I: Send + Sync + 'static, F: Future<Output = ()> + 'static>(
    f: impl Fn(&I) -> F + 'static,
) -> crate::components::Act<I> {
    let f: Rc<dyn Fn(&I) -> Task> = Rc::new(move |i: &I| Box::pin(f(i)));
    crate::components::act(move |i: &I| f(i))
}

/// The Monday of `d`'s week.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// The UTC instant of a Paris midnight (midnight is never inside a DST change in Paris).
pub fn paris_midnight(d: NaiveDate) -> NaiveDateTime {
    let local = d.and_time(NaiveTime::MIN);
    paris_to_utc(local).unwrap_or(local)
}

/// The days shown by a month view: whole weeks, Monday first, around the month of `d`.
pub fn month_days(d: NaiveDate) -> Vec<NaiveDate> {
    let first = d.with_day(1).unwrap_or(d);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let last = next.pred_opt().unwrap_or(first);
    let end = monday_of(last) + Days::new(6);
    monday_of(first)
        .iter_days()
        .take_while(|x| *x <= end)
        .collect()
}

/// "HH:MM" of a wall-clock time.
pub fn hhmm(t: NaiveDateTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// "lundi 7 décembre 2026" of a Paris date.
pub fn long_date(t: &AptStrings, d: NaiveDate) -> String {
    let wd = t.weekdays[d.weekday().num_days_from_monday() as usize];
    let month = t.months[d.month0() as usize];
    format!("{wd} {} {month} {}", d.day(), d.year())
}

/// "lundi 7 décembre" (the week view, where the year is in the heading).
pub fn short_date(t: &AptStrings, d: NaiveDate) -> String {
    let wd = t.weekdays[d.weekday().num_days_from_monday() as usize];
    format!("{wd} {} {}", d.day(), t.months[d.month0() as usize])
}

/// "lundi 7 décembre 2026 à 09:00" of a UTC instant, in Paris time.
pub fn when(t: &AptStrings, utc: impl UtcInstant) -> String {
    let local = to_paris(utc.naive());
    t.at.replace("{date}", &long_date(t, local.date()))
        .replace("{time}", &hhmm(local))
}

/// "09:00 – 11:00" of a UTC range, in Paris time.
pub fn range(start: impl UtcInstant, end: impl UtcInstant) -> String {
    format!(
        "{} – {}",
        hhmm(to_paris(start.naive())),
        hhmm(to_paris(end.naive()))
    )
}

/// Slots grouped by their Paris day, in order.
pub fn by_day(slots: &[Slot]) -> Vec<(NaiveDate, Vec<Slot>)> {
    let mut out: Vec<(NaiveDate, Vec<Slot>)> = Vec::new();
    for s in slots {
        let day = to_paris(s.starts_at.naive_utc()).date();
        match out.last_mut() {
            Some((d, v)) if *d == day => v.push(s.clone()),
            _ => out.push((day, vec![s.clone()])),
        }
    }
    out
}

/// The kinds a beneficiary may book at this stage of their bilan (the API's rule, to offer only those).
pub fn kinds_for(status: boussole_shared::bilans::BilanStatus) -> Vec<AppointmentKind> {
    AppointmentKind::ALL
        .iter()
        .copied()
        .filter(|k| boussole_shared::rules::appointment_fits(*k, status))
        .collect()
}

pub fn kind_label(t: &AptStrings, k: AppointmentKind) -> &'static str {
    match k {
        AppointmentKind::Information => t.kind_information,
        AppointmentKind::BilanSession => t.kind_bilan_session,
        AppointmentKind::FollowUp => t.kind_follow_up,
    }
}

pub fn mode_label(t: &AptStrings, m: SessionMode) -> &'static str {
    match m {
        SessionMode::OnSite => t.mode_on_site,
        SessionMode::Remote => t.mode_remote,
    }
}

pub fn avail_mode_label(t: &AptStrings, m: AvailabilityMode) -> &'static str {
    match m {
        AvailabilityMode::OnSite => t.mode_on_site,
        AvailabilityMode::Remote => t.mode_remote,
        AvailabilityMode::Either => t.mode_either,
    }
}

pub fn party_label(t: &AptStrings, p: Party) -> &'static str {
    match p {
        Party::Beneficiary => t.party_beneficiary,
        Party::Consultant => t.party_consultant,
        Party::Both => t.party_both,
    }
}

/// A link to an appointment page (its text names it: the day is in the heading around it).
#[component]
pub fn AptLink(id: uuid::Uuid, #[prop(into)] text: TextProp) -> impl IntoView {
    view! { <a href=format!("/rendez-vous/{id}") data-testid="apt-link">{move || text.get()}</a> }
}

/// An appointment's status badge (the text says it; the colour only repeats it).
#[component]
pub fn AptStatus(status: AppointmentStatus) -> impl IntoView {
    let i = use_i18n();
    let (tone, label): (Tone, fn(&AptStrings) -> &'static str) = match status {
        AppointmentStatus::Booked => (Tone::Warn, |a: &AptStrings| a.status_booked),
        AppointmentStatus::Held => (Tone::Ok, |a: &AptStrings| a.status_held),
        AppointmentStatus::Cancelled => (Tone::Muted, |a: &AptStrings| a.status_cancelled),
        AppointmentStatus::NoShow => (Tone::Muted, |a: &AptStrings| a.status_no_show),
    };
    view! {
        <span data-testid="apt-status" data-status=status.as_str()>
            <StatusBadge tone label=move || label(i.t().apt)/>
        </span>
    }
}

/// Field errors found before sending, shown like the API's own (fields named as the API names them).
pub fn local_errors(errors: std::collections::BTreeMap<String, Vec<String>>) -> ApiError {
    ApiError::Problem(boussole_shared::Problem {
        kind: "urn:boussole:problem:validation".into(),
        title: String::new(),
        status: 400,
        detail: None,
        errors: Some(errors),
        rules: None,
        missing: None,
    })
}

pub fn local_error(field: String, msg: &str) -> ApiError {
    local_errors([(field, vec![msg.to_string()])].into_iter().collect())
}

/// The messages of the API's field errors for `prefix` and its sub-fields (`rules[1]`, `rules[1].end`).
pub fn errors_under(error: &Option<ApiError>, prefix: &str) -> Option<String> {
    let Some(ApiError::Problem(p)) = error else {
        return None;
    };
    let msgs: Vec<String> = p
        .errors
        .as_ref()?
        .iter()
        .filter(|(k, _)| {
            k.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
        .flat_map(|(_, v)| v.iter().cloned())
        .collect();
    (!msgs.is_empty()).then(|| msgs.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn slot(y: i32, m: u32, day: u32, h: u32) -> Slot {
        let at = d(y, m, day)
            .and_hms_opt(h, 0, 0)
            .unwrap_or_default()
            .and_utc();
        Slot {
            starts_at: at,
            ends_at: at + chrono::Duration::hours(2),
            mode: AvailabilityMode::Either,
            place: None,
        }
    }

    #[test]
    fn weeks_start_on_monday_and_months_are_whole_weeks() {
        assert_eq!(monday_of(d(2026, 12, 6)), d(2026, 11, 30));
        assert_eq!(monday_of(d(2026, 11, 30)), d(2026, 11, 30));
        let days = month_days(d(2026, 12, 15));
        assert_eq!(days.first(), Some(&d(2026, 11, 30)));
        assert_eq!(days.last(), Some(&d(2027, 1, 3)));
        assert_eq!(days.len() % 7, 0);
    }

    #[test]
    fn times_are_shown_in_paris_across_daylight_saving() {
        let t = &crate::i18n::FR.apt;
        let winter = d(2026, 12, 7).and_hms_opt(8, 0, 0).unwrap_or_default();
        assert_eq!(when(t, winter), "lundi 7 décembre 2026 à 09:00");
        let summer = d(2026, 7, 6).and_hms_opt(7, 0, 0).unwrap_or_default();
        assert_eq!(when(t, summer), "lundi 6 juillet 2026 à 09:00");
        assert_eq!(
            paris_midnight(d(2026, 7, 6)),
            d(2026, 7, 5).and_hms_opt(22, 0, 0).unwrap_or_default()
        );
    }

    #[test]
    fn slots_are_grouped_by_paris_day() {
        // 23:30 UTC on 6 December is already 7 December in Paris.
        let mut late = slot(2026, 12, 6, 23);
        late.starts_at += chrono::Duration::minutes(30);
        let groups = by_day(&[slot(2026, 12, 6, 8), slot(2026, 12, 6, 13), late]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].1.len(), 2);
        assert_eq!(groups[1].0, d(2026, 12, 7));
    }

    #[test]
    fn row_errors_take_their_sub_fields_but_not_their_neighbours() {
        let e = Some(local_error("rules[1].end".into(), "après"));
        assert_eq!(errors_under(&e, "rules[1]").as_deref(), Some("après"));
        assert_eq!(errors_under(&e, "rules[10]"), None);
        assert_eq!(errors_under(&None, "rules[1]"), None);
    }

    #[test]
    fn a_beneficiary_is_offered_the_kinds_of_their_stage() {
        use boussole_shared::bilans::BilanStatus;
        assert_eq!(
            kinds_for(BilanStatus::Investigation),
            vec![AppointmentKind::BilanSession]
        );
        assert!(kinds_for(BilanStatus::Abandoned).is_empty());
        // Before the contract, only the free information interview.
        assert_eq!(
            kinds_for(BilanStatus::Request),
            vec![AppointmentKind::Information]
        );
        assert_eq!(
            kinds_for(BilanStatus::Closed),
            vec![AppointmentKind::FollowUp]
        );
    }
}
