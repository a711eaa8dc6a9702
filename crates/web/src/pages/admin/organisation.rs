//! `/admin/organisme`: the organisation's identity as its documents print it (issue 12). Blank fields
//! may be saved; the API checks the SIRET and the activity declaration number when filled.

use boussole_shared::documents::OrganisationIdentity;
use leptos::prelude::*;

use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::{DocStrings, Strings, use_i18n},
    pages::{
        money::{parse_euros, show_euros},
        no_reload,
    },
};

/// The text fields, by section, in the order of the form; `true` for a multi-line one.
const SECTIONS: [&[(&str, bool)]; 5] = [
    &[
        ("name", false),
        ("address", true),
        ("city", false),
        ("siret", false),
    ],
    &[
        ("nda", false),
        ("nda_region", false),
        ("qualiopi_certificate", false),
        ("qualiopi_certifier", false),
    ],
    &[
        ("representative_name", false),
        ("representative_title", false),
        ("disability_referent_name", false),
        ("disability_referent_contact", false),
        ("contact", false),
        ("dpo_contact", false),
    ],
    &[
        ("payment_terms", true),
        ("cancellation_terms", true),
        ("reglement_interieur", true),
    ],
    &[
        ("legal_form", false),
        ("share_capital", false),
        ("rcs_city", false),
        ("vat_number", false),
    ],
];

/// The label of a field: the documents' words, or the invoices' for the mentions only they print.
fn label_for(t: &Strings, field: &str) -> &'static str {
    let m = t.money;
    match field {
        "legal_form" => m.legal_form,
        "share_capital" => m.share_capital,
        "rcs_city" => m.rcs_city,
        "vat_number" => m.org_vat_number,
        _ => t.docs.label(field),
    }
}

/// The hint under a field, for the two that need one.
fn hint_for(field: &str) -> Option<fn(&DocStrings) -> &'static str> {
    match field {
        "address" => Some(|d| d.address_hint),
        "nda" => Some(|d| d.nda_hint),
        _ => None,
    }
}

fn fields() -> impl Iterator<Item = &'static str> {
    SECTIONS.iter().flat_map(|s| s.iter().map(|f| f.0))
}

fn show_price(cents: Option<i64>) -> String {
    cents.map_or_else(String::new, show_euros)
}

#[component]
pub fn Organisation() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let values: Vec<(&'static str, RwSignal<String>)> = fields()
        .map(|f| (f, RwSignal::new(String::new())))
        .collect();
    let values = StoredValue::new(values);
    let vat_exempt = RwSignal::new(false);
    let price = RwSignal::new(String::new());
    let price_local = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let signal = move |field: &str| {
        values.with_value(|v| v.iter().find(|(f, _)| *f == field).map(|(_, s)| *s))
    };
    let loaded = crate::components::loader(move || async move { api.organisation().await });
    crate::components::effect(move |_| match loaded.get() {
        Some(Ok(org)) => {
            let json = serde_json::to_value(&org).unwrap_or_default();
            values.with_value(|v| {
                for (field, s) in v {
                    s.set(json[*field].as_str().unwrap_or_default().to_string());
                }
            });
            vat_exempt.set(org.vat_exempt);
            price.set(show_price(org.price_cents));
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let save = crate::components::act(move |price_cents: &Option<i64>| {
        let mut json = serde_json::Map::new();
        values.with_value(|v| {
            for (field, s) in v {
                json.insert((*field).into(), s.get_untracked().into());
            }
        });
        json.insert("vat_exempt".into(), vat_exempt.get_untracked().into());
        json.insert("price_cents".into(), (*price_cents).into());
        let body: Option<OrganisationIdentity> = crate::api::from_value(json.into());
        async move {
            error.set(None);
            let Some(body) = body else { return };
            match api.put_organisation(&body).await {
                Ok(_) => toasts.show(i.t().saved),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let server_price = field_error(error, "price_cents");
    let price_error = Signal::derive(move || price_local.get().or_else(|| server_price.get()));
    let section = move |n: usize| {
        SECTIONS[n]
            .iter()
            .filter_map(|&(field, multi)| {
                let value = signal(field)?;
                let label = move || label_for(i.t(), field);
                let err = field_error(error, field);
                Some(match (multi, hint_for(field)) {
                    (true, Some(h)) => view! { <TextArea id=field label value hint=move || h(i.t().docs) error=err/> }.into_any(),
                    (true, None) => view! { <TextArea id=field label value error=err/> }.into_any(),
                    (false, Some(h)) => view! { <TextField id=field label value hint=move || h(i.t().docs) error=err/> }.into_any(),
                    (false, None) => view! { <TextField id=field label value error=err/> }.into_any(),
                })
            })
            .collect_view()
    };
    view! {
        <Page title=move || i.t().docs.org_title help="organisme">
            <Show when=move || loaded.get().is_some() fallback=|| view! { <Loading/> }>
                <form class="form" novalidate on:submit=move |ev| {
                    no_reload(&ev);
                    match parse_euros(&price.get_untracked()) {
                        Ok(cents) => {
                            price_local.set(None);
                            save.dispatch(cents);
                        }
                        Err(()) => price_local.set(Some(i.t().docs.price_invalid.to_string())),
                    }
                } data-testid="organisation-form">
                    <p>{move || i.t().docs.org_intro}</p>
                    <FormError error/>
                    <h2>{move || i.t().docs.org_identity}</h2>
                    {section(0)}
                    <p class="hint">{move || i.t().docs.logo_later}</p>
                    <h2>{move || i.t().docs.org_certification}</h2>
                    {section(1)}
                    <Checkbox id="vat_exempt" label=move || i.t().docs.vat_exempt checked=vat_exempt/>
                    <h2>{move || i.t().docs.org_people}</h2>
                    {section(2)}
                    <h2>{move || i.t().docs.org_offer}</h2>
                    <TextField id="price" label=move || i.t().docs.price value=price
                        hint=move || i.t().docs.price_hint error=price_error testid="organisation-price"/>
                    {section(3)}
                    <h2>{move || i.t().money.org_invoicing}</h2>
                    {section(4)}
                    <Button submit=true busy=save.pending() testid="organisation-save">{move || i.t().save}</Button>
                </form>
            </Show>
        </Page>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_show_as_typed() {
        assert_eq!(show_price(None), "");
        assert_eq!(show_price(Some(180_050)), "1800,50");
    }

    #[test]
    fn every_field_has_a_label_in_both_languages() {
        for t in [&crate::i18n::FR, &crate::i18n::EN] {
            for f in fields() {
                assert!(!label_for(t, f).is_empty(), "{f}");
            }
        }
    }
}
