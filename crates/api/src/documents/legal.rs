//! The consent to start with the GDPR information notice (L6313-4; GDPR arts. 13 and 14), the
//! convention with the funder buying the action (L6353-1, D6353-1) and the règlement intérieur the
//! beneficiary acknowledges (L6352-3). Legal wording is fixed here; the tests read it back.

use boussole_shared::bilans::{BilanFormat, ConsentKind, SessionMode};
use boussole_shared::documents::DocumentKind;
use boussole_shared::money::PayerKind;
use boussole_shared::time::to_paris;
use chrono::NaiveDateTime;

use super::contracts::{
    confidentiality, date, duration_and_period, for_organisation, organisation_party, price,
    the_action,
};
use super::data::{ConsentLine, Facts, FundingLine};
use super::render::{euros, hours};
use crate::pdf::Writer;

/// "05/12/2026 à 10:30 (heure de Paris)".
fn moment(utc: NaiveDateTime) -> String {
    to_paris(utc)
        .format("%d/%m/%Y à %H:%M (heure de Paris)")
        .to_string()
}

fn recorded(c: &ConsentLine) -> String {
    let ip =
        c.ip.as_deref()
            .map_or("adresse IP non enregistrée".to_string(), |ip| {
                format!("depuis l'adresse IP {ip}")
            });
    format!("Donné le {}, {ip}.", moment(c.given_at))
}

/// L6313-4 and GDPR arts. 13-14: the consent to start as recorded, the optional agreements, and the
/// information notice.
pub fn consent(w: &mut Writer, f: &Facts) {
    let org = &f.org;
    w.field("Bénéficiaire", &f.beneficiary);
    w.field(
        "Action",
        "Bilan de compétences (articles L6313-1, 2° et L6313-4 du Code du travail)",
    );
    w.heading("Consentement à la réalisation du bilan (article L6313-4)");
    w.paragraph(
        "Un bilan de compétences ne peut être réalisé qu'avec le consentement du bénéficiaire. Le \
         refus d'un salarié de consentir à un bilan de compétences ne constitue ni une faute ni un \
         motif de licenciement.",
    );
    if let Some(start) = f.start_consent() {
        w.paragraph(&format!(
            "Déclaration du bénéficiaire : « {} »",
            start.statement
        ));
        w.paragraph(&recorded(start));
    }
    w.heading("Accords facultatifs");
    let agreements: Vec<&ConsentLine> = f.agreements().collect();
    if agreements.is_empty() {
        w.paragraph(
            "Aucun. Les résultats détaillés et le document de synthèse ne sont communiqués à \
             personne d'autre que le bénéficiaire, et les documents élaborés pour le bilan sont \
             détruits à la fin de l'action.",
        );
    }
    for a in agreements {
        let what = match a.kind {
            ConsentKind::Share => "Communication à un tiers (article L6313-4)",
            ConsentKind::Retention => "Conservation des documents (article R6313-7)",
            ConsentKind::Start => "Consentement",
        };
        let mut text = format!("« {} » {}", a.statement, recorded(a));
        if let Some(revoked) = a.revoked_at {
            text.push_str(&format!(" Accord retiré le {}.", moment(revoked)));
        }
        w.field(what, &text);
    }
    w.paragraph(
        "Chaque accord facultatif est distinct, précis et peut être retiré à tout moment depuis \
         l'espace Boussole du bénéficiaire ou auprès de l'organisme, sans effet sur ce qui a été \
         fait avant son retrait.",
    );
    gdpr_notice(w, f);
    w.space(8.0);
    w.paragraph(&format!(
        "Document établi par {} à partir des déclarations enregistrées dans Boussole.",
        org.name.trim()
    ));
}

