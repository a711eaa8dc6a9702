//! What a template holds: the editable sections of each kind of document with their built-in wording
//! (version 0), the merge fields they may use, and the check and merge of `{{field}}`.
//!
//! Only the paragraphs an organisation words itself are here (introductions, objectives, means,
//! follow-up, prerequisites…). The mentions the law requires — the phases of R6313-4, confidentiality
//! (L6313-4), destruction (R6313-7), the withdrawal period and payment rule (L6353-5, L6353-6), force
//! majeure (L6353-7), the employee's consent (R6313-8), the GDPR notice — stay fixed in the renderers.

use boussole_shared::bilans::BilanFormat;
use boussole_shared::documents::DocumentKind;
use boussole_shared::templates::MergeField;

use crate::documents::data::Facts;

/// One editable section: its key, where it is printed, and its built-in wording.
pub struct Section {
    pub key: &'static str,
    pub label: &'static str,
    pub default: &'static str,
}

/// The longest wording of a section, in characters.
pub const MAX_SECTION_CHARS: usize = 4000;

const MEANS: Section = Section {
    key: "means",
    label: "Moyens pédagogiques et techniques",
    default: "Entretiens individuels avec un consultant, tests et questionnaires choisis avec lui, \
              travail personnel guidé, ressources documentaires et espace sécurisé Boussole \
              (messagerie, documents, rendez-vous).",
};

const FOLLOW_UP: Section = Section {
    key: "follow_up",
    label: "Suivi de l'action",
    default: "Suivi : chaque séance est attestée par une feuille d'émargement signée par le \
              bénéficiaire et le consultant ; un certificat de réalisation indique les heures \
              effectivement suivies. Un entretien de suivi est proposé six mois après la fin du \
              bilan.",
};

const PRE_CONTRACT: &[Section] = &[
    Section {
        key: "introduction",
        label: "Introduction",
        default: "Information remise à {{beneficiary.full_name}} avant son inscription définitive \
                  (article L6353-8 du Code du travail).",
    },
    Section {
        key: "objectives",
        label: "Objectifs",
        default: "Le bilan de compétences permet d'analyser ses compétences professionnelles et \
                  personnelles, ses aptitudes et ses motivations, afin de définir un projet \
                  professionnel et, le cas échéant, un projet de formation (article L6313-4 du \
                  Code du travail).",
    },
    Section {
        key: "evaluation",
        label: "Modalités d'évaluation",
        default: "Modalités d'évaluation : entretiens individuels, tests et questionnaires choisis \
                  avec le consultant, travail personnel guidé ; l'atteinte des objectifs est \
                  appréciée avec le bénéficiaire en phase de conclusions.",
    },
];

const CONVENTION: &[Section] = &[MEANS, FOLLOW_UP];

const CONTRACT: &[Section] = &[
    Section {
        key: "prerequisites",
        label: "Prérequis",
        default: "Aucun prérequis n'est exigé",
    },
    MEANS,
    FOLLOW_UP,
];

/// The editable sections of `kind` (none: the kind has no template).
pub fn sections(kind: DocumentKind) -> &'static [Section] {
    match kind {
        DocumentKind::PreContractInfo => PRE_CONTRACT,
        DocumentKind::TripartiteConvention | DocumentKind::FunderConvention => CONVENTION,
        DocumentKind::IndividualContract => CONTRACT,
        _ => &[],
    }
}

/// The kinds that have a template, in the order they are listed.
pub fn kinds() -> impl Iterator<Item = DocumentKind> {
    DocumentKind::ALL
        .iter()
        .copied()
        .filter(|k| !sections(*k).is_empty())
}

/// The merge fields, each with what it prints.
pub const MERGE_FIELDS: &[(&str, &str)] = &[
    ("beneficiary.full_name", "Prénom et nom du bénéficiaire"),
    (
        "beneficiary.employer",
        "Employeur du bénéficiaire (vide s'il n'en a pas)",
    ),
    ("organisation.name", "Raison sociale de l'organisme"),
    ("organisation.city", "Ville de l'organisme (« Fait à »)"),
    ("organisation.contact", "Contact des bénéficiaires"),
    (
        "organisation.representative_name",
        "Représentant légal de l'organisme",
    ),
    (
        "organisation.representative_title",
        "Qualité du représentant légal",
    ),
    (
        "organisation.disability_referent_name",
        "Référent handicap de l'organisme",
    ),
    ("bilan.planned_hours", "Durée prévue (« 20 h »)"),
    ("bilan.opened_on", "Date d'ouverture du bilan (JJ/MM/AAAA)"),
    (
        "bilan.planned_end_on",
        "Date de fin prévue (JJ/MM/AAAA ; « à définir » sinon)",
    ),
    (
        "bilan.format",
        "Modalité (« en présentiel », « à distance », « en présentiel et à distance »)",
    ),
    ("bilan.consultants", "Consultant(s) du bilan"),
];

