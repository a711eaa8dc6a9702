//! What the bilan screens share: labels of the workflow's words, the status stepper, the hours bar,
//! the alerts, and the error of a refused step with the list of what is missing.

mod alerts;
mod cpf;
mod file;

pub use alerts::{alerts, days_without_contact};
pub use cpf::{CpfAlerts, CpfPanel};

pub use file::{BilanFile, ConsentTable, NoteList};

use boussole_shared::{
    Page,
    bilans::{
        BeneficiaryProfile, Bilan, BilanFormat, BilanSession, BilanStatus, Consent, ConsentKind,
        Fact, FactKind, FundingMode, Note, PersonRef, Phase, SessionKind, SessionMode,
        TimelineEvent,
    },
};
use leptos::prelude::*;

use crate::{
    api::ApiError,
    components::{StatusBadge, Tone},
    i18n::{Strings, conditions::said, use_i18n},
};

/// What the bilan screens load, as one enum (see `pages::appointments::AData`).
#[derive(Clone)]
pub enum Data {
    Bilan(Bilan),
    Bilans(Page<Bilan>),
    Timeline(Vec<TimelineEvent>),
    Sessions(Vec<BilanSession>),
    Facts(Vec<Fact>),
    Notes(Vec<Note>),
    Consents(Vec<Consent>),
    /// (id, "Name (email)") choices.
    People(Vec<(String, String)>),
    Beneficiaries(Page<BeneficiaryProfile>),
    Beneficiary(BeneficiaryProfile),
}

pub type DataResource = crate::components::Loader<Result<Data, ApiError>>;

/// From here the consultant is warned that the 24 hours are near.
pub const NEAR_MAX_MINUTES: i64 = 20 * 60;

// The path and the 24-hour cap are the API's rules, shared (`boussole_shared::rules`).
use boussole_shared::rules::MAX_ACCOMPANIMENT_MINUTES as MAX_MINUTES;
pub use boussole_shared::rules::{PATH, is_active, next_status};

pub fn status_label(t: &Strings, s: BilanStatus) -> &'static str {
    match s {
        BilanStatus::Request => t.bilan_status_request,
        BilanStatus::Preliminary => t.bilan_status_preliminary,
        BilanStatus::Investigation => t.bilan_status_investigation,
        BilanStatus::Conclusion => t.bilan_status_conclusion,
        BilanStatus::Completed => t.bilan_status_completed,
        BilanStatus::Closed => t.bilan_status_closed,
        BilanStatus::Abandoned => t.bilan_status_abandoned,
    }
}

pub fn status_tone(s: BilanStatus) -> Tone {
    match s {
        BilanStatus::Completed | BilanStatus::Closed => Tone::Ok,
        BilanStatus::Abandoned => Tone::Muted,
        _ => Tone::Warn,
    }
}

pub fn funding_label(t: &Strings, f: FundingMode) -> &'static str {
    match f {
        FundingMode::Cpf => t.funding_cpf,
        FundingMode::Employer => t.funding_employer,
        FundingMode::Reclassement => t.funding_reclassement,
        FundingMode::FranceTravail => t.funding_france_travail,
        FundingMode::SelfFunded => t.funding_self_funded,
        FundingMode::Mixed => t.funding_mixed,
    }
}

pub fn format_label(t: &Strings, f: BilanFormat) -> &'static str {
    match f {
        BilanFormat::OnSite => t.format_on_site,
        BilanFormat::Remote => t.format_remote,
        BilanFormat::Mixed => t.format_mixed,
    }
}

pub fn fact_label(t: &Strings, f: FactKind) -> &'static str {
    match f {
        FactKind::PreContractInfo => t.fact_pre_contract_info,
        FactKind::IndividualContractSigned => t.fact_individual_contract_signed,
        FactKind::TripartiteConventionSigned => t.fact_tripartite_convention_signed,
        FactKind::CpfFileAccepted => t.fact_cpf_file_accepted,
        FactKind::KairosQuoteAccepted => t.fact_kairos_quote_accepted,
        FactKind::NeedsAnalysis => t.fact_needs_analysis,
        FactKind::PersonalisedObjectives => t.fact_personalised_objectives,
        FactKind::AgreedArrangements => t.fact_agreed_arrangements,
        FactKind::ResultsAppropriated => t.fact_results_appropriated,
        FactKind::ProjectConditions => t.fact_project_conditions,
        FactKind::ProjectSteps => t.fact_project_steps,
        FactKind::SyntheseDelivered => t.fact_synthese_delivered,
        FactKind::ReglementInterieurAcknowledged => t.fact_reglement_acknowledged,
    }
}

pub fn phase_label(t: &Strings, p: Phase) -> &'static str {
    match p {
        Phase::Preliminary => t.phase_preliminary,
        Phase::Investigation => t.phase_investigation,
        Phase::Conclusion => t.phase_conclusion,
    }
}

pub fn session_kind_label(t: &Strings, k: SessionKind) -> &'static str {
    match k {
        SessionKind::Accompaniment => t.session_kind_accompaniment,
        SessionKind::PersonalWork => t.session_kind_personal_work,
    }
}

