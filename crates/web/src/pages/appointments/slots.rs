//! A week of a consultant's free slots, grouped by day, to pick one (booking and moving).

use boussole_shared::{
    appointments::{AppointmentKind, Slot},
    time::to_paris,
};
use chrono::Days;
use leptos::prelude::*;
use uuid::Uuid;

use super::{
    AData, AResource, avail_mode_label, by_day, long_date, monday_of, range, resource, today,
};
use crate::{api::use_api, components::Loaded, dates::datetime_iso, i18n::use_i18n};

/// The free slots by Paris day; a slot's button says whether it is the one chosen.
#[component]
fn SlotList(slots: Vec<Slot>, selected: RwSignal<Option<Slot>>) -> impl IntoView {
    let i = use_i18n();
    if slots.is_empty() {
        return view! { <p class="empty-state" data-testid="no-slot">{move || i.t().apt.book_no_slot}</p> }
            .into_any();
    }
    let day = move |(day, list): (chrono::NaiveDate, Vec<Slot>)| {
        let buttons = list
            .into_iter()
            .map(|s| {
                let at = s.starts_at;
                let pressed = move || selected.with(|c| c.as_ref().is_some_and(|c| c.starts_at == at));
                view! {
                    <li>
                        <button type="button" class="slot" data-testid="slot" data-start=datetime_iso(to_paris(at.naive_utc()))
                            data-mode=s.mode.as_str() aria-pressed=move || pressed().to_string()
                            on:click={
                                let s = s.clone();
                                move |_| selected.set(Some(s.clone()))
                            }>
                            <span class="slot-time">{range(s.starts_at, s.ends_at)}</span>
                            <span class="slot-mode">{move || avail_mode_label(i.t().apt, s.mode)}</span>
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! {
            <li>
                <h3>{move || long_date(i.t().apt, day)}</h3>
                <ul class="slot-list">{buttons}</ul>
            </li>
        }
    };
    view! { <ul class="slot-days">{by_day(&slots).into_iter().map(day).collect_view()}</ul> }
        .into_any()
}

/// The week shown starts this Monday; `refresh` reloads it (after a 409, the slot was taken).
#[component]
pub fn SlotPicker(
    #[prop(into)] consultant: Signal<Option<Uuid>>,
    #[prop(into)] kind: Signal<AppointmentKind>,
    selected: RwSignal<Option<Slot>>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let first = monday_of(today());
    let week = RwSignal::new(first);
    let slots: AResource = resource(move || {
        let (c, k, w) = (consultant.get(), kind.get(), week.get());
        refresh.track();
        async move {
            match c {
                Some(c) => api.slots(c, k, w, w + Days::new(6)).await.map(AData::Slots),
                None => Ok(AData::Slots(Vec::new())),
            }
        }
    });
    // Another week or kind: the choice made in the previous one no longer shows.
    crate::components::effect(move |_| {
        week.track();
        kind.track();
        selected.set(None);
    });
    let shift = move |days: i64| {
        week.update(|w| {
            *w = if days > 0 {
                *w + Days::new(7)
            } else {
                (*w - Days::new(7)).max(first)
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="creneaux" data-testid="slot-picker">
            <h2 id="creneaux">{move || i.t().apt.book_slots}</h2>
            <div class="week-nav">
                <button type="button" class="btn btn-secondary btn-small" data-testid="slot-prev"
                    disabled=move || week.get() <= first on:click=move |_| shift(-7)>
                    {move || i.t().apt.prev_week}
                </button>
                <p aria-live="polite" data-testid="slot-week">
                    {move || i.t().apt.week_of.replace("{date}", &long_date(i.t().apt, week.get()))}
                </p>
                <button type="button" class="btn btn-secondary btn-small" data-testid="slot-next" on:click=move |_| shift(7)>
                    {move || i.t().apt.next_week}
                </button>
            </div>
            <p class="note">{move || i.t().apt.paris_time}</p>
            <Loaded resource=slots let:d>
                {match d {
                    AData::Slots(v) => Some(view! { <SlotList slots=v selected/> }),
                    _ => None,
                }}
            </Loaded>
        </section>
    }
}
