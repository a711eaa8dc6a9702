//! The words of quotes (devis, issue 13 item 3), French and English side by side: one line per key, so
//! that a missing translation does not compile.

use boussole_shared::money::QuoteStatus;

macro_rules! quote_strings {
    ($($key:ident: $fr:expr, $en:expr;)*) => {
        /// The strings of the quote screens. `{x}` placeholders are filled with `str::replace`.
        #[derive(Debug)]
        #[repr(C)]
        pub struct QuoteStrings {
            $(pub $key: &'static str,)*
        }
        #[cfg(not(target_arch = "wasm32"))]
        pub const QUOTES_FR: QuoteStrings = QuoteStrings { $($key: $fr,)* };
        #[cfg(not(target_arch = "wasm32"))]
        pub const QUOTES_EN: QuoteStrings = QuoteStrings { $($key: $en,)* };
    };
}

quote_strings! {
    nav: "Devis", "Quotes";
    title: "Devis", "Quotes";
    caption: "Devis ({n})", "Quotes ({n})";
    empty: "Aucun devis ne correspond.", "No quote matches.";
    total_pending: "En attente de réponse", "Awaiting an answer";
    total_accepted: "Acceptés, à facturer", "Accepted, to invoice";
    total_invoiced: "Facturés", "Invoiced";
    valid_until: "Valable jusqu’au", "Valid until";
    s_pending: "En attente", "Pending";
    s_accepted: "Accepté", "Accepted";
    s_declined: "Refusé ou retiré", "Declined or withdrawn";
    s_expired: "Expiré", "Expired";
    s_invoiced: "Facturé", "Invoiced";
    page: "Devis {n}", "Quote {n}";
    back: "Retour aux devis", "Back to the quotes";
    acceptance: "Acceptation", "Acceptance";
    online: "Acceptée en ligne par {name} le {date}", "Accepted online by {name} on {date}";
    recorded: "Exemplaire signé par {name} le {date}, enregistré le {at}", "Copy signed by {name} on {date}, recorded on {at}";
    declined_because: "Motif du refus ou du retrait", "Why it was declined or withdrawn";
    invoice_link: "Voir la facture", "See the invoice";
    record_title: "Enregistrer l’acceptation", "Record the acceptance";
    record_hint: "Un exemplaire signé « Bon pour accord » est revenu (papier, scan, courriel) : qui l’a signé, et quand.", "A copy signed “Bon pour accord” came back (paper, scan, email): who signed it, and when.";
    signer_name: "Nom du signataire", "Signatory’s name";
    signer_role: "Fonction du signataire", "Signatory’s role";
    signed_on: "Date de signature", "Signed on";
    record_submit: "Enregistrer l’acceptation", "Record the acceptance";
    accepted_done: "Devis accepté.", "Quote accepted.";
    decline_title: "Refuser / retirer", "Decline / withdraw";
    decline_hint: "Le devis ne pourra plus être accepté ; une nouvelle offre sera un nouveau devis.", "The quote can no longer be accepted; a new offer is a new quote.";
    reason: "Motif", "Reason";
    decline_submit: "Refuser le devis", "Decline the quote";
    declined_done: "Devis refusé.", "Quote declined.";
    invoice_title: "Facturer", "Invoice";
    invoice_hint: "Émet la facture du devis accepté : mêmes lignes, même payeur.", "Issues the accepted quote’s invoice: same lines, same payer.";
    new_action: "Nouveau devis", "New quote";
    new_hint: "Le devis est numéroté et son PDF émis aussitôt ; il ne se modifie plus.", "The quote is numbered and its PDF issued at once; it never changes afterwards.";
    valid_days: "Durée de validité (jours)", "Valid for (days)";
    valid_days_hint: "De 1 à 180 jours ; 30 si vide.", "1 to 180 days; 30 when blank.";
    valid_days_invalid: "Un nombre de jours entre 1 et 180", "A number of days from 1 to 180";
    issue: "Émettre le devis", "Issue the quote";
    issued: "Devis {n} émis", "Quote {n} issued";
    mine_title: "Mes devis", "My quotes";
    mine_intro: "Les devis que l’organisme vous a adressés : acceptez-les ou refusez-les ici.", "The quotes the organisation sent you: accept or decline them here.";
    accept: "Accepter le devis", "Accept the quote";
    accept_title: "Accepter le devis {n}", "Accept quote {n}";
    accept_intro: "Vous acceptez ce devis de {total} TTC. Votre nom, la date et l’empreinte du PDF sont enregistrés : ils valent signature.", "You accept this quote of {total} incl. VAT. Your name, the date and the PDF’s fingerprint are recorded: they stand as your signature.";
    full_name: "Votre nom complet", "Your full name";
    agree: "Bon pour accord", "Bon pour accord (agreed)";
    agree_required: "Cochez « Bon pour accord » pour accepter.", "Tick “Bon pour accord” to accept.";
    accept_confirm: "Confirmer l’acceptation", "Confirm the acceptance";
    refuse: "Refuser", "Decline";
    refuse_title: "Refuser le devis {n}", "Decline quote {n}";
}

pub fn status_label(q: &QuoteStrings, s: QuoteStatus) -> &'static str {
    match s {
        QuoteStatus::Pending => q.s_pending,
        QuoteStatus::Accepted => q.s_accepted,
        QuoteStatus::Declined => q.s_declined,
        QuoteStatus::Expired => q.s_expired,
        QuoteStatus::Invoiced => q.s_invoiced,
    }
}
