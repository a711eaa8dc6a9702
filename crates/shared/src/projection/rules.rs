//! The rules of the grid, shared by the API (which decides) and the SPA (which shows them early):
//! name matching, the gap list, the decision matrix's defaults and ranking.

use crate::field_rules::FieldRule;
use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::{
    ActionPlanInput, Criterion, DecisionMatrixInput, GapStatus, RankedPath, RequiredSkill, Score,
    SkillGap,
};

/// A name folded for matching: lowercase, French diacritics removed (é → e, œ → oe), every run of
/// other characters than letters and digits made one space, trimmed. "Gestion d'équipe" and
/// "gestion  d'EQUIPE" fold alike; the gap list and the ROME search both use it.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        let base: &str = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
            'ç' => "c",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' | 'ì' => "i",
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ÿ' | 'ý' => "y",
            'ñ' => "n",
            'œ' => "oe",
            'æ' => "ae",
            c if c.is_alphanumeric() => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                continue;
            }
            _ => {
                space = true;
                continue;
            }
        };
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push_str(base);
    }
    out
}

/// Each required skill against the identified ones `(id, name, level)`: matched by folded name (the
/// consultant names skills as the path lists them; a thesaurus would guess, this does not).
pub fn gaps(required: &[RequiredSkill], identified: &[(Uuid, String, u8)]) -> Vec<SkillGap> {
    let by_name: HashMap<String, (Uuid, u8)> = identified
        .iter()
        .map(|(id, name, level)| (fold(name), (*id, *level)))
        .collect();
    required
        .iter()
        .map(|r| {
            let found = by_name.get(&fold(&r.name)).copied();
            let status = match (found, r.level) {
                (None, _) => GapStatus::Missing,
                (Some((_, have)), Some(need)) if have < need => GapStatus::BelowLevel,
                _ => GapStatus::Met,
            };
            SkillGap {
                name: r.name.clone(),
                required_level: r.level,
                status,
                skill_id: found.map(|f| f.0),
                level: found.map(|f| f.1),
            }
        })
        .collect()
}

/// The criteria of a matrix nobody has saved yet (weights editable).
pub fn default_criteria() -> Vec<Criterion> {
    [
        ("motivation", "Motivation", 3),
        ("skills_fit", "Adéquation des compétences", 3),
        ("market", "Marché de l'emploi", 2),
        ("training_effort", "Effort de formation", 2),
        ("constraints", "Contraintes", 2),
    ]
    .into_iter()
    .map(|(key, label, weight)| Criterion {
        key: key.into(),
        label: label.into(),
        weight,
    })
    .collect()
}

/// Ranks `paths` (id, title) by Σ weight × score, best first; equal totals share a rank and keep
/// the given order. Scores of unknown criteria or paths are ignored.
pub fn rank(criteria: &[Criterion], paths: &[(Uuid, String)], scores: &[Score]) -> Vec<RankedPath> {
    let weights: HashMap<&str, u32> = criteria
        .iter()
        .map(|c| (c.key.as_str(), u32::from(c.weight)))
        .collect();
    let max_total: u32 = weights.values().map(|w| w * 5).sum();
    let mut rows: Vec<RankedPath> = paths
        .iter()
        .map(|(id, title)| {
            let mine: HashMap<&str, u32> = scores
                .iter()
                .filter(|s| s.path_id == *id && weights.contains_key(s.criterion.as_str()))
                .map(|s| (s.criterion.as_str(), u32::from(s.score)))
                .collect();
            RankedPath {
                path_id: *id,
                title: title.clone(),
                total: mine.iter().map(|(k, s)| weights[k] * s).sum(),
                max_total,
                rank: 0,
                complete: mine.len() == weights.len(),
            }
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.total));
    let mut previous: Option<(u32, u32)> = None;
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = match previous {
            Some((total, rank)) if total == row.total => rank,
            _ => i as u32 + 1,
        };
        previous = Some((row.total, row.rank));
    }
    rows
}

