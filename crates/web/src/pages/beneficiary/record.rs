//! `/beneficiaire/dossier`: the beneficiary's own record, where they alone may record accessibility
//! needs, with their explicit consent.

use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
    pages::{
        beneficiaries::{Editor, RecordForm},
        bilans::Data,
    },
};

#[component]
pub fn MyRecord() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let me = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.id));
    let record = crate::components::loader(move || async move {
        match me {
            Some(id) => api.beneficiary(id).await.map(Data::Beneficiary),
            None => Err(ApiError::Unexpected(401)),
        }
    });
    view! {
        <Page title=move || i.t().my_record_title help="mon-dossier">
            <p class="lead">{move || i.t().my_record_intro}</p>
            <p class="note">{move || i.t().record_all_optional}</p>
            <Loaded resource=record let:d>
                {match d {
                    Data::Beneficiary(p) => view! { <RecordForm profile=p editor=Editor::Beneficiary/> }.into_any(),
                    _ => ().into_any(),
                }}
            </Loaded>
        </Page>
    }
}
