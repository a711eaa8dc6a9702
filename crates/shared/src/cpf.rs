//! CPF files (issue 13, DOMAIN.md §3.1): the EDOF file of a bilan paid by the beneficiary's compte
//! personnel de formation, its states as EDOF names them, the working-day deadlines the provider must
//! keep, the €1,600 cap and the holder's flat participation. Entered by hand for now; the shape is the
//! one an EDOF connector would fill (the API names of the states are EDOF's, through Wedof).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most a CPF file may carry for a bilan de compétences (€1,600, the CPF's cap for this action).
pub const CAP_CENTS: i64 = 160_000;

/// The holder's flat participation (L6323-4, décret 2024-394), indexed each 1 January: dated reference
/// data, newest last. `(in force from, cents)`.
pub const PARTICIPATION: &[(i32, u32, u32, i64)] = &[
    (2024, 5, 2, 10_000),
    (2025, 1, 1, 10_223),
    (2026, 1, 1, 10_320),
];

/// The participation in force on `day` (0 before the rule existed).
pub fn participation_cents(day: NaiveDate) -> i64 {
    PARTICIPATION
        .iter()
        .rev()
        .find(|(y, m, d, _)| NaiveDate::from_ymd_opt(*y, *m, *d).is_some_and(|from| from <= day))
        .map_or(0, |p| p.3)
}

str_enum!(
    /// The state of an EDOF file (API names as Wedof exposes them, snake_case).
    CpfState {
        /// Non traité: the holder asked; the provider answers within 2 working days.
        NotProcessed = "not_processed",
        /// Validé: the provider sent its proposal; the holder accepts within 4 working days.
        Validated = "validated",
        /// Validé, France Travail examining a co-funding.
        WaitingAcceptation = "waiting_acceptation",
        /// Accepté: rights reserved; declare the actual start within 3 working days of it.
        Accepted = "accepted",
        /// En formation: the start is declared (it cannot be undone).
        InTraining = "in_training",
        /// Sortie de formation: the end is declared (within 3 working days of it).
        Terminated = "terminated",
        /// Service fait déclaré.
        ServiceDoneDeclared = "service_done_declared",
        /// Service fait validé: the CDC validated; invoicing in EDOF is possible.
        ServiceDoneValidated = "service_done_validated",
        CanceledByAttendee = "canceled_by_attendee",
        CanceledByAttendeeNotRealized = "canceled_by_attendee_not_realized",
        CanceledByOrganism = "canceled_by_organism",
        CanceledByFinancer = "canceled_by_financer",
        /// Cancelled automatically: the provider did not answer in time, or the holder did not accept.
        RejectedWithoutTitulaireSuite = "rejected_without_titulaire_suite",
        RefusedByAttendee = "refused_by_attendee",
        RefusedByOrganism = "refused_by_organism",
        RefusedByFinancer = "refused_by_financer",
    }
);

impl CpfState {
    /// The states EDOF lets a file move to from this one. Nothing goes back: a declared start or end
    /// cannot be undone, and a cancelled or refused file is closed.
    pub fn next(self) -> &'static [CpfState] {
        use CpfState::*;
        match self {
            NotProcessed => &[
                Validated,
                RefusedByOrganism,
                CanceledByAttendee,
                RejectedWithoutTitulaireSuite,
            ],
            Validated => &[
                WaitingAcceptation,
                Accepted,
                RefusedByAttendee,
                CanceledByAttendee,
                RejectedWithoutTitulaireSuite,
            ],
            WaitingAcceptation => &[
                Accepted,
                RefusedByFinancer,
                CanceledByFinancer,
                CanceledByAttendee,
            ],
            Accepted => &[
                InTraining,
                CanceledByAttendee,
                CanceledByAttendeeNotRealized,
                CanceledByOrganism,
            ],
            InTraining => &[Terminated],
            Terminated => &[ServiceDoneDeclared],
            ServiceDoneDeclared => &[ServiceDoneValidated],
            _ => &[],
        }
    }

    /// Cancelled or refused: the file is closed and the rights are released.
    pub fn is_closed(self) -> bool {
        self.next().is_empty() && self != CpfState::ServiceDoneValidated
    }
}

