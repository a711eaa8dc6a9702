//! The text of each document. Fixed legal wording lives here (checked by the tests that read the
//! PDFs back); what varies comes from [`Facts`], and the paragraphs an organisation words itself from
//! its templates (`templates`, through [`Facts::text`]).

use boussole_shared::bilans::{BilanFormat, FundingMode, Phase, SessionMode};
use boussole_shared::documents::DocumentKind;
use boussole_shared::time::to_paris;
use chrono::NaiveDateTime;

use super::data::{Facts, Signed};
use crate::error::ApiError;
use crate::pdf::Writer;

/// What identifies one issue of a document.
pub struct Issue<'a> {
    pub id: &'a str,
    pub version: i64,
    /// UTC.
    pub issued_at: NaiveDateTime,
}

/// The PDF of `kind` for `facts` (the caller checked [`super::data::missing`]).
pub fn render(kind: DocumentKind, facts: &Facts, issue: &Issue<'_>) -> Result<Vec<u8>, ApiError> {
    let mut w = Writer::new(kind.title(), &facts.org)?;
    w.title(kind.title());
    match kind {
        DocumentKind::CertificatRealisation => certificat(&mut w, facts, issue),
        DocumentKind::AttendanceSheet => attendance(&mut w, facts),
        DocumentKind::PreContractInfo => pre_contract(&mut w, facts),
        DocumentKind::TripartiteConvention => super::contracts::convention(&mut w, facts),
        DocumentKind::IndividualContract => super::contracts::individual(&mut w, facts),
        // Its body is the approved sections, which `crate::synthesis::pdf` prints; `facts` hold none.
        DocumentKind::Synthese => {}
        DocumentKind::Consent => super::legal::consent(&mut w, facts),
        DocumentKind::FunderConvention => super::legal::funder_convention(&mut w, facts),
        DocumentKind::ReglementInterieur => super::legal::reglement(&mut w, facts),
    }
    w.space(12.0);
    w.paragraph(&format!(
        "Document n° {} — version {} — émis le {} par Boussole. Son empreinte SHA-256 permet \
         de vérifier auprès de l'organisme qu'il n'a pas été modifié.",
        issue.id,
        issue.version,
        to_paris(issue.issued_at).format("%d/%m/%Y à %H:%M"),
    ));
    w.finish(issue.issued_at.and_utc())
}

pub fn day(utc: NaiveDateTime) -> String {
    to_paris(utc).format("%d/%m/%Y").to_string()
}

/// "14 h", "14 h 30".
pub fn hours(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02}"),
    }
}

/// "1 800,00 €".
pub(super) fn euros(cents: i64) -> String {
    let units = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    format!("{grouped},{:02} €", cents % 100)
}

fn mode(m: SessionMode) -> &'static str {
    match m {
        SessionMode::OnSite => "En présentiel",
        SessionMode::Remote => "À distance",
    }
}

fn phase(p: Phase) -> &'static str {
    match p {
        Phase::Preliminary => "Préliminaire",
        Phase::Investigation => "Investigation",
        Phase::Conclusion => "Conclusions",
    }
}

/// The ministry's model of the certificat de réalisation (in use since 2020).
fn certificat(w: &mut Writer, f: &Facts, issue: &Issue<'_>) {
    let org = &f.org;
    let (first, last) = match (f.sessions.first(), f.sessions.last()) {
        (Some(a), Some(b)) => (day(a.starts_at), day(b.ends_at)),
        _ => (String::new(), String::new()),
    };
    w.paragraph(&format!(
        "Je soussigné(e) {}, {}, représentant(e) légal(e) du dispensateur de l'action concourant \
         au développement des compétences {}, atteste que :",
        org.representative_name.trim(),
        org.representative_title.trim(),
        org.name.trim(),
    ));
    w.field("Bénéficiaire", &f.beneficiary);
    if let Some(employer) = &f.employer {
        w.field("Salarié(e) de l'entreprise", employer);
    }
    w.field("a suivi l'action", "Bilan de compétences");
    w.paragraph("Nature de l'action concourant au développement des compétences :");
    w.paragraph(
        "[ ] action de formation\n[X] bilan de compétences\n[ ] action de VAE\n[ ] action de formation par apprentissage",
    );
    w.paragraph(&format!(
        "qui s'est déroulée du {first} au {last}, pour une durée de {} réalisées \
         (heures d'accompagnement effectivement suivies, {} séance(s)).",
        hours(f.delivered_minutes()),
        f.sessions.len(),
    ));
    w.paragraph(
        "Sans préjudice des délais imposés par les règles fiscales, comptables ou commerciales, \
         je m'engage à conserver l'ensemble des pièces justificatives qui ont permis d'établir le \
         présent certificat pour une durée de 3 ans à compter de la fin de l'année du dernier \
         paiement. En cas de cofinancement des fonds européens, la durée de conservation est \
         étendue conformément aux obligations conventionnelles spécifiques.",
    );
    w.space(8.0);
    w.paragraph(&format!(
        "Fait à {}, le {}.",
        org.city.trim(),
        day(issue.issued_at)
    ));
    w.paragraph(&format!(
        "Cachet et signature du responsable du dispensateur de l'action : {}, {}",
        org.representative_name.trim(),
        org.representative_title.trim()
    ));
}

