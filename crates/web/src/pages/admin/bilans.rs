//! `/admin/bilans`: every bilan with its administrative facts only; open a bilan, hand one over to
//! another consultant.

use boussole_shared::{
    bilans::{Bilan, BilanFormat, FundingMode, NewAssignment, NewBilan},
    users::{Role, User, UserFilter},
};
use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::{date_fr, parse_date},
    i18n::use_i18n,
    pages::{
        bilans::{
            Data, DataResource, consultants, format_label, funding_label, hours, person,
            status_label, status_tone,
        },
        no_reload,
    },
};

const PER_PAGE: i64 = 20;

/// Active accounts of one role, as (id, "Name (email)") choices, behind a "choose" entry.
fn people(api: crate::api::Api, role: Role) -> DataResource {
    crate::components::loader(move || async move {
        // Pickers list people by name.
        let f = UserFilter {
            role: Some(role),
            active: Some(true),
            sort: Some(boussole_shared::users::UserSort::Name),
            ..Default::default()
        };
        api.users(1, 100, &f).await.map(|p| {
            Data::People(
                p.items
                    .into_iter()
                    .map(|u: User| {
                        (
                            u.id.to_string(),
                            format!("{} {} ({})", u.first_name, u.last_name, u.email),
                        )
                    })
                    .collect(),
            )
        })
    })
}

fn with_choose(i: crate::i18n::I18n, list: DataResource) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        let mut v = vec![(String::new(), i.t().choose.to_string())];
        if let Some(Ok(Data::People(people))) = list.get() {
            v.extend(people);
        }
        v
    })
}

#[component]
pub fn Bilans() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let page = RwSignal::new(1_i64);
    let version = RwSignal::new(0_u32);
    let list = crate::components::loader(move || {
        version.track();
        let p = page.get();
        async move { api.bilans(p, PER_PAGE, None).await.map(Data::Bilans) }
    });
    let consultants_list = people(api, Role::Consultant);
    let beneficiaries = people(api, Role::Beneficiary);
    let new_open = RwSignal::new(false);
    let reassign = RwSignal::new(None::<String>);
    let reassign_name = RwSignal::new(String::new());
    let row = move |b: Bilan| {
        let t = i.t();
        let name = person(&b.beneficiary);
        let label = t.reassign_label.replace("{name}", &name);
        let open = t.bilan_open.replace("{name}", &name);
        let (bid, for_dialog) = (b.id.to_string(), name.clone());
        view! {
            <tr data-testid="admin-bilan-row">
                <th scope="row"><a href=format!("/bilans/{}", b.id) aria-label=open data-testid="bilan-link">{name.clone()}</a></th>
                <td data-label=t.bilan_consultants>{consultants(&b)}</td>
                <td data-label=t.status><StatusBadge tone=status_tone(b.status) label=status_label(t, b.status)/></td>
                <td data-label=t.bilan_funding>{funding_label(t, b.funding)}</td>
                <td data-label=t.bilan_format>{format_label(t, b.format)}</td>
                <td data-label=t.bilan_planned_hours>{format!("{} h", b.planned_hours)}</td>
                <td data-label=t.planned_end>{b.planned_end_on.map(date_fr).unwrap_or_else(|| "—".to_string())}</td>
                <td data-label=t.bilan_hours_used>{t.hours_of_24.replace("{h}", &hours(b.accompaniment_minutes))}</td>
                <td data-label=t.created_on>{crate::dates::paris_day(b.created_at)}</td>
                <td>
                    <button type="button" class="btn btn-secondary btn-small" aria-label=label
                        on:click=move |_| {
                            reassign_name.set(for_dialog.clone());
                            reassign.set(Some(bid.clone()));
                        } data-testid="reassign-open">
                        {t.reassign}
                    </button>
                </td>
            </tr>
        }
    };
    view! {
        <Page title=move || i.t().admin_bilans_title help="ouvrir-un-bilan">
            <p class="note">{move || i.t().admin_no_content}</p>
            <div class="toolbar">
                <Button on_click=move |_| new_open.set(true) testid="new-bilan-open">{move || i.t().new_bilan}</Button>
            </div>
            <Loaded resource=list let:d>
                {match d {
                    Data::Bilans(list) => view! {
                        <Paged list empty=move || i.t().admin_bilans_empty page per_page=PER_PAGE children=move |p| {
                            let t = i.t();
                            let total = p.total;
                            view! {
                                <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=t.admin_bilans_title>
                                    <table data-testid="admin-bilans-table">
                                        <caption>{t.admin_bilans_caption.replace("{n}", &total.to_string())}</caption>
                                        <thead><tr>
                                            <th scope="col">{t.bilan_beneficiary}</th>
                                            <th scope="col">{t.bilan_consultants}</th>
                                            <th scope="col">{t.status}</th>
                                            <th scope="col">{t.bilan_funding}</th>
                                            <th scope="col">{t.bilan_format}</th>
                                            <th scope="col">{t.bilan_planned_hours}</th>
                                            <th scope="col">{t.planned_end}</th>
                                            <th scope="col">{t.bilan_hours_used}</th>
                                            <th scope="col">{t.created_on}</th>
                                            <th scope="col">{t.actions}</th>
                                        </tr></thead>
                                        <tbody>{p.items.into_iter().map(row).collect_view()}</tbody>
                                    </table>
                                </div>
                            }
                        }/>
                    }.into_any(),
                    _ => ().into_any(),
                }}
            </Loaded>
            <NewBilanDialog open=new_open consultants=with_choose(i, consultants_list)
                beneficiaries=with_choose(i, beneficiaries) on_done=move |_| version.update(|v| *v += 1)/>
            <ReassignDialog bilan=reassign name=reassign_name consultants=with_choose(i, consultants_list)
                on_done=move |_| version.update(|v| *v += 1)/>
        </Page>
    }
}

