//! The words of the questionnaire builder (issue 11: staff build their own questionnaires), French
//! and English side by side: one line per key, so that a missing translation does not compile.

macro_rules! builder_strings {
    ($($key:ident: $fr:expr, $en:expr;)*) => {
        /// The strings of the questionnaire list and editor. `{x}` placeholders are filled with
        /// `str::replace`.
        #[derive(Debug)]
        #[repr(C)]
        pub struct BuilderStrings {
            $(pub $key: &'static str,)*
        }
        #[cfg(not(target_arch = "wasm32"))]
        pub const BUILDER_FR: BuilderStrings = BuilderStrings { $($key: $fr,)* };
        #[cfg(not(target_arch = "wasm32"))]
        pub const BUILDER_EN: BuilderStrings = BuilderStrings { $($key: $en,)* };
    };
}

builder_strings! {
    nav: "Questionnaires", "Questionnaires";
    list_title: "Questionnaires", "Questionnaires";
    list_intro: "Les questionnaires que vous pouvez proposer dans un bilan : ceux fournis avec Boussole (source et licence indiquées) et ceux créés par l’équipe. Chaque enregistrement d’un questionnaire créé en fait une nouvelle version ; les réponses déjà données restent liées à la version sur laquelle elles ont été données.",
        "The questionnaires you can offer in a bilan: those shipped with Boussole (with their source and licence) and those built by the team. Each save of a built questionnaire makes a new version of it; answers already given stay linked to the version they were given on.";
    list_caption: "Questionnaires disponibles", "Available questionnaires";
    new_button: "Créer un questionnaire", "Build a questionnaire";
    col_title: "Questionnaire", "Questionnaire";
    col_origin: "Origine", "Origin";
    col_version: "Version", "Version";
    col_items: "Questions", "Questions";
    col_actions: "Actions", "Actions";
    standard: "Fourni avec Boussole", "Shipped with Boussole";
    custom: "Créé par l’équipe", "Built by the team";
    source_licence: "Source : {source} — Licence : {licence}", "Source: {source} — Licence: {licence}";
    author: "Auteur : {name}", "Author: {name}";
    open: "Ouvrir", "Open";
    new_version: "Modifier (nouvelle version)", "Edit (new version)";
    copy: "Partir d’une copie", "Start from a copy";
    new_title: "Nouveau questionnaire", "New questionnaire";
    version_title: "Nouvelle version : {title}", "New version: {title}";
    version_note: "Vous modifiez la version {n}. Enregistrer crée la version {m} : les questionnaires déjà proposés et leurs réponses restent sur la version où ils ont été donnés.",
        "You are editing version {n}. Saving creates version {m}: the questionnaires already offered and their answers stay on the version they were given on.";
    copy_note: "Copie de « {title} » : un nouveau questionnaire, avec sa source et sa licence d’origine.", "Copy of “{title}”: a new questionnaire, keeping its original source and licence.";
    standard_note: "Ce questionnaire est fourni avec Boussole et ne se modifie pas. Pour l’adapter, partez d’une copie.", "This questionnaire is shipped with Boussole and cannot be changed. To adapt it, start from a copy.";
    back_to_list: "Retour aux questionnaires", "Back to the questionnaires";
    general: "Le questionnaire", "The questionnaire";
    f_title: "Titre", "Title";
    f_id: "Identifiant", "Identifier";
    f_id_hint: "Lettres minuscules sans accent, chiffres et tirets ; il ne change plus ensuite.", "Lowercase letters, digits and dashes; it cannot change afterwards.";
    f_description: "Description (facultatif)", "Description (optional)";
    f_instructions: "Consignes pour le bénéficiaire", "Instructions for the beneficiary";
    f_lang: "Langue des textes", "Language of the texts";
    lang_fr: "Français", "French";
    lang_en: "Anglais", "English";
    sections: "Parties et questions", "Parts and questions";
    section_n: "Partie {n}", "Part {n}";
    f_section_title: "Titre de la partie", "Title of the part";
    add_section: "Ajouter une partie", "Add a part";
    item_n: "Question {n}", "Question {n}";
    f_text: "Texte de la question", "Question text";
    f_kind: "Type de réponse", "Kind of answer";
    kind_likert: "Échelle d’accord (Likert)", "Agreement scale (Likert)";
    kind_single: "Choix unique", "Single choice";
    kind_multiple: "Choix multiple", "Multiple choice";
    kind_ranking: "Classement", "Ranking";
    kind_text: "Texte libre", "Free text";
    kind_number: "Nombre", "Number";
    f_required: "Réponse obligatoire", "Answer required";
    f_points: "Nombre de points", "Number of points";
    f_labels: "Libellés des points, un par ligne, du plus faible au plus fort", "Point labels, one per line, from lowest to highest";
    labels_hint: "Laissez vide pour n’afficher que les nombres.", "Leave empty to show numbers only.";
    f_options: "Options, une par ligne", "Options, one per line";
    options_hint: "Pour compter une option dans une échelle, ajoutez sa valeur après un signe égal : « Souvent = 3 ».", "To count an option in a scale, add its value after an equals sign: “Often = 3”.";
    f_min: "Minimum (facultatif)", "Minimum (optional)";
    f_max: "Maximum (facultatif)", "Maximum (optional)";
    f_integer: "Nombres entiers seulement", "Whole numbers only";
    f_max_length: "Longueur maximale (caractères)", "Maximum length (characters)";
    add_item: "Ajouter une question", "Add a question";
    move_up: "Monter", "Move up";
    move_down: "Descendre", "Move down";
    remove: "Supprimer", "Remove";
    scales: "Échelles (scores)", "Scales (scores)";
    scales_intro: "Facultatif. Une échelle additionne ou moyenne les réponses de certaines questions. S’il y a des échelles, chaque question (sauf texte libre) doit être comptée dans l’une d’elles ; un classement ne peut pas l’être ici.",
        "Optional. A scale sums or averages the answers of some questions. With scales, every question (except free texts) must be counted in one of them; a ranking cannot be here.";
    scale_n: "Échelle {n}", "Scale {n}";
    f_scale_name: "Nom de l’échelle", "Scale name";
    f_rule: "Calcul du score", "How the score is computed";
    rule_sum: "Somme", "Sum";
    rule_mean: "Moyenne", "Mean";
    rule_percent: "Pourcentage du maximum", "Percentage of the maximum";
    scale_items: "Questions comptées", "Questions counted";
    counted: "Compter la question {n} : {text}", "Count question {n}: {text}";
    reverse: "inversée (1 compte comme le maximum)", "reverse-keyed (1 counts as the maximum)";
    no_scorable: "Aucune question ne peut encore être comptée.", "No question can be counted yet.";
    add_scale: "Ajouter une échelle", "Add a scale";
    bands: "Repères d’interprétation (facultatif)", "Interpretation bands (optional)";
    band_n: "Repère {n}", "Band {n}";
    f_band_min: "Score de", "Score from";
    f_band_max: "à", "to";
    f_band_text: "Texte affiché", "Text shown";
    add_band: "Ajouter un repère", "Add a band";
    preview: "Aperçu", "Preview";
    preview_show: "Afficher l’aperçu", "Show the preview";
    preview_hide: "Masquer l’aperçu", "Hide the preview";
    preview_note: "Ce que verra le bénéficiaire (les réponses de l’aperçu ne sont pas enregistrées).", "What the beneficiary will see (answers in the preview are not saved).";
    save: "Enregistrer le questionnaire", "Save the questionnaire";
    saved_toast: "Questionnaire enregistré (version {n}).", "Questionnaire saved (version {n}).";
    err_title: "Le questionnaire n’est pas enregistré : corrigez les champs signalés.", "The questionnaire is not saved: correct the fields marked.";
    err_id: "Un identifiant de lettres minuscules sans accent, chiffres et tirets (64 au plus).", "An identifier of lowercase letters, digits and dashes (64 at most).";
    err_id_taken: "Cet identifiant est déjà pris : choisissez-en un autre, ou ouvrez ce questionnaire pour en faire une nouvelle version.", "This identifier is taken: choose another one, or open that questionnaire to make a new version of it.";
    err_required: "À remplir.", "Required.";
    err_no_items: "Ajoutez au moins une question.", "Add at least one question.";
    err_labels: "Un libellé par point (ou aucun).", "One label per point (or none).";
    err_options: "Au moins deux options.", "At least two options.";
    err_bounds: "Des nombres, le minimum au plus égal au maximum.", "Numbers, the minimum at most the maximum.";
    err_max_length: "Un nombre entre 1 et 20000.", "A number from 1 to 20000.";
    err_scale_empty: "Cochez au moins une question.", "Tick at least one question.";
    err_unscored: "Une question comptée doit avoir une valeur pour chaque option (« = 3 »), ou un nombre un minimum et un maximum.", "A counted question needs a value for each option (“= 3”), or a number a minimum and a maximum.";
    err_band: "Chaque repère a deux nombres (le premier au plus égal au second) et un texte.", "Each band has two numbers (the first at most the second) and a text.";
    err_no_scale: "La question {n} n’est comptée dans aucune échelle.", "Question {n} is counted in no scale.";
}
