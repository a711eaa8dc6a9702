//! Pieces for data tables: sortable column headers and pagination. The `<table>` itself, with its
//! `<caption>` and `<th scope>`, is written by each page so that its columns stay readable.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// How many pages `total` items make (at least one, so "page 1 of 1" reads right when empty).
pub fn page_count(total: i64, per_page: i64) -> i64 {
    if per_page <= 0 {
        1
    } else {
        ((total + per_page - 1) / per_page).max(1)
    }
}

/// Which column sorts the rows, and which way.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct SortState {
    pub key: &'static str,
    pub ascending: bool,
}

impl SortState {
    /// Clicking the sorted column flips it; clicking another sorts by it, ascending.
    pub fn toggled(self, key: &'static str) -> SortState {
        if self.key == key {
            SortState {
                key,
                ascending: !self.ascending,
            }
        } else {
            SortState {
                key,
                ascending: true,
            }
        }
    }
}

/// A `<th>` whose button sorts by this column; `aria-sort` tells assistive technology the order.
#[component]
pub fn SortHeader(
    key: &'static str,
    #[prop(into)] label: TextProp,
    sort: RwSignal<SortState>,
) -> impl IntoView {
    let aria = move || {
        let s = sort.get();
        match (s.key == key, s.ascending) {
            (false, _) => "none",
            (true, true) => "ascending",
            (true, false) => "descending",
        }
    };
    let arrow = move || match aria() {
        "ascending" => "▲",
        "descending" => "▼",
        _ => "↕",
    };
    view! {
        <th scope="col" aria-sort=aria>
            <button type="button" class="sort" on:click=move |_| sort.update(|s| *s = s.toggled(key))>
                {move || label.get()}
                <span aria-hidden="true">" " {arrow}</span>
            </button>
        </th>
    }
}

/// Previous / next page, with "page n of m".
#[component]
pub fn Pagination(
    page: RwSignal<i64>,
    per_page: i64,
    #[prop(into)] total: Signal<i64>,
) -> impl IntoView {
    let i = use_i18n();
    let pages = move || page_count(total.get(), per_page);
    view! {
        <nav class="pagination" aria-label=move || i.t().pagination>
            <button
                type="button"
                class="btn btn-secondary"
                disabled=move || { page.get() <= 1 }
                on:click=move |_| page.update(|p| *p = (*p - 1).max(1))
                data-testid="page-previous"
            >
                {move || i.t().previous}
            </button>
            <span>
                {move || {
                    i.t().page_of.replace("{n}", &page.get().to_string()).replace("{m}", &pages().to_string())
                }}
            </span>
            <button
                type="button"
                class="btn btn-secondary"
                disabled=move || { page.get() >= pages() }
                on:click=move |_| page.update(|p| *p += 1)
                data-testid="page-next"
            >
                {move || i.t().next}
            </button>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_count_rounds_up_and_is_never_zero() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
    }

    #[test]
    fn sorting_the_same_column_flips_it() {
        let s = SortState {
            key: "name",
            ascending: true,
        };
        assert_eq!(
            s.toggled("name"),
            SortState {
                key: "name",
                ascending: false
            }
        );
        assert_eq!(
            s.toggled("email"),
            SortState {
                key: "email",
                ascending: true
            }
        );
    }
}
