//! The document de synthèse as a PDF, through the documents' writer (organisation header on every
//! page, page numbers, embedded fonts, title and language in the metadata): who and when, each
//! section under its title, the action plan as a table, and the confidentiality mentions of
//! L6313-4 and R6313-7.

use boussole_shared::documents::{DocumentKind, OrganisationIdentity};
use boussole_shared::synthesis::{SECTION_KEYS, SynthesisSections};
use boussole_shared::time::to_paris;

use crate::documents::render::{Issue, day};
use crate::error::ApiError;
use crate::pdf::Writer;

/// Who the synthèse is about and who wrote it, as printed under the title.
pub struct Parties {
    pub beneficiary: String,
    pub consultants: Vec<String>,
    /// "du 01/09/2026 au 17/11/2026", or empty when no session is recorded.
    pub period: String,
}

/// L6313-4 and R6313-7, printed on every synthèse.
pub const DELIVERY_MENTION: &str = "Ce document de synthèse est remis au seul bénéficiaire (article \
     L6313-4 du Code du travail). Il ne peut être communiqué à un tiers qu'avec son accord. À sa \
     demande, il peut être transmis à un opérateur du conseil en évolution professionnelle (CEP), \
     qui le conserve dans ce cadre. Les autres documents élaborés pendant le bilan sont détruits \
     à la fin de l'action, sauf accord écrit du bénéficiaire pour leur conservation (article R6313-7).";

/// The PDF of `sections` for `parties`, under `org`'s identity.
pub fn render(
    org: &OrganisationIdentity,
    parties: &Parties,
    sections: &SynthesisSections,
    issue: &Issue<'_>,
) -> Result<Vec<u8>, ApiError> {
    let title = DocumentKind::Synthese.title();
    let mut w = Writer::new(title, org)?;
    w.title(title);
    w.field("Bénéficiaire", &parties.beneficiary);
    if !parties.consultants.is_empty() {
        w.field("Consultant(s)", &parties.consultants.join(", "));
    }
    if !parties.period.is_empty() {
        w.field("Bilan de compétences réalisé", &parties.period);
    }
    w.field("Date de remise", &day(issue.issued_at));
    w.space(4.0);
    w.paragraph(DELIVERY_MENTION);
    for (n, key) in SECTION_KEYS.iter().enumerate() {
        let heading = SynthesisSections::title(key).unwrap_or(*key);
        w.heading(&format!("{}. {heading}", n + 1));
        if *key == "action_plan" {
            let rows: Vec<Vec<String>> = sections
                .action_plan
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    vec![
                        (i + 1).to_string(),
                        s.step.trim().to_string(),
                        s.horizon.trim().to_string(),
                    ]
                })
                .collect();
            w.table(&["N°", "Étape", "Échéance"], &[0.08, 0.67, 0.25], &rows);
        } else {
            w.paragraph(sections.text(key).unwrap_or_default().trim());
        }
    }
    w.space(12.0);
    w.paragraph(&format!(
        "Document n° {} — version {} — émis le {} par Boussole, après approbation par le \
         bénéficiaire. Son empreinte SHA-256 permet de vérifier auprès de l'organisme qu'il n'a \
         pas été modifié.",
        issue.id,
        issue.version,
        to_paris(issue.issued_at).format("%d/%m/%Y à %H:%M"),
    ));
    w.finish(issue.issued_at.and_utc())
}

/// A synthèse of about ten pages without a database (the benchmark, the rendering test): long
/// sections with accents and ligatures, twelve action steps.
pub fn sample() -> (OrganisationIdentity, Parties, SynthesisSections) {
    use boussole_shared::synthesis::ActionStep;
    let paragraph = "Au cours des entretiens, Émilie a décrit avec précision les situations \
        professionnelles où elle s'est sentie efficace : coordination d'équipes pluridisciplinaires, \
        conduite de projets de réaménagement, relation à des interlocuteurs exigeants. Les œuvres \
        citées, l'intérêt pour l'écologie urbaine et les échanges avec des professionnels confirment \
        une orientation vers des fonctions de coordination à forte dimension sociale. ";
    // About 10 pages in all (the budget of issue 12 is set for a 10-page synthèse).
    let long = |n: usize| paragraph.repeat(2 * n);
    let sections = SynthesisSections {
        circumstances: long(4),
        skills: long(6),
        investigation_results: long(8),
        project: long(5),
        alternatives: long(4),
        factors_for: long(4),
        factors_against: long(4),
        action_plan: (1..=12)
            .map(|i| ActionStep {
                step: format!(
                    "Étape {i} : rencontrer un professionnel du secteur, préparer le dossier de \
                     financement et s'inscrire à la formation qualifiante « coordinatrice de projets »"
                ),
                horizon: format!("d'ici {i} mois"),
            })
            .collect(),
        follow_up: long(1),
    };
    let parties = Parties {
        beneficiary: "Émilie Rousseau".into(),
        consultants: vec!["Sophie Martin".into()],
        period: "du 01/09/2026 au 17/11/2026".into(),
    };
    (crate::documents::demo::identity(), parties, sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_runs_to_about_ten_pages_with_every_title() {
        let (org, parties, sections) = sample();
        let issued_at = chrono::NaiveDate::from_ymd_opt(2026, 12, 5)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .unwrap_or_default();
        let issue = Issue {
            id: "sample",
            version: 1,
            issued_at,
        };
        let pdf = render(&org, &parties, &sections, &issue).expect("renders");
        let doc = lopdf::Document::load_mem(&pdf).expect("parses");
        let pages = doc.get_pages().len();
        assert!((8..=12).contains(&pages), "{pages} pages");
        let all: Vec<u32> = (1..=pages as u32).collect();
        let text = doc.extract_text(&all).expect("text");
        assert!(text.contains("Principales étapes du plan d'action"));
        assert!(text.contains("L6313-4"));
        if let Ok(dir) = std::env::var("BOUSSOLE_PDF_DIR") {
            std::fs::write(format!("{dir}/synthese.pdf"), &pdf).expect("written");
        }
    }
}
