use leptos::prelude::*;

/// How much a button stands out.
#[derive(Clone, Copy, Default, PartialEq)]
pub enum ButtonKind {
    #[default]
    Primary,
    Secondary,
    Danger,
}

/// A button; `submit` makes it submit its form. While `busy` it is disabled and says so.
#[component]
pub fn Button(
    #[prop(optional)] kind: ButtonKind,
    #[prop(optional)] submit: bool,
    #[prop(optional, into)] busy: Signal<bool>,
    #[prop(optional, into)] on_click: Option<Callback<()>>,
    #[prop(optional)] testid: &'static str,
    children: Children,
) -> impl IntoView {
    let class = match kind {
        ButtonKind::Primary => "btn btn-primary",
        ButtonKind::Secondary => "btn btn-secondary",
        ButtonKind::Danger => "btn btn-danger",
    };
    view! {
        <button
            class=class
            type=if submit { "submit" } else { "button" }
            disabled=move || busy.get()
            aria-busy=move || busy.get().then_some("true")
            data-testid=(!testid.is_empty()).then_some(testid)
            on:click=move |_| {
                if let Some(cb) = on_click {
                    cb.run(());
                }
            }
        >
            {children()}
        </button>
    }
}