#[component]
fn NewBilanDialog(
    open: RwSignal<bool>,
    consultants: Signal<Vec<(String, String)>>,
    beneficiaries: Signal<Vec<(String, String)>>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let [beneficiary, consultant] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let funding = RwSignal::new(FundingMode::Cpf.as_str().to_string());
    let format = RwSignal::new(BilanFormat::OnSite.as_str().to_string());
    let planned = RwSignal::new("24".to_string());
    let end_on = RwSignal::new(String::new());
    let end_err = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let (ben_err, con_err, hours_err) = (
        RwSignal::new(None::<String>),
        RwSignal::new(None::<String>),
        RwSignal::new(None::<String>),
    );
    let submit = crate::components::act(move |_: &()| {
        let b = Uuid::parse_str(&beneficiary.get_untracked()).ok();
        let c = Uuid::parse_str(&consultant.get_untracked()).ok();
        let h = planned
            .get_untracked()
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|h| (1..=24).contains(h));
        ben_err.set(b.is_none().then(|| i.t().err_choose.to_string()));
        con_err.set(c.is_none().then(|| i.t().err_choose.to_string()));
        hours_err.set(h.is_none().then(|| i.t().planned_hours_hint.to_string()));
        // Optional: empty means no planned end; anything else must be a date.
        let end_text = end_on.get_untracked();
        let end = (!end_text.trim().is_empty()).then(|| parse_date(&end_text));
        end_err.set(matches!(end, Some(None)).then(|| i.t().err_date.to_string()));
        let body = match (b, c, h, end) {
            (_, _, _, Some(None)) => None,
            (Some(beneficiary_id), Some(consultant_id), Some(planned_hours), end) => {
                Some(NewBilan {
                    beneficiary_id,
                    consultant_id,
                    funding: FundingMode::parse(&funding.get_untracked())
                        .unwrap_or(FundingMode::Cpf),
                    format: BilanFormat::parse(&format.get_untracked())
                        .unwrap_or(BilanFormat::OnSite),
                    planned_hours,
                    planned_end_on: end.flatten(),
                    external_ref: None,
                })
            }
            _ => None,
        };
        async move {
            error.set(None);
            let Some(body) = body else { return };
            match api.create_bilan(&body).await {
                Ok(b) => {
                    toasts.show(
                        i.t()
                            .bilan_created
                            .replace("{name}", &person(&b.beneficiary)),
                    );
                    beneficiary.set(String::new());
                    consultant.set(String::new());
                    end_on.set(String::new());
                    open.set(false);
                    on_done.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        submit.dispatch(());
    };
    let merged = move |local: RwSignal<Option<String>>, name: &'static str| {
        let server = field_error(error, name);
        Signal::derive(move || local.get().or_else(|| server.get()))
    };
    let funding_options: Vec<(&'static str, TextProp)> = FundingMode::ALL
        .iter()
        .map(|f| {
            let f = *f;
            (f.as_str(), TextProp::from(move || funding_label(i.t(), f)))
        })
        .collect();
    let format_options: Vec<(&'static str, TextProp)> = BilanFormat::ALL
        .iter()
        .map(|f| {
            let f = *f;
            (f.as_str(), TextProp::from(move || format_label(i.t(), f)))
        })
        .collect();
    view! {
        <Dialog id="nouveau-bilan" open title=move || i.t().new_bilan_title testid="new-bilan-dialog">
            <form class="form" on:submit=on_submit novalidate data-testid="new-bilan-form">
                <p class="note">{move || i.t().required_note}</p>
                <FormError error testid="new-bilan-error"/>
                <ChoiceField id="new-bilan-beneficiary" label=move || i.t().bilan_beneficiary value=beneficiary
                    options=beneficiaries required=true error=merged(ben_err, "beneficiary_id") testid="new-bilan-beneficiary"/>
                <ChoiceField id="new-bilan-consultant" label=move || i.t().new_consultant value=consultant
                    options=consultants required=true error=merged(con_err, "consultant_id") testid="new-bilan-consultant"/>
                <SelectField id="new-bilan-funding" label=move || i.t().bilan_funding value=funding
                    options=funding_options error=field_error(error, "funding") testid="new-bilan-funding"/>
                <SelectField id="new-bilan-format" label=move || i.t().bilan_format value=format
                    options=format_options error=field_error(error, "format") testid="new-bilan-format"/>
                <TextField id="new-bilan-hours" label=move || i.t().bilan_planned_hours value=planned kind="number"
                    required=true hint=move || i.t().planned_hours_hint error=merged(hours_err, "planned_hours")
                    testid="new-bilan-hours"/>
                <TextField id="new-bilan-end" label=move || i.t().planned_end value=end_on kind="date"
                    hint=move || i.t().planned_end_hint error=merged(end_err, "planned_end_on") testid="new-bilan-end"/>
                <Button submit=true busy=submit.pending() testid="new-bilan-submit">{move || i.t().new_bilan_submit}</Button>
            </form>
        </Dialog>
    }
}

#[component]
fn ReassignDialog(
    /// The bilan to hand over (its id) and its beneficiary's name; None when closed.
    bilan: RwSignal<Option<String>>,
    name: RwSignal<String>,
    consultants: Signal<Vec<(String, String)>>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let open = RwSignal::new(false);
    let consultant = RwSignal::new(String::new());
    let local_err = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    // Opening follows the chosen bilan; closing (Escape, button) forgets it.
    crate::components::effect(move |_| {
        let want = bilan.with(Option::is_some);
        if open.get_untracked() != want {
            open.set(want);
        }
    });
    crate::components::effect(move |_| {
        if !open.get() && bilan.with_untracked(Option::is_some) {
            bilan.set(None);
        }
    });
    let submit = crate::components::act(move |_: &()| {
        let c = Uuid::parse_str(&consultant.get_untracked()).ok();
        local_err.set(c.is_none().then(|| i.t().err_choose.to_string()));
        let target = bilan
            .get_untracked()
            .and_then(|b| Uuid::parse_str(&b).ok())
            .zip(c);
        async move {
            let Some((id, consultant_id)) = target else {
                return;
            };
            error.set(None);
            match api.assign(id, &NewAssignment { consultant_id }).await {
                Ok(b) => {
                    toasts.show(
                        i.t()
                            .reassigned
                            .replace("{name}", &crate::pages::bilans::consultants(&b)),
                    );
                    consultant.set(String::new());
                    bilan.set(None);
                    on_done.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        submit.dispatch(());
    };
    view! {
        <Dialog id="reaffecter" open title=move || i.t().reassign_title testid="reassign-dialog">
            <p>{move || i.t().reassign_label.replace("{name}", &name.get())}</p>
            <form class="form" on:submit=on_submit novalidate data-testid="reassign-form">
                <FormError error testid="reassign-error"/>
                <ChoiceField id="reassign-consultant" label=move || i.t().new_consultant value=consultant
                    options=consultants required=true
                    error=Signal::derive(move || local_err.get().or_else(|| field_error(error, "consultant_id").get()))
                    testid="reassign-consultant"/>
                <Button submit=true busy=submit.pending() testid="reassign-submit">{move || i.t().reassign_submit}</Button>
            </form>
        </Dialog>
    }
}
