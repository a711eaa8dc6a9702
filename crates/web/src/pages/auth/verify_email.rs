//! `/verifier-email?token=…`: the link of the verification email confirms the address on arrival.

use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::{FormError, Loading, Page},
    i18n::use_i18n,
    pages::auth::token_from_query,
};

#[component]
pub fn VerifyEmail() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let token = token_from_query();
    let result = crate::components::loader(move || {
        let token = token.clone();
        async move { api.verify_email(token).await }
    });
    let error = RwSignal::new(None::<ApiError>);
    crate::components::effect(move |_| error.set(result.get().and_then(Result::err)));
    view! {
        <Page title=move || i.t().verify_title>
            <div class="narrow">
                {move || match result.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Ok(())) => view! {
                        <p class="success" data-testid="verify-done">{move || i.t().verify_done}</p>
                        <p><a href="/connexion">{move || i.t().go_to_login}</a></p>
                    }.into_any(),
                    Some(Err(_)) => view! {
                        <p><a href="/connexion">{move || i.t().verify_failed_hint}</a></p>
                    }.into_any(),
                }}
                <FormError error hidden=&["token"]/>
            </div>
        </Page>
    }
}
