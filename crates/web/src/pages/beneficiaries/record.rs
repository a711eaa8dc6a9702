//! `/admin/beneficiaires/:id` and `/consultant/beneficiaires/:id`: one beneficiary's record. Admins edit
//! the administrative fields; consultants read it, with the accessibility needs the API shows them.

use boussole_shared::users::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::{
    form::{Editor, RecordForm, RecordView},
    records_base,
};
use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
    pages::bilans::{Data, person},
};

#[component]
pub fn BeneficiaryRecord() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let role = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.role));
    let record = crate::components::loader(move || async move {
        match id {
            Some(id) => api.beneficiary(id).await.map(Data::Beneficiary),
            None => Err(ApiError::Unexpected(404)),
        }
    });
    let title = move || match record.get() {
        Some(Ok(Data::Beneficiary(p))) => i.t().record_title.replace("{name}", &person(&p.person)),
        _ => i.t().records_title.to_string(),
    };
    view! {
        <Page title help="beneficiaires">
            <p><a href=records_base(role) data-testid="record-back">{move || i.t().back_to_list}</a></p>
            <Loaded resource=record let:d>
                {match d {
                    Data::Beneficiary(p) => {
                        let t = i.t();
                        view! {
                            <p data-testid="record-email">{t.record_email.replace("{email}", &p.email)}</p>
                            {if role == Some(Role::Admin) {
                                view! {
                                    <p class="note">{t.record_admin_note}</p>
                                    <RecordForm profile=p editor=Editor::Admin/>
                                }.into_any()
                            } else {
                                view! {
                                    <p class="note">{t.record_consultant_note}</p>
                                    <RecordView profile=p/>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    _ => ().into_any(),
                }}
            </Loaded>
        </Page>
    }
}
