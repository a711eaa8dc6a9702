//! The words of "who read my file" (the beneficiary's access history, issue 10 item 2), French and
//! English side by side: the feature is small and its words stay together.

/// The strings of the access history.
#[derive(Debug)]
pub struct AccessStrings {
    pub title: &'static str,
    pub intro: &'static str,
    pub readers_title: &'static str,
    /// "{name}, depuis le {date}".
    pub reader_since: &'static str,
    pub you: &'static str,
    pub role_consultant: &'static str,
    pub role_beneficiary: &'static str,
    pub role_admin: &'static str,
    pub history_title: &'static str,
    pub caption: &'static str,
    pub empty: &'static str,
    pub at: &'static str,
    pub who: &'static str,
    pub what: &'static str,
    pub what_notes: &'static str,
    pub what_files: &'static str,
    pub what_file_download: &'static str,
    pub report: &'static str,
    /// The button's accessible name: "Je ne reconnais pas l'accès de {name} du {date}".
    pub report_label: &'static str,
    pub reported: &'static str,
    pub reported_toast: &'static str,
}

pub const ACCESS_FR: AccessStrings = AccessStrings {
    title: "Qui a consulté mon dossier",
    intro: "Chaque lecture du contenu de votre bilan (notes, documents) par une autre personne que vous est enregistrée ici, avec son nom et l’heure. Si vous ne reconnaissez pas un accès, signalez-le : les administrateurs de l’organisme sont prévenus.",
    readers_title: "Qui peut lire votre dossier aujourd’hui",
    reader_since: "{name}, depuis le {date}",
    you: "vous",
    role_consultant: "consultant(e)",
    role_beneficiary: "bénéficiaire",
    role_admin: "administrateur",
    history_title: "Historique des consultations",
    caption: "Consultations de votre dossier, les plus récentes d’abord ({n} au total).",
    empty: "Personne d’autre que vous n’a encore consulté votre dossier.",
    at: "Quand",
    who: "Qui",
    what: "Quoi",
    what_notes: "les notes",
    what_files: "la liste des documents",
    what_file_download: "un document (téléchargé)",
    report: "Je ne reconnais pas cet accès",
    report_label: "Je ne reconnais pas cet accès : {name}, {date}",
    reported: "Signalé",
    reported_toast: "Merci : l’accès est signalé aux administrateurs de l’organisme.",
};

pub const ACCESS_EN: AccessStrings = AccessStrings {
    title: "Who has read my file",
    intro: "Every read of your bilan's content (notes, documents) by anyone but you is recorded here, with their name and the time. If you do not recognise an access, report it: the organisation's administrators are alerted.",
    readers_title: "Who can read your file today",
    reader_since: "{name}, since {date}",
    you: "you",
    role_consultant: "consultant",
    role_beneficiary: "beneficiary",
    role_admin: "administrator",
    history_title: "Access history",
    caption: "Reads of your file, newest first ({n} in all).",
    empty: "Nobody but you has read your file yet.",
    at: "When",
    who: "Who",
    what: "What",
    what_notes: "the notes",
    what_files: "the list of documents",
    what_file_download: "a document (downloaded)",
    report: "I do not recognise this access",
    report_label: "I do not recognise this access: {name}, {date}",
    reported: "Reported",
    reported_toast: "Thank you: the access has been reported to the organisation's administrators.",
};
