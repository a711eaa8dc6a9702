//! The ROME occupations picker: an ARIA 1.2 combobox (a text input with a list of suggestions),
//! usable with the keyboard alone — arrows to move, Enter to add, Escape to close — and the chosen
//! occupations as removable chips. The attribution of the list is shown under it.

use boussole_shared::projection::RomeOccupation;
use leptos::{ev::KeyboardEvent, prelude::*};

use crate::{api::use_api, i18n::use_i18n};

#[component]
pub fn RomePicker(id: &'static str, chosen: RwSignal<Vec<RomeOccupation>>) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let q = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let found = crate::components::loader(move || {
        let q = q.get();
        async move {
            if q.trim().chars().count() < 2 {
                return Vec::new();
            }
            api.rome(&q).await.map(|p| p.items).unwrap_or_default()
        }
    });
    let options = move || found.get().unwrap_or_default();
    let list_id = format!("{id}-liste");
    let option_id = move |n: usize| format!("{id}-option-{n}");
    let pick = move |o: RomeOccupation| {
        chosen.update(|v| {
            if !v.iter().any(|x| x.code == o.code) {
                v.push(o);
            }
        });
        q.set(String::new());
        open.set(false);
        active.set(None);
    };
    let on_key = move |ev: KeyboardEvent| {
        let n = options().len();
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |x| (x + 1) % n)));
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(n - 1, |x| (x + n - 1) % n)));
            }
            "Enter" => {
                // Enter picks the active suggestion and never submits the form around.
                ev.prevent_default();
                if let Some(o) = active
                    .get_untracked()
                    .and_then(|a| options().get(a).cloned())
                {
                    pick(o);
                }
            }
            "Escape" => {
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    };
    let t = move || i.t().proj;
    let hint_id = format!("{id}-aide");
    view! {
        <div class="field combobox">
            <label for=id>{move || t().path_rome}</label>
            <p class="hint" id=hint_id.clone()>{move || t().rome_hint}</p>
            <ul class="chips" data-testid="rome-chosen">
                {move || chosen.get().into_iter().map(|o| {
                    let code = o.code.clone();
                    view! {
                        <li>
                            <span>{format!("{} · {}", o.code, o.title)}</span>
                            <button type="button" class="chip-remove" aria-label=t().rome_remove.replace("{code}", &o.code)
                                on:click=move |_| chosen.update(|v| v.retain(|x| x.code != code))>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <input
                id=id
                type="text"
                role="combobox"
                autocomplete="off"
                aria-autocomplete="list"
                aria-controls=list_id.clone()
                aria-describedby=hint_id
                aria-expanded=move || if open.get() && !options().is_empty() { "true" } else { "false" }
                aria-activedescendant=move || active.get().map(option_id)
                prop:value=move || q.get()
                on:input=move |ev| { q.set(event_target_value(&ev)); open.set(true); active.set(None); }
                on:keydown=on_key
                on:blur=move |_| open.set(false)
                data-testid="rome-input"
            />
            <ul id=list_id role="listbox" class="listbox" aria-label=move || t().path_rome
                hidden=move || !open.get() || options().is_empty()>
                {move || options().into_iter().enumerate().map(|(n, o)| {
                    let picked = o.clone();
                    view! {
                        <li id=option_id(n) role="option" class:active=move || active.get() == Some(n)
                            aria-selected=move || if active.get() == Some(n) { "true" } else { "false" }
                            on:mousedown=move |ev| { ev.prevent_default(); pick(picked.clone()); }
                            data-testid="rome-option">
                            {format!("{} · {}", o.code, o.title)}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="visually-hidden" aria-live="polite">
                {move || if open.get() && q.with(|q| q.trim().chars().count() >= 2) {
                    t().rome_results.replace("{n}", &options().len().to_string())
                } else {
                    String::new()
                }}
            </p>
            <p class="note">{move || t().rome_attribution}</p>
        </div>
    }
}
