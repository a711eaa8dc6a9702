//! `/bilans/:id`: a bilan's file, in tabs. Consultants see and record everything; admins see the
//! administrative facts only (the notes tab does not exist for them, and the API refuses them anyway).

mod consents;
mod facts;
mod notes;
mod sessions;
mod summary;
mod timeline;

pub use consents::ConsentTable;
pub use notes::NoteList;

use boussole_shared::users::Role;
use leptos::{ev::KeyboardEvent, prelude::*};
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::{Data, person};
use crate::pages::projection::{ProjectPanel, SkillsPanel};
use crate::{
    api::{ApiError, use_api},
    components::*,
    i18n::{Strings, use_i18n},
};
use consents::ConsentsPanel;
use facts::FactsPanel;
use notes::NotesPanel;
use sessions::SessionsPanel;
use summary::Summary;
use timeline::TimelinePanel;

use crate::pages::assessments::AssessmentsPanel;
use crate::pages::documents::DocumentsPanel;
use crate::pages::money::FundingPanel;

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Summary,
    Timeline,
    Sessions,
    Facts,
    Notes,
    Skills,
    Project,
    Consents,
    Assessments,
    Documents,
    Files,
    Funding,
}

impl Tab {
    /// The section of the consultant's guide the "?" link opens while this tab is shown (the admin's
    /// guide has one section for the whole file).
    fn help(self) -> &'static str {
        match self {
            Tab::Assessments => "proposer-questionnaire",
            Tab::Skills => "grille-competences",
            Tab::Project => "pistes",
            Tab::Sessions => "seances",
            Tab::Notes => "notes",
            Tab::Summary
            | Tab::Timeline
            | Tab::Facts
            | Tab::Consents
            | Tab::Documents
            | Tab::Files => "dossier",
            Tab::Funding => "financement",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Tab::Summary => "resume",
            Tab::Timeline => "historique",
            Tab::Sessions => "seances",
            Tab::Facts => "faits",
            Tab::Notes => "notes",
            Tab::Skills => "competences",
            Tab::Project => "projet",
            Tab::Consents => "consentements",
            Tab::Assessments => "evaluations",
            Tab::Documents => "documents",
            Tab::Files => "fichiers",
            Tab::Funding => "financement",
        }
    }

    fn tab_id(self) -> &'static str {
        match self {
            Tab::Summary => "onglet-resume",
            Tab::Timeline => "onglet-historique",
            Tab::Sessions => "onglet-seances",
            Tab::Facts => "onglet-faits",
            Tab::Notes => "onglet-notes",
            Tab::Skills => "onglet-competences",
            Tab::Project => "onglet-projet",
            Tab::Consents => "onglet-consentements",
            Tab::Assessments => "onglet-evaluations",
            Tab::Documents => "onglet-documents",
            Tab::Files => "onglet-fichiers",
            Tab::Funding => "onglet-financement",
        }
    }

    fn label(self, t: &Strings) -> &'static str {
        match self {
            Tab::Summary => t.tab_summary,
            Tab::Timeline => t.tab_timeline,
            Tab::Sessions => t.tab_sessions,
            Tab::Facts => t.tab_facts,
            Tab::Notes => t.tab_notes,
            Tab::Skills => t.proj.tab_skills,
            Tab::Project => t.proj.tab_project,
            Tab::Consents => t.tab_consents,
            Tab::Assessments => t.assess.tab,
            Tab::Documents => t.docs.tab,
            Tab::Files => t.msg.files_nav,
            Tab::Funding => t.money.tab_funding,
        }
    }
}

