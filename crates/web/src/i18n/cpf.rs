//! The words of CPF files (issue 13: the EDOF file of a bilan paid by the CPF), French and English side
//! by side: one line per key, so that a missing translation does not compile.

use boussole_shared::cpf::{CpfDuty, CpfState};

macro_rules! cpf_strings {
    ($($key:ident: $fr:expr, $en:expr;)*) => {
        /// The strings of the CPF panel and alerts. `{x}` placeholders are filled with `str::replace`.
        #[derive(Debug)]
        #[repr(C)]
        pub struct CpfStrings {
            $(pub $key: &'static str,)*
        }
        #[cfg(not(target_arch = "wasm32"))]
        pub const CPF_FR: CpfStrings = CpfStrings { $($key: $fr,)* };
        #[cfg(not(target_arch = "wasm32"))]
        pub const CPF_EN: CpfStrings = CpfStrings { $($key: $en,)* };
    };
}

cpf_strings! {
    title: "Dossier CPF (EDOF)", "CPF file (EDOF)";
    none: "Aucun dossier EDOF n’est encore saisi pour ce bilan.", "No EDOF file is entered for this bilan yet.";
    edof_number: "Numéro de dossier EDOF", "EDOF file number";
    amount: "Montant pris en charge par le CPF (€, 1 600 € au plus)", "Amount paid by the CPF (€, 1,600 € at most)";
    amount_invalid: "Montant en euros, par exemple 1 600,00", "Amount in euros, for example 1600.00";
    exempt: "Exonéré de la participation forfaitaire (demandeur d’emploi, abondement de l’employeur)", "Exempt from the flat participation (job seeker, employer top-up)";
    requested_on: "Date de la demande du titulaire", "Day the holder asked";
    save: "Enregistrer le dossier", "Save the file";
    saved: "Dossier CPF enregistré.", "CPF file saved.";
    state: "État", "State";
    since: "depuis le {date}", "since {date}";
    amount_shown: "Montant CPF", "CPF amount";
    participation: "Participation du titulaire", "Holder’s participation";
    participation_exempt: "exonéré", "exempt";
    days_left: "{n} jour(s) ouvré(s) restant(s)", "{n} working day(s) left";
    overdue: "dépassée de {n} jour(s) ouvré(s)", "{n} working day(s) late";
    due_today: "aujourd’hui", "today";
    duty_answer_request: "Répondre à la demande avant le {date}", "Answer the request by {date}";
    duty_holder_acceptance: "Le titulaire doit accepter la proposition avant le {date}", "The holder must accept the proposal by {date}";
    duty_declare_start: "Déclarer l’entrée en formation avant le {date}", "Declare the start by {date}";
    duty_declare_end: "Déclarer la sortie de formation avant le {date}", "Declare the end by {date}";
    earlier: "Attention : ce bénéficiaire a eu un autre bilan financé sur fonds publics il y a moins de 5 ans (ouvert le {date}).", "Warning: this beneficiary had another publicly funded bilan less than 5 years ago (opened on {date}).";
    move_to: "Nouvel état", "New state";
    move_on: "Date dans EDOF", "Day in EDOF";
    move_submit: "Enregistrer le changement d’état", "Record the change of state";
    moved: "État du dossier CPF enregistré.", "CPF file state recorded.";
    closed: "Dossier clos : plus aucun changement d’état possible.", "Closed file: no further change of state.";
    history: "Historique du dossier", "File history";
    alerts_title: "Dossiers CPF à traiter", "CPF files to act on";
    alerts_none: "Aucune échéance CPF en cours.", "No CPF deadline pending.";
    s_not_processed: "Non traité", "Not processed";
    s_validated: "Validé (proposition envoyée)", "Validated (proposal sent)";
    s_waiting_acceptation: "Validé, en instruction France Travail", "Validated, France Travail examining";
    s_accepted: "Accepté", "Accepted";
    s_in_training: "En formation", "In training";
    s_terminated: "Sortie de formation", "Training ended";
    s_service_done_declared: "Service fait déclaré", "Service done declared";
    s_service_done_validated: "Service fait validé", "Service done validated";
    s_canceled_by_attendee: "Annulé par le titulaire", "Cancelled by the holder";
    s_canceled_by_attendee_not_realized: "Annulé (non réalisé) par le titulaire", "Cancelled (not carried out) by the holder";
    s_canceled_by_organism: "Annulé par l’organisme", "Cancelled by the provider";
    s_canceled_by_financer: "Annulé par le financeur", "Cancelled by the funder";
    s_rejected_without_titulaire_suite: "Annulé sans suite", "Lapsed";
    s_refused_by_attendee: "Refusé par le titulaire", "Refused by the holder";
    s_refused_by_organism: "Refusé par l’organisme", "Refused by the provider";
    s_refused_by_financer: "Refusé par le financeur", "Refused by the funder";
}

/// An EDOF state as the office reads it (EDOF's own French labels).
pub fn state_label(t: &CpfStrings, s: CpfState) -> &'static str {
    match s {
        CpfState::NotProcessed => t.s_not_processed,
        CpfState::Validated => t.s_validated,
        CpfState::WaitingAcceptation => t.s_waiting_acceptation,
        CpfState::Accepted => t.s_accepted,
        CpfState::InTraining => t.s_in_training,
        CpfState::Terminated => t.s_terminated,
        CpfState::ServiceDoneDeclared => t.s_service_done_declared,
        CpfState::ServiceDoneValidated => t.s_service_done_validated,
        CpfState::CanceledByAttendee => t.s_canceled_by_attendee,
        CpfState::CanceledByAttendeeNotRealized => t.s_canceled_by_attendee_not_realized,
        CpfState::CanceledByOrganism => t.s_canceled_by_organism,
        CpfState::CanceledByFinancer => t.s_canceled_by_financer,
        CpfState::RejectedWithoutTitulaireSuite => t.s_rejected_without_titulaire_suite,
        CpfState::RefusedByAttendee => t.s_refused_by_attendee,
        CpfState::RefusedByOrganism => t.s_refused_by_organism,
        CpfState::RefusedByFinancer => t.s_refused_by_financer,
    }
}

/// The duty sentence, `{date}` still to fill.
pub fn duty_text(t: &CpfStrings, d: CpfDuty) -> &'static str {
    match d {
        CpfDuty::AnswerRequest => t.duty_answer_request,
        CpfDuty::HolderAcceptance => t.duty_holder_acceptance,
        CpfDuty::DeclareStart => t.duty_declare_start,
        CpfDuty::DeclareEnd => t.duty_declare_end,
    }
}
