//! The documents the parties sign before the bilan starts: the tripartite convention of R6313-8
//! (employer, employee, organisation) and the individual contract of a self-funded beneficiary
//! (L6353-3 to L6353-7). Every item the Code requires is printed from fixed wording here, the rest
//! from the bilan's records; the tests read each mention back from the PDF.

use boussole_shared::bilans::BilanFormat;
use boussole_shared::documents::{DocumentKind, OrganisationIdentity};
use chrono::NaiveDate;

use super::data::Facts;
use super::render::{PHASES, euros, hours};
use crate::pdf::Writer;

/// Days the employee has, from the draft's sending, to accept the convention by signing (R6313-8).
pub const CONVENTION_ANSWER_DAYS: i64 = 10;

pub(super) fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn arrangements(format: BilanFormat) -> &'static str {
    match format {
        BilanFormat::OnSite => "en présentiel, dans les locaux de l'organisme",
        BilanFormat::Remote => {
            "à distance, en visioconférence depuis l'espace sécurisé Boussole (partie à distance : \
             100 % de la durée)"
        }
        BilanFormat::Mixed => {
            "en présentiel et à distance (visioconférence depuis l'espace sécurisé Boussole), selon \
             ce qui est convenu en phase préliminaire"
        }
    }
}

pub(super) fn price(org: &OrganisationIdentity) -> String {
    let vat = if org.vat_exempt {
        "exonération de TVA – article 261-4-4° a du CGI"
    } else {
        "TVA comprise"
    };
    format!("{} ({vat})", euros(org.price_cents.unwrap_or_default()))
}

/// The organisation as a party: name, SIRET, activity declaration, representative.
pub(super) fn organisation_party(w: &mut Writer, org: &OrganisationIdentity) {
    w.field(
        "L'organisme prestataire",
        &format!(
            "{}, SIRET {}, déclaration d'activité n° {} ({}), représenté par {}, {}",
            org.name.trim(),
            org.siret.trim(),
            org.nda.trim(),
            org.nda_region.trim(),
            org.representative_name.trim(),
            org.representative_title.trim(),
        ),
    );
}

/// What every signed document says of the action itself.
pub(super) fn the_action(w: &mut Writer, f: &Facts, kind: DocumentKind) {
    w.heading("Intitulé, objectif et contenu de l'action");
    w.field(
        "Intitulé",
        "Bilan de compétences (article L6313-1, 2° du Code du travail)",
    );
    w.paragraph(
        "Objectif : permettre au bénéficiaire d'analyser ses compétences professionnelles et \
         personnelles, ses aptitudes et ses motivations afin de définir un projet professionnel \
         et, le cas échéant, un projet de formation (article L6313-4).",
    );
    w.paragraph(PHASES);
    w.heading("Moyens et qualification des intervenants");
    w.paragraph(&f.text(kind, "means"));
    // L6353-8 and R6313-8: each consultant who delivers the action, with their titles and
    // qualifications (the data check refuses the document while one is missing).
    w.field("Consultant(s)", &f.consultants_titled());
}

pub(super) fn duration_and_period(w: &mut Writer, f: &Facts, kind: DocumentKind) {
    w.heading("Durée, période et déroulement");
    w.field(
        "Durée",
        &format!(
            "{} d'accompagnement (24 heures au plus, article L6313-4)",
            hours(f.planned_minutes)
        ),
    );
    let period = match f.planned_end_on {
        Some(end) => format!("du {} au {}", date(f.opened_on), date(end)),
        None => format!("à partir du {}", date(f.opened_on)),
    };
    w.field("Période", &period);
    w.field("Modalités", arrangements(f.format));
    w.paragraph(&f.text(kind, "follow_up"));
}

pub(super) fn confidentiality(w: &mut Writer) {
    w.heading("Remise des résultats et confidentialité");
    w.paragraph(
        "Les résultats détaillés et le document de synthèse sont remis au seul bénéficiaire, au \
         cours d'un entretien de la phase de conclusions, puis dans son espace sécurisé. Ils ne \
         peuvent être communiqués à aucune autre personne ni à aucun autre organisme, employeur et \
         financeur compris, qu'avec son accord écrit (article L6313-4). Les intervenants sont tenus \
         au secret professionnel (articles 226-13 et 226-14 du Code pénal).",
    );
    w.paragraph(
        "Les documents élaborés pour la réalisation du bilan sont détruits dès la fin de l'action, \
         sauf accord écrit du bénéficiaire pour leur conservation, trois ans au plus (article \
         R6313-7).",
    );
}

/// The organisation's signatory, as the signature block names them.
pub(super) fn for_organisation(org: &OrganisationIdentity) -> String {
    format!(
        "{}, {} — pour l'organisme",
        org.representative_name.trim(),
        org.representative_title.trim()
    )
}

