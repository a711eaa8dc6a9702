//! The timeline tab: every event of the bilan, in words.

use leptos::prelude::*;
use uuid::Uuid;

use crate::pages::bilans::*;
use crate::{
    api::use_api,
    components::*,
    dates::*,
    i18n::{Strings, use_i18n},
};

fn event_details(t: &Strings, e: &TimelineEvent) -> String {
    let d = &e.details;
    let s = |k: &str| d.get(k).and_then(|v| v.as_str()).map(str::to_string);
    match e.kind.as_str() {
        "transition" => {
            let st = |k: &str| {
                s(k).and_then(|v| BilanStatus::parse(&v))
                    .map(|v| status_label(t, v).to_string())
                    .unwrap_or_default()
            };
            format!("{} → {}", st("from"), st("to"))
        }
        "fact" => format!(
            "{} ({})",
            s("kind")
                .and_then(|k| FactKind::parse(&k))
                .map(|k| fact_label(t, k))
                .unwrap_or_default(),
            s("occurred_on")
                .and_then(|d| parse_date(&d))
                .map(date_fr)
                .unwrap_or_default()
        ),
        "session" => format!(
            "{}, {} — {}",
            s("kind")
                .and_then(|k| SessionKind::parse(&k))
                .map(|k| session_kind_label(t, k))
                .unwrap_or_default(),
            s("phase")
                .and_then(|k| Phase::parse(&k))
                .map(|k| phase_label(t, k))
                .unwrap_or_default(),
            hours(d.get("minutes").and_then(|v| v.as_i64()).unwrap_or(0))
        ),
        "consent" => s("kind")
            .and_then(|k| boussole_shared::bilans::ConsentKind::parse(&k))
            .map(|k| consent_kind_label(t, k).to_string())
            .unwrap_or_default(),
        "note" => s("phase")
            .and_then(|k| Phase::parse(&k))
            .map(|k| phase_label(t, k).to_string())
            .unwrap_or_default(),
        "created" => s("funding")
            .and_then(|k| boussole_shared::bilans::FundingMode::parse(&k))
            .map(|k| funding_label(t, k).to_string())
            .unwrap_or_default(),
        "retention" => s("until")
            .and_then(|d| parse_datetime(&d))
            .map(paris_fr)
            .unwrap_or_default(),
        "document" => format!(
            "{} (v{})",
            s("kind")
                .and_then(|k| boussole_shared::documents::DocumentKind::parse(&k))
                .map(|k| crate::pages::documents::kind_label(t.docs, k))
                .unwrap_or_default(),
            d.get("version").and_then(|v| v.as_i64()).unwrap_or(0)
        ),
        // The consultant's name, so that the beneficiary knows who follows their bilan now.
        "assignment" => s("consultant_name").unwrap_or_default(),
        // Withdrawals carry only ids: the event's name says it all.
        _ => String::new(),
    }
}

#[component]
pub fn TimelinePanel(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let events = crate::components::loader(move || {
        version.track();
        async move { api.timeline(id).await.map(Data::Timeline) }
    });
    view! {
        <Loaded resource=events let:d>
            {match d {
                Data::Timeline(v) if v.is_empty() => {
                    view! { <EmptyState>{i.t().timeline_empty}</EmptyState> }.into_any()
                }
                Data::Timeline(v) => {
                    let t = i.t();
                    let caption = t.timeline_caption.replace("{n}", &v.len().to_string());
                    let rows = v
                        .into_iter()
                        .map(|e| {
                            (
                                None,
                                vec![
                                    paris_fr(e.at),
                                    event_label(t, &e.kind),
                                    event_details(t, &e),
                                ],
                            )
                        })
                        .collect();
                    view! {
                        <TextTable label=t.tab_timeline caption rows testid="timeline-table" row_testid="timeline-row"
                            headers=vec![t.timeline_at, t.timeline_event, t.timeline_details]/>
                    }.into_any()
                }
                _ => ().into_any(),
            }}
        </Loaded>
    }
}
