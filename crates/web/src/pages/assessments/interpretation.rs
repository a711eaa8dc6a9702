//! The consultant's interpretation of a result: consultants write it (and rewrite it), the
//! beneficiary reads it under the same results.

use boussole_shared::assessments::Interpretation;
use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::paris_fr,
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn InterpretationSection(
    id: Uuid,
    current: Option<Interpretation>,
    staff: bool,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let saved = RwSignal::new(current);
    let meta = move || {
        saved.get().map(|s| {
            i.t()
                .assess
                .interpretation_meta
                .replace("{date}", &paris_fr(s.updated_at))
        })
    };
    let body = RwSignal::new(
        saved.with_untracked(|s| s.as_ref().map(|s| s.text.clone()).unwrap_or_default()),
    );
    let error = RwSignal::new(None::<ApiError>);
    let save = crate::components::act(move |_: &()| {
        let text = body.get_untracked().trim().to_string();
        async move {
            error.set(None);
            match api.interpret(id, text).await {
                Ok(s) => {
                    saved.set(Some(s));
                    toasts.show(i.t().assess.interpretation_saved);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let form = staff.then(|| {
        view! {
            <form class="form no-print" novalidate data-testid="interpretation-form"
                on:submit=move |ev| { no_reload(&ev); save.dispatch(()); }>
                <FormError error testid="interpretation-error"/>
                <TextArea id="interpretation" label=move || i.t().assess.interpretation_label value=body
                    required=true hint=move || i.t().assess.interpretation_hint
                    error=field_error(error, "text") testid="interpretation-body"/>
                <Button submit=true busy=save.pending() testid="interpretation-submit">
                    {move || i.t().assess.interpretation_save}
                </Button>
            </form>
        }
    });
    view! {
        <section class="card" aria-labelledby="interpretation-titre" data-testid="interpretation">
            <h2 id="interpretation-titre">{move || i.t().assess.interpretation_title}</h2>
            {move || match saved.get() {
                Some(s) => view! {
                    <p class="note">{meta}</p>
                    <p class="note-body" data-testid="interpretation-text">{s.text}</p>
                }.into_any(),
                None => view! {
                    <p class="note" data-testid="interpretation-none">
                        {move || if staff { i.t().assess.interpretation_none_staff } else { i.t().assess.interpretation_none }}
                    </p>
                }.into_any(),
            }}
            {form}
        </section>
    }
}