/// The information notice of GDPR arts. 13 and 14 (DOMAIN.md §5.6).
fn gdpr_notice(w: &mut Writer, f: &Facts) {
    let org = &f.org;
    w.heading("Information sur vos données personnelles (articles 13 et 14 du RGPD)");
    w.field(
        "Responsable du traitement",
        &format!(
            "{}, {}, SIRET {} — contact : {}",
            org.name.trim(),
            org.address.trim().replace('\n', ", "),
            org.siret.trim(),
            org.contact.trim()
        ),
    );
    let dpo = if org.dpo_contact.trim().is_empty() {
        format!(
            "l'organisme n'a pas désigné de délégué à la protection des données ; pour toute \
             question sur vos données : {}",
            org.contact.trim()
        )
    } else {
        org.dpo_contact.trim().to_string()
    };
    w.field("Délégué à la protection des données (DPO)", &dpo);
    w.paragraph(
        "Finalités et bases légales :\n\
         – réaliser le bilan (rendez-vous, séances, tests, synthèse) : exécution du contrat, de la \
         convention ou des conditions générales du CPF (article 6.1.b) ;\n\
         – justifier l'action auprès des financeurs, établir le bilan pédagogique et financier, la \
         facturation et la comptabilité : obligation légale (article 6.1.c) ;\n\
         – enquêtes de satisfaction, réclamations, preuves de la certification Qualiopi : intérêt \
         légitime de l'organisme (article 6.1.f), avec la possibilité de s'y opposer ;\n\
         – communiquer les résultats ou la synthèse à un tiers, conserver les documents après la \
         fin de l'action : votre accord écrit (articles L6313-4 et R6313-7).",
    );
    w.paragraph(
        "Les informations demandées ont un lien direct et nécessaire avec l'objet du bilan \
         (article L6313-4) ; vous y répondez de bonne foi. Les données de santé ou de handicap ne \
         sont traitées qu'avec votre consentement explicite (article 9.2.a), au strict nécessaire.",
    );
    w.paragraph(&format!(
        "Destinataires : les consultants chargés de votre bilan ({}) et vous seul pour le contenu \
         du bilan, tenus au secret professionnel ; le personnel administratif de l'organisme pour \
         les seules données administratives ; l'éditeur de Boussole, sous-traitant (article 28), \
         qui n'accède pas au contenu. L'employeur et le financeur ne reçoivent aucun contenu du \
         bilan : seulement les données administratives qui justifient l'action (feuilles \
         d'émargement, certificat de réalisation, factures). La Caisse des Dépôts reçoit les \
         données de votre dossier CPF, le cas échéant.",
        f.consultant_names()
    ));
    w.paragraph(
        "Aucun transfert de données hors de l'Union européenne. Aucune décision produisant des \
         effets juridiques n'est prise sur le seul fondement d'un traitement automatisé (article \
         22) : les résultats des tests sont exploratoires et revus avec votre consultant.",
    );
    w.paragraph(&format!(
        "Durées de conservation :\n\
         – contenu du bilan (réponses, résultats, notes, synthèse de l'organisme) : détruit à la \
         fin de l'action (article R6313-7), au plus tard {} mois après la fin du bilan, période de \
         l'entretien de suivi ;\n\
         – synthèse transmise à un opérateur du conseil en évolution professionnelle et documents \
         conservés avec votre accord écrit : 3 ans au plus (article R6313-7) ;\n\
         – contrat ou convention, feuilles d'émargement, certificat de réalisation : 3 ans après la \
         fin de l'action ;\n\
         – factures et pièces comptables : 10 ans (article L123-22 du Code de commerce).",
        f.follow_up_months
    ));
    w.paragraph(&format!(
        "Vos droits : accès, rectification, effacement (limité par les obligations légales de \
         conservation), limitation, portabilité des données que vous avez fournies, opposition aux \
         traitements fondés sur l'intérêt légitime, retrait de vos accords à tout moment. Pour les \
         exercer : {}, ou depuis votre espace Boussole. Réponse sous un mois (prolongeable de deux \
         mois pour une demande complexe), sans frais.",
        if org.dpo_contact.trim().is_empty() {
            org.contact.trim()
        } else {
            org.dpo_contact.trim()
        }
    ));
    w.paragraph(
        "Vous pouvez introduire une réclamation auprès de la CNIL (Commission nationale de \
         l'informatique et des libertés), 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, \
         www.cnil.fr.",
    );
}

fn funder_kind(k: PayerKind) -> &'static str {
    match k {
        PayerKind::Opco => "opérateur de compétences (OPCO)",
        PayerKind::FranceTravail => "France Travail",
        PayerKind::Company => "entreprise",
        PayerKind::Cdc => "Caisse des Dépôts (CPF)",
        PayerKind::Beneficiary => "bénéficiaire",
    }
}

/// The share of the duration delivered remotely (D6353-1 I, since 1 July 2025).
fn remote_share(f: &Facts) -> String {
    match f.format {
        BilanFormat::OnSite => "0 % (action entièrement en présentiel)".into(),
        BilanFormat::Remote => "100 % (action entièrement à distance)".into(),
        BilanFormat::Mixed => {
            let held = f.delivered_minutes();
            let remote: i64 = f
                .sessions
                .iter()
                .filter(|s| s.mode == SessionMode::Remote)
                .map(|s| s.minutes)
                .sum();
            if held > 0 {
                format!(
                    "{} % des heures réalisées à ce jour ({} sur {}) ; la répartition est convenue \
                     en phase préliminaire",
                    remote * 100 / held,
                    hours(remote),
                    hours(held)
                )
            } else {
                "action mixte : la part à distance est convenue en phase préliminaire et \
                 indiquée sur les feuilles d'émargement"
                    .into()
            }
        }
    }
}

fn financing_line(l: &FundingLine) -> String {
    let mut text = format!("{} : {}", l.payer_name.trim(), euros(l.amount_cents));
    if let Some(n) = &l.agreement_number {
        text.push_str(&format!(", accord n° {}", n.trim()));
    }
    if let Some(d) = l.agreement_date {
        text.push_str(&format!(" du {}", date(d)));
    }
    if l.subrogation {
        text.push_str(", paiement direct à l'organisme (subrogation)");
    }
    text
}

