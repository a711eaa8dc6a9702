//! `/beneficiaire/rendez-vous`: the beneficiary's appointments, upcoming first, then the past ones.

use boussole_shared::appointments::Appointment;
use leptos::prelude::*;

use super::{
    AData, AResource, AptLink, AptStatus, kind_label, mode_label, now_utc, resource, when,
};
use crate::{
    api::use_api,
    components::{Loaded, Page},
    i18n::use_i18n,
    pages::bilans::person,
};

/// Upcoming (not yet ended, soonest first) and past (latest first).
pub fn split(
    items: Vec<Appointment>,
    now: chrono::DateTime<chrono::Utc>,
) -> (Vec<Appointment>, Vec<Appointment>) {
    let (upcoming, mut past): (Vec<_>, Vec<_>) = items.into_iter().partition(|a| a.ends_at > now);
    past.reverse();
    (upcoming, past)
}

/// One section of the list (`id` names it for its heading and the journeys).
#[component]
fn Table(
    id: &'static str,
    title: fn(&crate::i18n::AptStrings) -> &'static str,
    items: Vec<Appointment>,
) -> impl IntoView {
    let i = use_i18n();
    let body = if items.is_empty() {
        view! { <p class="empty-state">{move || i.t().apt.list_empty}</p> }.into_any()
    } else {
        let row = move |x: Appointment| {
            let at = x.starts_at;
            view! {
                <tr data-testid="apt-row">
                    <th scope="row"><AptLink id=x.id text=move || when(i.t().apt, at)/></th>
                    <td data-label=move || i.t().apt.kind>{move || kind_label(i.t().apt, x.kind)}</td>
                    <td data-label=move || i.t().apt.consultant>{person(&x.consultant)}</td>
                    <td data-label=move || i.t().apt.mode>{move || mode_label(i.t().apt, x.mode)}</td>
                    <td data-label=move || i.t().status><AptStatus status=x.status/></td>
                </tr>
            }
        };
        view! {
            <div class="table-wrap table-cards" tabindex="0" role="region" aria-labelledby=id>
                <table>
                    <thead><tr>
                        <th scope="col">{move || i.t().apt.when}</th>
                        <th scope="col">{move || i.t().apt.kind}</th>
                        <th scope="col">{move || i.t().apt.consultant}</th>
                        <th scope="col">{move || i.t().apt.mode}</th>
                        <th scope="col">{move || i.t().status}</th>
                    </tr></thead>
                    <tbody>{items.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby=id data-testid=id>
            <h2 id=id>{move || title(i.t().apt)}</h2>
            {body}
        </section>
    }
}

#[component]
pub fn MyAppointments() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let list: AResource = resource(move || async move {
        api.appointments(None, None, 1)
            .await
            .map(AData::Appointments)
    });
    view! {
        <Page title=move || i.t().apt.list_title help="prendre-rendez-vous">
            <p><a class="btn btn-primary" href="/beneficiaire/rendez-vous/nouveau" data-testid="book-link">{move || i.t().apt.book_title}</a></p>
            <Loaded resource=list let:d>
                {match d {
                    AData::Appointments(p) => {
                        let (upcoming, past) = split(p.items, now_utc());
                        Some(view! {
                            <Table id="a-venir" title=|a| a.list_upcoming items=upcoming/>
                            <Table id="passes" title=|a| a.list_past items=past/>
                        })
                    }
                    _ => None,
                }}
            </Loaded>
        </Page>
    }
}
