//! Issue 11 budget: scoring one response set of a 120-item instrument in under 50 µs. The instrument
//! is built here: 120 five-point Likert items, six scales of 20 (every other item reverse-keyed), with
//! norms, three bands each and the six Holland letters, so that every step of `score` runs; about
//! 5 % of the answers are missing, so that imputation runs too.
//!
//! `just bench-scoring` (the README gives the figure).

use std::collections::HashMap;

use boussole_api::assessments::engine::{AnswerMap, HEXAGON, score};
use boussole_shared::assessments::{
    AnswerValue, Band, Instrument, InstrumentKind, Item, ItemKind, KeyedItem, LocalText, Norms,
    Scale, ScoringRule, Section,
};
use criterion::{Criterion, criterion_group, criterion_main};

fn text(s: &str) -> LocalText {
    LocalText {
        fr: s.into(),
        en: Some(s.into()),
    }
}

fn instrument() -> Instrument {
    let items: Vec<Item> = (0..120)
        .map(|n| Item {
            id: format!("q{n}"),
            text: text(&format!("Item {n}")),
            kind: ItemKind::Likert {
                min: 1,
                max: 5,
                labels: (1..=5).map(|l| text(&l.to_string())).collect(),
            },
            required: true,
            comment_prompt: None,
        })
        .collect();
    let scales = HEXAGON
        .iter()
        .enumerate()
        .map(|(s, letter)| Scale {
            id: letter.to_string(),
            name: text(letter),
            description: None,
            items: (0..20)
                .map(|k| KeyedItem {
                    item: format!("q{}", k * 6 + s),
                    reverse: k % 2 == 1,
                    option: None,
                })
                .collect(),
            rule: ScoringRule::Sum,
            norms: Some(Norms {
                mean: 60.0,
                sd: 12.0,
                source: "bench".into(),
            }),
            bands: vec![
                Band {
                    min: 20.0,
                    max: 46.0,
                    text: text("low"),
                },
                Band {
                    min: 47.0,
                    max: 73.0,
                    text: text("middle"),
                },
                Band {
                    min: 74.0,
                    max: 100.0,
                    text: text("high"),
                },
            ],
            holland: Some(letter.to_string()),
        })
        .collect();
    Instrument {
        id: "bench-120".into(),
        version: 1,
        kind: InstrumentKind::Interests,
        title: text("Bench"),
        description: None,
        instructions: text("Bench"),
        source: "bench".into(),
        licence: "CC0".into(),
        attribution: "bench".into(),
        translation_note: None,
        exploratory: true,
        sections: vec![Section {
            id: "all".into(),
            title: text("All"),
            intro: None,
            items,
        }],
        scales,
    }
}

fn bench(c: &mut Criterion) {
    let inst = instrument();
    let answers: HashMap<String, AnswerValue> = (0..120)
        .filter(|n| n % 20 != 7)
        .map(|n| (format!("q{n}"), AnswerValue::Likert(1 + n * 7 % 5)))
        .collect();
    c.bench_function("score a 120-item response set", |b| {
        b.iter(|| {
            let map: AnswerMap = answers.iter().map(|(k, v)| (k.as_str(), v)).collect();
            std::hint::black_box(score(&inst, &map))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
