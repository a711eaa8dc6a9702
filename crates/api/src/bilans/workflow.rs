//! The gates a bilan's transitions check (DOMAIN.md §1, R6313-4, R6313-8); the path itself is
//! `boussole_shared::rules`, which the SPA also follows.

use std::collections::HashMap;

use boussole_shared::bilans::{BilanStatus as S, FactKind as F, FundingMode};
use boussole_shared::conditions::Condition as C;
use boussole_shared::rules::{StartDocument, next_status, start_gate};
use chrono::{Days, NaiveDate};
use diesel::prelude::*;

use crate::db::Conn;
use crate::schema::{bilan_consents, bilan_facts};

/// Days an individual contract may be withdrawn from after signature (L6353-5).
pub const WITHDRAWAL_DAYS: u64 = 10;

/// What the facts say: the latest date of each kind, and whether consent to start is in force.
#[derive(Debug, Default)]
pub struct Evidence {
    pub facts: HashMap<F, NaiveDate>,
    pub start_consent: bool,
    /// The organisation requires the règlement intérieur acknowledged before the preliminary phase
    /// (`SecuritySettings::reglement_interieur_required`; the caller fills it in).
    pub reglement_required: bool,
}

pub fn evidence(conn: &mut Conn, bilan_id: &str) -> QueryResult<Evidence> {
    Ok(evidences(conn, &[bilan_id])?
        .remove(bilan_id)
        .unwrap_or_default())
}

/// The evidence of several bilans in two queries (a list shows each one's next step).
pub fn evidences(conn: &mut Conn, bilan_ids: &[&str]) -> QueryResult<HashMap<String, Evidence>> {
    let rows: Vec<(String, String, NaiveDate)> = bilan_facts::table
        .filter(bilan_facts::bilan_id.eq_any(bilan_ids))
        .select((
            bilan_facts::bilan_id,
            bilan_facts::kind,
            bilan_facts::occurred_on,
        ))
        .load(conn)?;
    let started: Vec<String> = bilan_consents::table
        .filter(bilan_consents::bilan_id.eq_any(bilan_ids))
        .filter(bilan_consents::kind.eq("start"))
        .filter(bilan_consents::revoked_at.is_null())
        .select(bilan_consents::bilan_id)
        .load(conn)?;
    let mut out: HashMap<String, Evidence> = bilan_ids
        .iter()
        .map(|id| (id.to_string(), Evidence::default()))
        .collect();
    for (bilan_id, kind, on) in rows {
        let (Some(ev), Some(kind)) = (out.get_mut(&bilan_id), F::parse(&kind)) else {
            continue;
        };
        let latest = ev.facts.entry(kind).or_insert(on);
        if on > *latest {
            *latest = on;
        }
    }
    for bilan_id in started {
        if let Some(ev) = out.get_mut(&bilan_id) {
            ev.start_consent = true;
        }
    }
    Ok(out)
}

/// What moving to `to` still needs; empty when the gate is open.
pub fn missing(to: S, funding: FundingMode, ev: &Evidence, today: NaiveDate) -> Vec<C> {
    let has = |k: F| ev.facts.contains_key(&k);
    let mut out = Vec::new();
    let mut need = |ok: bool, c: C| {
        if !ok {
            out.push(c);
        }
    };
    match to {
        S::Preliminary => {
            need(has(F::PreContractInfo), C::PreContractInfo);
            need(ev.start_consent, C::StartConsent);
            if ev.reglement_required {
                need(
                    has(F::ReglementInterieurAcknowledged),
                    C::ReglementInterieur,
                );
            }
            // DOMAIN.md §3.6: what stands for the contract depends on who pays (one table, in rules).
            match start_gate(funding) {
                None => need(false, C::FundingDocumentUndefined),
                Some(gate) => match gate.document {
                    StartDocument::Fact(kind) => need(has(kind), gate.missing),
                    StartDocument::IndividualContract => {
                        match ev.facts.get(&F::IndividualContractSigned) {
                            None => need(false, gate.missing),
                            Some(signed) => need(
                                signed
                                    .checked_add_days(Days::new(WITHDRAWAL_DAYS))
                                    .is_some_and(|end| end <= today),
                                C::WithdrawalPeriod,
                            ),
                        }
                    }
                },
            }
        }
        S::Investigation => {
            need(has(F::NeedsAnalysis), C::NeedsAnalysis);
            need(has(F::PersonalisedObjectives), C::PersonalisedObjectives);
            need(has(F::AgreedArrangements), C::AgreedArrangements);
        }
        S::Completed => {
            need(has(F::ResultsAppropriated), C::ResultsAppropriated);
            need(has(F::ProjectConditions), C::ProjectConditions);
            need(has(F::ProjectSteps), C::ProjectSteps);
            need(has(F::SyntheseDelivered), C::SyntheseDelivered);
        }
        S::Request | S::Conclusion | S::Closed | S::Abandoned => {}
    }
    out
}

