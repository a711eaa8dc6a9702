//! Legal limits and rules that the API enforces and the SPA also shows or pre-checks, written once.
//! The API stays the judge: the SPA uses these to guide, never to decide.

use chrono::NaiveDate;

use crate::bilans::BilanStatus as S;

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
