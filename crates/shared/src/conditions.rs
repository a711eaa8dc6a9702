//! What a step of the bilan needs before it may be taken, by name (DOMAIN.md §3.6 and R6313-4). The API
//! sends a condition's code (`next_step_missing` on a bilan, `missing` in a `bilan-conditions-missing`,
//! `minimum-hours` or `maximum-hours` problem) and each language says it in its own words: the SPA's
//! tables hold the French text below and its English translation, and a CRM can map the codes itself.

coded_enum! {
    /// A condition of the workflow that is not met yet.
    Condition,
    /// How the condition is said in French, with the article of law that asks for it.
    fn french;
    PreContractInfo = "pre-contract-info", "Information précontractuelle remise (L6353-8)";
    StartConsent = "start-consent",
        "Consentement du bénéficiaire à démarrer le bilan (L6313-4)";
    ReglementInterieur = "reglement-interieur",
        "Règlement intérieur remis et pris en compte par le bénéficiaire (L6352-3)";
    /// No funding document is defined for the bilan's funding mode (a configuration gap).
    FundingDocumentUndefined = "funding-document-undefined",
        "Document de financement non défini pour ce mode";
    CpfFileAccepted = "cpf-file-accepted", "Dossier CPF accepté";
    TripartiteConvention = "tripartite-convention", "Convention tripartite signée (R6313-8)";
    KairosQuoteAccepted = "kairos-quote-accepted",
        "Devis KAIROS validé par France Travail (AIF)";
    IndividualContract = "individual-contract", "Contrat individuel signé (L6353-3)";
    WithdrawalPeriod = "withdrawal-period",
        "Délai de rétractation de 10 jours écoulé depuis la signature du contrat (L6353-5)";
    NeedsAnalysis = "needs-analysis", "Analyse de la demande et du besoin (R6313-4 1° a)";
    PersonalisedObjectives = "personalised-objectives", "Objectifs personnalisés définis";
    AgreedArrangements = "agreed-arrangements",
        "Modalités de déroulement convenues (R6313-4 1° c)";
    ResultsAppropriated = "results-appropriated",
        "Appropriation des résultats détaillés (R6313-4 3° a)";
    ProjectConditions = "project-conditions",
        "Conditions et moyens du projet recensés (R6313-4 3° b)";
    ProjectSteps = "project-steps", "Principales étapes du projet prévues (R6313-4 3° c)";
    SyntheseDelivered = "synthese-delivered",
        "Document de synthèse remis au bénéficiaire (L6313-4)";
    /// The organisation's minimum of effective accompaniment (its settings; the problem's `detail`
    /// says how many hours).
    MinimumHours = "minimum-hours",
        "Le minimum d'heures d'accompagnement effectif fixé par l'organisme (R6313-4, décret en attente)";
    MaximumHours = "maximum-hours",
        "Au plus 24 heures d'accompagnement pour un bilan de compétences (L6313-4)";
}

impl From<Condition> for String {
    fn from(c: Condition) -> String {
        c.as_str().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_parse_back() {
        crate::tests::check_codes(Condition::ALL, Condition::as_str, Condition::parse);
        assert!(Condition::ALL.iter().all(|c| !c.french().is_empty()));
        assert_eq!(Condition::parse("Consentement"), None);
    }
}