fn signature(s: &Option<Signed>, booked: bool) -> String {
    match (s, booked) {
        (Some(s), _) => format!(
            "Signé le {} ({})",
            to_paris(s.at).format("%d/%m/%Y %H:%M"),
            if s.method == "code" {
                "code affiché sur place"
            } else {
                "signature électronique"
            }
        ),
        (None, true) => "Non signé".into(),
        (None, false) => "Séance déclarée par le consultant".into(),
    }
}

/// Sessions held, with times, mode and both signatures (no content: what was said stays out).
fn attendance(w: &mut Writer, f: &Facts) {
    w.field("Bénéficiaire", &f.beneficiary);
    w.field("Action", "Bilan de compétences");
    if !f.consultants.is_empty() {
        w.field("Consultant(s)", &f.consultant_names());
    }
    w.field(
        "Total des heures d'accompagnement",
        &hours(f.delivered_minutes()),
    );
    w.space(6.0);
    let rows: Vec<Vec<String>> = f
        .sessions
        .iter()
        .map(|s| {
            vec![
                day(s.starts_at),
                format!(
                    "{} – {} ({})",
                    to_paris(s.starts_at).format("%H:%M"),
                    to_paris(s.ends_at).format("%H:%M"),
                    hours(s.minutes)
                ),
                format!("{} / {}", mode(s.mode), phase(s.phase)),
                signature(&s.beneficiary, s.booked),
                signature(&s.consultant, s.booked),
            ]
        })
        .collect();
    w.table(
        &[
            "Date",
            "Horaires (heure de Paris)",
            "Modalité / phase",
            "Bénéficiaire",
            "Consultant",
        ],
        &[0.13, 0.2, 0.21, 0.23, 0.23],
        &rows,
    );
    w.paragraph(
        "Les signatures électroniques sont horodatées et liées à la session authentifiée de chaque \
         partie ; les preuves (adresse IP, journaux de connexion) sont conservées par l'organisme.",
    );
}

/// The three phases of R6313-4, as every document describing the action prints them.
pub(super) const PHASES: &str = "Le bilan se déroule en trois phases (article R6313-4) :\n\
     1. Phase préliminaire : analyse de la demande et du besoin, définition conjointe des \
     modalités de déroulement ;\n\
     2. Phase d'investigation : construction du projet professionnel et vérification de sa \
     pertinence, ou élaboration d'une ou plusieurs alternatives ;\n\
     3. Phase de conclusions : appropriation des résultats détaillés, recensement des \
     conditions et moyens favorisant la réalisation du projet, prévision des principales \
     étapes de sa mise en œuvre. Un document de synthèse est remis au seul bénéficiaire.";

