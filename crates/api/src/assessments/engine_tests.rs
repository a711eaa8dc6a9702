//! Scoring checked against results worked out by hand in each test, and bounds over many generated
//! answer sets.

use std::collections::HashMap;

use boussole_shared::assessments::{
    AnswerValue, ChoiceOption, Instrument, InstrumentKind, Item, ItemKind, KeyedItem, LocalText,
    Norms, ScaleStatus, ScoringRule, Section,
};

use super::*;
use crate::assessments::catalogue;

fn text(s: &str) -> LocalText {
    LocalText {
        fr: s.into(),
        en: None,
    }
}

fn likert(id: &str) -> Item {
    Item {
        id: id.into(),
        text: text(id),
        kind: ItemKind::Likert {
            min: 1,
            max: 5,
            labels: (1..=5).map(|n| text(&n.to_string())).collect(),
        },
        required: true,
        comment_prompt: None,
    }
}

fn key(item: &str, reverse: bool) -> KeyedItem {
    KeyedItem {
        item: item.into(),
        reverse,
        option: None,
    }
}

fn scale(id: &str, items: Vec<KeyedItem>, rule: ScoringRule) -> Scale {
    Scale {
        id: id.into(),
        name: text(id),
        description: None,
        items,
        rule,
        norms: None,
        bands: vec![],
        holland: None,
    }
}

fn instrument(items: Vec<Item>, scales: Vec<Scale>) -> Instrument {
    Instrument {
        id: "t".into(),
        version: 1,
        kind: InstrumentKind::Custom,
        title: text("t"),
        description: None,
        instructions: text("t"),
        source: "s".into(),
        licence: "l".into(),
        attribution: "a".into(),
        translation_note: None,
        exploratory: true,
        sections: vec![Section {
            id: "s".into(),
            title: text("s"),
            intro: None,
            items,
        }],
        scales,
    }
}

fn run(inst: &Instrument, answers: &[(&str, AnswerValue)]) -> Scored {
    let map: AnswerMap = answers.iter().map(|(k, v)| (*k, v)).collect();
    score(inst, &map)
}

#[test]
fn sum_mean_and_percent_with_a_reverse_key() {
    let items: Vec<Item> = ["a", "b", "c", "d"].iter().map(|i| likert(i)).collect();
    let keys = || {
        vec![
            key("a", false),
            key("b", true),
            key("c", false),
            key("d", true),
        ]
    };
    let inst = instrument(
        items,
        vec![
            scale("sum", keys(), ScoringRule::Sum),
            scale("mean", keys(), ScoringRule::Mean),
            scale("pct", keys(), ScoringRule::PercentOfMax),
        ],
    );
    // a=5, b=2 reversed → 4, c=3, d=1 reversed → 5: 5 + 4 + 3 + 5 = 17 on 4..20.
    let r = run(
        &inst,
        &[
            ("a", AnswerValue::Likert(5)),
            ("b", AnswerValue::Likert(2)),
            ("c", AnswerValue::Likert(3)),
            ("d", AnswerValue::Likert(1)),
        ],
    );
    assert_eq!(r.scales[0].score, Some(17.0));
    assert_eq!((r.scales[0].min, r.scales[0].max), (4.0, 20.0));
    assert_eq!(r.scales[1].score, Some(4.25));
    assert_eq!((r.scales[1].min, r.scales[1].max), (1.0, 5.0));
    // (17 − 4) / (20 − 4) = 13 / 16 = 81.25 %.
    assert_eq!(r.scales[2].score, Some(81.25));
}

#[test]
fn missing_answers_are_imputed_from_80_percent_and_refused_below() {
    let ids = ["a", "b", "c", "d", "e"];
    let inst = instrument(
        ids.iter().map(|i| likert(i)).collect(),
        vec![scale(
            "s",
            ids.iter().map(|i| key(i, false)).collect(),
            ScoringRule::Sum,
        )],
    );
    // 4 of 5 answered (80 %): 4 + 4 + 5 + 2 = 15, mean 3.75, imputed for e: 18.75.
    let four = [
        ("a", AnswerValue::Likert(4)),
        ("b", AnswerValue::Likert(4)),
        ("c", AnswerValue::Likert(5)),
        ("d", AnswerValue::Likert(2)),
    ];
    let r = run(&inst, &four);
    assert_eq!(r.scales[0].status, ScaleStatus::Scored);
    assert_eq!(r.scales[0].score, Some(18.75));
    assert_eq!((r.scales[0].answered, r.scales[0].total), (4, 5));
    // 3 of 5 (60 %): not scored.
    let r = run(&inst, &four[..3]);
    assert_eq!(r.scales[0].status, ScaleStatus::NotEnoughAnswers);
    assert_eq!(r.scales[0].score, None);
    assert_eq!(r.scales[0].band, None);
}

