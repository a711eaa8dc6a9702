//! `/consultant/agenda?vue=semaine|mois&du=YYYY-MM-DD`: the consultant's appointments by week or
//! by month (Paris time), and booking for a beneficiary. The view and date live in the URL.

use boussole_shared::{appointments::Appointment, time::to_paris};
use chrono::{Datelike, Days, Months, NaiveDate};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{
    AData, AResource, apt_link,
    book_for::BookDialog,
    hhmm,
    html::{esc, loaded, status_badge},
    kind_label, long_date, mode_label, monday_of, month_days, paris_midnight, range, resource,
    short_date, today,
};
use crate::{
    api::use_api,
    components::*,
    dates::{date_iso, parse_date},
    i18n::{Strings, use_i18n},
    pages::bilans::person,
};

fn href(month: bool, d: NaiveDate) -> String {
    let vue = if month { "mois" } else { "semaine" };
    format!("/consultant/agenda?vue={vue}&amp;du={}", date_iso(d))
}

/// The appointments of one Paris day, in order.
fn of_day(items: &[Appointment], d: NaiveDate) -> impl Iterator<Item = &Appointment> {
    items
        .iter()
        .filter(move |a| to_paris(a.starts_at.naive_utc()).date() == d)
}

fn week_html(t: &Strings, items: &[Appointment], monday: NaiveDate) -> String {
    let a = t.apt;
    let days: String = monday
        .iter_days()
        .take(7)
        .map(|d| {
            let list: String = of_day(items, d)
                .map(|x| {
                    let text = format!("{} {}", range(x.starts_at, x.ends_at), person(&x.beneficiary));
                    format!(
                        r#"<li class="agenda-item" data-testid="agenda-item">{}<span>{} · {}</span>{}</li>"#,
                        apt_link(x, &text),
                        kind_label(a, x.kind),
                        mode_label(a, x.mode),
                        status_badge(t, x.status)
                    )
                })
                .collect();
            let list = if list.is_empty() {
                format!(r#"<p class="note">{}</p>"#, a.cal_none)
            } else {
                format!(r#"<ul class="agenda-list">{list}</ul>"#)
            };
            let today = if d == today() { " today" } else { "" };
            format!(
                r#"<section class="day{today}" aria-labelledby="jour-{d}" data-testid="agenda-day" data-date="{d}"><h3 id="jour-{d}">{}</h3>{list}</section>"#,
                short_date(a, d)
            )
        })
        .collect();
    format!(r#"<div class="week-grid">{days}</div>"#)
}

fn month_html(t: &Strings, items: &[Appointment], anchor: NaiveDate) -> String {
    let a = t.apt;
    let caption = a.cal_month_caption.replace(
        "{month}",
        &format!("{} {}", a.months[anchor.month0() as usize], anchor.year()),
    );
    let head: String = a
        .weekdays
        .iter()
        .map(|w| format!(r#"<th scope="col">{w}</th>"#))
        .collect();
    let rows: String = month_days(anchor)
        .chunks(7)
        .map(|week| {
            let cells: String = week
                .iter()
                .map(|d| {
                    let list: String = of_day(items, *d)
                        .map(|x| {
                            let text = format!("{} {}", hhmm(to_paris(x.starts_at.naive_utc())), person(&x.beneficiary));
                            format!(r#"<li data-testid="agenda-item">{}</li>"#, apt_link(x, &text))
                        })
                        .collect();
                    let other = if d.month() != anchor.month() { r#" class="other-month""# } else { "" };
                    format!(
                        r#"<td{other} data-date="{d}"><span class="day-num">{}</span><ul class="agenda-list">{list}</ul></td>"#,
                        d.day()
                    )
                })
                .collect();
            format!("<tr>{cells}</tr>")
        })
        .collect();
    format!(
        r#"<div class="table-wrap" tabindex="0" role="region" aria-label="{c}"><table class="month" data-testid="agenda-month"><caption>{c}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"#,
        c = esc(&caption)
    )
}

/// "Décembre 2026": French months are lower-case, but not at the start of a heading. Every month
/// starts with an ASCII letter (the Unicode case tables would weigh on the wasm).
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| std::iter::once(f.to_ascii_uppercase()).chain(c).collect())
        .unwrap_or_default()
}

/// The view switch, previous / today / next, and the heading of the period.
fn nav_html(t: &Strings, month: bool, a: NaiveDate) -> String {
    let s = t.apt;
    let (prev, next, prev_label, next_label, heading) = if month {
        let first = a.with_day(1).unwrap_or(a);
        (
            first - Months::new(1),
            first + Months::new(1),
            s.cal_prev_month,
            s.cal_next_month,
            capitalised(&format!("{} {}", s.months[a.month0() as usize], a.year())),
        )
    } else {
        let monday = monday_of(a);
        (
            monday - Days::new(7),
            monday + Days::new(7),
            s.prev_week,
            s.next_week,
            s.week_of.replace("{date}", &long_date(s, monday)),
        )
    };
    let current = |on: bool| if on { r#" aria-current="page""# } else { "" };
    format!(
        r#"<nav class="toolbar" aria-label="{}"><a class="btn btn-secondary btn-small" href="{}"{} data-testid="agenda-week">{}</a><a class="btn btn-secondary btn-small" href="{}"{} data-testid="agenda-month-link">{}</a><a class="btn btn-secondary btn-small" href="{}" data-testid="agenda-prev">{prev_label}</a><a class="btn btn-secondary btn-small" href="{}">{}</a><a class="btn btn-secondary btn-small" href="{}" data-testid="agenda-next">{next_label}</a></nav><h2 data-testid="agenda-heading">{heading}</h2><p class="note">{}</p>"#,
        s.cal_view,
        href(false, a),
        current(!month),
        s.cal_week,
        href(true, a),
        current(month),
        s.cal_month,
        href(month, prev),
        href(month, today()),
        s.cal_today,
        href(month, next),
        s.paris_time
    )
}

#[component]
pub fn Agenda() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let q = use_query_map();
    let month = Memo::new(move |_| q.with(|q| q.get("vue").as_deref() == Some("mois")));
    let anchor = Memo::new(move |_| {
        q.with(|q| q.get("du"))
            .and_then(|d| parse_date(&d))
            .unwrap_or_else(today)
    });
    // Paris days [first, end) shown by the view.
    let span = Memo::new(move |_| {
        let a = anchor.get();
        if month.get() {
            let days = month_days(a);
            let first = days.first().copied().unwrap_or(a);
            (first, first + Days::new(days.len() as u64))
        } else {
            let m = monday_of(a);
            (m, m + Days::new(7))
        }
    });
    let list: AResource = resource(move || {
        let (from, to) = span.get();
        async move {
            api.appointments(Some(paris_midnight(from)), Some(paris_midnight(to)), 1)
                .await
                .map(AData::Appointments)
        }
    });
    let open = RwSignal::new(false);
    let html = move || {
        let (t, m, a) = (i.t(), month.get(), anchor.get());
        nav_html(t, m, a)
            + &loaded(t, list.get(), |d| match d {
                AData::Appointments(p) if m => month_html(t, &p.items, a),
                AData::Appointments(p) => week_html(t, &p.items, monday_of(a)),
                _ => String::new(),
            })
    };
    view! {
        <Page title=move || i.t().apt.cal_title>
            <p>
                <Button on_click=move |_| open.set(true) testid="book-for-open">{move || i.t().apt.cal_book_open}</Button>
            </p>
            <div inner_html=html></div>
            <BookDialog open/>
        </Page>
    }
}
