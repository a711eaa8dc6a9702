//! `/beneficiaire/rendez-vous`: the beneficiary's appointments, upcoming first, then the past ones.

use boussole_shared::appointments::Appointment;
use leptos::prelude::*;

use super::{
    AData, AResource, apt_link,
    html::{esc, loaded, status_badge},
    kind_label, mode_label, now_utc, resource, when,
};
use crate::{api::use_api, components::Page, i18n::Strings, pages::bilans::person};

/// Upcoming (not yet ended, soonest first) and past (latest first).
pub fn split(
    items: Vec<Appointment>,
    now: chrono::DateTime<chrono::Utc>,
) -> (Vec<Appointment>, Vec<Appointment>) {
    let (upcoming, mut past): (Vec<_>, Vec<_>) = items.into_iter().partition(|a| a.ends_at > now);
    past.reverse();
    (upcoming, past)
}

fn table(t: &Strings, id: &str, title: &str, items: &[Appointment]) -> String {
    let a = t.apt;
    let body = if items.is_empty() {
        format!(r#"<p class="empty-state">{}</p>"#, a.list_empty)
    } else {
        let rows: String = items
            .iter()
            .map(|x| {
                format!(
                    r#"<tr data-testid="apt-row"><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                    apt_link(x, &when(a, x.starts_at)),
                    kind_label(a, x.kind),
                    esc(&person(&x.consultant)),
                    mode_label(a, x.mode),
                    status_badge(t, x.status)
                )
            })
            .collect();
        format!(
            r#"<div class="table-wrap" tabindex="0" role="region" aria-labelledby="{id}"><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{rows}</tbody></table></div>"#,
            a.when, a.kind, a.consultant, a.mode, t.status
        )
    };
    format!(
        r#"<section class="card" aria-labelledby="{id}" data-testid="{id}"><h2 id="{id}">{title}</h2>{body}</section>"#
    )
}

#[component]
pub fn MyAppointments() -> impl IntoView {
    let (i, api) = (crate::i18n::use_i18n(), use_api());
    let list: AResource = resource(move || async move {
        api.appointments(None, None, 1)
            .await
            .map(AData::Appointments)
    });
    let html = move || {
        let t = i.t();
        loaded(t, list.get(), |d| match d {
            AData::Appointments(p) => {
                let (upcoming, past) = split(p.items, now_utc());
                table(t, "a-venir", t.apt.list_upcoming, &upcoming)
                    + &table(t, "passes", t.apt.list_past, &past)
            }
            _ => String::new(),
        })
    };
    view! {
        <Page title=move || i.t().apt.list_title>
            <p><a class="btn btn-primary" href="/beneficiaire/rendez-vous/nouveau" data-testid="book-link">{move || i.t().apt.book_title}</a></p>
            <div inner_html=html></div>
        </Page>
    }
}