pub fn merge_fields() -> Vec<MergeField> {
    MERGE_FIELDS
        .iter()
        .map(|(name, description)| MergeField {
            name: (*name).into(),
            description: (*description).into(),
        })
        .collect()
}

/// A piece of a template's text: literal text or a merge field.
enum Piece<'a> {
    Text(&'a str),
    Field(&'a str),
}

/// The pieces of `text`, or what is wrong with it (each problem named: an unknown field, a brace
/// left open or closed alone).
fn pieces(text: &str) -> Result<Vec<Piece<'_>>, Vec<String>> {
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    let mut rest = text;
    loop {
        let open = rest.find("{{");
        let stray = rest.find(['{', '}']);
        match (open, stray) {
            (None, None) => {
                out.push(Piece::Text(rest));
                break;
            }
            (Some(o), Some(s)) if s == o => {
                out.push(Piece::Text(&rest[..o]));
                let after = &rest[o + 2..];
                let Some(close) = after.find("}}") else {
                    errors.push("accolades « {{ » sans « }} »".to_string());
                    break;
                };
                let name = after[..close].trim();
                if name.contains(['{', '}']) {
                    errors.push(format!(
                        "accolades mal formées : « {{{{{}}}}} »",
                        &after[..close]
                    ));
                } else if !MERGE_FIELDS.iter().any(|(n, _)| *n == name) {
                    errors.push(format!("champ de fusion inconnu : {{{{{name}}}}}"));
                } else {
                    out.push(Piece::Field(name));
                }
                rest = &after[close + 2..];
            }
            _ => {
                errors.push("accolade isolée : les champs s'écrivent {{nom.du_champ}}".to_string());
                break;
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// What is wrong with `text` as a template (empty when it is fine).
pub fn problems(text: &str) -> Vec<String> {
    pieces(text).err().unwrap_or_default()
}

fn date(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The value of a merge field for `f`.
fn value(name: &str, f: &Facts) -> String {
    let org = &f.org;
    match name {
        "beneficiary.full_name" => f.beneficiary.clone(),
        "beneficiary.employer" => f.employer.clone().unwrap_or_default(),
        "organisation.name" => org.name.trim().into(),
        "organisation.city" => org.city.trim().into(),
        "organisation.contact" => org.contact.trim().into(),
        "organisation.representative_name" => org.representative_name.trim().into(),
        "organisation.representative_title" => org.representative_title.trim().into(),
        "organisation.disability_referent_name" => org.disability_referent_name.trim().into(),
        "bilan.planned_hours" => crate::documents::render::hours(f.planned_minutes),
        "bilan.opened_on" => date(f.opened_on),
        "bilan.planned_end_on" => f.planned_end_on.map_or("à définir".into(), date),
        "bilan.format" => match f.format {
            BilanFormat::OnSite => "en présentiel",
            BilanFormat::Remote => "à distance",
            BilanFormat::Mixed => "en présentiel et à distance",
        }
        .into(),
        "bilan.consultants" => f.consultant_names(),
        _ => String::new(),
    }
}

/// `text` with its merge fields replaced by their values for `f` (a text that does not check prints
/// as written: saves are checked, so only a hand-edited row could).
pub fn merge(text: &str, f: &Facts) -> String {
    match pieces(text) {
        Ok(pieces) => pieces
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t.to_string(),
                Piece::Field(name) => value(name, f),
            })
            .collect(),
        Err(_) => text.to_string(),
    }
}

/// The built-in wording of `key` in `kind`.
pub fn default_text(kind: DocumentKind, key: &str) -> &'static str {
    sections(kind)
        .iter()
        .find(|s| s.key == key)
        .map_or("", |s| s.default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_checked_and_merged() {
        let facts = crate::documents::demo::sample_facts(1);
        assert!(
            problems("Bonjour {{ beneficiary.full_name }}, à {{organisation.city}}.").is_empty()
        );
        assert_eq!(
            merge(
                "Bonjour {{ beneficiary.full_name }}, à {{organisation.city}}.",
                &facts
            ),
            "Bonjour Émilie Rousseau, à Lyon."
        );
        assert_eq!(
            problems("{{beneficiary.age}}"),
            vec!["champ de fusion inconnu : {{beneficiary.age}}"]
        );
        for bad in [
            "{{beneficiary.full_name",
            "x } y",
            "{beneficiary.full_name}",
            "{{a{b}}",
        ] {
            assert!(!problems(bad).is_empty(), "{bad}");
        }
        for kind in kinds() {
            for s in sections(kind) {
                assert!(problems(s.default).is_empty(), "{}", s.key);
            }
        }
    }
}
