//! The words of the notification centre (issue 14, item 4), French and English side by side.

use boussole_shared::notifications::NotificationKind;

/// The strings of the bell, the notifications page and the preferences.
#[derive(Debug)]
#[repr(C)]
pub struct NotifStrings {
    pub bell: &'static str,
    pub bell_unread: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub empty: &'static str,
    pub empty_unread: &'static str,
    pub unread_only: &'static str,
    pub read_all: &'static str,
    pub mark_read: &'static str,
    pub unread: &'static str,
    pub list_label: &'static str,
    pub kinds: [&'static str; 8],
    pub prefs_title: &'static str,
    pub prefs_intro: &'static str,
    pub prefs_caption: &'static str,
    pub col_kind: &'static str,
    pub col_in_app: &'static str,
    pub col_email: &'static str,
    pub col_sms: &'static str,
    pub sms_unavailable: &'static str,
    pub prefs_save: &'static str,
    pub prefs_saved: &'static str,
}

impl NotifStrings {
    /// What a kind of event is called, in the list and the preferences.
    pub fn kind(&self, kind: NotificationKind) -> &'static str {
        let n = match kind {
            NotificationKind::MessageReceived => 0,
            NotificationKind::AppointmentBooked => 1,
            NotificationKind::AppointmentMoved => 2,
            NotificationKind::AppointmentCancelled => 3,
            NotificationKind::ConsultantAssigned => 4,
            NotificationKind::QuestionnaireAssigned => 5,
            NotificationKind::DocumentIssued => 6,
            NotificationKind::ResourceShared => 7,
        };
        self.kinds[n]
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub const NOTIF_FR: NotifStrings = NotifStrings {
    bell: "Notifications",
    bell_unread: "Notifications, {n} non lue(s)",
    title: "Notifications",
    intro: "Tout ce qui vous concerne au même endroit : rendez-vous, documents, questionnaires, messages, ressources. Votre profil dit comment vous en être prévenu.",
    empty: "Aucune notification pour l’instant.",
    empty_unread: "Aucune notification non lue.",
    unread_only: "Non lues seulement",
    read_all: "Tout marquer comme lu",
    mark_read: "Marquer comme lue",
    unread: "Non lue",
    list_label: "Vos notifications",
    kinds: [
        "Nouveau message",
        "Rendez-vous confirmé",
        "Rendez-vous déplacé",
        "Rendez-vous annulé",
        "Consultant affecté",
        "Questionnaire à remplir",
        "Nouveau document",
        "Ressource partagée",
    ],
    prefs_title: "Notifications",
    prefs_intro: "Pour chaque évènement, choisissez comment être prévenu. Un e-mail ou un SMS ne contient jamais le contenu de votre bilan.",
    prefs_caption: "Canaux de notification par évènement",
    col_kind: "Évènement",
    col_in_app: "Dans Boussole",
    col_email: "E-mail",
    col_sms: "SMS",
    sms_unavailable: "Pour recevoir des SMS, enregistrez un numéro de mobile et acceptez les SMS dans vos coordonnées.",
    prefs_save: "Enregistrer mes préférences",
    prefs_saved: "Préférences de notification enregistrées.",
};

#[cfg(not(target_arch = "wasm32"))]
pub const NOTIF_EN: NotifStrings = NotifStrings {
    bell: "Notifications",
    bell_unread: "Notifications, {n} unread",
    title: "Notifications",
    intro: "Everything about you in one place: appointments, documents, questionnaires, messages, resources. Your profile says how you are told of them.",
    empty: "No notification yet.",
    empty_unread: "No unread notification.",
    unread_only: "Unread only",
    read_all: "Mark all as read",
    mark_read: "Mark as read",
    unread: "Unread",
    list_label: "Your notifications",
    kinds: [
        "New message",
        "Appointment booked",
        "Appointment moved",
        "Appointment cancelled",
        "Consultant assigned",
        "Questionnaire to fill in",
        "New document",
        "Resource shared",
    ],
    prefs_title: "Notifications",
    prefs_intro: "For each event, choose how you are told. An email or a text message never contains the content of your bilan.",
    prefs_caption: "Notification channels per event",
    col_kind: "Event",
    col_in_app: "In Boussole",
    col_email: "Email",
    col_sms: "SMS",
    sms_unavailable: "To receive text messages, save a mobile number and accept text messages in your details.",
    prefs_save: "Save my preferences",
    prefs_saved: "Notification preferences saved.",
};
