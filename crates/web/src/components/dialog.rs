//! A modal dialog on the native `<dialog>`: `showModal()` makes the rest of the page inert (focus
//! stays inside), Escape closes it, and the browser returns focus to the opener.

use leptos::{html, prelude::*};

use crate::i18n::use_i18n;

#[component]
pub fn Dialog(
    id: &'static str,
    open: RwSignal<bool>,
    #[prop(into)] title: TextProp,
    #[prop(optional)] testid: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let i = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    crate::components::effect(move |_| {
        let Some(d) = node.get() else { return };
        match (open.get(), d.open()) {
            (true, false) => {
                let _ = d.show_modal();
            }
            (false, true) => d.close(),
            _ => {}
        }
    });
    view! {
        <dialog
            node_ref=node
            class="dialog"
            aria-labelledby=format!("{id}-titre")
            data-testid=testid
            on:close=move |_| open.set(false)
        >
            <div class="dialog-head">
                <h2 id=format!("{id}-titre")>{move || title.get()}</h2>
                <button type="button" class="btn btn-secondary" on:click=move |_| open.set(false)>
                    {move || i.t().close}
                </button>
            </div>
            {children()}
        </dialog>
    }
}
