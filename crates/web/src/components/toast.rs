//! Short confirmations ("Enregistré") in a polite live region.

use std::time::Duration;

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Toasts(RwSignal<Vec<(u64, String)>>, StoredValue<u64>);

impl Toasts {
    pub fn new() -> Self {
        Toasts(RwSignal::new(Vec::new()), StoredValue::new(0))
    }

    /// Shows `msg` for a few seconds.
    pub fn show(self, msg: impl Into<String>) {
        let id = self.1.get_value() + 1;
        self.1.set_value(id);
        self.0.update(|v| v.push((id, msg.into())));
        let list = self.0;
        set_timeout(
            move || list.update(|v| v.retain(|(i, _)| *i != id)),
            Duration::from_secs(6),
        );
    }
}

pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

/// Where toasts appear; the region is always in the page so that additions are announced.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <div class="toasts" role="status" aria-live="polite" data-testid="toasts">
            <For each=move || toasts.0.get() key=|(id, _)| *id let((_, msg))>
                <p class="toast">{msg}</p>
            </For>
        </div>
    }
}
