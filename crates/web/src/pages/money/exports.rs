//! `/admin/exports`: the accounting journal (CSV) of a period, the FEC of a year, and the journal codes
//! and account numbers both use.

use boussole_shared::money::{AccountingSettings, PeriodQuery};
use chrono::Datelike;
use leptos::prelude::*;

use super::save_file;
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::{date_iso, parse_date, today_paris},
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn Exports() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let today = today_paris();
    let first = today.with_day(1).unwrap_or(today);
    let (from, to) = (
        RwSignal::new(date_iso(first)),
        RwSignal::new(date_iso(today)),
    );
    let year = RwSignal::new(today.year().to_string());
    let error = RwSignal::new(None::<ApiError>);
    let (period_error, year_error) = (RwSignal::new(None::<String>), RwSignal::new(None::<String>));
    let csv = crate::components::act(move |period: &PeriodQuery| {
        let period = period.clone();
        async move {
            error.set(None);
            match api.accounting_csv(&period).await {
                Ok(f) => {
                    let name = f.name.unwrap_or_else(|| {
                        format!(
                            "journal-{}-{}.csv",
                            date_iso(period.from),
                            date_iso(period.to)
                        )
                    });
                    save_file(&f.bytes, "text/csv", &name);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let fec = crate::components::act(move |year: &i32| {
        let year = *year;
        async move {
            error.set(None);
            match api.fec(year).await {
                Ok(f) => {
                    let name = f.name.unwrap_or_else(|| format!("FEC{year}1231.txt"));
                    save_file(&f.bytes, "text/plain", &name);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let on_csv = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        match (
            parse_date(&from.get_untracked()),
            parse_date(&to.get_untracked()),
        ) {
            (Some(from), Some(to)) if from <= to => {
                period_error.set(None);
                csv.dispatch(PeriodQuery { from, to });
            }
            _ => period_error.set(Some(i.t().money.period_invalid.to_string())),
        }
    };
    let on_fec = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        match year.get_untracked().trim().parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => {
                year_error.set(None);
                fec.dispatch(y);
            }
            _ => year_error.set(Some(i.t().err_fields.to_string())),
        }
    };
    view! {
        <Page title=move || i.t().money.exports_title help="exports">
            <p>{move || i.t().money.exports_intro}</p>
            <FormError error testid="exports-error"/>
            <section class="card" aria-labelledby="export-journal">
                <h2 id="export-journal">{move || i.t().money.journal_title}</h2>
                <p class="hint">{move || i.t().money.journal_hint}</p>
                <form class="form" novalidate data-testid="csv-form" on:submit=on_csv>
                    <TextField id="export-from" label=move || i.t().money.period_from value=from kind="date"
                        testid="export-from"/>
                    <TextField id="export-to" label=move || i.t().money.period_to value=to kind="date"
                        error=period_error testid="export-to"/>
                    <Button submit=true busy=csv.pending() testid="export-csv">{move || i.t().money.download_csv}</Button>
                </form>
            </section>
            <section class="card" aria-labelledby="export-fec">
                <h2 id="export-fec">{move || i.t().money.fec_title}</h2>
                <p class="hint">{move || i.t().money.fec_hint}</p>
                <form class="form" novalidate data-testid="fec-form" on:submit=on_fec>
                    <TextField id="export-year" label=move || i.t().money.year value=year kind="number"
                        error=year_error testid="export-year"/>
                    <Button submit=true busy=fec.pending() testid="export-fec">{move || i.t().money.download_fec}</Button>
                </form>
            </section>
            <SettingsForm/>
        </Page>
    }
}

/// The text settings, in the order of the form.
const FIELDS: [&str; 7] = [
    "sales_journal",
    "bank_journal",
    "sales_account",
    "customer_account",
    "bank_account",
    "vat_account",
    "late_penalty_rate",
];

fn text_of<'a>(s: &'a mut AccountingSettings, field: &str) -> Option<&'a mut String> {
    Some(match field {
        "sales_journal" => &mut s.sales_journal,
        "bank_journal" => &mut s.bank_journal,
        "sales_account" => &mut s.sales_account,
        "customer_account" => &mut s.customer_account,
        "bank_account" => &mut s.bank_account,
        "vat_account" => &mut s.vat_account,
        "late_penalty_rate" => &mut s.late_penalty_rate,
        _ => return None,
    })
}

/// The journals and accounts of the exports, and whether consultants see amounts.
#[component]
fn SettingsForm() -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let values: [RwSignal<String>; 7] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let see_amounts = RwSignal::new(true);
    let error = RwSignal::new(None::<ApiError>);
    let loaded = crate::components::loader(move || async move { api.accounting_settings().await });
    crate::components::effect(move |_| {
        if let Some(Ok(mut s)) = loaded.get() {
            for (field, v) in FIELDS.iter().zip(values) {
                v.set(text_of(&mut s, field).cloned().unwrap_or_default());
            }
            see_amounts.set(s.consultants_see_amounts);
        }
    });
    let save = crate::components::act(move |_: &()| {
        let mut body = AccountingSettings {
            consultants_see_amounts: see_amounts.get_untracked(),
            ..Default::default()
        };
        for (field, v) in FIELDS.iter().zip(values) {
            if let Some(t) = text_of(&mut body, field) {
                *t = v.get_untracked().trim().to_string();
            }
        }
        async move {
            error.set(None);
            match api.put_accounting_settings(&body).await {
                Ok(_) => toasts.show(i.t().saved),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let label = move |field: &str| {
        let m = i.t().money;
        match field {
            "sales_journal" => m.sales_journal,
            "bank_journal" => m.bank_journal,
            "sales_account" => m.sales_account,
            "customer_account" => m.customer_account,
            "bank_account" => m.bank_account,
            "vat_account" => m.vat_account,
            _ => m.late_penalty_rate,
        }
    };
    let fields = FIELDS
        .iter()
        .zip(values)
        .map(|(&field, value)| {
            view! { <TextField id=field label=move || label(field) value error=field_error(error, field)/> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="export-settings">
            <h2 id="export-settings">{move || i.t().money.settings_title}</h2>
            {move || match loaded.get() {
                None => Some(view! { <Loading/> }.into_any()),
                Some(Err(error)) => Some(view! { <LoadError error/> }.into_any()),
                Some(Ok(_)) => None,
            }}
            <form class="form" novalidate data-testid="accounting-form" on:submit=move |ev| {
                no_reload(&ev);
                save.dispatch(());
            }>
                <FormError error testid="accounting-error"/>
                {fields}
                <Checkbox id="consultants_see_amounts" label=move || i.t().money.consultants_see_amounts
                    checked=see_amounts/>
                <Button submit=true busy=save.pending() testid="accounting-save">{move || i.t().save}</Button>
            </form>
        </section>
    }
}
