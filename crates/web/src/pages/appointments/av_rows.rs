//! The availability editor's rows as signals: one per field, so what is typed lives in one place
//! and survives a redraw (another row removed, the language switched).

use boussole_shared::appointments::AppointmentKind;
use leptos::prelude::*;

use super::av_form::{RangeText, TypeText};

/// A weekly rule or an exception; `key` identifies the row while others come and go.
#[derive(Clone, Copy)]
pub struct RangeRow {
    pub key: u32,
    pub day: RwSignal<String>,
    pub kind: RwSignal<String>,
    pub start: RwSignal<String>,
    pub end: RwSignal<String>,
    pub mode: RwSignal<String>,
    pub place: RwSignal<String>,
}

impl RangeRow {
    pub fn new(key: u32, r: RangeText) -> Self {
        RangeRow {
            key,
            day: RwSignal::new(r.day),
            kind: RwSignal::new(r.kind),
            start: RwSignal::new(r.start),
            end: RwSignal::new(r.end),
            mode: RwSignal::new(r.mode),
            place: RwSignal::new(r.place),
        }
    }

    /// What the row holds now.
    pub fn text(&self) -> RangeText {
        RangeText {
            day: self.day.get_untracked(),
            kind: self.kind.get_untracked(),
            start: self.start.get_untracked(),
            end: self.end.get_untracked(),
            mode: self.mode.get_untracked(),
            place: self.place.get_untracked(),
        }
    }
}

/// The settings of one kind of appointment.
#[derive(Clone, Copy)]
pub struct TypeRow {
    pub kind: AppointmentKind,
    pub offered: RwSignal<bool>,
    pub duration: RwSignal<String>,
    pub buffer: RwSignal<String>,
    pub notice_hours: RwSignal<String>,
    pub horizon: RwSignal<String>,
}

impl TypeRow {
    pub fn new(t: TypeText) -> Self {
        TypeRow {
            kind: t.kind,
            offered: RwSignal::new(t.offered),
            duration: RwSignal::new(t.duration),
            buffer: RwSignal::new(t.buffer),
            notice_hours: RwSignal::new(t.notice_hours),
            horizon: RwSignal::new(t.horizon),
        }
    }

    pub fn text(&self) -> TypeText {
        TypeText {
            kind: self.kind,
            offered: self.offered.get_untracked(),
            duration: self.duration.get_untracked(),
            buffer: self.buffer.get_untracked(),
            notice_hours: self.notice_hours.get_untracked(),
            horizon: self.horizon.get_untracked(),
        }
    }
}

/// A labelled input of a row (ids are made of the row's number, so they are not `'static`).
#[component]
pub fn RowInput(
    id: String,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    kind: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            <input id=id.clone() name=id type=kind prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        </div>
    }
}

/// A labelled `<select>` of a row; `options` are (value, label) pairs.
#[component]
pub fn RowSelect(
    id: String,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    options: Vec<(String, TextProp)>,
) -> impl IntoView {
    let options = options
        .into_iter()
        .map(|(v, l)| {
            let selected = {
                let v = v.clone();
                move || value.with(|x| *x == v)
            };
            view! { <option value=v selected=selected>{move || l.get()}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            <select id=id.clone() name=id on:change=move |ev| value.set(event_target_value(&ev))>
                {options}
            </select>
        </div>
    }
}

/// A checkbox of a row, its label after it.
#[component]
pub fn RowCheck(
    id: String,
    #[prop(into)] label: TextProp,
    checked: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <div class="field field-check">
            <input type="checkbox" id=id.clone() name=id.clone() prop:checked=move || checked.get()
                on:change=move |ev| checked.set(event_target_checked(&ev))/>
            <label for=id>{move || label.get()}</label>
        </div>
    }
}
