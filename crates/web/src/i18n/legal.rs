//! The words of the document templates, the retention rules with their destruction records, and the
//! beneficiary's acknowledgement of the règlement intérieur (issue 12), French and English side by
//! side: one line per key, so that a missing translation does not compile.

macro_rules! legal_strings {
    ($($key:ident: $fr:expr, $en:expr;)*) => {
        /// The strings of the templates and retention screens. `{x}` placeholders are filled with
        /// `str::replace`.
        #[derive(Debug)]
        #[repr(C)]
        pub struct LegalStrings {
            $(pub $key: &'static str,)*
        }
        #[cfg(not(target_arch = "wasm32"))]
        pub const LEGAL_FR: LegalStrings = LegalStrings { $($key: $fr,)* };
        #[cfg(not(target_arch = "wasm32"))]
        pub const LEGAL_EN: LegalStrings = LegalStrings { $($key: $en,)* };
    };
}

legal_strings! {
    tpl_nav: "Modèles de documents", "Document templates";
    tpl_intro: "Les paragraphes que l’organisme rédige lui-même dans ses documents. Chaque enregistrement crée une nouvelle version : les documents émis ensuite l’utilisent, ceux déjà émis ne changent pas.",
        "The paragraphs the organisation words itself in its documents. Every save makes a new version: documents issued afterwards use it, those already issued do not change.";
    tpl_fixed: "Les mentions exigées par la loi ne sont pas modifiables : phases du bilan (R6313-4), confidentialité (L6313-4), destruction des documents (R6313-7), délai de rétractation et paiement (L6353-5, L6353-6), force majeure (L6353-7), accord du salarié (R6313-8) et information RGPD restent fixes et sont toujours imprimées.",
        "The wording the law requires cannot be edited: the phases of the bilan (R6313-4), confidentiality (L6313-4), destruction of documents (R6313-7), withdrawal period and payment (L6353-5, L6353-6), force majeure (L6353-7), the employee’s consent (R6313-8) and the GDPR notice stay fixed and are always printed.";
    tpl_caption: "Modèles ({n})", "Templates ({n})";
    tpl_updated: "Enregistré le", "Saved on";
    tpl_builtin: "Texte d’origine", "Built-in wording";
    tpl_edit: "Modifier", "Edit";
    tpl_edit_label: "Modifier le modèle : {name}", "Edit the template: {name}";
    tpl_page: "Modèle : {name}", "Template: {name}";
    tpl_back: "Retour aux modèles", "Back to the templates";
    tpl_current: "Version en cours : {n}", "Current version: {n}";
    tpl_fields: "Champs de fusion", "Merge fields";
    tpl_fields_intro: "Écrivez un champ entre doubles accolades, par exemple {{beneficiary.full_name}} : il est remplacé à l’émission du document. Seuls les champs ci-dessous sont acceptés.",
        "Write a field between double braces, e.g. {{beneficiary.full_name}}: it is replaced when the document is issued. Only the fields below are accepted.";
    tpl_paragraphs: "Paragraphes modifiables", "Editable paragraphs";
    tpl_save: "Enregistrer une nouvelle version", "Save a new version";
    tpl_saved: "Version {n} enregistrée", "Version {n} saved";
    tpl_conflict: "Ce modèle a été enregistré par quelqu’un d’autre (ou dans un autre onglet) depuis que vous l’avez ouvert : rien n’a été enregistré. Rechargez-le pour partir de la version en cours, après avoir copié votre texte si vous voulez le garder.",
        "This template was saved by someone else (or in another tab) since you opened it: nothing was saved. Reload it to start from the current version, after copying your text if you want to keep it.";
    tpl_reload: "Recharger le modèle", "Reload the template";
    tpl_history: "Historique des versions", "Version history";
    tpl_history_caption: "Versions ({n}), la plus récente en premier", "Versions ({n}), newest first";
    tpl_show_text: "Texte de la version {n}", "Wording of version {n}";
    ret_nav: "Conservation des documents", "Document retention";
    ret_title: "Conservation et destruction", "Retention and destruction";
    ret_intro: "Combien de temps chaque catégorie de documents est conservée après la fin de l’action, dans les limites que la loi fixe. La destruction applique ces durées à chaque passage et consigne ce qu’elle détruit dans un procès-verbal (jamais le contenu).",
        "How long each class of documents is kept after the end of the action, within the bounds the law sets. The destruction job applies these periods at each pass and records what it destroyed in a report (never the content).";
    ret_rules: "Durées de conservation", "Retention periods";
    ret_months: "Durée après la fin de l’action (mois)", "Period after the end of the action (months)";
    ret_bounds: "Entre {min} et {max} mois. {basis}", "Between {min} and {max} months. {basis}";
    ret_fixed: "Fixée par la loi, non modifiable : {n} mois après la fin de l’action ({basis}).", "Set by law, cannot be changed: {n} months after the end of the action ({basis}).";
    ret_not_number: "Indiquez un nombre entier de mois.", "Enter a whole number of months.";
    ret_saved: "Durée de conservation enregistrée", "Retention period saved";
    ret_changed: "Modifiée le {date}", "Changed on {date}";
    ret_runs: "Procès-verbaux de destruction", "Destruction records";
    ret_runs_caption: "Destructions ({n}), la plus récente en premier", "Destructions ({n}), newest first";
    ret_runs_empty: "Aucune destruction enregistrée.", "No destruction recorded.";
    ret_ran_at: "Date", "Date";
    ret_trigger: "Déclenchée par", "Started by";
    ret_by_job: "La destruction automatique", "The automatic job";
    ret_by_admin: "Un administrateur", "An administrator";
    ret_items: "Éléments détruits", "Items destroyed";
    ret_open_label: "Voir la destruction du {date}", "See the destruction of {date}";
    ret_run_now: "Lancer maintenant", "Run now";
    ret_confirm_title: "Lancer la destruction maintenant ?", "Run the destruction now?";
    ret_confirm_text: "Tout ce dont la durée de conservation est dépassée sera détruit définitivement, sans retour possible. Le passage est consigné dans un procès-verbal, même si rien n’est à détruire.",
        "Everything past its retention period will be destroyed for good, with no way back. The pass is recorded in a report, even if nothing is due.";
    ret_confirm: "Détruire maintenant", "Destroy now";
    ret_done: "Destruction effectuée : {n} élément(s) détruit(s)", "Destruction done: {n} item(s) destroyed";
    run_title: "Destruction du {date}", "Destruction of {date}";
    run_back: "Retour à la conservation", "Back to retention";
    run_pdf: "Télécharger le procès-verbal de destruction (PDF)", "Download the destruction report (PDF)";
    run_caption: "Éléments détruits ({n})", "Items destroyed ({n})";
    run_empty: "Rien n’était à détruire lors de ce passage.", "Nothing was due at this pass.";
    run_what: "Élément", "Item";
    run_rule: "Règle appliquée", "Rule applied";
    run_bilan: "Bilan", "Bilan";
    run_at: "Détruit le", "Destroyed on";
    ack_title: "Règlement intérieur", "Internal rules (règlement intérieur)";
    ack_intro: "L’organisme vous a remis son règlement intérieur (article L6352-3 du Code du travail) : il figure dans la liste ci-dessus. Lisez-le, puis indiquez que vous en avez pris connaissance.",
        "The organisation gave you its internal rules (article L6352-3 of the Code du travail): they are in the list above. Read them, then say that you have.";
    ack_button: "J’ai pris connaissance du règlement intérieur", "I have read the internal rules";
    ack_done: "Vous avez pris connaissance du règlement intérieur le {date}.", "You read the internal rules on {date}.";
}
