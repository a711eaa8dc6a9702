//! Editing one's own name, civility and phone, and a consultant's titles and qualifications.

use boussole_shared::users::{Civility, MePatch, Role};
use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn Details() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let user = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.clone()));
    let field = |f: fn(&boussole_shared::users::User) -> String| {
        RwSignal::new(user.as_ref().map(f).unwrap_or_default())
    };
    let civility = field(|u| {
        u.civility
            .map(|c| c.as_str().to_string())
            .unwrap_or_default()
    });
    let first_name = field(|u| u.first_name.clone());
    let last_name = field(|u| u.last_name.clone());
    let phone = field(|u| u.phone.clone().unwrap_or_default());
    // Printed with the name on the documents: only consultants have one.
    let consults = user.as_ref().is_some_and(|u| u.role == Role::Consultant);
    let qualification = field(|u| u.qualification.clone().unwrap_or_default());
    let email = user.map(|u| u.email).unwrap_or_default();
    let error = RwSignal::new(None::<ApiError>);
    let save = crate::components::act(move |_: &()| {
        let body = MePatch {
            civility: Civility::parse(&civility.get_untracked()),
            first_name: Some(first_name.get_untracked().trim().to_string()),
            last_name: Some(last_name.get_untracked().trim().to_string()),
            // An empty string removes the phone number.
            phone: Some(phone.get_untracked().trim().to_string()),
            locale: None,
            sms_reminders: None,
            qualification: consults.then(|| qualification.get_untracked().trim().to_string()),
        };
        async move {
            error.set(None);
            match api.patch_me(&body).await {
                Ok(_) => toasts.show(i.t().saved),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="details-title">
            <h2 id="details-title">{move || i.t().details_title}</h2>
            <p>{move || i.t().email} " : " <strong data-testid="profile-email">{email}</strong></p>
            <form class="form" on:submit=move |ev| {
                no_reload(&ev);
                save.dispatch(());
            } novalidate data-testid="profile-form">
                <FormError error/>
                <SelectField id="profile-civility" label=move || i.t().civility value=civility options=vec![
                    ("", (move || i.t().civility_none).into()),
                    ("mme", (move || i.t().civility_mme).into()),
                    ("m", (move || i.t().civility_m).into()),
                ]/>
                <TextField id="profile-first-name" label=move || i.t().first_name value=first_name autocomplete="given-name"
                    required=true error=field_error(error, "first_name") testid="profile-first-name"/>
                <TextField id="profile-last-name" label=move || i.t().last_name value=last_name autocomplete="family-name"
                    required=true error=field_error(error, "last_name") testid="profile-last-name"/>
                <TextField id="profile-phone" label=move || i.t().phone value=phone kind="tel" autocomplete="tel"
                    error=field_error(error, "phone") testid="profile-phone"/>
                {consults.then(|| view! {
                    <TextField id="profile-qualification" label=move || i.t().qualification value=qualification
                        hint=move || i.t().qualification_hint error=field_error(error, "qualification")
                        testid="profile-qualification"/>
                })}
                <Button submit=true busy=save.pending() testid="profile-save">{move || i.t().save}</Button>
            </form>
        </section>
    }
}
