//! The words of the integration screens (issue 15: API keys' scopes and expiry, webhooks, imports, a
//! beneficiary created by the office), French and English side by side: one line per key, so that a
//! missing translation does not compile.

macro_rules! integ_strings {
    ($($key:ident: $fr:expr, $en:expr;)*) => {
        /// The strings of the integration screens. `{x}` placeholders are filled with `str::replace`.
        #[derive(Debug)]
        #[repr(C)]
        pub struct IntegStrings {
            $(pub $key: &'static str,)*
        }
        #[cfg(not(target_arch = "wasm32"))]
        pub const INTEG_FR: IntegStrings = IntegStrings { $($key: $fr,)* };
        #[cfg(not(target_arch = "wasm32"))]
        pub const INTEG_EN: IntegStrings = IntegStrings { $($key: $en,)* };
    };
}

integ_strings! {
    // ---- API keys: each scope, its label and what it lets the key do ----
    users_read: "Lire les comptes", "Read accounts";
    users_read_help: "Liste des comptes (nom, adresse, rôle), sans mot de passe.", "The accounts (name, address, role), without passwords.";
    audit_read: "Lire le journal d’audit", "Read the audit log";
    audit_read_help: "Les actions journalisées, pour un outil de contrôle.", "The logged actions, for a monitoring tool.";
    invoices_read: "Lire les factures", "Read invoices";
    invoices_read_help: "Factures, avoirs, devis et paiements.", "Invoices, credit notes, quotes and payments.";
    accounting_read: "Télécharger les exports comptables", "Download the accounting exports";
    accounting_read_help: "L’export des écritures et le FEC.", "The journal export and the FEC.";
    beneficiaries_read: "Lire les bénéficiaires", "Read beneficiaries";
    beneficiaries_read_help: "Fiches administratives (jamais les besoins d’accessibilité), recherche par référence externe.", "Administrative records (never accessibility needs), lookup by external reference.";
    beneficiaries_write: "Créer et modifier les bénéficiaires", "Create and edit beneficiaries";
    beneficiaries_write_help: "Crée les comptes (le bénéficiaire est invité par courriel) et importe des fichiers CSV.", "Creates accounts (the beneficiary is invited by email) and imports CSV files.";
    bilans_read: "Lire les bilans", "Read bilans";
    bilans_read_help: "Statut, dates, heures et financement ; jamais le contenu (notes, documents, résultats, messages, synthèse).", "Status, dates, hours and funding; never the content (notes, files, results, messages, synthèse).";
    bilans_write: "Ouvrir et faire avancer les bilans", "Open and move bilans forward";
    bilans_write_help: "Ouvre un bilan, l’affecte, change son statut ; jamais son contenu.", "Opens a bilan, assigns it, changes its status; never its content.";
    appointments_read: "Lire les rendez-vous", "Read appointments";
    appointments_read_help: "Dates, durées, lieux et présences.", "Dates, lengths, places and attendance.";
    appointments_write: "Prendre et déplacer les rendez-vous", "Book and move appointments";
    appointments_write_help: "Prend, déplace ou annule un rendez-vous.", "Books, moves or cancels an appointment.";
    webhooks_manage: "Gérer les webhooks", "Manage webhooks";
    webhooks_manage_help: "Déclare les adresses prévenues des événements et lit leurs envois.", "Registers the addresses told of events and reads their deliveries.";
    key_expires: "Date d’expiration (facultative)", "Expiry date (optional)";
    key_expires_hint: "La clé fonctionne jusqu’à ce jour inclus (heure de Paris). Vide : jusqu’à sa révocation.", "The key works until this day included (Paris time). Empty: until it is revoked.";
    key_expires_invalid: "Une date à venir, par exemple 31/12/2026", "A future date, for example 31/12/2026";
    key_expires_col: "Expire", "Expires";
    key_never: "Jamais", "Never";
    key_expired: "Expirée", "Expired";
    key_from_ip: "depuis {ip}", "from {ip}";
    scopes_required: "Cochez au moins une autorisation.", "Tick at least one permission.";
    copy: "Copier", "Copy";
    copied: "Copié dans le presse-papiers.", "Copied to the clipboard.";

    // ---- a beneficiary created by the office ----
    new_beneficiary: "Nouveau bénéficiaire", "New beneficiary";
    new_beneficiary_hint: "Le compte est créé sans mot de passe : le bénéficiaire reçoit par courriel une invitation à en choisir un (valable 7 jours).", "The account is created without a password: the beneficiary receives an email inviting them to choose one (valid 7 days).";
    first_name: "Prénom", "First name";
    last_name: "Nom", "Last name";
    external_ref: "Référence externe (CRM)", "External reference (CRM)";
    external_ref_hint: "L’identifiant de ce bénéficiaire dans votre CRM, s’il en a un.", "This beneficiary’s id in your CRM, if any.";
    beneficiary_created: "Bénéficiaire créé ; l’invitation est envoyée à {email}.", "Beneficiary created; the invitation is sent to {email}.";
    beneficiary_exists: "Ce bénéficiaire existe déjà.", "This beneficiary already exists.";
    open_existing: "Ouvrir sa fiche", "Open their record";
    create: "Créer", "Create";

    // ---- webhooks ----
    nav_webhooks: "Webhooks", "Webhooks";
    hooks_title: "Webhooks", "Webhooks";
    hooks_intro: "Boussole prévient ces adresses (votre CRM, par exemple) quand un événement se produit. Chaque envoi est signé avec le secret de l’adresse (en-tête Boussole-Signature) et retenté en cas d’échec ; une adresse qui échoue trop souvent est désactivée.", "Boussole tells these addresses (your CRM, say) when an event happens. Each delivery is signed with the address’s secret (Boussole-Signature header) and retried on failure; an address that fails too often is disabled.";
    hooks_caption: "Adresses prévenues", "Notified addresses";
    hooks_empty: "Aucune adresse pour le moment.", "No address yet.";
    hook_new: "Nouvelle adresse", "New address";
    hook_url: "Adresse (URL https)", "Address (https URL)";
    hook_description: "Description", "Description";
    hook_events: "Événements", "Events";
    hook_events_required: "Cochez au moins un événement.", "Tick at least one event.";
    hook_create: "Enregistrer l’adresse", "Save the address";
    hook_secret_once: "Copiez ce secret maintenant : il ne sera plus jamais affiché. Votre CRM s’en sert pour vérifier les signatures.", "Copy this secret now: it will never be shown again. Your CRM uses it to check the signatures.";
    hook_enabled: "Active", "Enabled";
    hook_disabled: "Désactivée", "Disabled";
    hook_failures: "Échecs consécutifs", "Consecutive failures";
    hook_last: "Dernier envoi", "Last delivery";
    hook_open: "Ouvrir {url}", "Open {url}";
    hook_back: "Retour aux webhooks", "Back to the webhooks";
    hook_edit: "Modifier l’adresse", "Edit the address";
    hook_enable: "Réactiver", "Enable";
    hook_disable: "Désactiver", "Disable";
    hook_delete: "Supprimer", "Delete";
    hook_delete_confirm: "Supprimer l’adresse {url} ? Elle ne recevra plus rien et son journal d’envois sera perdu.", "Delete the address {url}? It will receive nothing more and its delivery log will be lost.";
    hook_deleted: "Adresse supprimée.", "Address deleted.";
    hook_saved: "Adresse enregistrée.", "Address saved.";
    hook_rotate: "Changer le secret", "Rotate the secret";
    hook_rotate_confirm: "Changer le secret ? L’ancien cesse aussitôt de signer les envois.", "Rotate the secret? The old one stops signing deliveries at once.";
    deliveries: "Journal des envois", "Delivery log";
    deliveries_caption: "Envois ({n})", "Deliveries ({n})";
    deliveries_empty: "Aucun envoi pour le moment.", "No delivery yet.";
    delivery_event: "Événement", "Event";
    delivery_attempts: "Tentatives", "Attempts";
    delivery_next: "prochaine tentative le {at}", "next attempt on {at}";
    delivery_replay: "Rejouer", "Replay";
    delivery_replayed: "Envoi rejoué : un nouvel envoi du même événement est en file.", "Delivery replayed: a new delivery of the same event is queued.";
    delivery_replay_of: "rejoue un envoi précédent", "replays an earlier delivery";
    attempt_none: "Pas encore tenté", "Not tried yet";
    d_pending: "En attente", "Pending";
    d_delivered: "Remis", "Delivered";
    d_failed: "Échoué", "Failed";
    e_beneficiary_created: "Bénéficiaire créé", "Beneficiary created";
    e_bilan_created: "Bilan ouvert", "Bilan opened";
    e_bilan_status_changed: "Statut d’un bilan changé", "Bilan status changed";
    e_bilan_abandoned: "Bilan abandonné", "Bilan abandoned";
    e_bilan_completed: "Bilan terminé", "Bilan completed";
    e_appointment_booked: "Rendez-vous pris", "Appointment booked";
    e_appointment_moved: "Rendez-vous déplacé", "Appointment moved";
    e_appointment_cancelled: "Rendez-vous annulé", "Appointment cancelled";
    e_appointment_attendance_signed: "Émargement signé", "Attendance signed";
    e_document_issued: "Document émis", "Document issued";
    e_invoice_issued: "Facture émise", "Invoice issued";
    e_payment_recorded: "Paiement enregistré", "Payment recorded";
    e_quote_accepted: "Devis accepté", "Quote accepted";

    // ---- imports ----
    nav_import: "Import CSV", "CSV import";
    import_title: "Importer un fichier CSV", "Import a CSV file";
    import_intro: "Vérifiez d’abord le fichier : rien n’est créé tant qu’une ligne est en erreur. L’import crée alors toutes les lignes, ou aucune.", "Check the file first: nothing is created while a line is wrong. The import then creates every line, or none.";
    import_kind: "Que contient le fichier ?", "What does the file hold?";
    import_beneficiaries: "Des bénéficiaires (chacun reçoit une invitation)", "Beneficiaries (each receives an invitation)";
    import_companies: "Des entreprises (payeurs)", "Companies (payers)";
    import_file: "Fichier CSV (UTF-8, séparateur ; ou ,, ligne d’en-tête)", "CSV file (UTF-8, ; or , separated, header row)";
    import_template: "Télécharger le modèle", "Download the template";
    import_check: "Vérifier", "Check";
    import_run: "Importer", "Import";
    import_no_file: "Choisissez un fichier.", "Choose a file.";
    import_unreadable: "Ce fichier ne se lit pas comme du texte UTF-8.", "This file cannot be read as UTF-8 text.";
    import_report: "Lignes lues : {lines}, valides : {valid}.", "Lines read: {lines}, valid: {valid}.";
    import_errors_caption: "Lignes en erreur ({n})", "Lines in error ({n})";
    import_line: "Ligne", "Line";
    import_column: "Colonne", "Column";
    import_reason: "Motif", "Reason";
    import_ok: "Aucune erreur : le fichier peut être importé.", "No error: the file can be imported.";
    import_fix: "Corrigez ces lignes dans le fichier, choisissez-le à nouveau et vérifiez-le.", "Fix these lines in the file, choose it again and check it.";
    import_done: "Import terminé : {n} créé(s).", "Import done: {n} created.";
}
