use boussole_shared::assessments::{Answer, AnswerValue, Instrument};

use super::*;

/// An instrument with a 10-item Likert section (two parts) and a section with an optional text
/// and a ranking.
fn instrument() -> Instrument {
    let likert: Vec<_> = (1..=10)
        .map(|n| {
            serde_json::json!({
                "id": format!("q{n}"), "text": {"fr": format!("Question {n}")},
                "kind": "likert", "min": 1, "max": 5,
                "labels": [{"fr": "1"}, {"fr": "2"}, {"fr": "3"}, {"fr": "4"}, {"fr": "5"}]
            })
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "id": "test", "version": 1, "kind": "custom", "title": {"fr": "Test", "en": "Test"},
        "instructions": {"fr": "Répondez."}, "source": "s", "licence": "l", "attribution": "a",
        "sections": [
            {"id": "a", "title": {"fr": "A"}, "items": likert},
            {"id": "b", "title": {"fr": "B"}, "items": [
                {"id": "free", "text": {"fr": "Libre"}, "kind": "text", "max_length": 200, "required": false},
                {"id": "rank", "text": {"fr": "Classez"}, "kind": "ranking", "options": [
                    {"id": "x", "label": {"fr": "X"}}, {"id": "y", "label": {"fr": "Y"}}
                ]}
            ]}
        ]
    }))
    .unwrap()
}

fn answer(item: &str, value: Option<AnswerValue>) -> Answer {
    Answer {
        item_id: item.into(),
        value,
        comment: None,
    }
}

#[test]
fn sections_are_cut_into_parts_of_at_most_eight_items() {
    let inst = instrument();
    let p = parts(&inst);
    assert_eq!(
        p,
        [
            Part {
                section: 0,
                start: 0,
                end: 8
            },
            Part {
                section: 0,
                start: 8,
                end: 10
            },
            Part {
                section: 1,
                start: 0,
                end: 2
            },
        ]
    );
    assert_eq!(part_items(&inst, &p[1])[0].id, "q9");
}

#[test]
fn empty_texts_and_lists_and_cleared_values_are_not_answers() {
    assert!(!is_answered(None));
    assert!(!is_answered(Some(&answer("q1", None))));
    assert!(!is_answered(Some(&answer(
        "q1",
        Some(AnswerValue::Text("  ".into()))
    ))));
    assert!(!is_answered(Some(&answer(
        "q1",
        Some(AnswerValue::Choices(vec![]))
    ))));
    assert!(is_answered(Some(&answer(
        "q1",
        Some(AnswerValue::Likert(1))
    ))));
    assert!(is_answered(Some(&answer(
        "q1",
        Some(AnswerValue::Number(0.0))
    ))));
}

#[test]
fn progress_counts_answers_and_the_required_items_still_open() {
    let inst = instrument();
    let mut m = answer_map(vec![
        answer("q1", Some(AnswerValue::Likert(3))),
        answer("free", Some(AnswerValue::Text("".into()))),
    ]);
    let p = progress(&inst, &m);
    assert_eq!((p.answered, p.total, p.required_missing), (1, 12, 10));
    m.insert(
        "free".into(),
        answer("free", Some(AnswerValue::Text("oui".into()))),
    );
    assert_eq!(progress(&inst, &m).required_missing, 10);
}

#[test]
fn resuming_opens_the_part_of_the_first_required_question_left() {
    let inst = instrument();
    let mut m: AnswerMap = (1..=9)
        .map(|n| answer(&format!("q{n}"), Some(AnswerValue::Likert(2))))
        .map(|a| (a.item_id.clone(), a))
        .collect();
    assert_eq!(first_open(&inst, &m), Some((1, "q10".into())));
    m.insert("q10".into(), answer("q10", Some(AnswerValue::Likert(2))));
    // The optional text comes before the ranking, but a required question is sought first.
    assert_eq!(first_open(&inst, &m), Some((2, "rank".into())));
    m.insert(
        "rank".into(),
        answer(
            "rank",
            Some(AnswerValue::Ranking(vec!["y".into(), "x".into()])),
        ),
    );
    assert_eq!(first_open(&inst, &m), Some((2, "free".into())));
    m.insert(
        "free".into(),
        answer("free", Some(AnswerValue::Text("fini".into()))),
    );
    assert_eq!(first_open(&inst, &m), None);
    assert_eq!(resume_part(&inst, &m), 2);
    assert_eq!(resume_part(&inst, &AnswerMap::new()), 0);
}

#[test]
fn the_save_queue_keeps_the_latest_answer_and_gets_back_what_failed() {
    let mut q = Pending::default();
    q.put(answer("q1", Some(AnswerValue::Likert(1))));
    q.put(answer("q1", Some(AnswerValue::Likert(4))));
    q.put(answer("q2", Some(AnswerValue::Likert(2))));
    let sent = q.take();
    assert!(q.is_empty());
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].value, Some(AnswerValue::Likert(4)));
    // While the save failed, q1 changed again: the newer answer stays.
    q.put(answer("q1", Some(AnswerValue::Likert(5))));
    q.restore(sent);
    let again = q.take();
    assert_eq!(again.len(), 2);
    assert_eq!(again[0].value, Some(AnswerValue::Likert(5)));
}

#[test]
fn a_ranking_starts_from_the_saved_order_else_the_listed_one() {
    let opts = vec!["x".to_string(), "y".to_string()];
    assert_eq!(ranking_order(&opts, None), opts);
    let saved = answer(
        "rank",
        Some(AnswerValue::Ranking(vec!["y".into(), "x".into()])),
    );
    assert_eq!(ranking_order(&opts, Some(&saved)), ["y", "x"]);
}

#[test]
fn ticking_keeps_the_options_order() {
    let opts: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    let now = toggle_choice(&opts, &["c".into()], "a", true);
    assert_eq!(now, ["a", "c"]);
    assert_eq!(toggle_choice(&opts, &now, "c", false), ["a"]);
}

#[test]
fn numbers_accept_a_decimal_comma_and_empty_clears() {
    assert_eq!(parse_number(" 3,5 "), Ok(Some(3.5)));
    assert_eq!(parse_number(""), Ok(None));
    assert_eq!(parse_number("abc"), Err(()));
    assert_eq!(parse_number("inf"), Err(()));
    assert_eq!(parse_number("-12"), Ok(Some(-12.0)));
    assert_eq!(parse_number(".5"), Ok(Some(0.5)));
    assert_eq!(parse_number("7."), Ok(Some(7.0)));
    assert_eq!(parse_number("1e3"), Err(()));
    assert_eq!(parse_number("1.2.3"), Err(()));
    assert_eq!(parse_number("-"), Err(()));
    assert_eq!(parse_number("0,125"), Ok(Some(0.125)));
}

#[test]
fn english_falls_back_to_french() {
    let t = LocalText {
        fr: "Bonjour".into(),
        en: None,
    };
    assert_eq!(lt(&t, Locale::En), "Bonjour");
    let t = LocalText {
        fr: "Bonjour".into(),
        en: Some("Hello".into()),
    };
    assert_eq!(lt(&t, Locale::En), "Hello");
    assert_eq!(lt(&t, Locale::Fr), "Bonjour");
}