#[component]
pub fn BilanFile() -> impl IntoView {
    let (i, api) = (use_i18n(), use_api());
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
    let role = api
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.role));
    let is_admin = role == Some(Role::Admin);
    let version = RwSignal::new(0_u32);
    let loaded = crate::components::loader(move || {
        version.track();
        async move {
            match id {
                Some(id) => api.bilan(id).await.map(Data::Bilan),
                None => Err(ApiError::Unexpected(404)),
            }
        }
    });
    let bilan = Memo::new(move |_| match loaded.get() {
        Some(Ok(Data::Bilan(b))) => Some(b),
        _ => None,
    });
    let title = move || match bilan.get() {
        Some(b) => i
            .t()
            .bilan_file_title
            .replace("{name}", &person(&b.beneficiary)),
        None => i.t().nav_bilans.to_string(),
    };
    let back = if is_admin {
        "/admin/bilans"
    } else {
        "/consultant"
    };
    let tabs: Vec<Tab> = if is_admin {
        vec![
            Tab::Summary,
            Tab::Timeline,
            Tab::Sessions,
            Tab::Facts,
            Tab::Consents,
            Tab::Documents,
            Tab::Funding,
        ]
    } else {
        vec![
            Tab::Summary,
            Tab::Timeline,
            Tab::Sessions,
            Tab::Facts,
            Tab::Notes,
            Tab::Skills,
            Tab::Project,
            Tab::Consents,
            Tab::Assessments,
            Tab::Documents,
            Tab::Files,
        ]
    };
    let tab = RwSignal::new(Tab::Summary);
    let tabs_for_keys = tabs.clone();
    let on_key = move |ev: KeyboardEvent| {
        let n = tabs_for_keys.len();
        let Some(pos) = tabs_for_keys.iter().position(|t| *t == tab.get_untracked()) else {
            return;
        };
        let to = match ev.key().as_str() {
            "ArrowRight" => (pos + 1) % n,
            "ArrowLeft" => (pos + n - 1) % n,
            "Home" => 0,
            "End" => n - 1,
            _ => return,
        };
        ev.prevent_default();
        if let Some(t) = tabs_for_keys.get(to) {
            tab.set(*t);
            focus_later(t.tab_id());
        }
    };
    let Some(id) = id else {
        return view! {
            <Page title=move || i.t().not_found_title>
                <p>{move || i.t().not_found_text}</p>
            </Page>
        }
        .into_any();
    };
    view! {
        <Page title help=Signal::derive(move || match tab.get() {
            Tab::Funding => "financement",
            _ if is_admin => "dossier",
            t => t.help(),
        })>
            <p><a href=back data-testid="bilan-back">{move || i.t().back_to_list}</a></p>
            {(!is_admin).then(|| view! {
                <p><a href=format!("/bilans/{id}/synthese") data-testid="bilan-synthesis-link">{move || i.t().synth.link}</a></p>
            })}
            {is_admin.then(|| view! { <p class="notice" data-testid="admin-no-content">{move || i.t().admin_no_content}</p> })}
            {move || match loaded.get() {
                Some(Err(error)) => Some(view! { <LoadError error/> }),
                _ => None,
            }}
            <Show when=move || bilan.with(Option::is_some) fallback=|| view! { <Loading/> }>
                <div class="tabs" role="tablist" aria-label=move || i.t().tabs_label on:keydown=on_key.clone()>
                    {tabs
                        .iter()
                        .map(|t| {
                            let t = *t;
                            let selected = move || tab.get() == t;
                            view! {
                                <button
                                    type="button"
                                    role="tab"
                                    class="tab"
                                    id=t.tab_id()
                                    aria-selected=move || if selected() { "true" } else { "false" }
                                    aria-controls=format!("panneau-{}", t.key())
                                    tabindex=move || if selected() { "0" } else { "-1" }
                                    on:click=move |_| tab.set(t)
                                    data-testid=format!("tab-{}", t.key())
                                >
                                    {move || t.label(i.t())}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                {move || {
                    let t = tab.get();
                    let panel = match t {
                        Tab::Summary => view! { <Summary bilan id version/> }.into_any(),
                        Tab::Timeline => view! { <TimelinePanel id version/> }.into_any(),
                        Tab::Sessions => view! { <SessionsPanel id version can_add=!is_admin/> }.into_any(),
                        Tab::Facts => view! { <FactsPanel id version/> }.into_any(),
                        Tab::Notes => view! { <NotesPanel id version/> }.into_any(),
                        Tab::Skills => view! { <SkillsPanel id version/> }.into_any(),
                        Tab::Project => view! { <ProjectPanel id version/> }.into_any(),
                        Tab::Consents => view! { <ConsentsPanel id version/> }.into_any(),
                        Tab::Assessments => view! { <AssessmentsPanel id version/> }.into_any(),
                        Tab::Documents => {
                            let beneficiary = bilan.with(|b| b.as_ref().map(|b| person(&b.beneficiary))).unwrap_or_default();
                            view! { <DocumentsPanel id version beneficiary/> }.into_any()
                        }
                        Tab::Files => view! { <crate::pages::files::FilesPanel id/> }.into_any(),
                        Tab::Funding => {
                            let beneficiary = bilan.with(|b| b.as_ref().map(|b| person(&b.beneficiary))).unwrap_or_default();
                            view! { <FundingPanel id beneficiary/> }.into_any()
                        }
                    };
                    view! {
                        <div
                            class="tab-panel"
                            role="tabpanel"
                            id=format!("panneau-{}", t.key())
                            aria-labelledby=t.tab_id()
                            data-testid=format!("panel-{}", t.key())
                        >
                            {panel}
                        </div>
                    }
                }}
            </Show>
        </Page>
    }
    .into_any()
}
