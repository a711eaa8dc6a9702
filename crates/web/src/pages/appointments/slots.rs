//! A week of a consultant's free slots, grouped by day, to pick one (booking and moving).

use boussole_shared::{
    appointments::{AppointmentKind, Slot},
    time::to_paris,
};
use chrono::Days;
use leptos::prelude::*;
use uuid::Uuid;

use super::{
    AData, AResource, avail_mode_label, by_day,
    html::{clicked, focus_id, loaded},
    long_date, monday_of, range, resource, today,
};
use crate::{
    api::use_api,
    dates::datetime_iso,
    i18n::{Strings, use_i18n},
};

fn slots_html(t: &Strings, slots: &[Slot], selected: Option<usize>) -> String {
    let a = t.apt;
    if slots.is_empty() {
        return format!(
            r#"<p class="empty-state" data-testid="no-slot">{}</p>"#,
            a.book_no_slot
        );
    }
    let mut n = 0;
    let days: String = by_day(slots)
        .into_iter()
        .map(|(day, list)| {
            let buttons: String = list
                .iter()
                .map(|s| {
                    let i = n;
                    n += 1;
                    format!(
                        r#"<li><button type="button" class="slot" id="creneau-{i}" data-slot="{i}" data-testid="slot" data-start="{}" data-mode="{}" aria-pressed="{}"><span class="slot-time">{}</span><span class="slot-mode">{}</span></button></li>"#,
                        datetime_iso(to_paris(s.starts_at.naive_utc())),
                        s.mode.as_str(),
                        selected == Some(i),
                        range(s.starts_at, s.ends_at),
                        avail_mode_label(a, s.mode)
                    )
                })
                .collect();
            format!(r#"<li><h3>{}</h3><ul class="slot-list">{buttons}</ul></li>"#, long_date(a, day))
        })
        .collect();
    format!(r#"<ul class="slot-days">{days}</ul>"#)
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
    Effect::new(move || {
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
    let pick = move |ev: leptos::ev::MouseEvent| {
        let Some(n) = clicked(&ev, "data-slot").and_then(|s| s.parse::<usize>().ok()) else {
            return;
        };
        let chosen = slots.with(|r| match r {
            Some(Ok(AData::Slots(v))) => v.get(n).cloned(),
            _ => None,
        });
        selected.set(chosen);
        // The list is redrawn with the new pressed state: the focus stays on the chosen slot.
        focus_id(format!("creneau-{n}"));
    };
    let html = move || {
        let t = i.t();
        let chosen = selected.get();
        loaded(t, slots.get(), |d| match d {
            AData::Slots(v) => {
                let n = chosen.and_then(|c| v.iter().position(|s| s.starts_at == c.starts_at));
                slots_html(t, &v, n)
            }
            _ => String::new(),
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
            <div inner_html=html on:click=pick></div>
        </section>
    }
}
