use leptos::prelude::*;

use crate::{i18n::use_i18n, pages::welcome::Welcome};

#[component]
pub fn Home() -> impl IntoView {
    let i = use_i18n();
    view! { <Welcome coming=move || i.t().consultant_coming/> }
}
