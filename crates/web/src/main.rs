//! Boussole single-page application (Leptos 0.8, client-side rendering).
//!
//! For now it only shows a placeholder page; the real screens will come with their routes.

use leptos::prelude::*;

/// Where the API serves its interactive OpenAPI documentation (Swagger UI).
const API_DOCS_URL: &str = "/api/docs";

fn main() {
    // Rust panics go to the browser console instead of an opaque "unreachable" trap.
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// Root component: a French placeholder page.
#[component]
fn App() -> impl IntoView {
    view! {
        <main class="placeholder">
            <h1>"Boussole"</h1>
            <p class="lead">
                "La plateforme dédiée aux bilans de compétences est en cours de construction."
            </p>
            <p>
                "En attendant, vous pouvez consulter la "
                <a href=API_DOCS_URL>"documentation de l’API"</a>
                "."
            </p>
        </main>
    }
}
