//! A beneficiary's record as a form (an admin, or the beneficiary), or as a list of facts (a consultant,
//! who may read it but not change it). Only what has a direct link with the bilan (L6313-4).

use boussole_shared::bilans::{BeneficiaryProfile, BeneficiaryProfileUpdate, Employer, Situation};
use leptos::prelude::*;
use uuid::Uuid;

use super::situation_label;
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::{date_fr, date_iso, parse_date},
    i18n::use_i18n,
    pages::no_reload,
};

/// Who edits the record: the API lets an admin change the administrative fields only, and only the
/// beneficiary records accessibility needs, with their explicit consent.
#[derive(Clone, Copy, PartialEq)]
pub enum Editor {
    Admin,
    Beneficiary,
}

/// A trimmed input, None when empty.
fn opt(s: RwSignal<String>) -> Option<String> {
    Some(s.get_untracked().trim().to_string()).filter(|s| !s.is_empty())
}

/// A SIRET as typed ("732 829 320 00074") without its spaces; the API checks the digits and the key.
pub fn clean_siret(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[component]
pub fn RecordForm(profile: BeneficiaryProfile, editor: Editor) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let id: Uuid = profile.person.id;
    let text = |v: Option<String>| RwSignal::new(v.unwrap_or_default());
    let dob = text(profile.date_of_birth.map(date_iso));
    let situation = RwSignal::new(profile.situation.as_str().to_string());
    let job = text(profile.current_job);
    let education = text(profile.education_level);
    let employer = profile.employer.clone();
    let employer_name = text(employer.as_ref().map(|e| e.name.clone()));
    let siret = text(employer.as_ref().and_then(|e| e.siret.clone()));
    let contact = text(employer.and_then(|e| e.contact));
    let cep = text(profile.cep_adviser);
    let consent = RwSignal::new(profile.accessibility_consent);
    let needs = text(profile.accessibility_needs);
    let (dob_err, employer_err) = (RwSignal::new(None::<String>), RwSignal::new(None::<String>));
    let error = RwSignal::new(None::<ApiError>);
    let save = crate::components::act(move |_: &()| {
        let dob_text = dob.get_untracked();
        let birth = (!dob_text.trim().is_empty()).then(|| parse_date(&dob_text));
        dob_err.set(matches!(birth, Some(None)).then(|| i.t().err_date.to_string()));
        let siret = opt(siret).map(|s| clean_siret(&s));
        let employer = opt(employer_name);
        let orphan = employer.is_none() && (siret.is_some() || opt(contact).is_some());
        employer_err.set(orphan.then(|| i.t().record_employer_needed.to_string()));
        let consent = consent.get_untracked();
        let body = (!orphan && !matches!(birth, Some(None))).then(|| BeneficiaryProfileUpdate {
            date_of_birth: birth.flatten(),
            situation: Situation::parse(&situation.get_untracked()).unwrap_or(Situation::Other),
            current_job: opt(job),
            education_level: opt(education),
            employer: employer.map(|name| Employer {
                name,
                siret,
                contact: opt(contact),
            }),
            cep_adviser: opt(cep),
            // For an admin the API keeps both as they are; withdrawing consent erases the needs.
            accessibility_consent: consent,
            accessibility_needs: opt(needs).filter(|_| consent),
            // Absent: the API keeps the CRM's id.
            external_ref: None,
        });
        async move {
            let Some(body) = body else { return };
            error.set(None);
            match api.update_beneficiary(id, &body).await {
                Ok(p) => {
                    if !p.accessibility_consent {
                        needs.set(String::new());
                    }
                    toasts.show(i.t().record_saved);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        save.dispatch(());
    };
    let merged = move |local: RwSignal<Option<String>>, name: &'static str| {
        let server = field_error(error, name);
        Signal::derive(move || local.get().or_else(|| server.get()))
    };
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
    let accessibility = match editor {
        Editor::Beneficiary => view! {
            <fieldset class="fieldset">
                <legend>{move || i.t().record_accessibility}</legend>
                <p class="hint">{move || i.t().record_accessibility_hint}</p>
                <Checkbox id="record-consent" label=move || i.t().record_accessibility_consent checked=consent testid="record-consent"/>
                <Show when=move || consent.get()>
                    <TextArea id="record-needs" label=move || i.t().record_accessibility_needs value=needs
                        error=field_error(error, "accessibility_needs") testid="record-needs"/>
                </Show>
            </fieldset>
        }
        .into_any(),
        Editor::Admin => view! {
            <p class="note" data-testid="record-accessibility-admin">
                {move || if consent.get() { i.t().record_accessibility_given } else { i.t().record_accessibility_none }}
            </p>
        }
        .into_any(),
    };
    view! {
        <form class="form" on:submit=submit novalidate data-testid="record-form">
            <FormError error testid="record-error"/>
            <TextField id="record-dob" label=move || i.t().record_birth value=dob kind="date"
                error=merged(dob_err, "date_of_birth") testid="record-dob"/>
            <SelectField id="record-situation" label=move || i.t().record_situation value=situation
                options=situations error=field_error(error, "situation") testid="record-situation"/>
            <TextField id="record-job" label=move || i.t().record_job value=job
                error=field_error(error, "current_job") testid="record-job"/>
            <TextField id="record-education" label=move || i.t().record_education value=education
                error=field_error(error, "education_level") testid="record-education"/>
            <fieldset class="fieldset">
                <legend>{move || i.t().record_employer}</legend>
                <TextField id="record-employer" label=move || i.t().record_employer_name value=employer_name
                    error=merged(employer_err, "employer.name") testid="record-employer"/>
                <TextField id="record-siret" label=move || i.t().record_siret value=siret
                    hint=move || i.t().record_siret_hint error=field_error(error, "employer.siret") testid="record-siret"/>
                <TextField id="record-contact" label=move || i.t().record_employer_contact value=contact
                    error=field_error(error, "employer.contact") testid="record-contact"/>
            </fieldset>
            <TextField id="record-cep" label=move || i.t().record_cep value=cep
                hint=move || i.t().record_cep_hint error=field_error(error, "cep_adviser") testid="record-cep"/>
            {accessibility}
            <Button submit=true busy=save.pending() testid="record-submit">{move || i.t().save}</Button>
        </form>
    }
}

/// The record as read by a consultant: accessibility needs appear when the API gives them (the
/// beneficiary consented, and the reader is one of their consultants).
#[component]
pub fn RecordView(profile: BeneficiaryProfile) -> impl IntoView {
    let i = use_i18n();
    let t = i.t();
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    let employer = profile.employer.map(|e| {
        let mut s = e.name;
        if let Some(siret) = e.siret {
            s.push_str(&format!(" — SIRET {siret}"));
        }
        if let Some(c) = e.contact {
            s.push_str(&format!(" — {c}"));
        }
        s
    });
    let needs = match (profile.accessibility_consent, profile.accessibility_needs) {
        (true, Some(n)) => n,
        (true, None) => t.record_accessibility_empty.to_string(),
        (false, _) => t.record_accessibility_none.to_string(),
    };
    view! {
        <dl class="facts-list" data-testid="record-view">
            <dt>{t.record_birth}</dt>
            <dd>{profile.date_of_birth.map(date_fr).unwrap_or_else(|| "—".into())}</dd>
            <dt>{t.record_situation}</dt>
            <dd>{situation_label(t, profile.situation)}</dd>
            <dt>{t.record_job}</dt>
            <dd>{or_dash(profile.current_job)}</dd>
            <dt>{t.record_education}</dt>
            <dd>{or_dash(profile.education_level)}</dd>
            <dt>{t.record_employer}</dt>
            <dd>{or_dash(employer)}</dd>
            <dt>{t.record_cep}</dt>
            <dd>{or_dash(profile.cep_adviser)}</dd>
            <dt>{t.record_accessibility}</dt>
            <dd class="wrap" data-testid="record-needs-view">{needs}</dd>
        </dl>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn siret_spaces_are_dropped() {
        assert_eq!(super::clean_siret(" 732 829 320 00074 "), "73282932000074");
    }
}