#[test]
fn norms_give_t_score_and_percentile_and_bands_pick_the_text() {
    let mut s = scale(
        "s",
        vec![key("a", false), key("b", false)],
        ScoringRule::Sum,
    );
    s.norms = Some(Norms {
        mean: 6.0,
        sd: 2.0,
        source: "test".into(),
    });
    s.bands = vec![
        boussole_shared::assessments::Band {
            min: 2.0,
            max: 5.0,
            text: text("low"),
        },
        boussole_shared::assessments::Band {
            min: 6.0,
            max: 10.0,
            text: text("high"),
        },
    ];
    let inst = instrument(vec![likert("a"), likert("b")], vec![s]);
    // 4 + 4 = 8: z = (8 − 6) / 2 = 1, T = 60, percentile Φ(1) = 84.134 %.
    let r = run(
        &inst,
        &[("a", AnswerValue::Likert(4)), ("b", AnswerValue::Likert(4))],
    );
    let s = &r.scales[0];
    assert_eq!(s.t_score, Some(60.0));
    assert!(
        (s.percentile.unwrap_or(0.0) - 84.134).abs() < 0.001,
        "{:?}",
        s.percentile
    );
    assert_eq!(s.band, Some(text("high")));
    // 2 + 3 = 5: T = 50 + 10 × (−0.5) = 45, percentile Φ(−0.5) = 30.854 %, band "low".
    let r = run(
        &inst,
        &[("a", AnswerValue::Likert(2)), ("b", AnswerValue::Likert(3))],
    );
    assert_eq!(r.scales[0].t_score, Some(45.0));
    assert!((r.scales[0].percentile.unwrap_or(0.0) - 30.854).abs() < 0.001);
    assert_eq!(r.scales[0].band, Some(text("low")));
}

#[test]
fn normal_cdf_matches_tables() {
    for (z, p) in [
        (0.0, 0.5),
        (1.96, 0.975_002),
        (-1.0, 0.158_655),
        (2.5, 0.993_790),
    ] {
        assert!((normal_cdf(z) - p).abs() < 1e-6, "Φ({z})");
    }
}

/// Six one-item scales typed R, I, A, S, E, C, answered with the given values.
fn holland_of(values: [i32; 6]) -> HollandCode {
    let items: Vec<Item> = HEXAGON.iter().map(|l| likert(l)).collect();
    let scales = HEXAGON
        .iter()
        .map(|l| {
            let mut s = scale(l, vec![key(l, false)], ScoringRule::Sum);
            s.holland = Some(l.to_string());
            s
        })
        .collect();
    let inst = instrument(items, scales);
    let answers: Vec<(&str, AnswerValue)> = HEXAGON
        .iter()
        .zip(values)
        .map(|(l, v)| (*l, AnswerValue::Likert(v)))
        .collect();
    run(&inst, &answers).holland.expect("six scored scales")
}

#[test]
fn holland_code_differentiation_and_consistency() {
    // R I A S E C = 1 3 5 4 2 1: A(5) S(4) I(3); 5 − 1 = 4; A and S adjacent → 3.
    let h = holland_of([1, 3, 5, 4, 2, 1]);
    assert_eq!(
        (h.code.as_str(), h.differentiation, h.consistency),
        ("ASI", 4.0, 3)
    );
    assert!(h.ties.is_empty());
    // S(5) then R(4): S is 3 places from R on the hexagon → opposite → 1.
    let h = holland_of([4, 1, 1, 5, 2, 3]);
    assert_eq!((h.code.as_str(), h.consistency), ("SRC", 1));
    // E(5) then C(5): ties keep the hexagon order E before C; E, C adjacent → 3; then A(4).
    // I(1) R(2) lowest: differentiation 5 − 1 = 4.
    let h = holland_of([2, 1, 4, 3, 5, 5]);
    assert_eq!(
        (h.code.as_str(), h.differentiation, h.consistency),
        ("ECA", 4.0, 3)
    );
    assert_eq!(h.ties, vec!["E", "C"]);
    // I(5), then A, S, E all 3: the third place is a tie of three; the code takes A, S (hexagon order).
    // I and A are adjacent on the hexagon → 3.
    let h = holland_of([1, 5, 3, 3, 3, 2]);
    assert_eq!((h.code.as_str(), h.consistency), ("IAS", 3));
    assert_eq!(h.ties, vec!["A", "S", "E"]);
    // A tie below the third place does not matter: R I A S E C = 5 4 3 1 1 2.
    let h = holland_of([5, 4, 3, 1, 1, 2]);
    assert_eq!((h.code.as_str(), h.consistency), ("RIA", 3));
    assert!(h.ties.is_empty());
}

