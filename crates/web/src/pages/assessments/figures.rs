//! From results to the rows of the charts and of their tables (pure functions, tested): the same
//! numbers, in the same order, in the image and in the text.

use boussole_shared::{
    assessments::{Band, HollandCode, RankingResult, ScaleResult, ScaleStatus},
    users::Locale,
};

use super::state::lt;
use crate::{components::charts::ChartRow, i18n::AssessStrings};

/// The hexagon's order, which the radar follows so that neighbouring types are neighbours.
pub const HEXAGON: [&str; 6] = ["R", "I", "A", "S", "E", "C"];

/// A number as people write it: whole when it is, else one decimal (a comma in French).
pub fn num(v: f64, locale: Locale) -> String {
    let s = if (v - v.round()).abs() < 0.05 {
        format!("{}", v.round() as i64)
    } else {
        crate::components::charts::d1(v)
    };
    match locale {
        Locale::Fr => s.replace('.', ","),
        Locale::En => s,
    }
}

/// One row per scale: its name, its score ("32 sur 40", or "not enough answers"), and the text of
/// its band with the norms when there are.
pub fn scale_rows(scales: &[&ScaleResult], t: &AssessStrings, locale: Locale) -> Vec<ChartRow> {
    scales
        .iter()
        .map(|s| {
            let shown = match (s.status, s.score) {
                (ScaleStatus::Scored, Some(v)) => t
                    .score_of
                    .replace("{score}", &num(v, locale))
                    .replace("{max}", &num(s.max, locale)),
                _ => t.not_enough.to_string(),
            };
            let norms = match (s.t_score, s.percentile) {
                (Some(ts), Some(p)) => Some(
                    t.norms
                        .replace("{t}", &num(ts, locale))
                        .replace("{p}", &num(p, locale)),
                ),
                _ => None,
            };
            let band = s.band.as_ref().map(|b| lt(b, locale).to_string());
            let note = match (band, norms) {
                (Some(b), Some(n)) => Some(format!("{b} ({n})")),
                (b, n) => b.or(n),
            };
            ChartRow {
                label: lt(&s.name, locale).to_string(),
                value: s.score.unwrap_or(s.min),
                shown,
                note,
            }
        })
        .collect()
}

/// The six interest scales in the hexagon's order (those without a Holland letter are left out).
pub fn hexagon(scales: &[ScaleResult]) -> Vec<&ScaleResult> {
    HEXAGON
        .iter()
        .filter_map(|l| scales.iter().find(|s| s.holland.as_deref() == Some(l)))
        .collect()
}

/// The lowest and highest possible scores of a set of scales (for a shared axis).
pub fn range(scales: &[&ScaleResult]) -> (f64, f64) {
    let min = scales.iter().map(|s| s.min).fold(f64::INFINITY, f64::min);
    let max = scales
        .iter()
        .map(|s| s.max)
        .fold(f64::NEG_INFINITY, f64::max);
    if min.is_finite() && max.is_finite() {
        (min, max)
    } else {
        (0.0, 1.0)
    }
}

/// Where one band ends and the next begins, for the dotted lines of a bar chart.
pub fn band_marks(bands: &[Band]) -> Vec<f64> {
    let mut b: Vec<&Band> = bands.iter().collect();
    b.sort_by(|x, y| x.min.total_cmp(&y.min));
    b.windows(2).map(|w| (w[0].max + w[1].min) / 2.0).collect()
}

/// A ranking as rows: the first option gets the longest bar (n points), the last one 1.
pub fn ranking_rows(r: &RankingResult, t: &AssessStrings, locale: Locale) -> Vec<ChartRow> {
    let n = r.order.len();
    r.order
        .iter()
        .enumerate()
        .map(|(pos, o)| {
            let label = lt(&o.label, locale);
            // "Autonomie : organiser mon travail…": the chart shows the name, the table all of it.
            let name = label.split(" : ").next().unwrap_or(label).trim();
            ChartRow {
                label: name.to_string(),
                value: (n - pos) as f64,
                shown: format!("{} {}", t.col_rank, pos + 1),
                note: (name != label).then(|| label.to_string()),
            }
        })
        .collect()
}

/// The consistency index said in words (3: adjacent letters on the hexagon).
pub fn consistency_label(t: &AssessStrings, h: &HollandCode) -> &'static str {
    match h.consistency {
        3 => t.consistency_high,
        2 => t.consistency_mid,
        _ => t.consistency_low,
    }
}

#[cfg(test)]
#[path = "figures_tests.rs"]
mod tests;
