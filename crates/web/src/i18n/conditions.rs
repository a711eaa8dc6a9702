//! The words for the workflow's conditions (`boussole_shared::conditions::Condition`): the API sends a
//! condition's code (what a bilan's next step still needs, what a refused step lacks) and the app says
//! it in the reader's language. Like every table these are data in `fr.json`/`en.json` (code and text
//! pairs at the end of `Common`); the app compiles no condition, only a search through the pairs.

use boussole_shared::conditions::Condition;

/// One code and its text per condition.
pub type Conditions = [[&'static str; 2]; Condition::ALL.len()];

/// French is the shared crate's own wording, the one the API documents.
#[cfg(not(target_arch = "wasm32"))]
pub const CONDITIONS_FR: Conditions = Condition::TABLE;

/// A line per condition; one missing (or one too many) does not compile, and the test below checks
/// that each condition has exactly one.
macro_rules! english {
    ($($name:ident: $en:expr;)*) => {
        #[cfg(not(target_arch = "wasm32"))]
        pub const CONDITIONS_EN: Conditions = [$([Condition::$name.as_str(), $en],)*];
    };
}

english! {
    PreContractInfo: "Pre-contractual information given (L6353-8)";
    StartConsent: "The beneficiary’s consent to start the bilan (L6313-4)";
    ReglementInterieur: "Internal rules given to and acknowledged by the beneficiary (L6352-3)";
    FundingDocumentUndefined: "No funding document is defined for this funding mode";
    CpfFileAccepted: "CPF file accepted";
    TripartiteConvention: "Tripartite agreement (convention tripartite) signed (R6313-8)";
    KairosQuoteAccepted: "KAIROS quote approved by France Travail (AIF)";
    IndividualContract: "Individual contract signed (L6353-3)";
    WithdrawalPeriod: "10-day withdrawal period over since the contract was signed (L6353-5)";
    NeedsAnalysis: "Analysis of the request and of the needs (R6313-4 1° a)";
    PersonalisedObjectives: "Personalised objectives set";
    AgreedArrangements: "How the bilan will run agreed (R6313-4 1° c)";
    ResultsAppropriated: "Detailed results taken on board (R6313-4 3° a)";
    ProjectConditions: "Conditions and means of the project identified (R6313-4 3° b)";
    ProjectSteps: "Main steps of the project planned (R6313-4 3° c)";
    SyntheseDelivered: "Synthèse document given to the beneficiary (L6313-4)";
    MinimumHours: "The organisation’s minimum hours of effective accompaniment (R6313-4, decree pending)";
    MaximumHours: "At most 24 hours of accompaniment for a bilan de compétences (L6313-4)";
}

/// The words for `code` in `list`, or `code` itself when it names no condition (a field's path, which
/// some problems list in `missing`).
pub fn said(list: &Conditions, code: &str) -> String {
    list.iter()
        .find(|[c, _]| *c == code)
        .map_or(code, |[_, text]| text)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_condition_is_said_once_in_each_language() {
        for list in [&CONDITIONS_FR, &CONDITIONS_EN] {
            for c in Condition::ALL {
                let lines = list.iter().filter(|[code, _]| *code == c.as_str()).count();
                assert_eq!(lines, 1, "{c}: {lines} lines");
                assert_ne!(said(list, c.as_str()), c.as_str(), "{c}: no words");
            }
        }
        assert_eq!(
            said(&CONDITIONS_EN, "start-consent"),
            "The beneficiary’s consent to start the bilan (L6313-4)"
        );
        assert_eq!(
            said(&CONDITIONS_FR, "start-consent"),
            Condition::StartConsent.french()
        );
        assert_eq!(
            said(&CONDITIONS_EN, "organisation.siret"),
            "organisation.siret"
        );
    }
}