/// L6353-8: what a beneficiary is told before committing.
fn pre_contract(w: &mut Writer, f: &Facts) {
    let org = &f.org;
    let kind = DocumentKind::PreContractInfo;
    w.paragraph(&f.text(kind, "introduction"));
    w.heading("Objectifs");
    w.paragraph(&f.text(kind, "objectives"));
    w.heading("Contenu et déroulement");
    w.paragraph(PHASES);
    w.paragraph(&f.text(kind, "evaluation"));
    w.heading("Durée et modalités");
    w.field(
        "Durée prévue",
        &format!(
            "{} d'accompagnement (24 heures au plus), réparties sur plusieurs semaines",
            hours(f.planned_minutes)
        ),
    );
    w.field(
        "Modalités",
        match f.format {
            BilanFormat::OnSite => "en présentiel",
            BilanFormat::Remote => "à distance (visioconférence)",
            BilanFormat::Mixed => "en présentiel et à distance",
        },
    );
    // L6353-8: "les titres et qualités des personnels" who deliver the action.
    w.heading("Intervenants : titres et qualités");
    w.field("Consultant(s)", &f.consultants_titled());
    w.heading("Prix et modalités de paiement");
    let vat = if org.vat_exempt {
        "Exonération de TVA – article 261-4-4° a du CGI"
    } else {
        "TVA comprise"
    };
    w.field(
        "Prix",
        &format!("{} ({vat})", euros(org.price_cents.unwrap_or_default())),
    );
    w.field("Paiement", org.payment_terms.trim());
    if f.funding == FundingMode::SelfFunded {
        w.paragraph(
            "Financement personnel : vous disposez d'un délai de rétractation de 10 jours à \
             compter de la signature du contrat, par lettre recommandée avec avis de réception \
             (article L6353-5). Aucune somme ne peut être exigée avant la fin de ce délai ; il \
             ne peut ensuite être payé plus de 30 % du prix, le solde étant échelonné au fur et \
             à mesure du déroulement de l'action (article L6353-6).",
        );
    }
    w.heading("Annulation et abandon");
    w.paragraph(org.cancellation_terms.trim());
    w.paragraph(
        "En cas de force majeure dûment reconnue, seules les prestations effectivement \
         dispensées sont dues, au prorata temporis de leur valeur prévue (article L6353-7).",
    );
    w.heading("Confidentialité et propriété des résultats");
    w.paragraph(
        "Le bénéficiaire est le seul destinataire des résultats détaillés et du document de \
         synthèse. Ils ne peuvent être communiqués à un tiers qu'avec son accord écrit (article \
         L6313-4). Les consultants sont tenus au secret professionnel.",
    );
    w.heading("Destruction des documents");
    w.paragraph(
        "Les documents élaborés pour la réalisation du bilan sont détruits dès la fin de l'action, \
         sauf le document de synthèse transmis à un opérateur du conseil en évolution \
         professionnelle à la demande du bénéficiaire, et les documents qu'il a accepté par écrit \
         de voir conservés pour le suivi de sa situation, gardés 3 ans au plus (article R6313-7).",
    );
    w.heading("Contacts");
    w.field("Contact", org.contact.trim());
    w.field(
        "Référent handicap",
        &format!(
            "{} — {}",
            org.disability_referent_name.trim(),
            org.disability_referent_contact.trim()
        ),
    );
    w.paragraph(
        "Le règlement intérieur de l'organisme est disponible sur simple demande auprès du \
         contact ci-dessus.",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind renders from the sample facts into a PDF that parses; a long attendance sheet runs
    /// onto a second page with its numbering. With `BOUSSOLE_PDF_DIR` set, the PDFs are written there
    /// to be looked at (`pdftoppm -png`).
    #[test]
    fn every_kind_renders_and_long_sheets_break_pages() {
        let facts = crate::documents::demo::sample_facts(24);
        let issued_at = chrono::NaiveDate::from_ymd_opt(2026, 12, 5)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .unwrap_or_default();
        for kind in DocumentKind::ALL {
            let issue = Issue {
                id: "sample",
                version: 1,
                issued_at,
            };
            let pdf = render(*kind, &facts, &issue).expect("renders");
            let doc = lopdf::Document::load_mem(&pdf).expect("parses");
            let pages = doc.get_pages().len();
            if *kind == DocumentKind::AttendanceSheet {
                assert!(pages >= 2, "24 sessions take more than a page");
                let last = doc.extract_text(&[pages as u32]).expect("text");
                assert!(last.contains(&format!("Page {pages} / {pages}")));
            }
            if let Ok(dir) = std::env::var("BOUSSOLE_PDF_DIR") {
                std::fs::write(format!("{dir}/{}.pdf", kind.as_str()), &pdf).expect("written");
            }
        }
    }

    #[test]
    fn hours_and_euros_print_the_french_way() {
        assert_eq!(hours(840), "14 h");
        assert_eq!(hours(870), "14 h 30");
        assert_eq!(euros(180_000), "1 800,00 €");
        assert_eq!(euros(95_050), "950,50 €");
    }
}
