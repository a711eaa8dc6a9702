//! The words of the document de synthèse (issue 12): the consultant's editor and the beneficiary's
//! reading, comments and approval. French and English side by side: one line per key, so that a
//! missing translation does not compile.

macro_rules! synth_strings {
    ($($key:ident: $fr:expr, $en:expr;)*) => {
        /// The strings of `/bilans/:id/synthese`. `{x}` placeholders are filled with `str::replace`.
        #[derive(Debug)]
        #[repr(C)]
        pub struct SynthStrings {
            $(pub $key: &'static str,)*
        }
        #[cfg(not(target_arch = "wasm32"))]
        pub const SYNTH_FR: SynthStrings = SynthStrings { $($key: $fr,)* };
        #[cfg(not(target_arch = "wasm32"))]
        pub const SYNTH_EN: SynthStrings = SynthStrings { $($key: $en,)* };
    };
}

synth_strings! {
    title: "Document de synthèse", "Summary document (synthèse)";
    link: "Document de synthèse", "Summary document (synthèse)";
    ben_link: "Lire et valider ma synthèse", "Read and approve my synthèse";
    intro_consultant: "Rédigez la synthèse section par section (pré-remplie à partir des résultats et des pistes du bilan), enregistrez, puis soumettez-la au bénéficiaire. Elle ne lui est remise qu’après son accord : la synthèse n’appartient qu’à lui (article R6313-4).", "Write the synthèse section by section (prefilled from the bilan’s results and options), save, then submit it to the beneficiary. It is handed over only once they approve it: the synthèse belongs to them alone (article R6313-4).";
    intro_beneficiary: "Votre consultant a rédigé la synthèse de votre bilan. Lisez-la, commentez chaque section si besoin, puis donnez votre accord : elle vous sera alors remise, et à personne d’autre sans votre accord.", "Your consultant wrote the synthèse of your bilan. Read it, comment on any section if needed, then give your approval: it is then handed to you, and to nobody else without your consent.";
    not_yet: "Votre consultant n’a pas encore partagé la synthèse de votre bilan. Vous serez prévenu dès qu’elle sera prête.", "Your consultant has not shared your bilan’s synthèse yet. You will be told as soon as it is ready.";
    status_draft: "Brouillon", "Draft";
    status_submitted: "Soumise au bénéficiaire", "Submitted to the beneficiary";
    status_approved: "Validée par le bénéficiaire", "Approved by the beneficiary";
    status_issued: "Remise", "Handed over";
    revision: "Révision {n}", "Revision {n}";
    updated: "enregistrée le {date}", "saved on {date}";
    s_circumstances: "Circonstances du bilan", "Circumstances of the bilan";
    s_skills: "Compétences et aptitudes identifiées", "Skills and aptitudes identified";
    s_investigation_results: "Résultats de la phase d’investigation", "Results of the investigation phase";
    s_project: "Projet professionnel", "Career project";
    s_alternatives: "Alternatives envisagées", "Alternatives considered";
    s_factors_for: "Facteurs favorables à la réalisation du projet", "Factors in favour of the project";
    s_factors_against: "Facteurs défavorables ou points de vigilance", "Factors against, or points to watch";
    s_action_plan: "Principales étapes du plan d’action", "Main steps of the action plan";
    s_follow_up: "Entretien de suivi", "Follow-up interview";
    step: "Étape {n}", "Step {n}";
    step_text: "Étape {n} : ce qui sera fait", "Step {n}: what will be done";
    step_horizon: "Étape {n} : échéance (ex. : d’ici 3 mois)", "Step {n}: horizon (e.g. within 3 months)";
    step_add: "Ajouter une étape", "Add a step";
    step_remove: "Retirer l’étape {n}", "Remove step {n}";
    no_steps: "Aucune étape pour l’instant.", "No step yet.";
    save: "Enregistrer le brouillon", "Save the draft";
    saved: "Synthèse enregistrée (révision {n}).", "Synthèse saved (revision {n}).";
    back_to_draft: "Une synthèse soumise ou validée qui est modifiée revient en brouillon : le bénéficiaire devra la valider à nouveau.", "A submitted or approved synthèse that is changed goes back to draft: the beneficiary will have to approve it again.";
    submit: "Soumettre au bénéficiaire", "Submit to the beneficiary";
    submitted: "Synthèse soumise : le bénéficiaire peut la lire, la commenter et la valider.", "Synthèse submitted: the beneficiary can read, comment on and approve it.";
    issue: "Émettre la synthèse (PDF) et la remettre", "Issue the synthèse (PDF) and hand it over";
    issued: "Synthèse émise : elle figure dans les documents du bilan et le bénéficiaire est prévenu.", "Synthèse issued: it is in the bilan’s documents and the beneficiary is told.";
    issue_hint: "Possible une fois la synthèse validée par le bénéficiaire.", "Possible once the beneficiary has approved the synthèse.";
    comments: "Commentaires", "Comments";
    comments_general: "Commentaires sur l’ensemble", "Comments on the whole";
    no_comment: "Aucun commentaire.", "No comment.";
    comment_label: "Votre commentaire", "Your comment";
    comment_on: "Commenter « {section} »", "Comment on “{section}”";
    comment_general: "Commenter l’ensemble", "Comment on the whole";
    comment_send: "Envoyer le commentaire", "Send the comment";
    comment_sent: "Commentaire envoyé.", "Comment sent.";
    comment_by: "{name}, le {date}", "{name}, on {date}";
    approve: "J’approuve cette synthèse", "I approve this synthèse";
    approve_hint: "Votre accord porte sur la révision {n} que vous venez de lire. Si le consultant la modifie ensuite, elle vous sera soumise à nouveau.", "Your approval applies to revision {n}, which you have just read. If the consultant changes it afterwards, it will be submitted to you again.";
    approved: "Merci : vous avez approuvé la synthèse le {date}.", "Thank you: you approved the synthèse on {date}.";
    empty_section: "(section vide)", "(empty section)";
    required: "Section à remplir avant de soumettre la synthèse.", "Fill in this section before submitting the synthèse.";
    revising: "Votre consultant révise la synthèse : elle vous sera soumise à nouveau.", "Your consultant is revising the synthèse: it will be submitted to you again.";
    back: "Retour", "Back";
    send_title: "Envois à un destinataire", "Sent to a recipient";
    send_hint: "La synthèse ne quitte Boussole que par un envoi : un lien à usage unique, valable 7 jours, et un code à usage unique au destinataire que le bénéficiaire a nommé dans son accord de partage. Jamais en pièce jointe.", "The synthèse leaves Boussole only through a sending: a single-use link, valid 7 days, and a one-time code to the recipient the beneficiary named in their sharing agreement. Never as an attachment.";
    send_none: "Aucun envoi.", "Nothing sent.";
    send_no_agreement: "Aucun accord de partage de la synthèse en vigueur : le bénéficiaire peut en donner un depuis son espace.", "No sharing agreement for the synthèse in force: the beneficiary can give one from their space.";
    send_agreement: "Accord de partage", "Sharing agreement";
    send_email: "Adresse électronique du destinataire", "Recipient’s email address";
    send_phone: "Mobile du destinataire (code par SMS, facultatif)", "Recipient’s mobile (code by SMS, optional)";
    send_cep: "Le destinataire est l’opérateur du conseil en évolution professionnelle (CEP) du bénéficiaire", "The recipient is the beneficiary’s career guidance (CEP) operator";
    send_cep_hint: "Sa copie est conservée 3 ans après la fin du bilan, à part du reste (article R6313-7).", "Their copy is kept 3 years after the bilan ends, apart from the rest (article R6313-7).";
    send_submit: "Envoyer le lien", "Send the link";
    send_done: "Lien envoyé au destinataire.", "Link sent to the recipient.";
    send_cancel: "Annuler l’envoi", "Cancel the sending";
    send_line: "{recipient} ({email}), envoyé le {date}", "{recipient} ({email}), sent on {date}";
    send_status: "en attente|téléchargé|annulé|accord retiré|verrouillé (codes erronés)|expiré", "pending|downloaded|cancelled|agreement withdrawn|locked (wrong codes)|expired";
}
