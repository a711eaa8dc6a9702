//! Boussole single-page application (Leptos 0.8, client-side rendering).

mod api;
mod app;
mod components;
mod dates;
mod i18n;
mod layout;
mod live;
mod pages;

fn main() {
    // Rust panics go to the browser console instead of an opaque "unreachable" trap.
    console_error_panic_hook::set_once();
    // The interface's words are data (`i18n/table.rs`): French first, then the app (the page
    // preloads `/fr.json` beside the wasm, so this rarely waits).
    wasm_bindgen_futures::spawn_local(async {
        if i18n::load_french().await {
            leptos::mount::mount_to_body(app::App);
        } else if let Some(body) = leptos::prelude::document().body() {
            body.set_text_content(Some(
                "Boussole n’a pas pu se charger. Vérifiez votre connexion, puis rechargez la page. \
                 (Boussole could not load: check your connection, then reload the page.)",
            ));
        }
    });
}