/// L6353-1 and D6353-1 I: the convention between the organisation and the buyer of the action.
pub fn funder_convention(w: &mut Writer, f: &Facts) {
    let org = &f.org;
    let Some(funder) = f.funder() else {
        return;
    };
    w.paragraph(
        "Convention conclue en application des articles L6353-1 et D6353-1 du Code du travail.",
    );
    w.heading("Entre les parties");
    organisation_party(w, org);
    let siret = funder
        .payer_siret
        .as_deref()
        .map_or(String::new(), |s| format!(", SIRET {}", s.trim()));
    w.field(
        "Le financeur",
        &format!(
            "{} ({}){siret}, {} — contact : {}",
            funder.payer_name.trim(),
            funder_kind(funder.payer_kind),
            funder.payer_address.trim().replace('\n', ", "),
            funder.payer_contact.trim(),
        ),
    );
    let mut beneficiary = f.beneficiary.clone();
    if let Some(employer) = &f.employer {
        beneficiary.push_str(&format!(", salarié(e) de {employer}"));
    }
    w.field("Au bénéfice de", &beneficiary);
    w.field(
        "Nature de l'action",
        "Bilan de compétences, action concourant au développement des compétences (article \
         L6313-1, 2°)",
    );
    the_action(w, f, DocumentKind::FunderConvention);
    duration_and_period(w, f, DocumentKind::FunderConvention);
    w.field("Part de la durée réalisée à distance", &remote_share(f));
    w.heading("Déroulement, suivi et sanction de l'action");
    w.paragraph(
        "L'action ne prépare pas à une certification : elle est sanctionnée par la remise au seul \
         bénéficiaire des résultats détaillés et du document de synthèse (article L6313-4). \
         L'organisme adresse au financeur le certificat de réalisation et, à sa demande, les \
         feuilles d'émargement, qui justifient de l'exécution de l'action (article L6362-6). Il \
         informe le financeur de l'entrée, des interruptions et de la sortie du bénéficiaire \
         (article L6353-10).",
    );
    confidentiality(w);
    w.paragraph(
        "Le financeur ne reçoit ni les résultats détaillés ni le document de synthèse, sauf \
         accord écrit du bénéficiaire.",
    );
    w.heading("Prix et financement");
    w.field("Prix de l'action", &price(org));
    for line in f.fundings.iter().filter(|l| l.is_convention_buyer()) {
        w.field("Prise en charge", &financing_line(line));
    }
    w.field("Modalités de règlement", org.payment_terms.trim());
    if funder.payer_kind == PayerKind::Opco {
        w.paragraph(
            "Le paiement intervient après la réalisation de l'action ; une avance de 30 % au plus \
             peut être convenue (article R6332-25).",
        );
    }
    w.heading("Annulation, abandon et force majeure");
    w.paragraph(org.cancellation_terms.trim());
    w.paragraph(
        "En cas d'inexécution totale ou partielle de l'action, l'organisme rembourse au financeur \
         les sommes perçues pour les prestations non réalisées (article L6354-1). En cas de force \
         majeure dûment reconnue, seules les prestations effectivement dispensées sont dues, au \
         prorata temporis de leur valeur prévue.",
    );
    w.heading("Signatures");
    w.paragraph(&format!(
        "Fait à {}, en deux exemplaires, un pour chaque partie.",
        org.city.trim()
    ));
    w.field("Pour l'organisme", &for_organisation(org));
    w.field(
        "Pour le financeur",
        &format!("{} — nom, qualité et signature", funder.payer_name.trim()),
    );
}

/// L6352-3 and R6352-1: the organisation's règlement intérieur, issued for the beneficiary.
pub fn reglement(w: &mut Writer, f: &Facts) {
    let org = &f.org;
    w.paragraph(&format!(
        "Règlement intérieur de {}, établi en application des articles L6352-3 et R6352-1 à \
         R6352-15 du Code du travail, remis à {}, bénéficiaire d'un bilan de compétences.",
        org.name.trim(),
        f.beneficiary
    ));
    for block in org.reglement_interieur.trim().split("\n\n") {
        let block = block.trim();
        if !block.is_empty() {
            w.paragraph(block);
        }
    }
    w.heading("Prise de connaissance");
    match f.reglement_acknowledged_on {
        Some(on) => w.paragraph(&format!(
            "{} a déclaré avoir pris connaissance du présent règlement intérieur le {}.",
            f.beneficiary,
            date(on)
        )),
        None => w.paragraph(
            "Le bénéficiaire déclare en avoir pris connaissance depuis son espace Boussole ; la \
             date de sa déclaration est enregistrée.",
        ),
    }
}