#[test]
fn ranking_and_choice_items_count_their_values() {
    let opt = |id: &str, value: Option<f64>| ChoiceOption {
        id: id.into(),
        label: text(id),
        value,
    };
    let items = vec![
        Item {
            id: "rank".into(),
            text: text("rank"),
            kind: ItemKind::Ranking {
                options: vec![opt("x", None), opt("y", None), opt("z", None)],
            },
            required: true,
            comment_prompt: None,
        },
        Item {
            id: "pick".into(),
            text: text("pick"),
            kind: ItemKind::SingleChoice {
                options: vec![opt("no", Some(0.0)), opt("yes", Some(2.0))],
            },
            required: true,
            comment_prompt: None,
        },
    ];
    let ranked = |o: &str| KeyedItem {
        item: "rank".into(),
        reverse: false,
        option: Some(o.into()),
    };
    let inst = instrument(
        items,
        vec![
            scale("x", vec![ranked("x")], ScoringRule::Sum),
            scale("z", vec![ranked("z")], ScoringRule::Sum),
            scale("pick", vec![key("pick", true)], ScoringRule::Sum),
        ],
    );
    let order = AnswerValue::Ranking(vec!["z".into(), "x".into(), "y".into()]);
    let r = run(
        &inst,
        &[("rank", order), ("pick", AnswerValue::Choice("yes".into()))],
    );
    // z first of 3 → 3, x second → 2; "yes" (2) reversed on 0..2 → 0.
    assert_eq!(r.scales[0].score, Some(2.0));
    assert_eq!(r.scales[1].score, Some(3.0));
    assert_eq!(r.scales[2].score, Some(0.0));
    let order: Vec<&str> = r.rankings[0].order.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(order, ["z", "x", "y"]);
}

/// A small deterministic generator (xorshift), so the bounds test needs no extra crate.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn every_score_stays_within_its_bounds_on_the_shipped_instruments() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for (file, json) in catalogue::FILES {
        let inst = catalogue::parse(file, json).expect("shipped file");
        let items: Vec<&Item> = inst.sections.iter().flat_map(|s| s.items.iter()).collect();
        for _ in 0..300 {
            let mut answers: HashMap<&str, AnswerValue> = HashMap::new();
            for item in &items {
                if rng.next(10) == 0 {
                    continue; // about 10 % missing
                }
                let value = match &item.kind {
                    ItemKind::Likert { min, max, .. } => {
                        AnswerValue::Likert(min + rng.next((max - min + 1) as u64) as i32)
                    }
                    ItemKind::Ranking { options } => {
                        let mut ids: Vec<String> = options.iter().map(|o| o.id.clone()).collect();
                        for i in (1..ids.len()).rev() {
                            ids.swap(i, rng.next(i as u64 + 1) as usize);
                        }
                        AnswerValue::Ranking(ids)
                    }
                    _ => continue,
                };
                answers.insert(item.id.as_str(), value);
            }
            let map: AnswerMap = answers.iter().map(|(k, v)| (*k, v)).collect();
            for s in score(&inst, &map).scales {
                if let Some(v) = s.score {
                    assert!(s.min <= v && v <= s.max, "{file} {}: {v}", s.scale_id);
                    assert!(
                        s.band.is_some()
                            || inst
                                .scales
                                .iter()
                                .all(|x| x.bands.is_empty() || x.id != s.scale_id)
                    );
                }
            }
        }
    }
}