fn signatures(w: &mut Writer, parties: &[String], city: &str) {
    w.heading("Signatures");
    w.paragraph(&format!(
        "Fait à {}, en un exemplaire électronique signé par chaque partie dans l'ordre ci-dessous. \
         La page de preuve jointe au document signé indique, pour chaque signataire, la date, \
         l'heure et les vérifications d'identité effectuées.",
        city.trim()
    ));
    for (n, party) in parties.iter().enumerate() {
        w.field(&format!("Signataire {}", n + 1), party);
    }
}

/// R6313-8: the written convention between employer, employee and organisation for a bilan under
/// the employer's skills plan or a congé de reclassement.
pub fn convention(w: &mut Writer, f: &Facts) {
    let org = &f.org;
    let employer = f.employer.as_deref().unwrap_or_default();
    w.paragraph(
        "Convention conclue en application des articles L6313-4 et R6313-8 du Code du travail.",
    );
    w.heading("Entre les parties");
    w.field(
        "L'employeur",
        &format!(
            "{employer}, SIRET {}, représenté par {}",
            f.employer_siret.as_deref().unwrap_or_default(),
            f.employer_contact.as_deref().unwrap_or_default(),
        ),
    );
    w.field("Le salarié bénéficiaire", &f.beneficiary);
    organisation_party(w, org);
    the_action(w, f, DocumentKind::TripartiteConvention);
    duration_and_period(w, f, DocumentKind::TripartiteConvention);
    confidentiality(w);
    w.paragraph(
        "L'employeur ne reçoit ni les résultats détaillés ni le document de synthèse. Il peut \
         recevoir, pour justifier de la réalisation de l'action, les feuilles d'émargement et le \
         certificat de réalisation, qui ne contiennent rien du contenu du bilan.",
    );
    w.heading("Prix et modalités de règlement");
    w.field("Prix", &price(org));
    w.field("Règlement", org.payment_terms.trim());
    w.heading("Consentement du salarié");
    w.paragraph(&format!(
        "Le bilan de compétences ne peut être réalisé qu'avec le consentement du salarié. Le \
         salarié dispose d'un délai de {CONVENTION_ANSWER_DAYS} jours à compter de la transmission \
         du projet de convention pour faire connaître son acceptation en apposant sa signature. \
         L'absence de réponse au terme de ce délai vaut refus de conclure la convention \
         (article R6313-8). Le refus d'un salarié de consentir à un bilan de compétences ne \
         constitue ni une faute ni un motif de licenciement (article L6313-4)."
    ));
    signatures(
        w,
        &[
            format!("{} — le salarié bénéficiaire", f.beneficiary),
            for_organisation(org),
            format!("{employer} — pour l'employeur"),
        ],
        &org.city,
    );
}

/// L6353-3 to L6353-7: the contract a self-funded beneficiary signs before final enrolment and
/// before any payment; every item of L6353-4 on pain of nullity.
pub fn individual(w: &mut Writer, f: &Facts) {
    let org = &f.org;
    w.paragraph("Contrat conclu en application des articles L6353-3 à L6353-7 du Code du travail.");
    w.heading("Entre les parties");
    w.field(
        "Le bénéficiaire",
        &format!("{}, à titre individuel et à ses frais", f.beneficiary),
    );
    organisation_party(w, org);
    w.heading("Nature et caractéristiques de l'action");
    w.field(
        "Nature",
        "Action de bilan de compétences (article L6313-1, 2°)",
    );
    w.field("Nombre de participants", "1 (accompagnement individuel)");
    let kind = DocumentKind::IndividualContract;
    w.field("Prérequis", &f.text(kind, "prerequisites"));
    the_action(w, f, kind);
    duration_and_period(w, f, kind);
    confidentiality(w);
    w.heading("Prix et modalités de paiement");
    w.field("Prix", &price(org));
    w.field("Paiement", org.payment_terms.trim());
    w.heading("Délai de rétractation et paiement");
    w.paragraph(
        "Dans un délai de 10 jours à compter de la signature du présent contrat, le bénéficiaire \
         peut se rétracter par lettre recommandée avec avis de réception (article L6353-5). \
         Aucune somme ne peut être exigée du bénéficiaire avant l'expiration de ce délai. Il ne \
         peut être payé à l'expiration de ce délai une somme supérieure à 30 % du prix convenu ; \
         le solde donne lieu à échelonnement des paiements au fur et à mesure du déroulement de \
         l'action (article L6353-6).",
    );
    w.heading("Interruption, abandon et force majeure");
    w.paragraph(org.cancellation_terms.trim());
    w.paragraph(
        "Si, par suite de force majeure dûment reconnue, le bénéficiaire est empêché de suivre \
         l'action, le contrat est résilié ; seules les prestations effectivement dispensées sont \
         dues, au prorata temporis de leur valeur prévue au contrat (article L6353-7).",
    );
    signatures(
        w,
        &[
            format!("{} — le bénéficiaire", f.beneficiary),
            for_organisation(org),
        ],
        &org.city,
    );
}