/// The matrix's rules beyond the field ranges: keys well-formed and unique, each score on a known
/// criterion, at most one score per path and criterion. The field path names the culprit.
pub fn matrix_error(input: &DecisionMatrixInput) -> Option<(String, FieldRule, &'static str)> {
    let mut keys = HashSet::new();
    for (i, c) in input.criteria.iter().enumerate() {
        let well_formed = c
            .key
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
        if !well_formed {
            return Some((
                format!("criteria[{i}].key"),
                FieldRule::Format,
                "lettres minuscules, chiffres et _ seulement",
            ));
        }
        if !keys.insert(c.key.as_str()) {
            return Some((
                format!("criteria[{i}].key"),
                FieldRule::Duplicate,
                "clé en double",
            ));
        }
    }
    let mut seen = HashSet::new();
    for (i, s) in input.scores.iter().enumerate() {
        if !keys.contains(s.criterion.as_str()) {
            return Some((
                format!("scores[{i}].criterion"),
                FieldRule::Unknown,
                "critère inconnu",
            ));
        }
        if !seen.insert((s.path_id, s.criterion.as_str())) {
            return Some((
                format!("scores[{i}]"),
                FieldRule::Duplicate,
                "note en double",
            ));
        }
    }
    None
}

/// The plan's rules beyond the field ranges: each training and resource non-empty and not too long.
pub fn plan_error(input: &ActionPlanInput) -> Option<(String, FieldRule, &'static str)> {
    let lists = [
        ("trainings", &input.trainings, 300),
        ("resources", &input.resources, 500),
    ];
    for (field, list, max) in lists {
        for (i, item) in list.iter().enumerate() {
            if item.trim().is_empty() || item.chars().count() > max {
                let rule = if item.trim().is_empty() {
                    FieldRule::Required
                } else {
                    FieldRule::TooLong
                };
                return Some((format!("{field}[{i}]"), rule, "vide ou trop long"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_ignores_accents_case_and_punctuation() {
        assert_eq!(fold("  Gestion d'ÉQUIPE "), "gestion d equipe");
        assert_eq!(fold("Cœur de métier"), "coeur de metier");
        assert_eq!(fold("Ébéniste"), fold("ebeniste"));
    }

    #[test]
    fn gaps_compare_names_and_levels() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let have = vec![
            (a, "Gestion d'équipe".into(), 2),
            (b, "Accueil client".into(), 4),
        ];
        let need = |name: &str, level| RequiredSkill {
            name: name.into(),
            level,
        };
        let out = gaps(
            &[
                need("gestion d EQUIPE", Some(3)),
                need("accueil client", Some(3)),
                need("Menuiserie", None),
            ],
            &have,
        );
        assert_eq!(out[0].status, GapStatus::BelowLevel);
        assert_eq!(out[0].skill_id, Some(a));
        assert_eq!(out[1].status, GapStatus::Met);
        assert_eq!(out[2].status, GapStatus::Missing);
    }

    #[test]
    fn ranking_by_hand_computed_weighted_totals_shares_ties() {
        let criteria = default_criteria(); // weights 3, 3, 2, 2, 2
        let (p, q, r) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let mut scores = vec![];
        for (path, notes) in [
            (p, [4, 3, 5, 2, 3]),
            (q, [5, 4, 3, 3, 4]),
            (r, [5, 5, 2, 2, 2]),
        ] {
            for (c, n) in criteria.iter().zip(notes) {
                scores.push(Score {
                    path_id: path,
                    criterion: c.key.clone(),
                    score: n,
                });
            }
        }
        // p: 12+9+10+4+6 = 41; q: 15+12+6+6+8 = 47; r: 15+15+4+4+4 = 42.
        let paths = [(p, "P".into()), (q, "Q".into()), (r, "R".into())];
        let out = rank(&criteria, &paths, &scores);
        let got: Vec<(Uuid, u32, u32)> = out.iter().map(|x| (x.path_id, x.total, x.rank)).collect();
        assert_eq!(got, vec![(q, 47, 1), (r, 42, 2), (p, 41, 3)]);
        assert_eq!(out[0].max_total, 60);
        assert!(out.iter().all(|x| x.complete));
        let tied = rank(&criteria, &[(p, "P".into()), (p, "P bis".into())], &scores);
        assert_eq!((tied[0].rank, tied[1].rank), (1, 1));
    }
}
