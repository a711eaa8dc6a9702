//! Scoring: pure functions from an instrument and a set of answers to results.
//!
//! - An item's value: a Likert answer as given (reverse-keyed: `min + max − v`); a single choice the
//!   option's `value`; a multiple choice the sum of the chosen options' values; a ranking item, for the
//!   option a scale names, `n − position` (first of n options: n, last: 1); a number as given.
//! - **Missing answers**: a scale is scored only when at least 80 % of its items are answered; each
//!   missing item then takes the mean of the scale's answered values (mean imputation), so that a sum
//!   stays on the scale's full range. Below 80 %: "not enough answers", no score.
//! - Rules: `sum`; `mean` (the sum over the number of items); `percent_of_max` (`100 (sum − lowest) /
//!   (highest − lowest)`).
//! - Norms: `T = 50 + 10 (score − mean) / sd`, percentile `= 100 Φ((score − mean) / sd)`.
//! - Bands: the first band holding the score; a score between two bands (possible after imputation)
//!   takes the highest band starting at or below it.
//! - Holland code: the six typed scales, highest first; equal scores keep the hexagon order
//!   R, I, A, S, E, C, and are flagged in `ties` when they decide a place in the code.

use std::collections::HashMap;

use boussole_shared::assessments::{
    AnswerValue, HollandCode, Instrument, Item, ItemKind, KeyedItem, RankingResult, Scale,
    ScaleResult, ScaleStatus, ScoringRule,
};

/// The results computed from answers (the assessment, the interpretation are added by the caller).
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub scales: Vec<ScaleResult>,
    pub holland: Option<HollandCode>,
    pub rankings: Vec<RankingResult>,
}

/// The hexagon order.
pub const HEXAGON: [&str; 6] = ["R", "I", "A", "S", "E", "C"];

/// Answered items, by item id.
pub type AnswerMap<'a> = HashMap<&'a str, &'a AnswerValue>;

/// Every item of the instrument, by id.
pub fn items_by_id(instrument: &Instrument) -> HashMap<&str, &Item> {
    instrument
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .map(|i| (i.id.as_str(), i))
        .collect()
}

/// The lowest and highest value a keyed item can count (`None`: the item cannot be scored, which
/// validation refuses).
pub fn bounds(item: &Item, key: &KeyedItem) -> Option<(f64, f64)> {
    match &item.kind {
        ItemKind::Likert { min, max, .. } => Some((f64::from(*min), f64::from(*max))),
        ItemKind::SingleChoice { options } => {
            let values: Option<Vec<f64>> = options.iter().map(|o| o.value).collect();
            let values = values?;
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
        }
        ItemKind::MultipleChoice { options, .. } => {
            let values: Option<Vec<f64>> = options.iter().map(|o| o.value).collect();
            let values = values?;
            let lo = values.iter().filter(|v| **v < 0.0).sum();
            let hi = values.iter().filter(|v| **v > 0.0).sum();
            Some((lo, hi))
        }
        ItemKind::Ranking { options } => {
            let option = key.option.as_deref()?;
            options.iter().any(|o| o.id == option).then_some(())?;
            Some((1.0, options.len() as f64))
        }
        ItemKind::Number { min, max, .. } => Some(((*min)?, (*max)?)),
        ItemKind::Text { .. } => None,
    }
}

/// The value an answer counts for a keyed item, before reversal (`None`: unanswered or not scorable).
fn raw_value(item: &Item, key: &KeyedItem, answer: &AnswerValue) -> Option<f64> {
    match (&item.kind, answer) {
        (ItemKind::Likert { .. }, AnswerValue::Likert(v)) => Some(f64::from(*v)),
        (ItemKind::SingleChoice { options }, AnswerValue::Choice(id)) => {
            options.iter().find(|o| &o.id == id)?.value
        }
        (ItemKind::MultipleChoice { options, .. }, AnswerValue::Choices(ids)) => ids
            .iter()
            .map(|id| options.iter().find(|o| &o.id == id).and_then(|o| o.value))
            .sum(),
        (ItemKind::Ranking { .. }, AnswerValue::Ranking(order)) => {
            let option = key.option.as_deref()?;
            let position = order.iter().position(|o| o == option)?;
            Some((order.len() - position) as f64)
        }
        (ItemKind::Number { .. }, AnswerValue::Number(x)) => Some(*x),
        _ => None,
    }
}

