//! "Nouveau bénéficiaire" on the admin's records: the account is created without a password and the
//! beneficiary is invited to choose one; an address (or a CRM id) already a beneficiary's leads to
//! their record instead of a duplicate.

use boussole_shared::bilans::{Employer, NewBeneficiary, Situation};
use leptos::prelude::*;
use uuid::Uuid;

use super::situation_label;
use crate::{
    api::{ApiError, Created, use_api},
    components::*,
    i18n::use_i18n,
    pages::no_reload,
};

fn trimmed(s: RwSignal<String>) -> String {
    s.get_untracked().trim().to_string()
}

fn opt(s: RwSignal<String>) -> Option<String> {
    Some(trimmed(s)).filter(|s| !s.is_empty())
}

/// The dialog; `created` runs after a creation (the list reloads).
#[component]
pub fn NewBeneficiaryDialog(open: RwSignal<bool>, created: Callback<()>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let [first, last, email, employer, external] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let situation = RwSignal::new(Situation::Other.as_str().to_string());
    let error = RwSignal::new(None::<ApiError>);
    // Some(id) once the API said the beneficiary exists (None inside: it did not say who).
    let exists = RwSignal::new(None::<Option<Uuid>>);
    crate::components::effect(move |_| {
        if open.get() {
            error.set(None);
            exists.set(None);
        }
    });
    let save = crate::components::act(move |_: &()| {
        let body = NewBeneficiary {
            email: trimmed(email),
            civility: None,
            first_name: trimmed(first),
            last_name: trimmed(last),
            phone: None,
            locale: None,
            date_of_birth: None,
            situation: Situation::parse(&situation.get_untracked()).unwrap_or(Situation::Other),
            current_job: None,
            education_level: None,
            employer: opt(employer).map(|name| Employer {
                name,
                siret: None,
                contact: None,
            }),
            cep_adviser: None,
            external_ref: opt(external),
        };
        async move {
            error.set(None);
            exists.set(None);
            match api.create_beneficiary(&body).await {
                Ok(Created::New(p)) => {
                    toasts.show(i.t().integ.beneficiary_created.replace("{email}", &p.email));
                    for s in [first, last, email, employer, external] {
                        s.set(String::new());
                    }
                    open.set(false);
                    created.run(());
                }
                Ok(Created::Exists(id)) => {
                    exists.set(Some(id));
                    focus_later("beneficiaire-existe");
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let situations: Vec<(&'static str, TextProp)> = Situation::ALL
        .iter()
        .map(|s| {
            let s = *s;
            (
                s.as_str(),
                TextProp::from(move || situation_label(i.t(), s)),
            )
        })
        .collect();
    view! {
        <Dialog id="nouveau-beneficiaire" open title=move || i.t().integ.new_beneficiary testid="new-beneficiary-dialog">
            <form class="form" novalidate data-testid="new-beneficiary-form" on:submit=move |ev| {
                no_reload(&ev);
                save.dispatch(());
            }>
                <p class="hint">{move || i.t().integ.new_beneficiary_hint}</p>
                <FormError error testid="new-beneficiary-error"/>
                {move || exists.get().map(|id| view! {
                    <div class="form-error" id="beneficiaire-existe" tabindex="-1" role="alert" data-testid="new-beneficiary-exists">
                        {i.t().integ.beneficiary_exists}" "
                        {id.map(|id| view! {
                            <a href=format!("/admin/beneficiaires/{id}") data-testid="new-beneficiary-existing">{i.t().integ.open_existing}</a>
                        })}
                    </div>
                })}
                <TextField id="nb-first" label=move || i.t().integ.first_name value=first required=true
                    autocomplete="off" error=field_error(error, "first_name") testid="new-beneficiary-first"/>
                <TextField id="nb-last" label=move || i.t().integ.last_name value=last required=true
                    autocomplete="off" error=field_error(error, "last_name") testid="new-beneficiary-last"/>
                <TextField id="nb-email" label=move || i.t().email value=email kind="email" required=true
                    autocomplete="off" error=field_error(error, "email") testid="new-beneficiary-email"/>
                <SelectField id="nb-situation" label=move || i.t().record_situation value=situation
                    options=situations error=field_error(error, "situation") testid="new-beneficiary-situation"/>
                <TextField id="nb-employer" label=move || i.t().record_employer_name value=employer
                    error=field_error(error, "employer.name") testid="new-beneficiary-employer"/>
                <TextField id="nb-ref" label=move || i.t().integ.external_ref value=external
                    hint=move || i.t().integ.external_ref_hint error=field_error(error, "external_ref") testid="new-beneficiary-ref"/>
                <Button submit=true busy=save.pending() testid="new-beneficiary-submit">{move || i.t().integ.create}</Button>
            </form>
        </Dialog>
    }
}
