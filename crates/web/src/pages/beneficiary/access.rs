//! "Qui a consulté mon dossier": the reads of the bilan's content by anyone but the beneficiary, newest
//! first, who may read it now, and a way to report an access they do not recognise (the API alerts the
//! organisation's admins). The beneficiary's own screen only: nobody else sees this history.

use boussole_shared::access::{AccessEntry, AccessHistory, AccessKind};
use boussole_shared::users::Role;
use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    api::{ApiError, use_api},
    components::*,
    dates::{date_fr, paris_fr},
    i18n::{AccessStrings, use_i18n},
    pages::bilans::person,
};

const PER_PAGE: i64 = 10;

pub fn what_label(t: &AccessStrings, what: AccessKind) -> &'static str {
    match what {
        AccessKind::Notes => t.what_notes,
        AccessKind::Files => t.what_files,
        AccessKind::FileDownload => t.what_file_download,
        AccessKind::Assessment => t.what_assessment,
        AccessKind::Skills => t.what_skills,
        AccessKind::Projection => t.what_projection,
        AccessKind::Messages => t.what_messages,
        AccessKind::Synthesis => t.what_synthesis,
    }
}

pub fn role_label(t: &AccessStrings, role: Role) -> &'static str {
    match role {
        Role::Consultant => t.role_consultant,
        Role::Beneficiary => t.role_beneficiary,
        Role::Admin => t.role_admin,
    }
}

#[component]
pub fn AccessSection(id: Uuid, version: RwSignal<u32>) -> impl IntoView {
    let (i, api, toasts) = (use_i18n(), use_api(), use_toasts());
    let page = RwSignal::new(1_i64);
    let reload = RwSignal::new(0_u32);
    let history = crate::components::loader(move || {
        version.track();
        reload.track();
        let p = page.get();
        async move { api.access(id, p, PER_PAGE).await }
    });
    let error = RwSignal::new(None::<ApiError>);
    let report = crate::components::act(move |entry: &Uuid| {
        let entry = *entry;
        async move {
            error.set(None);
            match api.report_access(id, entry).await {
                Ok(_) => {
                    toasts.show(i.t().access.reported_toast);
                    reload.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let row = move |e: AccessEntry| {
        let t = i.t().access;
        let (name, when) = (person(&e.reader), paris_fr(e.at));
        let label = t
            .report_label
            .replace("{name}", &name)
            .replace("{date}", &when);
        let action = match e.reported_at {
            Some(_) => view! { <StatusBadge tone=Tone::Warn label=t.reported/> }.into_any(),
            None => view! {
                <button type="button" class="btn btn-secondary" aria-label=label
                    disabled=move || report.pending().get()
                    on:click=move |_| { report.dispatch(e.id); } data-testid="access-report">
                    {t.report}
                </button>
            }
            .into_any(),
        };
        view! {
            <tr data-testid="access-row">
                <td data-label=t.at>{when}</td>
                <td data-label=t.who>{format!("{name} ({})", role_label(t, e.reader_role))}</td>
                <td data-label=t.what>{what_label(t, e.what)}</td>
                <td>{action}</td>
            </tr>
        }
    };
    let body = move |h: AccessHistory| {
        let t = i.t().access;
        let readers = h
            .readers
            .into_iter()
            .map(|r| {
                let who = match r.role {
                    Role::Beneficiary => format!("{} ({})", person(&r.person), t.you),
                    role => format!("{} ({})", person(&r.person), role_label(t, role)),
                };
                let since = date_fr(r.since.date_naive());
                view! { <li>{t.reader_since.replace("{name}", &who).replace("{date}", &since)}</li> }
            })
            .collect_view();
        view! {
            <h3>{t.readers_title}</h3>
            <ul data-testid="access-readers">{readers}</ul>
            <h3>{t.history_title}</h3>
            <Paged list=h.entries empty=t.empty page per_page=PER_PAGE children=move |p| view! {
                <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=t.history_title>
                    <table data-testid="access-table">
                        <caption>{t.caption.replace("{n}", &p.total.to_string())}</caption>
                        <thead><tr>
                            <th scope="col">{t.at}</th>
                            <th scope="col">{t.who}</th>
                            <th scope="col">{t.what}</th>
                            <th scope="col"><span class="visually-hidden">{t.report}</span></th>
                        </tr></thead>
                        <tbody>{p.items.into_iter().map(row).collect_view()}</tbody>
                    </table>
                </div>
            }/>
        }
    };
    view! {
        <section class="card" aria-labelledby="qui-a-consulte" data-testid="access-history">
            <h2 id="qui-a-consulte">{move || i.t().access.title}</h2>
            <p class="note">{move || i.t().access.intro}</p>
            <FormError error testid="access-report-error"/>
            <Loaded resource=history children=body/>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, FR};

    #[test]
    fn every_kind_of_read_is_named_in_both_languages() {
        for t in [FR.access, EN.access] {
            for what in AccessKind::ALL {
                assert!(!what_label(t, *what).is_empty());
            }
            assert!(t.report_label.contains("{name}") && t.report_label.contains("{date}"));
            // WCAG 2.5.3 (axe `label-content-name-mismatch`): the button's accessible name must
            // contain its visible text, or voice-control users cannot name it.
            assert!(t.report_label.starts_with(t.report), "{}", t.report_label);
            assert!(t.caption.contains("{n}"));
        }
        assert_eq!(FR.access.report, "Je ne reconnais pas cet accès");
    }
}
