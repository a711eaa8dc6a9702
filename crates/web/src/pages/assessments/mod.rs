//! Assessments (issue 11): the questionnaires on the beneficiary's home, taking one (autosave,
//! resume, progress, submit), the results both the beneficiary and the consultants see, and the
//! "Évaluations" tab of the consultant's bilan file; and the staff's questionnaire builder.

mod autosave;
mod catalogue;
mod draft;
mod editor;
mod figures;
mod home;
mod interpretation;
mod items;
mod results;
mod state;
mod tab;
mod take;

pub use catalogue::{InstrumentPage, InstrumentsPage, NewInstrumentPage};
pub use home::MyAssessments;
pub use results::ResultsPage;
pub use tab::AssessmentsPanel;
pub use take::TakePage;

use boussole_shared::assessments::{
    Answers, Assessment, AssessmentStatus, Instrument, InstrumentSummary, Results,
};

use crate::{
    components::{StatusBadge, Tone},
    i18n::{AssessStrings, use_i18n},
};
use leptos::prelude::*;

/// What the assessment screens load, as one enum (see `pages::appointments::AData`).
#[derive(Clone)]
pub enum AData {
    List(Vec<Assessment>),
    Instruments(Vec<InstrumentSummary>),
    /// An assessment's instrument and its answers so far.
    Taking(Box<Instrument>, Answers),
    /// Submitted results and the instrument (for its source, licence and bands).
    Results(Box<Results>, Box<Instrument>),
    /// An instrument in the questionnaire builder, with the catalogue (ids taken, custom or not).
    Editing(Box<Instrument>, Vec<InstrumentSummary>),
}

pub fn status_label(t: &AssessStrings, s: AssessmentStatus) -> &'static str {
    match s {
        AssessmentStatus::Assigned => t.status_assigned,
        AssessmentStatus::InProgress => t.status_in_progress,
        AssessmentStatus::Submitted => t.status_submitted,
    }
}

#[component]
pub fn AssessmentBadge(status: AssessmentStatus) -> impl IntoView {
    let i = use_i18n();
    let tone = match status {
        AssessmentStatus::Submitted => Tone::Ok,
        AssessmentStatus::InProgress => Tone::Warn,
        AssessmentStatus::Assigned => Tone::Muted,
    };
    view! { <StatusBadge tone label=move || status_label(i.t().assess, status)/> }
}

/// Where the beneficiary answers an assessment, and where anyone reads its results.
pub fn take_path(id: uuid::Uuid) -> String {
    format!("/beneficiaire/questionnaires/{id}")
}

pub fn results_path(id: uuid::Uuid) -> String {
    format!("/questionnaires/{id}/resultats")
}
