//! `/consultant`: the consultant's portfolio, the bilans assigned to them with their alerts.

use boussole_shared::bilans::{Bilan, BilanStatus};
use leptos::prelude::*;

use crate::{
    api::use_api,
    components::*,
    i18n::use_i18n,
    pages::bilans::{Data, alerts, funding_label, hours, person, status_label, status_tone},
};

const PER_PAGE: i64 = 20;

#[component]
pub fn Home() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let status = RwSignal::new(String::new());
    let page = RwSignal::new(1_i64);
    // A new filter starts again from the first page.
    Effect::new(move || {
        status.track();
        page.set(1);
    });
    let list = LocalResource::new(move || {
        let (s, p) = (BilanStatus::parse(&status.get()), page.get());
        async move { api.bilans(p, PER_PAGE, s).await.map(Data::Bilans) }
    });
    let mut options: Vec<(&'static str, TextProp)> = vec![("", (move || i.t().all).into())];
    options.extend(BilanStatus::ALL.iter().map(|s| {
        let s = *s;
        (s.as_str(), TextProp::from(move || status_label(i.t(), s)))
    }));
    let row = move |b: Bilan| {
        let t = i.t();
        let name = person(&b.beneficiary);
        let alerts = alerts(t, &b);
        view! {
            <tr data-testid="portfolio-row">
                <th scope="row">
                    <a href=format!("/bilans/{}", b.id) aria-label=t.bilan_open.replace("{name}", &name) data-testid="bilan-link">
                        {name.clone()}
                    </a>
                </th>
                <td><StatusBadge tone=status_tone(b.status) label=status_label(t, b.status)/></td>
                <td>{funding_label(t, b.funding)}</td>
                <td>{t.hours_of_24.replace("{h}", &hours(b.accompaniment_minutes))}</td>
                <td data-testid="portfolio-alerts">
                    {if alerts.is_empty() {
                        view! { <span>{t.alert_none}</span> }.into_any()
                    } else {
                        view! { <ul class="alerts">{alerts.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul> }.into_any()
                    }}
                </td>
            </tr>
        }
    };
    view! {
        <Page title=move || i.t().portfolio_title>
            <div class="filters" role="search" data-testid="portfolio-filters">
                <SelectField id="portfolio-status" label=move || i.t().status value=status options testid="portfolio-status"/>
            </div>
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message(i.t(), &[])}</p> }.into_any(),
                Some(Ok(Data::Bilans(p))) if p.items.is_empty() => view! { <EmptyState>{i.t().portfolio_empty}</EmptyState> }.into_any(),
                Some(Ok(Data::Bilans(p))) => {
                    let t = i.t();
                    let total = p.total;
                    view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=t.portfolio_title>
                            <table data-testid="portfolio-table">
                                <caption>{t.portfolio_caption.replace("{n}", &total.to_string())}</caption>
                                <thead><tr>
                                    <th scope="col">{t.bilan_beneficiary}</th>
                                    <th scope="col">{t.status}</th>
                                    <th scope="col">{t.bilan_funding}</th>
                                    <th scope="col">{t.bilan_hours_used}</th>
                                    <th scope="col">{t.bilan_alerts}</th>
                                </tr></thead>
                                <tbody>{p.items.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                        <Pagination page per_page=PER_PAGE total=Signal::stored(total)/>
                    }.into_any()
                }
                Some(Ok(_)) => ().into_any(),
            }}
        </Page>
    }
}
