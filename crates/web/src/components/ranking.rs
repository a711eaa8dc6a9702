//! Ranking without drag and drop: an ordered list where each entry has "move up" and "move down"
//! buttons. After a move, focus stays on the moved entry's button and a polite live region says
//! where it now stands ("Autonomie : rang 2 sur 6"), so keyboard and screen-reader users follow.

use leptos::prelude::*;

use super::focus_later;
use crate::i18n::use_i18n;

/// Moves the entry at `from` one place up (towards the first) or down; returns its new place, or
/// `None` when it is already at that end (nothing changes).
pub fn move_entry<T>(order: &mut [T], from: usize, up: bool) -> Option<usize> {
    let to = if up { from.checked_sub(1)? } else { from + 1 };
    if to >= order.len() || from >= order.len() {
        return None;
    }
    order.swap(from, to);
    Some(to)
}

/// `options` are (id, label) pairs; `order` holds the ids, first = most important. `on_change`
/// gets the new order after each move. `id` prefixes the element ids (unique in the page).
#[component]
pub fn Ranking(
    id: String,
    #[prop(into)] legend: TextProp,
    options: Vec<(String, String)>,
    order: RwSignal<Vec<String>>,
    on_change: Callback<Vec<String>>,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let i = use_i18n();
    let announce = RwSignal::new(String::new());
    let options = StoredValue::new(options);
    let label_of = move |key: &str| {
        options.with_value(|o| {
            o.iter()
                .find(|(k, _)| k == key)
                .map(|(_, l)| l.clone())
                .unwrap_or_else(|| key.to_string())
        })
    };
    // Element ids use the option's place in `options` (ids from data may hold any character).
    let slot = move |key: &str| options.with_value(|o| o.iter().position(|(k, _)| k == key));
    let hint_id = format!("{id}-aide");
    let described = hint_id.clone();
    let prefix = StoredValue::new(id.clone());
    let shift = move |key: String, up: bool| {
        let mut v = order.get_untracked();
        let Some(from) = v.iter().position(|k| *k == key) else {
            return;
        };
        let Some(to) = move_entry(&mut v, from, up) else {
            return;
        };
        let n = v.len();
        order.set(v.clone());
        on_change.run(v);
        let t = i.t().assess;
        announce.set(
            t.moved
                .replace("{label}", &label_of(&key))
                .replace("{n}", &(to + 1).to_string())
                .replace("{m}", &n.to_string()),
        );
        // At an end the pressed button is disabled: focus goes to the other one.
        let at_end = if up { to == 0 } else { to + 1 == n };
        let dir = if up != at_end { "haut" } else { "bas" };
        if let Some(s) = slot(&key) {
            focus_later(format!("{}-{s}-{dir}", prefix.get_value()));
        }
    };
    view! {
        <fieldset class="ranking" aria-describedby=described>
            <legend>{move || legend.get()}</legend>
            <p class="hint" id=hint_id>{move || i.t().assess.ranking_hint}</p>
            <ol class="ranking-list">
                {move || {
                    let v = order.get();
                    let n = v.len();
                    v.into_iter()
                        .enumerate()
                        .map(|(pos, key)| {
                            let t = i.t().assess;
                            let label = label_of(&key);
                            let s = slot(&key).unwrap_or(pos);
                            let (k_up, k_down) = (key.clone(), key.clone());
                            view! {
                                <li class="ranking-entry" data-testid="ranking-entry">
                                    <span class="ranking-rank" aria-hidden="true">{pos + 1}</span>
                                    <span class="ranking-label">{label.clone()}</span>
                                    <span class="ranking-moves">
                                        <button type="button" class="btn btn-secondary" id=format!("{}-{s}-haut", prefix.get_value())
                                            aria-label=t.move_up_label.replace("{label}", &label)
                                            disabled=disabled || pos == 0
                                            on:click=move |_| shift(k_up.clone(), true)
                                            data-testid="ranking-up">
                                            <span aria-hidden="true">"↑ "</span>{t.move_up}
                                        </button>
                                        <button type="button" class="btn btn-secondary" id=format!("{}-{s}-bas", prefix.get_value())
                                            aria-label=t.move_down_label.replace("{label}", &label)
                                            disabled=disabled || pos + 1 == n
                                            on:click=move |_| shift(k_down.clone(), false)
                                            data-testid="ranking-down">
                                            <span aria-hidden="true">"↓ "</span>{t.move_down}
                                        </button>
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <p class="visually-hidden" role="status" aria-live="polite" data-testid="ranking-status">
                {move || announce.get()}
            </p>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::move_entry;

    #[test]
    fn an_entry_moves_one_place_and_says_where_it_went() {
        let mut v = vec!["a", "b", "c"];
        assert_eq!(move_entry(&mut v, 1, true), Some(0));
        assert_eq!(v, ["b", "a", "c"]);
        assert_eq!(move_entry(&mut v, 1, false), Some(2));
        assert_eq!(v, ["b", "c", "a"]);
    }

    #[test]
    fn nothing_moves_past_either_end() {
        let mut v = vec!["a", "b"];
        assert_eq!(move_entry(&mut v, 0, true), None);
        assert_eq!(move_entry(&mut v, 1, false), None);
        assert_eq!(move_entry(&mut v, 5, false), None);
        assert_eq!(v, ["a", "b"]);
    }
}
