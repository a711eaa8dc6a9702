//! `/consultant`: the consultant's portfolio, the bilans assigned to them with their alerts, filtered by
//! status, phase, funding, hours and days without contact.

mod filters;

use boussole_shared::bilans::{Bilan, BilanStatus, FundingMode, Phase};
use leptos::prelude::*;

use crate::{
    api::use_api,
    components::*,
    dates::{date_fr, now_utc, paris_day},
    i18n::use_i18n,
    pages::bilans::{
        Data, alerts, funding_label, hours, person, phase_label, status_label, status_tone,
    },
};
use filters::{BELOW_MIN, CONTACT_THRESHOLDS, IN_PROGRESS, NEAR_MAX, PortfolioFilter};

/// One page of the largest size the API gives. A consultant carries a few dozen bilans at most, so this
/// is the whole portfolio and the filters run here, in the browser (the API filters status and funding
/// only); past 100 bilans the page says that only the first 100 are filtered.
const PER_PAGE: i64 = 100;

#[component]
pub fn Home() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let [status, phase, funding, hours_f, contact] =
        std::array::from_fn(|_| RwSignal::new(String::new()));
    let filter = Memo::new(move |_| PortfolioFilter {
        status: status.get(),
        phase: phase.get(),
        funding: funding.get(),
        hours: hours_f.get(),
        no_contact_days: contact.get(),
    });
    let list = crate::components::loader(move || async move {
        api.bilans(1, PER_PAGE, None).await.map(Data::Bilans)
    });
    let all = move || TextProp::from(move || i.t().all);
    let options = |pairs: Vec<(&'static str, TextProp)>| {
        let mut v = vec![("", all())];
        v.extend(pairs);
        v
    };
    let status_options = options(
        [
            BilanStatus::Request,
            BilanStatus::Completed,
            BilanStatus::Closed,
            BilanStatus::Abandoned,
        ]
        .into_iter()
        .map(|s| (s.as_str(), TextProp::from(move || status_label(i.t(), s))))
        .chain([(
            IN_PROGRESS,
            TextProp::from(move || i.t().status_in_progress),
        )])
        .collect(),
    );
    let phase_options = options(
        Phase::ALL
            .iter()
            .map(|p| {
                let p = *p;
                (p.as_str(), TextProp::from(move || phase_label(i.t(), p)))
            })
            .collect(),
    );
    let funding_options = options(
        FundingMode::ALL
            .iter()
            .map(|f| {
                let f = *f;
                (f.as_str(), TextProp::from(move || funding_label(i.t(), f)))
            })
            .collect(),
    );
    let hours_options = options(vec![
        (NEAR_MAX, (move || i.t().filter_near_max).into()),
        (BELOW_MIN, (move || i.t().filter_below_min).into()),
    ]);
    let contact_options = options(
        CONTACT_THRESHOLDS
            .into_iter()
            .map(|n| {
                (
                    n,
                    TextProp::from(move || i.t().filter_no_contact.replace("{n}", n)),
                )
            })
            .collect(),
    );
    view! {
        <Page title=move || i.t().portfolio_title help="portefeuille">
            <div class="filters" role="search" aria-label=move || i.t().portfolio_filters data-testid="portfolio-filters">
                <SelectField id="portfolio-status" label=move || i.t().status value=status options=status_options testid="portfolio-status"/>
                <SelectField id="portfolio-phase" label=move || i.t().phase_label value=phase options=phase_options testid="portfolio-phase"/>
                <SelectField id="portfolio-funding" label=move || i.t().bilan_funding value=funding options=funding_options testid="portfolio-funding"/>
                <SelectField id="portfolio-hours" label=move || i.t().filter_hours value=hours_f options=hours_options testid="portfolio-hours"/>
                <SelectField id="portfolio-contact" label=move || i.t().filter_contact value=contact options=contact_options testid="portfolio-contact"/>
            </div>
            <Loaded resource=list let:d>
                {match d {
                    Data::Bilans(p) => {
                        // The table reads the strings once: a change of language redraws it.
                        i.locale.track();
                        let now = now_utc();
                        let f = filter.get();
                        let total = p.total;
                        let truncated = total > p.items.len() as i64;
                        let shown: Vec<Bilan> = p.items.into_iter().filter(|b| f.matches(b, now)).collect();
                        view! {
                            {truncated.then(|| view! { <p class="notice">{i.t().portfolio_truncated.replace("{n}", &PER_PAGE.to_string())}</p> })}
                            <PortfolioTable bilans=shown total/>
                        }.into_any()
                    }
                    _ => ().into_any(),
                }}
            </Loaded>
        </Page>
    }
}

#[component]
fn PortfolioTable(bilans: Vec<Bilan>, total: i64) -> impl IntoView {
    let i = use_i18n();
    let t = i.t();
    if bilans.is_empty() {
        return view! { <EmptyState>{t.portfolio_empty}</EmptyState> }.into_any();
    }
    let now = now_utc();
    let caption = t
        .portfolio_caption
        .replace("{shown}", &bilans.len().to_string())
        .replace("{n}", &total.to_string());
    let row = move |b: Bilan| {
        let name = person(&b.beneficiary);
        let alerts = alerts(t, &b, now);
        view! {
            <tr data-testid="portfolio-row">
                <th scope="row">
                    <a href=format!("/bilans/{}", b.id) aria-label=t.bilan_open.replace("{name}", &name) data-testid="bilan-link">
                        {name.clone()}
                    </a>
                </th>
                <td data-label=t.status><StatusBadge tone=status_tone(b.status) label=status_label(t, b.status)/></td>
                <td data-label=t.bilan_funding>{funding_label(t, b.funding)}</td>
                <td data-label=t.bilan_hours_used>{t.hours_of_24.replace("{h}", &hours(b.accompaniment_minutes))}</td>
                <td data-label=t.last_contact>{b.last_contact_at.map(paris_day).unwrap_or_else(|| t.never.to_string())}</td>
                <td data-label=t.planned_end>{b.planned_end_on.map(date_fr).unwrap_or_else(|| "—".to_string())}</td>
                <td data-label=t.bilan_alerts data-testid="portfolio-alerts">
                    {if alerts.is_empty() {
                        view! { <span>{t.alert_none}</span> }.into_any()
                    } else {
                        view! {
                            <ul class="alerts">
                                {alerts.into_iter().map(|(kind, a)| view! { <li data-alert=kind>{a}</li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </td>
            </tr>
        }
    };
    view! {
        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=t.portfolio_title>
            <table data-testid="portfolio-table">
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">{t.bilan_beneficiary}</th>
                    <th scope="col">{t.status}</th>
                    <th scope="col">{t.bilan_funding}</th>
                    <th scope="col">{t.bilan_hours_used}</th>
                    <th scope="col">{t.last_contact}</th>
                    <th scope="col">{t.planned_end}</th>
                    <th scope="col">{t.bilan_alerts}</th>
                </tr></thead>
                <tbody>{bilans.into_iter().map(row).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}
