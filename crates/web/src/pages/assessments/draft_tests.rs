use std::collections::BTreeMap;

use boussole_shared::assessments::{InstrumentKind, ItemKind, ScoringRule};

use super::*;
use crate::i18n::FR;

/// A short questionnaire: an agreement item, a reverse-keyed one and a single choice, one scale.
fn sample() -> Draft {
    let mut d = Draft::new(Locale::Fr, "Karim Benali");
    d.title = "Mon questionnaire".into();
    d.id = slugify(&d.title);
    d.instructions = "Répondez.".into();
    let s = d.sections[0].uid;
    d.sections[0].title = "Partie".into();
    let a = d.sections[0].items[0].uid;
    let b = d.add_item(s).unwrap();
    let c = d.add_item(s).unwrap();
    for (uid, text) in [(a, "J'aime"), (b, "Je n'aime pas"), (c, "Souvent ?")] {
        d.item_mut(uid).unwrap().text = text.into();
    }
    let x = d.item_mut(c).unwrap();
    x.kind = KindTag::Single;
    x.options = "Jamais = 1\nParfois = 2\n\n  Souvent = 3,5 ".into();
    let k = d.add_scale();
    d.scale_mut(k).unwrap().name = "Goût".into();
    d.set_key(k, a, Some(false));
    d.set_key(k, b, Some(true));
    d.set_key(k, c, Some(false));
    d
}

#[test]
fn slugs_drop_accents_and_punctuation() {
    assert_eq!(
        slugify("Satisfaction : fin de bilan !"),
        "satisfaction-fin-de-bilan"
    );
    assert_eq!(slugify("  Évaluation à chaud  "), "evaluation-a-chaud");
    assert_eq!(slugify("!!!"), "");
    assert!(slugify(&"a ".repeat(80)).len() <= 60);
}

#[test]
fn options_are_lines_with_an_optional_value() {
    let o = parse_options("Oui = 2\n\nNon\nPeut-être = 1,5\nA = B", Locale::Fr);
    let got: Vec<(&str, &str, Option<f64>)> = o
        .iter()
        .map(|o| (o.id.as_str(), o.label.fr.as_str(), o.value))
        .collect();
    assert_eq!(
        got,
        vec![
            ("o1", "Oui", Some(2.0)),
            ("o2", "Non", None),
            ("o3", "Peut-être", Some(1.5)),
            ("o4", "A = B", None),
        ]
    );
    assert_eq!(
        options_text(&o, Locale::Fr),
        "Oui = 2\nNon\nPeut-être = 1.5\nA = B"
    );
}

#[test]
fn the_draft_builds_the_instrument_the_api_expects() {
    let inst = sample().to_instrument();
    assert_eq!(inst.id, "mon-questionnaire");
    assert_eq!(inst.kind, InstrumentKind::Custom);
    assert_eq!(inst.version, 1);
    assert_eq!(inst.attribution, "Karim Benali");
    let items = &inst.sections[0].items;
    assert_eq!(
        items.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        ["q1", "q2", "q3"]
    );
    match &items[0].kind {
        ItemKind::Likert { min, max, labels } => {
            assert_eq!((*min, *max, labels.len()), (1, 5, 5));
            assert_eq!(labels[4].fr, "Tout à fait d’accord");
        }
        k => panic!("{k:?}"),
    }
    match &items[2].kind {
        ItemKind::SingleChoice { options } => assert_eq!(options[2].value, Some(3.5)),
        k => panic!("{k:?}"),
    }
    let scale = &inst.scales[0];
    assert_eq!(scale.rule, ScoringRule::Sum);
    let keys: Vec<(&str, bool)> = scale
        .items
        .iter()
        .map(|k| (k.item.as_str(), k.reverse))
        .collect();
    assert_eq!(keys, [("q1", false), ("q2", true), ("q3", false)]);
}

