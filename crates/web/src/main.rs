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
    leptos::mount::mount_to_body(app::App);
}
