//! Legal limits and rules that the API enforces and the SPA also shows or pre-checks, written once.
//! The API stays the judge: the SPA uses these to guide, never to decide.

use chrono::NaiveDate;

use crate::appointments::AppointmentKind;
use crate::bilans::{BilanStatus as S, FactKind, FundingMode};
use crate::conditions::Condition;

/// L6313-4: a bilan lasts 24 hours of accompaniment at most.
pub const MAX_ACCOMPANIMENT_MINUTES: i64 = 24 * 60;

/// The normal path of a bilan, in order; `abandoned` stands aside.
pub const PATH: [S; 6] = [
    S::Request,
    S::Preliminary,
    S::Investigation,
    S::Conclusion,
    S::Completed,
    S::Closed,
];

/// The next status on the normal path (the API then checks the gates).
pub fn next_status(from: S) -> Option<S> {
    let i = PATH.iter().position(|p| *p == from)?;
    PATH.get(i + 1).copied()
}

/// Whether the bilan is still under way, and so may be abandoned.
pub fn is_active(s: S) -> bool {
    matches!(
        s,
        S::Request | S::Preliminary | S::Investigation | S::Conclusion
    )
}

/// Whether `to` may follow `from` at all: the next step, or abandoning while active (the gates come after).
pub fn may_move(from: S, to: S) -> bool {
    next_status(from) == Some(to) || (to == S::Abandoned && is_active(from))
}

/// Whether the bilan is running its three phases (R6313-4): only then are its sessions booked, held and
/// counted. Before, the contract, consent and withdrawal period are not all there yet (L6313-4,
/// L6353-5, the CPF file); after, the action has ended.
pub fn runs(s: S) -> bool {
    matches!(s, S::Preliminary | S::Investigation | S::Conclusion)
}

/// Whether the bilan's stage allows this kind of appointment: the free information interview before
/// it starts, its sessions while it runs, the follow-up interview once it is done.
pub fn appointment_fits(kind: AppointmentKind, s: S) -> bool {
    match kind {
        AppointmentKind::Information => s == S::Request,
        AppointmentKind::BilanSession => runs(s),
        AppointmentKind::FollowUp => matches!(s, S::Completed | S::Closed),
    }
}

/// The document that stands for the contract before a bilan may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartDocument {
    /// A dated fact recorded on the bilan.
    Fact(FactKind),
    /// The individual contract (L6353-3), once its 10-day withdrawal period is over (L6353-5).
    IndividualContract,
}

/// What each funding mode needs before the preliminary phase, and the condition a missing one is.
#[derive(Debug, Clone, Copy)]
pub struct StartGate {
    pub funding: FundingMode,
    pub document: StartDocument,
    pub missing: Condition,
}

/// The "Convention / contract" row of DOMAIN.md §3.6, in one place: the gate reads it, a test walks it.
/// Mixed funding is not defined by DOMAIN.md: it keeps the convention tripartite, the strictest of the
/// documents an employer's share would need.
pub const START_GATES: &[StartGate] = &[
    // The CGU replace the convention (D6353-1 III); no start before the file is accepted (§3.1).
    StartGate {
        funding: FundingMode::Cpf,
        document: StartDocument::Fact(FactKind::CpfFileAccepted),
        missing: Condition::CpfFileAccepted,
    },
    StartGate {
        funding: FundingMode::Employer,
        document: StartDocument::Fact(FactKind::TripartiteConventionSigned),
        missing: Condition::TripartiteConvention,
    },
    StartGate {
        funding: FundingMode::Reclassement,
        document: StartDocument::Fact(FactKind::TripartiteConventionSigned),
        missing: Condition::TripartiteConvention,
    },
    // AIF: the quote filed in KAIROS and France Travail's decision; no individual contract (§3.4).
    StartGate {
        funding: FundingMode::FranceTravail,
        document: StartDocument::Fact(FactKind::KairosQuoteAccepted),
        missing: Condition::KairosQuoteAccepted,
    },
    StartGate {
        funding: FundingMode::SelfFunded,
        document: StartDocument::IndividualContract,
        missing: Condition::IndividualContract,
    },
    StartGate {
        funding: FundingMode::Mixed,
        document: StartDocument::Fact(FactKind::TripartiteConventionSigned),
        missing: Condition::TripartiteConvention,
    },
];

/// The start gate of a funding mode (every mode has one; the tests check it).
pub fn start_gate(funding: FundingMode) -> Option<&'static StartGate> {
    START_GATES.iter().find(|g| g.funding == funding)
}