/// One scale's result.
pub fn score_scale(
    scale: &Scale,
    items: &HashMap<&str, &Item>,
    answers: &AnswerMap,
) -> ScaleResult {
    let (mut lo, mut hi, mut sum) = (0.0, 0.0, 0.0);
    let mut answered = 0u32;
    for key in &scale.items {
        let Some(item) = items.get(key.item.as_str()) else {
            continue;
        };
        let Some((ilo, ihi)) = bounds(item, key) else {
            continue;
        };
        lo += ilo;
        hi += ihi;
        let value = answers
            .get(key.item.as_str())
            .and_then(|a| raw_value(item, key, a));
        if let Some(v) = value {
            answered += 1;
            sum += if key.reverse { ilo + ihi - v } else { v };
        }
    }
    let total = scale.items.len() as u32;
    let (min, max) = match scale.rule {
        ScoringRule::Sum => (lo, hi),
        ScoringRule::Mean => (lo / f64::from(total.max(1)), hi / f64::from(total.max(1))),
        ScoringRule::PercentOfMax => (0.0, 100.0),
    };
    // At least 80 % answered: answered / total >= 4 / 5, in integers.
    let enough = total > 0 && answered * 5 >= total * 4;
    let score = enough.then(|| {
        let imputed = sum + f64::from(total - answered) * sum / f64::from(answered);
        let s = match scale.rule {
            ScoringRule::Sum => imputed,
            ScoringRule::Mean => imputed / f64::from(total),
            ScoringRule::PercentOfMax if hi > lo => 100.0 * (imputed - lo) / (hi - lo),
            ScoringRule::PercentOfMax => 0.0,
        };
        s.clamp(min, max)
    });
    let (t_score, percentile) = match (&scale.norms, score) {
        (Some(n), Some(s)) if n.sd > 0.0 => {
            let z = (s - n.mean) / n.sd;
            (Some(50.0 + 10.0 * z), Some(100.0 * normal_cdf(z)))
        }
        _ => (None, None),
    };
    ScaleResult {
        scale_id: scale.id.clone(),
        name: scale.name.clone(),
        description: scale.description.clone(),
        status: if enough {
            ScaleStatus::Scored
        } else {
            ScaleStatus::NotEnoughAnswers
        },
        rule: scale.rule,
        score,
        min,
        max,
        answered,
        total,
        t_score,
        percentile,
        band: score.and_then(|s| band(scale, s)),
        holland: scale.holland.clone(),
    }
}

fn band(scale: &Scale, score: f64) -> Option<boussole_shared::assessments::LocalText> {
    scale
        .bands
        .iter()
        .find(|b| b.min <= score && score <= b.max)
        .or_else(|| {
            scale
                .bands
                .iter()
                .filter(|b| b.min <= score)
                .max_by(|a, b| a.min.total_cmp(&b.min))
        })
        .map(|b| b.text.clone())
}

/// Φ, the standard normal distribution function, from erf (Abramowitz & Stegun 7.1.26, error < 1.5e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

/// The Holland code from the six typed scales (none unless all six are scored).
pub fn holland(scales: &[ScaleResult]) -> Option<HollandCode> {
    let mut typed: Vec<(usize, &str, f64)> = Vec::with_capacity(6);
    for (place, letter) in HEXAGON.iter().enumerate() {
        let s = scales
            .iter()
            .find(|s| s.holland.as_deref() == Some(letter))?;
        typed.push((place, letter, s.score?));
    }
    // Highest first; equal scores keep the hexagon order (a stable sort on the hexagon-ordered list).
    typed.sort_by(|a, b| b.2.total_cmp(&a.2));
    let code: String = typed[..3].iter().map(|t| t.1).collect();
    let mut ties: Vec<(usize, String)> = Vec::new();
    for (i, a) in typed.iter().enumerate() {
        let decides = typed
            .iter()
            .enumerate()
            .any(|(j, b)| j != i && b.2 == a.2 && i.min(j) < 3);
        if decides {
            ties.push((a.0, a.1.to_string()));
        }
    }
    ties.sort();
    let highest = typed[0].2;
    let lowest = typed[5].2;
    let distance = typed[0].0.abs_diff(typed[1].0);
    let consistency = match distance.min(6 - distance) {
        1 => 3,
        2 => 2,
        _ => 1,
    };
    Some(HollandCode {
        code,
        ties: ties.into_iter().map(|t| t.1).collect(),
        differentiation: highest - lowest,
        consistency,
    })
}

/// Scores every scale, derives the Holland code and lists the rankings.
pub fn score(instrument: &Instrument, answers: &AnswerMap) -> Scored {
    let items = items_by_id(instrument);
    let scales: Vec<ScaleResult> = instrument
        .scales
        .iter()
        .map(|s| score_scale(s, &items, answers))
        .collect();
    let rankings = instrument
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .filter_map(|item| match (&item.kind, answers.get(item.id.as_str())) {
            (ItemKind::Ranking { options }, Some(AnswerValue::Ranking(order))) => {
                Some(RankingResult {
                    item_id: item.id.clone(),
                    text: item.text.clone(),
                    order: order
                        .iter()
                        .filter_map(|id| options.iter().find(|o| &o.id == id).cloned())
                        .collect(),
                })
            }
            _ => None,
        })
        .collect();
    Scored {
        holland: holland(&scales),
        scales,
        rankings,
    }
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