pub fn mode_label(t: &Strings, m: SessionMode) -> &'static str {
    match m {
        SessionMode::OnSite => t.mode_on_site,
        SessionMode::Remote => t.mode_remote,
    }
}

pub fn consent_kind_label(t: &Strings, k: ConsentKind) -> &'static str {
    match k {
        ConsentKind::Start => t.consent_kind_start,
        ConsentKind::Share => t.consent_kind_share,
        ConsentKind::Retention => t.consent_kind_retention,
    }
}

/// The words of a timeline event's kind; unknown kinds are shown as they come.
pub fn event_label(t: &Strings, kind: &str) -> String {
    match kind {
        "created" => t.event_created,
        "transition" => t.event_transition,
        "fact" => t.event_fact,
        "session" => t.event_session,
        "consent" => t.event_consent,
        "consent_revoked" => t.event_consent_revoked,
        "assignment" => t.event_assignment,
        "note" => t.event_note,
        "content_destroyed" => t.event_content_destroyed,
        "retention" => t.event_retention,
        "projection" => t.proj.event_projection,
        "document" => t.docs.event,
        other => other,
    }
    .to_string()
}

/// Minutes as "12 h 05".
pub fn hours(minutes: i64) -> String {
    let m = minutes.max(0);
    format!("{} h {:02}", m / 60, m % 60)
}

pub fn person(p: &PersonRef) -> String {
    format!("{} {}", p.first_name, p.last_name)
}

pub fn consultants(b: &Bilan) -> String {
    b.consultants
        .iter()
        .map(person)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The statuses of the normal path as an ordered list: passed ones are marked, the current one is
/// `aria-current="step"`. An abandoned bilan says so next to the list.
#[component]
pub fn StatusStepper(status: BilanStatus) -> impl IntoView {
    let i = use_i18n();
    let current = PATH.iter().position(|s| *s == status);
    let items = PATH
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let s = *s;
            let (class, state) = match current {
                Some(c) if n < c => ("step step-done", Some(i.t().step_done)),
                Some(c) if n == c => ("step step-current", Some(i.t().step_current)),
                _ => ("step", None),
            };
            view! {
                <li class=class aria-current=(current == Some(n)).then_some("step")>
                    <span class="step-label">{status_label(i.t(), s)}</span>
                    {state.map(|st| view! { <span class="visually-hidden">{format!(" ({st})")}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="stepper-wrap" data-testid="bilan-stepper">
            <ol class="stepper" aria-label=i.t().bilan_progress_label>{items}</ol>
            {(status == BilanStatus::Abandoned)
                .then(|| view! { <StatusBadge tone=Tone::Muted label=i.t().bilan_status_abandoned/> })}
        </div>
    }
}

/// Accompaniment used out of 24 hours: a native `<progress>` with its label, and the figure in text.
#[component]
pub fn HoursBar(id: &'static str, minutes: i64) -> impl IntoView {
    let i = use_i18n();
    let t = i.t();
    let near = minutes >= NEAR_MAX_MINUTES;
    view! {
        <div class="hours" data-testid="hours-bar">
            <label for=id>{t.bilan_hours_used}</label>
            <progress id=id class=if near { "hours-near" } else { "" } max=MAX_MINUTES value=minutes.min(MAX_MINUTES)>
                {hours(minutes)}
            </progress>
            <span class="hours-text">{t.hours_of_24.replace("{h}", &hours(minutes))}</span>
        </div>
    }
}

/// A refused step: the API's message, and for a closed gate (422) the list of what is missing.
#[component]
pub fn StepError(error: RwSignal<Option<ApiError>>, testid: &'static str) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="form-error step-error" role="alert" data-testid=testid>
            {move || {
                error.get().map(|e| {
                    let missing = e.missing();
                    if missing.is_empty() {
                        view! { <p>{e.message(i.t(), &[])}</p> }.into_any()
                    } else {
                        view! {
                            <p>{i.t().transition_refused}</p>
                            <ul data-testid=format!("{testid}-missing")>
                                {missing.iter().map(|m| view! { <li>{said(&i.t().conditions, m)}</li> }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }
                })
            }}
        </div>
    }
}

/// A table of text cells, the first one of each row its header. `rows` are (data-kind, cells).
/// The text-only tables of the file share it: one view type instead of one per table.
#[component]
pub fn TextTable(
    label: &'static str,
    caption: String,
    headers: Vec<&'static str>,
    rows: Vec<(Option<&'static str>, Vec<String>)>,
    testid: &'static str,
    row_testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="table-wrap table-cards" tabindex="0" role="region" aria-label=label>
            <table data-testid=testid>
                <caption>{caption}</caption>
                <thead><tr>{headers.iter().copied().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {rows.into_iter().map(|(kind, cells)| {
                        let mut cells = cells.into_iter();
                        let first = cells.next().unwrap_or_default();
                        view! {
                            <tr data-testid=row_testid data-kind=kind>
                                <th scope="row">{first}</th>
                                {cells.zip(headers.iter().copied().skip(1)).map(|(c, h)| view! { <td class="wrap" data-label=h>{c}</td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_read_as_h_mm() {
        assert_eq!(hours(125), "2 h 05");
    }
}