/// What the next normal step still needs, shown on the bilan (the conditions' codes).
pub fn next_step_missing(
    status: S,
    funding: FundingMode,
    ev: &Evidence,
    today: NaiveDate,
) -> Vec<String> {
    next_status(status).map_or_else(Vec::new, |to| {
        missing(to, funding, ev, today)
            .into_iter()
            .map(String::from)
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use boussole_shared::rules::START_GATES;

    fn ev(facts: &[(F, &str)], start_consent: bool) -> Evidence {
        Evidence {
            facts: facts
                .iter()
                .map(|(k, d)| (*k, d.parse().unwrap()))
                .collect(),
            start_consent,
            reglement_required: false,
        }
    }

    #[test]
    fn the_reglement_interieur_is_required_only_when_the_organisation_says_so() {
        let today: NaiveDate = "2026-11-30".parse().unwrap();
        let facts = [
            (F::PreContractInfo, "2026-11-01"),
            (F::CpfFileAccepted, "2026-11-02"),
        ];
        let mut e = ev(&facts, true);
        assert!(missing(S::Preliminary, FundingMode::Cpf, &e, today).is_empty());
        e.reglement_required = true;
        let gaps = missing(S::Preliminary, FundingMode::Cpf, &e, today);
        assert_eq!(gaps.len(), 1);
        assert_eq!(gaps, [C::ReglementInterieur]);
        e.facts.insert(
            F::ReglementInterieurAcknowledged,
            "2026-11-03".parse().unwrap(),
        );
        assert!(missing(S::Preliminary, FundingMode::Cpf, &e, today).is_empty());
    }

    #[test]
    fn the_withdrawal_period_must_be_over_for_an_individual_contract() {
        let today: NaiveDate = "2026-11-30".parse().unwrap();
        let base = [(F::PreContractInfo, "2026-11-01")];
        let signed_recently = ev(
            &[base[0], (F::IndividualContractSigned, "2026-11-25")],
            true,
        );
        let m = missing(
            S::Preliminary,
            FundingMode::SelfFunded,
            &signed_recently,
            today,
        );
        assert_eq!(m.len(), 1);
        assert_eq!(m, [C::WithdrawalPeriod]);
        let signed_long_ago = ev(
            &[base[0], (F::IndividualContractSigned, "2026-11-20")],
            true,
        );
        assert!(
            missing(
                S::Preliminary,
                FundingMode::SelfFunded,
                &signed_long_ago,
                today
            )
            .is_empty()
        );
        // An employer-funded bilan needs the convention tripartite instead, and consent.
        let m = missing(
            S::Preliminary,
            FundingMode::Employer,
            &ev(&base, false),
            today,
        );
        assert_eq!(m.len(), 2, "{m:?}");
    }

    /// Walks the funding table: each mode's document opens its gate, and no other document does.
    #[test]
    fn each_funding_mode_starts_on_its_own_document_only() {
        let today: NaiveDate = "2026-11-30".parse().unwrap();
        let documents = [
            F::CpfFileAccepted,
            F::TripartiteConventionSigned,
            F::KairosQuoteAccepted,
            F::IndividualContractSigned,
        ];
        for gate in START_GATES {
            let own = match gate.document {
                StartDocument::Fact(kind) => kind,
                StartDocument::IndividualContract => F::IndividualContractSigned,
            };
            for doc in documents {
                let e = ev(
                    &[(F::PreContractInfo, "2026-11-01"), (doc, "2026-11-01")],
                    true,
                );
                let m = missing(S::Preliminary, gate.funding, &e, today);
                assert_eq!(
                    m.is_empty(),
                    doc == own,
                    "{:?} with {doc:?}: {m:?}",
                    gate.funding
                );
                if doc != own {
                    assert_eq!(m, [gate.missing]);
                }
            }
        }
        // France Travail (AIF): the validated KAIROS quote, never an individual contract.
        let m = missing(
            S::Preliminary,
            FundingMode::FranceTravail,
            &ev(&[(F::PreContractInfo, "2026-11-01")], true),
            today,
        );
        assert!(m.contains(&C::KairosQuoteAccepted), "{m:?}");
        assert!(!m.contains(&C::IndividualContract), "{m:?}");
    }
}
