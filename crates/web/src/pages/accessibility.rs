//! `/accessibilite`: the accessibility statement RGAA requires, open to everyone (issue 16, item 4).

use leptos::prelude::*;

use crate::{components::Page, i18n::use_i18n};

#[component]
pub fn Statement() -> impl IntoView {
    let i = use_i18n();
    let sections = move || {
        i.t()
            .help
            .a11y_sections
            .iter()
            .map(|s| {
                let list = (!s.list.is_empty()).then(|| {
                    view! { <ul>{s.list.iter().map(|l| view! { <li>{*l}</li> }).collect_view()}</ul> }
                });
                view! {
                    <section class="card">
                        <h2>{s.title}</h2>
                        {s.paras.iter().map(|p| view! { <p>{*p}</p> }).collect_view()}
                        {list}
                    </section>
                }
            })
            .collect_view()
    };
    view! {
        <Page title=move || i.t().help.a11y_title>
            <div data-testid="accessibility-statement">{sections}</div>
        </Page>
    }
}
