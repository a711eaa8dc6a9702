/// The strings of the assessment screens (the beneficiary's questionnaires, the results, the
/// consultant's tab), kept apart so that the feature's words stay together. `{x}` placeholders are
/// filled with `str::replace`.
#[derive(Debug)]
#[repr(C)]
pub struct AssessStrings {
    // the beneficiary's home
    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_empty: &'static str,
    pub status_assigned: &'static str,
    pub status_in_progress: &'static str,
    pub status_submitted: &'static str,
    /// "{n} réponses sur {m}".
    pub answered_of: &'static str,
    pub start: &'static str,
    pub resume: &'static str,
    pub see_results: &'static str,
    // taking a questionnaire
    pub instructions: &'static str,
    pub progress_label: &'static str,
    /// "Partie {n} sur {m}".
    pub part_of: &'static str,
    pub prev_part: &'static str,
    pub next_part: &'static str,
    pub save_pending: &'static str,
    pub save_saving: &'static str,
    pub save_saved: &'static str,
    pub save_failed: &'static str,
    pub retry: &'static str,
    pub optional: &'static str,
    /// "Choisissez entre {min} et {max} réponses."
    pub choices_between: &'static str,
    /// "Choisissez au moins {min} réponses."
    pub choices_at_least: &'static str,
    /// "Choisissez au plus {max} réponses."
    pub choices_at_most: &'static str,
    /// "Un nombre entre {min} et {max}."
    pub number_between: &'static str,
    pub number_whole: &'static str,
    /// "{n} caractères au plus."
    pub text_max: &'static str,
    pub ranking_hint: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    /// "Monter « {label} »".
    pub move_up_label: &'static str,
    pub move_down_label: &'static str,
    /// "{label} : rang {n} sur {m}".
    pub moved: &'static str,
    pub ranking_confirm: &'static str,
    pub submit: &'static str,
    /// "Il reste {n} question(s) obligatoire(s) sans réponse…".
    pub submit_missing: &'static str,
    pub first_missing: &'static str,
    pub confirm_title: &'static str,
    pub confirm_text: &'static str,
    pub confirm_button: &'static str,
    pub submitted_toast: &'static str,
    pub already_submitted: &'static str,
    pub back_home: &'static str,
    // results
    /// "Résultats : {title}".
    pub results_title: &'static str,
    pub results_intro: &'static str,
    pub exploratory: &'static str,
    pub holland_title: &'static str,
    /// "… : {code}."
    pub holland_text: &'static str,
    /// "{letters} …".
    pub holland_ties: &'static str,
    /// "… {n} points …".
    pub holland_differentiation: &'static str,
    pub holland_consistency: &'static str,
    pub consistency_high: &'static str,
    pub consistency_mid: &'static str,
    pub consistency_low: &'static str,
    /// "… ({min} à {max})".
    pub radar_title: &'static str,
    pub bars_title: &'static str,
    pub skills_title: &'static str,
    pub values_title: &'static str,
    pub col_type: &'static str,
    pub col_dimension: &'static str,
    pub col_category: &'static str,
    pub col_score: &'static str,
    pub col_band: &'static str,
    pub col_rank: &'static str,
    pub col_value: &'static str,
    pub not_enough: &'static str,
    /// "{score} sur {max}".
    pub score_of: &'static str,
    /// "T = {t}, centile {p}".
    pub norms: &'static str,
    pub interpretation_title: &'static str,
    pub interpretation_none: &'static str,
    pub interpretation_none_staff: &'static str,
    pub interpretation_label: &'static str,
    pub interpretation_hint: &'static str,
    pub interpretation_save: &'static str,
    pub interpretation_saved: &'static str,
    /// "Mise à jour le {date}".
    pub interpretation_meta: &'static str,
    pub about_title: &'static str,
    pub source: &'static str,
    pub licence: &'static str,
    pub attribution: &'static str,
    pub print: &'static str,
    pub back_to_file: &'static str,
    // the consultant's tab
    pub tab: &'static str,
    pub assign_title: &'static str,
    pub assign_intro: &'static str,
    pub instrument_label: &'static str,
    pub instrument_pick: &'static str,
    /// "{title} ({n} questions)".
    pub instrument_option: &'static str,
    pub assign_button: &'static str,
    pub assigned_toast: &'static str,
    pub list_caption: &'static str,
    pub list_empty: &'static str,
    pub col_instrument: &'static str,
    pub col_status: &'static str,
    pub col_progress: &'static str,
    pub col_assigned_on: &'static str,
    pub col_results: &'static str,
    pub interpreted: &'static str,
}