/// A CRM's id for a record (`external_ref`): 1 to 100 characters, none of them a control character,
/// without surrounding spaces, so that a lookup by it is exact. Compared as given (case counts).
pub fn external_ref(text: &str) -> Result<(), validator::ValidationError> {
    let fail = |code: &'static str, message: &'static str| {
        Err(validator::ValidationError::new(code).with_message(message.into()))
    };
    let n = text.chars().count();
    if n == 0 || n > 100 {
        return fail("length", "doit contenir de 1 à 100 caractères");
    }
    if text.trim() != text {
        return fail("spaces", "ne doit pas commencer ni finir par un espace");
    }
    crate::users::printable(text)
}

/// A SIRET is 14 digits whose Luhn sum is a multiple of 10 (La Poste's establishments, 356000000…,
/// are the known exception: their digits sum to a multiple of 5).
pub fn siret_is_valid(siret: &str) -> bool {
    let digits: Vec<u32> = siret.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 14 || siret.chars().any(|c| !c.is_ascii_digit()) {
        return false;
    }
    if siret.starts_with("356000000") {
        return digits.iter().sum::<u32>() % 5 == 0;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                *d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A beneficiary's date of birth is plausible from 15 to 100 years before `today`.
pub fn birth_date_is_plausible(birth: NaiveDate, today: NaiveDate) -> bool {
    birth <= today
        && today
            .years_since(birth)
            .is_some_and(|age| (15..=100).contains(&age))
}

#[cfg(test)]
mod external_ref_tests {
    use super::external_ref;

    #[test]
    fn a_crm_id_is_one_to_a_hundred_printable_characters_without_surrounding_spaces() {
        assert!(external_ref("0061t00000AbCdE").is_ok());
        assert!(external_ref(&"x".repeat(100)).is_ok());
        for bad in ["", " 42", "42 ", "4\n2"] {
            assert!(external_ref(bad).is_err(), "{bad:?}");
        }
        assert!(external_ref(&"x".repeat(101)).is_err());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_moves_one_step_and_abandons_only_while_active() {
        assert_eq!(next_status(S::Request), Some(S::Preliminary));
        assert_eq!(next_status(S::Closed), None);
        assert_eq!(next_status(S::Abandoned), None);
        assert!(may_move(S::Request, S::Preliminary));
        assert!(!may_move(S::Request, S::Investigation));
        assert!(!may_move(S::Investigation, S::Preliminary));
        assert!(may_move(S::Conclusion, S::Abandoned));
        assert!(!may_move(S::Completed, S::Abandoned));
        assert!(!may_move(S::Abandoned, S::Request));
    }

    #[test]
    fn sessions_and_their_bookings_need_the_bilan_running() {
        for s in S::ALL {
            let running = matches!(s, S::Preliminary | S::Investigation | S::Conclusion);
            assert_eq!(runs(*s), running, "{s:?}");
            assert_eq!(
                appointment_fits(AppointmentKind::BilanSession, *s),
                running,
                "{s:?}"
            );
        }
        assert!(appointment_fits(AppointmentKind::Information, S::Request));
        assert!(!appointment_fits(
            AppointmentKind::Information,
            S::Preliminary
        ));
        assert!(appointment_fits(AppointmentKind::FollowUp, S::Completed));
        assert!(!appointment_fits(AppointmentKind::FollowUp, S::Abandoned));
    }

    #[test]
    fn every_funding_mode_has_exactly_one_start_gate_and_france_travail_needs_no_contract() {
        for f in FundingMode::ALL {
            let n = START_GATES.iter().filter(|g| g.funding == *f).count();
            assert_eq!(n, 1, "{f:?}");
        }
        assert_eq!(
            start_gate(FundingMode::FranceTravail).map(|g| g.document),
            Some(StartDocument::Fact(FactKind::KairosQuoteAccepted))
        );
        assert_eq!(
            start_gate(FundingMode::SelfFunded).map(|g| g.document),
            Some(StartDocument::IndividualContract),
            "only a self-funded individual signs the L6353-3 contract"
        );
        for g in START_GATES {
            if g.funding != FundingMode::SelfFunded {
                assert_ne!(g.document, StartDocument::IndividualContract, "{g:?}");
            }
        }
    }

    #[test]
    fn siret_checks_length_digits_and_key() {
        assert!(siret_is_valid("73282932000074"));
        assert!(!siret_is_valid("73282932000075"));
        assert!(!siret_is_valid("7328293200007"));
        assert!(!siret_is_valid("7328293200007a"));
    }

    #[test]
    fn birth_dates_outside_15_to_100_years_are_implausible() {
        let today: NaiveDate = "2026-12-04".parse().unwrap();
        assert!(birth_date_is_plausible(
            "1980-01-01".parse().unwrap(),
            today
        ));
        assert!(!birth_date_is_plausible(
            "2027-01-01".parse().unwrap(),
            today
        ));
        assert!(!birth_date_is_plausible(
            "2015-01-01".parse().unwrap(),
            today
        ));
        assert!(!birth_date_is_plausible(
            "1900-01-01".parse().unwrap(),
            today
        ));
    }
}