#[test]
fn an_english_questionnaire_fills_french_too() {
    let mut d = sample();
    d.lang = Locale::En;
    let inst = d.to_instrument();
    assert_eq!(inst.title.fr, "Mon questionnaire");
    assert_eq!(inst.title.en.as_deref(), Some("Mon questionnaire"));
}

#[test]
fn a_complete_draft_has_nothing_to_correct() {
    assert_eq!(sample().check(FR.builder, &[]), vec![]);
}

#[test]
fn the_checks_name_the_fields_the_api_names() {
    let mut d = sample();
    d.title.clear();
    d.id = "Pas un slug".into();
    let (a, c) = (d.sections[0].items[0].uid, d.sections[0].items[2].uid);
    d.item_mut(a).unwrap().labels = "Un\nDeux".into();
    d.item_mut(c).unwrap().options = "Jamais\nSouvent = 3".into();
    let s = d.sections[0].uid;
    let extra = d.add_item(s).unwrap();
    d.item_mut(extra).unwrap().text = "Encore".into();
    let k = d.scales[0].uid;
    d.add_band(k);
    let fields: Vec<String> = d
        .check(FR.builder, &[])
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        fields,
        [
            "id",
            "title.fr",
            "sections[0].items[0].labels",
            "scales[0].items",
            "scales[0].bands",
            "items"
        ]
    );
}

#[test]
fn a_new_questionnaire_cannot_take_an_existing_id_but_a_new_version_keeps_its_own() {
    let taken = vec!["mon-questionnaire".to_string()];
    let d = sample();
    assert_eq!(d.check(FR.builder, &taken)[0].0, "id");
    let again = Draft::from_instrument(&d.to_instrument(), false, "Karim Benali", Locale::Fr);
    assert!(again.check(FR.builder, &taken).is_empty());
    assert_eq!(again.to_instrument().version, 2);
}

#[test]
fn loading_and_saving_again_gives_the_same_instrument() {
    let inst = sample().to_instrument();
    let back = Draft::from_instrument(&inst, false, "X", Locale::Fr).to_instrument();
    assert_eq!(back.sections, inst.sections);
    assert_eq!(back.scales, inst.scales);
    let copy = Draft::from_instrument(&inst, true, "Marie Martin", Locale::Fr);
    assert_eq!(copy.id, "mon-questionnaire-copie");
    assert!(!copy.id_locked);
    assert!(copy.attribution.ends_with("Adapté par Marie Martin."));
}

#[test]
fn rows_move_within_bounds_and_removing_an_item_unkeys_it() {
    let mut d = sample();
    let ids =
        |d: &Draft| -> Vec<String> { d.sections[0].items.iter().map(|i| i.id.clone()).collect() };
    let first = d.sections[0].items[0].uid;
    d.shift(first, -1);
    assert_eq!(ids(&d), ["q1", "q2", "q3"]);
    d.shift(first, 1);
    assert_eq!(ids(&d), ["q2", "q1", "q3"]);
    assert_eq!(d.place(first), Some((0, 1, 2)));
    d.remove(first);
    assert_eq!(ids(&d), ["q2", "q3"]);
    assert_eq!(d.scales[0].keys.len(), 2);
    let s = d.sections[0].uid;
    assert_eq!(
        d.add_item(s).map(|u| d.item(u).unwrap().id.clone()),
        Some("q1".into())
    );
}

#[test]
fn errors_under_a_block_include_its_fields_only() {
    let errors = BTreeMap::from([
        (
            "sections[0].items[1].labels".to_string(),
            vec!["a".to_string()],
        ),
        ("sections[0].items[1]".to_string(), vec!["b".to_string()]),
        (
            "sections[0].items[10].text.fr".to_string(),
            vec!["c".to_string()],
        ),
        ("items".to_string(), vec!["d".to_string()]),
    ]);
    assert_eq!(
        errors_under(&errors, "sections[0].items[1]").as_deref(),
        Some("b a")
    );
    assert_eq!(errors_under(&errors, "sections[0].items[2]"), None);
    assert_eq!(errors_under(&errors, "items").as_deref(), Some("d"));
}
