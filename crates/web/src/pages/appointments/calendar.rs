//! `/consultant/agenda?vue=semaine|mois&du=YYYY-MM-DD`: the consultant's appointments by week or
//! by month (Paris time), and booking for a beneficiary. The view and date live in the URL.

use boussole_shared::{appointments::Appointment, time::to_paris};
use chrono::{Datelike, Days, Months, NaiveDate};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{
    AData, AResource, AptLink, AptStatus, book_for::BookDialog, hhmm, kind_label, long_date,
    mode_label, monday_of, month_days, paris_midnight, range, resource, short_date, today,
};
use crate::{
    api::use_api,
    components::*,
    dates::{date_iso, parse_date},
    i18n::use_i18n,
    pages::bilans::person,
};

fn href(month: bool, d: NaiveDate) -> String {
    let vue = if month { "mois" } else { "semaine" };
    format!("/consultant/agenda?vue={vue}&du={}", date_iso(d))
}

/// The appointments of one Paris day, in order.
fn of_day(items: &[Appointment], d: NaiveDate) -> Vec<Appointment> {
    items
        .iter()
        .filter(|a| to_paris(a.starts_at.naive_utc()).date() == d)
        .cloned()
        .collect()
}

#[component]
fn Week(items: Vec<Appointment>, monday: NaiveDate) -> impl IntoView {
    let i = use_i18n();
    let item = move |x: Appointment| {
        let text = format!(
            "{} {}",
            range(x.starts_at, x.ends_at),
            person(&x.beneficiary)
        );
        view! {
            <li class="agenda-item" data-testid="agenda-item">
                <AptLink id=x.id text/>
                <span>{move || kind_label(i.t().apt, x.kind)} " · " {move || mode_label(i.t().apt, x.mode)}</span>
                <AptStatus status=x.status/>
            </li>
        }
    };
    let day = move |d: NaiveDate| {
        let list = of_day(&items, d);
        let list = if list.is_empty() {
            view! { <p class="note">{move || i.t().apt.cal_none}</p> }.into_any()
        } else {
            view! { <ul class="agenda-list">{list.into_iter().map(item).collect_view()}</ul> }
                .into_any()
        };
        let class = if d == today() { "day today" } else { "day" };
        let heading = format!("jour-{d}");
        let labelled = heading.clone();
        view! {
            <section class=class aria-labelledby=labelled data-testid="agenda-day" data-date=d.to_string()>
                <h3 id=heading>{move || short_date(i.t().apt, d)}</h3>
                {list}
            </section>
        }
    };
    view! { <div class="week-grid">{monday.iter_days().take(7).map(day).collect_view()}</div> }
}

#[component]
fn Month(items: Vec<Appointment>, anchor: NaiveDate) -> impl IntoView {
    let i = use_i18n();
    let caption = move || {
        let a = i.t().apt;
        a.cal_month_caption.replace(
            "{month}",
            &format!("{} {}", a.months[anchor.month0() as usize], anchor.year()),
        )
    };
    let cell = |d: &NaiveDate| {
        let d = *d;
        let list = of_day(&items, d).into_iter().map(|x| {
            let text = format!(
                "{} {}",
                hhmm(to_paris(x.starts_at.naive_utc())),
                person(&x.beneficiary)
            );
            view! { <li data-testid="agenda-item"><AptLink id=x.id text/></li> }
        });
        let other = (d.month() != anchor.month()).then_some("other-month");
        view! {
            <td class=other data-date=d.to_string()>
                <span class="day-num">{d.day()}</span>
                <ul class="agenda-list">{list.collect_view()}</ul>
            </td>
        }
    };
    let rows = month_days(anchor)
        .chunks(7)
        .map(|week| view! { <tr>{week.iter().map(cell).collect_view()}</tr> })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption>
            <table class="month" data-testid="agenda-month">
                <caption>{caption}</caption>
                <thead><tr>
                    {move || i.t().apt.weekdays.iter().map(|w| view! { <th scope="col">{*w}</th> }).collect_view()}
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// "Décembre 2026": French months are lower-case, but not at the start of a heading. Every month
/// starts with an ASCII letter.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| std::iter::once(f.to_ascii_uppercase()).chain(c).collect())
        .unwrap_or_default()
}

/// The period before or after the one shown (a month, or the week of `a`).
fn step(forward: bool, month: bool, a: NaiveDate) -> (bool, NaiveDate) {
    let d = if month {
        let first = a.with_day(1).unwrap_or(a);
        if forward {
            first + Months::new(1)
        } else {
            first - Months::new(1)
        }
    } else if forward {
        monday_of(a) + Days::new(7)
    } else {
        monday_of(a) - Days::new(7)
    };
    (month, d)
}

/// The view switch, previous / today / next, and the heading of the period.
#[component]
fn Nav(month: Memo<bool>, anchor: Memo<NaiveDate>) -> impl IntoView {
    let i = use_i18n();
    let link = move |to: fn(bool, NaiveDate) -> (bool, NaiveDate)| {
        move || {
            let (m, d) = to(month.get(), anchor.get());
            href(m, d)
        }
    };
    let current = move |on: bool| move || (month.get() == on).then_some("page");
    let heading = move || {
        let (s, a) = (i.t().apt, anchor.get());
        if month.get() {
            capitalised(&format!("{} {}", s.months[a.month0() as usize], a.year()))
        } else {
            s.week_of.replace("{date}", &long_date(s, monday_of(a)))
        }
    };
    view! {
        <nav class="toolbar" aria-label=move || i.t().apt.cal_view>
            <a class="btn btn-secondary btn-small" href=link(|_, a| (false, a)) aria-current=current(false) data-testid="agenda-week">
                {move || i.t().apt.cal_week}
            </a>
            <a class="btn btn-secondary btn-small" href=link(|_, a| (true, a)) aria-current=current(true) data-testid="agenda-month-link">
                {move || i.t().apt.cal_month}
            </a>
            <a class="btn btn-secondary btn-small" href=link(|m, a| step(false, m, a)) data-testid="agenda-prev">
                {move || if month.get() { i.t().apt.cal_prev_month } else { i.t().apt.prev_week }}
            </a>
            <a class="btn btn-secondary btn-small" href=link(|m, _| (m, today()))>{move || i.t().apt.cal_today}</a>
            <a class="btn btn-secondary btn-small" href=link(|m, a| step(true, m, a)) data-testid="agenda-next">
                {move || if month.get() { i.t().apt.cal_next_month } else { i.t().apt.next_week }}
            </a>
        </nav>
        <h2 data-testid="agenda-heading">{heading}</h2>
        <p class="note">{move || i.t().apt.paris_time}</p>
    }
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
    view! {
        <Page title=move || i.t().apt.cal_title help="reserver">
            <p>
                <Button on_click=move |_| open.set(true) testid="book-for-open">{move || i.t().apt.cal_book_open}</Button>
            </p>
            <Nav month anchor/>
            <Loaded resource=list let:d>
                {match d {
                    AData::Appointments(p) if month.get() => {
                        view! { <Month items=p.items anchor=anchor.get()/> }.into_any()
                    }
                    AData::Appointments(p) => {
                        view! { <Week items=p.items monday=monday_of(anchor.get())/> }.into_any()
                    }
                    _ => ().into_any(),
                }}
            </Loaded>
            <BookDialog open/>
        </Page>
    }
}
