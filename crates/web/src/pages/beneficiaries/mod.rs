//! `/admin/beneficiaires` and `/consultant/beneficiaires`: beneficiary records for staff, searched by
//! name or email. Admins get every record, consultants those of their bilans (the API decides).

mod form;
mod new;
mod record;

pub use form::{Editor, RecordForm};
pub use record::BeneficiaryRecord;

use boussole_shared::{
    bilans::{BeneficiaryProfile, Situation},
    users::Role,
};
use leptos::prelude::*;

use crate::{
    api::use_api,
    components::*,
    i18n::{Strings, use_i18n},
    pages::{
        bilans::{Data, person},
        no_reload,
    },
};

const PER_PAGE: i64 = 20;

pub fn situation_label(t: &Strings, s: Situation) -> &'static str {
    match s {
        Situation::EmployeeCdi => t.situation_employee_cdi,
        Situation::EmployeeCdd => t.situation_employee_cdd,
        Situation::EmployeeInterim => t.situation_employee_interim,
        Situation::PublicSector => t.situation_public_sector,
        Situation::JobSeeker => t.situation_job_seeker,
        Situation::SelfEmployed => t.situation_self_employed,
        Situation::Other => t.situation_other,
    }
}

/// Where the staff's records live: under the admin's or the consultant's area.
pub fn records_base(role: Option<Role>) -> &'static str {
    match role {
        Some(Role::Admin) => "/admin/beneficiaires",
        _ => "/consultant/beneficiaires",
    }
}

#[component]
pub fn Beneficiaries() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let base = records_base(
        api.session
            .with_untracked(|s| s.as_ref().map(|s| s.user.role)),
    );
    let q = RwSignal::new(String::new());
    let applied = RwSignal::new(None::<String>);
    let page = RwSignal::new(1_i64);
    let list = crate::components::loader(move || {
        let (q, p) = (applied.get(), page.get());
        async move {
            api.beneficiaries(p, PER_PAGE, q)
                .await
                .map(Data::Beneficiaries)
        }
    });
    let search = move |ev: leptos::ev::SubmitEvent| {
        no_reload(&ev);
        applied.set(Some(q.get_untracked().trim().to_string()).filter(|s| !s.is_empty()));
        page.set(1);
    };
    let row = move |b: BeneficiaryProfile| {
        let t = i.t();
        let name = person(&b.person);
        view! {
            <tr data-testid="beneficiary-row">
                <th scope="row">
                    <a href=format!("{base}/{}", b.person.id) aria-label=t.record_open.replace("{name}", &name)
                        data-testid="beneficiary-link">{name.clone()}</a>
                </th>
                <td data-label=t.email>{b.email}</td>
                <td data-label=t.record_situation>{situation_label(t, b.situation)}</td>
                <td data-label=t.record_employer>{b.employer.map(|e| e.name).unwrap_or_else(|| "—".into())}</td>
                <td data-label=t.record_cep>{b.cep_adviser.unwrap_or_else(|| "—".into())}</td>
            </tr>
        }
    };
    // Admins create beneficiaries here (the API refuses anyone else).
    let creating = RwSignal::new(false);
    let admin = base == "/admin/beneficiaires";
    view! {
        <Page title=move || i.t().records_title help="beneficiaires">
            <p class="note">{move || i.t().records_intro}</p>
            {admin.then(|| view! {
                <p>
                    <Button on_click=Callback::new(move |_| creating.set(true)) testid="new-beneficiary">
                        {move || i.t().integ.new_beneficiary}
                    </Button>
                </p>
                <new::NewBeneficiaryDialog open=creating created=Callback::new(move |_| list.refetch())/>
            })}
            <form class="filters" role="search" on:submit=search data-testid="records-search">
                <TextField id="records-q" label=move || i.t().search value=q kind="search" testid="records-q"/>
                <Button submit=true kind=ButtonKind::Secondary testid="records-search-submit">{move || i.t().filter}</Button>
            </form>
            <Loaded resource=list let:d>
                {match d {
                    Data::Beneficiaries(list) => view! {
                        <Paged list empty=move || i.t().records_empty page per_page=PER_PAGE children=move |p| {
                            let t = i.t();
                            let total = p.total;
                            view! {
                                <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=t.records_title>
                                    <table data-testid="records-table">
                                        <caption>{t.records_caption.replace("{n}", &total.to_string())}</caption>
                                        <thead><tr>
                                            <th scope="col">{t.name}</th>
                                            <th scope="col">{t.email}</th>
                                            <th scope="col">{t.record_situation}</th>
                                            <th scope="col">{t.record_employer}</th>
                                            <th scope="col">{t.record_cep}</th>
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
        </Page>
    }
}
