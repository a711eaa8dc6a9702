//! The facts tab: the dated facts the workflow's gates check, and recording one.

use boussole_shared::bilans::{FactKind, NewFact};
use leptos::prelude::*;
use uuid::Uuid;

use crate::pages::bilans::*;
use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::*,
    i18n::use_i18n,
    pages::no_reload,
};

#[component]
pub fn FactsPanel(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let facts = crate::components::loader(move || {
        version.track();
        async move { api.facts(id).await.map(Data::Facts) }
    });
    let kind = RwSignal::new(FactKind::PreContractInfo.as_str().to_string());
    let date = RwSignal::new(date_iso(today_paris()));
    let date_err = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let add = crate::components::act(move |_: &()| {
        let d = parse_date(&date.get_untracked());
        date_err.set(d.is_none().then(|| i.t().err_date.to_string()));
        let body = d
            .zip(FactKind::parse(&kind.get_untracked()))
            .map(|(occurred_on, kind)| NewFact { kind, occurred_on });
        async move {
            let Some(body) = body else { return };
            error.set(None);
            match api.create_fact(id, &body).await {
                Ok(_) => {
                    toasts.show(i.t().fact_added);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        add.dispatch(());
    };
    let server_date_err = field_error(error, "occurred_on");
    let options: Vec<(&'static str, TextProp)> = FactKind::ALL
        .iter()
        .map(|k| {
            let k = *k;
            (k.as_str(), TextProp::from(move || fact_label(i.t(), k)))
        })
        .collect();
    let list = view! {
        <Loaded resource=facts let:d>
            {match d {
                Data::Facts(v) if v.is_empty() => {
                    view! { <EmptyState>{i.t().facts_empty}</EmptyState> }.into_any()
                }
                Data::Facts(v) => {
                    let t = i.t();
                    let caption = t.facts_caption.replace("{n}", &v.len().to_string());
                    let rows = v
                        .into_iter()
                        .map(|f| {
                            (
                                Some(f.kind.as_str()),
                                vec![
                                    fact_label(t, f.kind).to_string(),
                                    date_fr(f.occurred_on),
                                    paris_fr(f.recorded_at),
                                ],
                            )
                        })
                        .collect();
                    view! {
                        <TextTable label=t.tab_facts caption rows testid="facts-table" row_testid="fact-row"
                            headers=vec![t.fact_kind, t.fact_date, t.fact_recorded_at]/>
                    }
                    .into_any()
                }
                _ => ().into_any(),
            }}
        </Loaded>
    };
    view! {
        {list}
        <section class="card" aria-labelledby="fait-ajout">
            <h2 id="fait-ajout">{move || i.t().fact_add}</h2>
            <form class="form" on:submit=submit novalidate data-testid="fact-form">
                <FormError error testid="fact-error"/>
                <SelectField id="fact-kind" label=move || i.t().fact_kind value=kind testid="fact-kind" options/>
                <TextField id="fact-date" label=move || i.t().fact_date value=date kind="date" required=true
                    error=Signal::derive(move || date_err.get().or_else(|| server_date_err.get())) testid="fact-date"/>
                <Button submit=true busy=add.pending() testid="fact-submit">{move || i.t().fact_submit}</Button>
            </form>
        </section>
    }
}
