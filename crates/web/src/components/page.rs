use leptos::{html::H1, prelude::*};

/// A page: its one `<h1>`, the document title, and focus moved to the heading when the route
/// changes, so that screen-reader and keyboard users start at the new content.
#[component]
pub fn Page(#[prop(into)] title: TextProp, children: Children) -> impl IntoView {
    let h1 = NodeRef::<H1>::new();
    let doc_title = title.clone();
    Effect::new(move || document().set_title(&format!("{} — Boussole", doc_title.get())));
    Effect::new(move || {
        if let Some(h) = h1.get() {
            let _ = h.focus();
        }
    });
    view! {
        <div class="page">
            <h1 node_ref=h1 tabindex="-1" data-testid="page-title">{move || title.get()}</h1>
            {children()}
        </div>
    }
}

/// Moves focus to the element `id` once the view has been updated (after a form step changes).
pub fn focus_later(id: impl Into<String>) {
    let id = id.into();
    request_animation_frame(move || {
        use leptos::wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}