str_enum!(
    /// What the provider (or the holder) must do next, by a working-day deadline.
    CpfDuty {
        /// Answer the holder's request (2 working days from it).
        AnswerRequest = "answer_request",
        /// The holder must accept the proposal (4 working days from it), or the file lapses.
        HolderAcceptance = "holder_acceptance",
        /// Declare the actual start (3 working days from the first session).
        DeclareStart = "declare_start",
        /// Declare the actual end (3 working days from the bilan's end).
        DeclareEnd = "declare_end",
    }
);

/// The next deadline of a file, counted in working days (weekends and French public holidays off).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CpfDeadline {
    pub duty: CpfDuty,
    /// The day the count starts from (the request, the proposal, the first session, the end).
    pub from: NaiveDate,
    /// The last day to act.
    pub due_on: NaiveDate,
    /// Working days left until `due_on` (0 on the day itself, negative once passed).
    pub working_days_left: i64,
}

/// One move of the file, as recorded.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CpfStep {
    pub from: Option<CpfState>,
    pub to: CpfState,
    /// The day it happened in EDOF.
    pub on: NaiveDate,
    pub by: Option<Uuid>,
    pub recorded_at: DateTime<Utc>,
}

/// An earlier bilan of the same beneficiary paid with public money (CPF, OPCO, France Travail) in the
/// last five years: a warning before opening another one.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarlierBilan {
    pub bilan_id: Uuid,
    pub funding: crate::bilans::FundingMode,
    pub opened_on: NaiveDate,
}

/// `GET /api/v1/bilans/{id}/cpf`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CpfFile {
    pub bilan_id: Uuid,
    /// The EDOF file number.
    pub edof_number: String,
    pub state: CpfState,
    /// The day the file entered its state.
    pub state_since: NaiveDate,
    /// What the CPF pays, at most [`CAP_CENTS`] (absent for a consultant when amounts are hidden).
    pub amount_cents: Option<i64>,
    /// The holder's flat participation on the day of the request (0 when exempt).
    pub participation_cents: i64,
    /// Job seekers and holders whose employer tops up are exempt.
    pub participation_exempt: bool,
    pub deadline: Option<CpfDeadline>,
    pub history: Vec<CpfStep>,
    pub earlier_public_bilans: Vec<EarlierBilan>,
}

/// `PUT /api/v1/bilans/{id}/cpf`: opens the file (in `not_processed`, on `requested_on`) or corrects
/// its number and amounts; the state moves only by transitions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CpfFileInput {
    /// 1 to 40 letters, digits or dashes.
    pub edof_number: String,
    /// 1 cent to [`CAP_CENTS`].
    pub amount_cents: i64,
    #[serde(default)]
    pub participation_exempt: bool,
    /// The day the holder asked (opening only; default today). Not in the future.
    pub requested_on: Option<NaiveDate>,
}

/// `POST /api/v1/bilans/{id}/cpf/transitions`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CpfTransition {
    pub to: CpfState,
    /// The day it happened in EDOF: not in the future, not before the file's current state began.
    pub on: NaiveDate,
}

/// `GET /api/v1/cpf/alerts`: the open files with a deadline, soonest first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CpfAlert {
    pub bilan_id: Uuid,
    pub beneficiary_name: String,
    pub edof_number: String,
    pub state: CpfState,
    pub deadline: CpfDeadline,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn the_participation_in_force_is_the_latest_started() {
        assert_eq!(participation_cents(day(2024, 5, 1)), 0);
        assert_eq!(participation_cents(day(2024, 5, 2)), 10_000);
        assert_eq!(participation_cents(day(2025, 12, 31)), 10_223);
        assert_eq!(participation_cents(day(2026, 12, 4)), 10_320);
    }

    #[test]
    fn a_file_never_goes_back_and_closed_files_stay_closed() {
        assert!(!CpfState::InTraining.next().contains(&CpfState::Accepted));
        assert!(CpfState::Accepted.next().contains(&CpfState::InTraining));
        assert!(
            !CpfState::NotProcessed
                .next()
                .contains(&CpfState::InTraining)
        );
        assert!(CpfState::RefusedByOrganism.is_closed());
        assert!(!CpfState::ServiceDoneValidated.is_closed());
        assert!(!CpfState::Terminated.is_closed());
    }
}
