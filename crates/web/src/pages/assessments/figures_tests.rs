use boussole_shared::assessments::{ChoiceOption, LocalText, ScaleStatus, ScoringRule};

use super::*;
use crate::i18n::{EN, FR};

fn text(fr: &str) -> LocalText {
    LocalText {
        fr: fr.into(),
        en: None,
    }
}

fn scale(letter: &str, score: Option<f64>) -> ScaleResult {
    ScaleResult {
        scale_id: letter.into(),
        name: text(letter),
        description: None,
        status: if score.is_some() {
            ScaleStatus::Scored
        } else {
            ScaleStatus::NotEnoughAnswers
        },
        rule: ScoringRule::Sum,
        score,
        min: 8.0,
        max: 40.0,
        answered: 8,
        total: 8,
        t_score: None,
        percentile: None,
        band: score.map(|_| text("Intérêt exprimé moyen")),
        holland: Some(letter.into()),
    }
}

#[test]
fn numbers_are_whole_or_have_one_decimal_with_the_locales_mark() {
    assert_eq!(num(32.0, Locale::Fr), "32");
    assert_eq!(num(2.75, Locale::Fr), "2,8");
    assert_eq!(num(2.75, Locale::En), "2.8");
}

#[test]
fn the_hexagon_follows_riasec_order_whatever_the_scales_order() {
    let scales: Vec<_> = ["C", "E", "S", "A", "I", "R"]
        .iter()
        .map(|l| scale(l, Some(20.0)))
        .collect();
    let order: Vec<_> = hexagon(&scales)
        .iter()
        .map(|s| s.holland.clone().unwrap())
        .collect();
    assert_eq!(order, HEXAGON);
    assert_eq!(range(&hexagon(&scales)), (8.0, 40.0));
}

#[test]
fn table_rows_say_the_score_out_of_its_maximum_and_its_band() {
    let (r, i) = (scale("R", Some(32.0)), scale("I", None));
    let rows = scale_rows(&[&r, &i], FR.assess, Locale::Fr);
    assert_eq!(rows[0].shown, "32 sur 40");
    assert_eq!(rows[0].note.as_deref(), Some("Intérêt exprimé moyen"));
    assert_eq!(rows[0].value, 32.0);
    // Not scored: the table says why, the bar stays at the bottom of the scale.
    assert_eq!(rows[1].shown, FR.assess.not_enough);
    assert_eq!(rows[1].value, 8.0);
}

#[test]
fn norms_are_added_to_the_band() {
    let mut s = scale("E", Some(30.0));
    s.t_score = Some(55.04);
    s.percentile = Some(69.0);
    let rows = scale_rows(&[&s], EN.assess, Locale::En);
    assert_eq!(
        rows[0].note.as_deref(),
        Some("Intérêt exprimé moyen (T = 55, percentile 69)")
    );
}

#[test]
fn band_marks_sit_between_bands() {
    let b = |min: f64, max: f64| Band {
        min,
        max,
        text: text("x"),
    };
    assert_eq!(
        band_marks(&[b(24.0, 36.0), b(10.0, 23.0), b(37.0, 50.0)]),
        [23.5, 36.5]
    );
    assert!(band_marks(&[]).is_empty());
}

#[test]
fn a_ranking_gives_the_first_value_the_longest_bar_and_keeps_its_full_text() {
    let opt = |id: &str, label: &str| ChoiceOption {
        id: id.into(),
        label: text(label),
        value: None,
    };
    let r = RankingResult {
        item_id: "values".into(),
        text: text("Classez"),
        order: vec![
            opt("autonomy", "Autonomie : Organiser mon travail"),
            opt("pay", "Rémunération"),
        ],
    };
    let rows = ranking_rows(&r, FR.assess, Locale::Fr);
    assert_eq!((rows[0].label.as_str(), rows[0].value), ("Autonomie", 2.0));
    assert_eq!(rows[0].shown, "Rang 1");
    assert_eq!(
        rows[0].note.as_deref(),
        Some("Autonomie : Organiser mon travail")
    );
    assert_eq!((rows[1].value, rows[1].note.clone()), (1.0, None));
}
