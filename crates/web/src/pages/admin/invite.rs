//! The dialog where an admin invites a consultant or another admin.

use boussole_shared::users::{Civility, NewInvitation, Role};
use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn InviteDialog(open: RwSignal<bool>, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let [email, first_name, last_name, civility] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let role = RwSignal::new("consultant".to_string());
    let error = RwSignal::new(None::<ApiError>);
    let submit = crate::components::act(move |_: &()| {
        let body = NewInvitation {
            email: email.get_untracked().trim().to_string(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::Consultant),
            civility: Civility::parse(&civility.get_untracked()),
            first_name: first_name.get_untracked().trim().to_string(),
            last_name: last_name.get_untracked().trim().to_string(),
        };
        async move {
            error.set(None);
            match api.invite(&body).await {
                Ok(inv) => {
                    toasts.show(i.t().invite_sent.replace("{email}", &inv.user.email));
                    for s in [email, first_name, last_name, civility] {
                        s.set(String::new());
                    }
                    open.set(false);
                    on_done.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <Dialog id="invite" open title=move || i.t().invite_title testid="invite-dialog">
            <form class="form" on:submit=move |ev| {
                no_reload(&ev);
                submit.dispatch(());
            } novalidate data-testid="invite-form">
                <p class="note">{move || i.t().required_note}</p>
                <FormError error testid="invite-error"/>
                <TextField id="invite-email" label=move || i.t().email value=email kind="email" required=true
                    error=field_error(error, "email") testid="invite-email"/>
                <SelectField id="invite-role" label=move || i.t().role value=role error=field_error(error, "role")
                    testid="invite-role" options=vec![
                        ("consultant", (move || i.t().role_consultant).into()),
                        ("admin", (move || i.t().role_admin).into()),
                    ]/>
                <SelectField id="invite-civility" label=move || i.t().civility value=civility testid="invite-civility" options=vec![
                    ("", (move || i.t().civility_none).into()),
                    ("mme", (move || i.t().civility_mme).into()),
                    ("m", (move || i.t().civility_m).into()),
                ]/>
                <TextField id="invite-first-name" label=move || i.t().first_name value=first_name required=true
                    error=field_error(error, "first_name") testid="invite-first-name"/>
                <TextField id="invite-last-name" label=move || i.t().last_name value=last_name required=true
                    error=field_error(error, "last_name") testid="invite-last-name"/>
                <Button submit=true busy=submit.pending() testid="invite-submit">{move || i.t().invite_submit}</Button>
            </form>
        </Dialog>
    }
}
