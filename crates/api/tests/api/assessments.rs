//! Issue 11: instruments, assigning, answering, submitting, results; bad input; who may read
//! answers and results; their destruction with the bilan's content.

use boussole_shared::access::{AccessHistory, AccessKind};
use boussole_shared::assessments::{
    Answer as ItemAnswer, AnswerValue, Answers, Assessment, AssessmentStatus, AssignInstrument,
    Instrument, InstrumentSummary, Interpretation, InterpretationRequest, ItemKind, Results,
    SaveAnswers,
};
use boussole_shared::auth::ApiScope;
use diesel::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

on_both_backends!(
    the_beneficiary_answers_the_riasec_inventory_and_both_see_the_same_results,
    bad_answers_are_refused_naming_the_item_and_nothing_is_stored,
    only_the_beneficiary_and_the_assigned_consultants_reach_answers_and_results,
    two_submits_at_once_exactly_one_succeeds,
    answers_and_interpretations_are_destroyed_with_the_content,
    a_published_instrument_version_never_changes,
    staff_build_custom_questionnaires_checked_like_the_files,
);

const RIASEC: &str = "riasec-markers-48";

/// RIASEC item codes: R1..R8, I1..I8, …
fn codes(letter: char) -> Vec<String> {
    (1..=8).map(|n| format!("{letter}{n}")).collect()
}

fn answer(item: &str, value: AnswerValue) -> ItemAnswer {
    ItemAnswer {
        item_id: item.into(),
        value: Some(value),
        comment: None,
    }
}

fn likert(item: &str, v: i32) -> ItemAnswer {
    answer(item, AnswerValue::Likert(v))
}

async fn assign(app: &TestApp, consultant: &str, bilan: Uuid, instrument: &str) -> Uuid {
    let body = AssignInstrument {
        instrument_id: instrument.into(),
        version: None,
    };
    let path = format!("/api/v1/bilans/{bilan}/assessments");
    let assigned: Assessment = app.post_as(&path, Some(consultant), &body).await.ok(201);
    assigned.id
}

fn url(id: Uuid, tail: &str) -> String {
    format!("/api/v1/assessments/{id}{tail}")
}

async fn save(app: &TestApp, token: &str, id: Uuid, answers: Vec<ItemAnswer>) -> Answer<Answers> {
    let body = SaveAnswers { answers };
    app.put_as(&url(id, "/answers"), token, &body).await
}

async fn submit(app: &TestApp, token: &str, id: Uuid) -> Answer<Assessment> {
    app.post_as(&url(id, "/submit"), Some(token), &json!({}))
        .await
}

async fn results(app: &TestApp, token: &str, id: Uuid) -> Answer<Results> {
    app.get_as(&url(id, "/results"), token).await
}

async fn interpret(app: &TestApp, token: &str, id: Uuid, text: &str) -> Answer<Interpretation> {
    let body = InterpretationRequest { text: text.into() };
    app.put_as(&url(id, "/interpretation"), token, &body).await
}

/// R = 5, I = 4, A = 3, S = 4, E = 2, C = 1 on every item.
fn full_riasec() -> Vec<ItemAnswer> {
    let mut out = Vec::new();
    for (letter, v) in [('R', 5), ('I', 4), ('A', 3), ('S', 4), ('E', 2), ('C', 1)] {
        out.extend(codes(letter).iter().map(|c| likert(c, v)));
    }
    out
}

async fn the_beneficiary_answers_the_riasec_inventory_and_both_see_the_same_results(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = start_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let list: Vec<InstrumentSummary> = app
        .get_as("/api/v1/instruments", &beneficiary)
        .await
        .ok(200);
    let ids: Vec<&str> = list.iter().map(|i| i.id.as_str()).collect();
    for id in [RIASEC, "ipip-bffm-50", "transferable-skills", "work-values"] {
        assert!(ids.contains(&id), "{id} listed: {ids:?}");
    }
    let def: Instrument = app
        .get_as(&format!("/api/v1/instruments/{RIASEC}"), &beneficiary)
        .await
        .ok(200);
    assert!(def.attribution.contains("O*NET"));
    let note = def.translation_note.unwrap_or_default();
    assert!(note.contains("non validée"), "{note}");
    let first = &def.sections[0].items[0].kind;
    assert!(matches!(first, ItemKind::Likert { .. }), "{first:?}");

    let id = assign(&app, &consultant, bilan, RIASEC).await;
    let all = full_riasec();
    let saved = save(&app, &beneficiary, id, all[..10].to_vec())
        .await
        .ok(200)
        .assessment;
    assert_eq!(saved.status, AssessmentStatus::InProgress);
    assert_eq!(saved.answered, 10);
    assert_eq!(saved.required_missing, 38);
    let listed: Vec<Assessment> = app
        .get_as(&format!("/api/v1/bilans/{bilan}/assessments"), &beneficiary)
        .await
        .ok(200);
    assert_eq!(listed[0].answered, 10);
    let early = submit(&app, &beneficiary, id).await.expect(422);
    assert_eq!(missing(&early).len(), 38);
    results(&app, &consultant, id).await.expect(409);
    // Resuming: the rest, the first ten again unchanged.
    save(&app, &beneficiary, id, all[10..].to_vec())
        .await
        .expect(200);
    let resumed: Answers = app.get_as(&url(id, "/answers"), &consultant).await.ok(200);
    assert_eq!(resumed.answers.len(), 48);
    let done = submit(&app, &beneficiary, id).await.ok(200);
    assert_eq!(done.status, AssessmentStatus::Submitted);
    submit(&app, &beneficiary, id).await.expect(409);
    save(&app, &beneficiary, id, vec![likert("R1", 1)])
        .await
        .expect(409);

    // By hand: sums of 8 items: R 40, I 32, A 24, S 32, E 16, C 8. Code R, then I and S tied at 32
    // (hexagon order: I first): RIS, ties I and S; differentiation 40 − 8 = 32; R, I adjacent: 3.
    let mine = results(&app, &beneficiary, id).await.ok(200);
    let theirs = results(&app, &consultant, id).await.ok(200);
    assert_eq!(mine.scales, theirs.scales);
    let score = |letter: &str| {
        let s = mine.scales.iter().find(|s| s.scale_id == letter).unwrap();
        (s.score.unwrap(), s.min, s.max)
    };
    assert_eq!(score("R"), (40.0, 8.0, 40.0));
    assert_eq!(score("A").0, 24.0);
    assert_eq!(score("C").0, 8.0);
    let h = mine.holland.as_ref().unwrap();
    assert_eq!(
        (h.code.as_str(), h.differentiation, h.consistency),
        ("RIS", 32.0, 3)
    );
    assert_eq!(h.ties, ["I", "S"]);
    assert!(mine.exploratory);
    assert!(mine.interpretation.is_none());

    let note = "Intérêts réalistes nets : à relier aux expériences d'atelier.";
    interpret(&app, &beneficiary, id, note).await.expect(403);
    interpret(&app, &consultant, id, note).await.expect(200);
    let seen = results(&app, &beneficiary, id).await.ok(200);
    let text = seen.interpretation.unwrap().text;
    assert!(text.starts_with("Intérêts réalistes"), "{text}");
    // The consultant's reads show in the beneficiary's access history.
    let history: AccessHistory = app
        .get_as(&format!("/api/v1/bilans/{bilan}/access"), &beneficiary)
        .await
        .ok(200);
    let whats: Vec<AccessKind> = history.entries.items.iter().map(|e| e.what).collect();
    assert!(whats.contains(&AccessKind::Assessment), "{whats:?}");
}

fn stored_answers(app: &TestApp, id: Uuid) -> Option<Vec<u8>> {
    use boussole_api::schema::assessments;
    assessments::table
        .find(id.to_string())
        .select(assessments::answers)
        .first(&mut app.conn())
        .unwrap()
}

async fn bad_answers_are_refused_naming_the_item_and_nothing_is_stored(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = start_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let id = assign(&app, &consultant, bilan, "ipip-bffm-50").await;
    let refused = |answer: ItemAnswer, item: &'static str| {
        let (app, token) = (&app, &beneficiary);
        async move {
            let got = save(app, token, id, vec![likert("q1", 3), answer])
                .await
                .expect(422);
            assert_eq!(missing(&got), [item], "{}", got.body);
            assert!(got.body["detail"].as_str().unwrap().contains(item));
        }
    };
    refused(likert("q2", 6), "q2").await; // out of range
    refused(likert("q2", 0), "q2").await;
    refused(answer("q3", AnswerValue::Choice("x".into())), "q3").await; // wrong kind
    refused(likert("R1", 3), "R1").await; // another instrument's (or version's) item
    let commented = ItemAnswer {
        comment: Some("non".into()),
        ..likert("q4", 2)
    };
    refused(commented, "q4").await;
    refused(likert("q1", 4), "q1").await; // the same item twice
    assert_eq!(stored_answers(&app, id), None, "nothing stored");
    let a: Assessment = app.get_as(&url(id, ""), &beneficiary).await.ok(200);
    assert_eq!((a.answered, a.status), (0, AssessmentStatus::Assigned));
    // Malformed (text where the Likert value goes, which the DTO cannot say): 400.
    let malformed = json!({ "answers": [{ "item_id": "q1", "value": { "kind": "likert", "value": "trois" } }] });
    let put = reqwest::Method::PUT;
    app.call(
        put,
        &url(id, "/answers"),
        Some(&beneficiary),
        Some(malformed),
    )
    .await
    .expect(400);
    // Assigning: an unknown instrument, the same one still open, an unknown version.
    let assignments = format!("/api/v1/bilans/{bilan}/assessments");
    let assigning = |instrument_id: &str, version: Option<i32>| AssignInstrument {
        instrument_id: instrument_id.into(),
        version,
    };
    let post = |body: AssignInstrument| {
        let (app, consultant, path) = (&app, &consultant, &assignments);
        async move {
            app.post_as::<Assessment>(path, Some(consultant), &body)
                .await
        }
    };
    post(assigning("mbti", None)).await.expect(400);
    post(assigning("ipip-bffm-50", None)).await.expect(409);
    post(assigning(RIASEC, Some(9))).await.expect(400);
    // A bilan that does not run yet takes no questionnaire.
    let waiting = open_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let w = app
        .post_as::<Assessment>(
            &format!("/api/v1/bilans/{waiting}/assessments"),
            Some(&consultant),
            &assigning(RIASEC, None),
        )
        .await
        .expect(422);
    assert!(
        w.problem_type().ends_with("bilan-not-running"),
        "{}",
        w.body
    );
    // An interpretation before the submission: 409; a blank one: 400.
    interpret(&app, &consultant, id, "x").await.expect(409);
    interpret(&app, &consultant, id, "").await.expect(400);
}

/// Lucas's demo bilan: its submitted RIASEC assessment.
async fn demo_results(app: &TestApp) -> Uuid {
    boussole_api::seed::seed_demo_bilan(&mut app.conn(), &app.config.master_key).unwrap();
    use boussole_api::schema::assessments;
    let id: String = assessments::table
        .filter(assessments::instrument_id.eq(RIASEC))
        .filter(assessments::status.eq("submitted"))
        .select(assessments::id)
        .first(&mut app.conn())
        .unwrap();
    id.parse().unwrap()
}

async fn only_the_beneficiary_and_the_assigned_consultants_reach_answers_and_results(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let id = demo_results(&app).await;
    let admin = app.token(ADMIN).await;
    let scopes = [ApiScope::UsersRead, ApiScope::AuditRead];
    let key = app.api_key(&admin, "k", &scopes).await;
    let lucas = app.token("lucas.moreau@boussole.test").await;
    let karim = app.token(CONSULTANT).await;
    let other_consultant = app.token("consultante2@boussole.test").await;
    let other_beneficiary = app.token(BENEFICIARY).await;
    let reads = ["", "/answers", "/results"];
    for (who, token, status) in [
        ("admin", &admin, 403),
        ("API key", &key, 403),
        ("other consultant", &other_consultant, 404),
        ("other beneficiary", &other_beneficiary, 404),
        ("beneficiary", &lucas, 200),
        ("assigned consultant", &karim, 200),
    ] {
        for tail in reads {
            let got = app.get(&url(id, tail), token).await;
            assert_eq!(
                got.status.as_u16(),
                status,
                "{who} GET {tail}: {}",
                got.body
            );
        }
    }
    for (token, status) in [
        (&admin, 403),
        (&key, 403),
        (&karim, 403),
        (&other_beneficiary, 404),
        (&lucas, 409),
    ] {
        let got = save(&app, token, id, vec![likert("R1", 2)]).await;
        assert_eq!(got.status.as_u16(), status, "PUT answers: {}", got.body);
        let got = submit(&app, token, id).await;
        assert_eq!(got.status.as_u16(), status, "submit: {}", got.body);
    }
    for (token, status) in [
        (&admin, 403),
        (&key, 403),
        (&lucas, 403),
        (&other_consultant, 404),
        (&karim, 200),
    ] {
        let got = interpret(&app, token, id, "lu").await;
        assert_eq!(got.status.as_u16(), status, "interpretation: {}", got.body);
    }
    let bilan: String = {
        use boussole_api::schema::assessments;
        assessments::table
            .find(id.to_string())
            .select(assessments::bilan_id)
            .first(&mut app.conn())
            .unwrap()
    };
    for (token, status) in [
        (&admin, 403),
        (&key, 403),
        (&other_consultant, 404),
        (&other_beneficiary, 404),
        (&lucas, 200),
    ] {
        let got = app
            .get(&format!("/api/v1/bilans/{bilan}/assessments"), token)
            .await;
        assert_eq!(got.status.as_u16(), status, "list: {}", got.body);
    }
    // The demo: RIASEC and Big-Five submitted, one interpretation, the skills self-assessment started.
    let list: Vec<Assessment> = app
        .get_as(&format!("/api/v1/bilans/{bilan}/assessments"), &karim)
        .await
        .ok(200);
    let states: Vec<(&str, AssessmentStatus, bool)> = list
        .iter()
        .map(|a| (a.instrument_id.as_str(), a.status, a.interpreted))
        .collect();
    assert_eq!(
        states,
        vec![
            (RIASEC, AssessmentStatus::Submitted, true),
            ("ipip-bffm-50", AssessmentStatus::Submitted, false),
            ("transferable-skills", AssessmentStatus::InProgress, false),
        ]
    );
}

async fn two_submits_at_once_exactly_one_succeeds(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = start_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let id = assign(&app, &consultant, bilan, RIASEC).await;
    save(&app, &beneficiary, id, full_riasec())
        .await
        .expect(200);
    let (a, b) = futures_util::join!(
        submit(&app, &beneficiary, id),
        submit(&app, &beneficiary, id)
    );
    let mut got = [a.status.as_u16(), b.status.as_u16()];
    got.sort();
    assert_eq!(got, [200, 409], "{} / {}", a.body, b.body);
}

async fn answers_and_interpretations_are_destroyed_with_the_content(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = start_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let id = assign(&app, &consultant, bilan, RIASEC).await;
    save(&app, &beneficiary, id, full_riasec())
        .await
        .expect(200);
    submit(&app, &beneficiary, id).await.expect(200);
    interpret(&app, &consultant, id, "Très confidentiel")
        .await
        .expect(200);
    assert!(stored_answers(&app, id).is_some());
    abandon(&app, &consultant, bilan, "Déménagement").await;
    let gone = results(&app, &beneficiary, id).await.expect(422);
    assert!(gone.body["detail"].as_str().unwrap().contains("détruit"));
    use boussole_api::schema::assessments;
    let (answers, interpretation): (Option<Vec<u8>>, Option<Vec<u8>>) = assessments::table
        .find(id.to_string())
        .select((assessments::answers, assessments::interpretation))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        (answers, interpretation),
        (None, None),
        "ciphertexts removed"
    );
}

async fn a_published_instrument_version_never_changes(backend: Backend) {
    use boussole_api::assessments::catalogue::{FILES, load_files};
    let app = spawn_demo(backend).await;
    let mut conn = app.conn();
    assert_eq!(
        load_files(&mut conn, FILES).unwrap(),
        0,
        "already stored at start-up"
    );
    let (file, text) = FILES[3];
    let changed = text.replacen("Mes valeurs au travail", "Mes valeurs", 1);
    let err = load_files(&mut conn, &[(file, &changed)])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("instruments/work-values.json") && err.contains("new version"),
        "{err}"
    );
    let bumped = changed.replacen("\"version\": 1", "\"version\": 2", 1);
    assert_eq!(load_files(&mut conn, &[(file, &bumped)]).unwrap(), 1);
    let consultant = app.token(CONSULTANT).await;
    let latest: Instrument = app
        .get_as("/api/v1/instruments/work-values", &consultant)
        .await
        .ok(200);
    assert_eq!(
        (latest.version, latest.title.fr.as_str()),
        (2, "Mes valeurs")
    );
    let v1: Instrument = app
        .get_as("/api/v1/instruments/work-values?version=1", &consultant)
        .await
        .ok(200);
    assert_eq!(v1.title.fr, "Mes valeurs au travail");
}

/// A small questionnaire as a file holds it (JSON: the file-checking test below edits it into shapes
/// the DTO cannot hold, such as an unknown scoring rule).
fn small(id: &str) -> Value {
    let labels: Vec<Value> = (1..=4).map(|n| json!({ "fr": n.to_string() })).collect();
    json!({
        "id": id, "version": 1, "kind": "custom",
        "title": { "fr": "Satisfaction" }, "instructions": { "fr": "Répondez." },
        "source": "Boussole", "licence": "CC0", "attribution": "Boussole",
        "sections": [{ "id": "s", "title": { "fr": "S" }, "items": [
            { "id": "a", "text": { "fr": "A" }, "kind": "likert", "min": 1, "max": 4, "labels": labels },
            { "id": "b", "text": { "fr": "B" }, "kind": "likert", "min": 1, "max": 4, "labels": labels }
        ]}],
        "scales": [{ "id": "all", "name": { "fr": "Tout" }, "items": [{ "item": "a" }, { "item": "b", "reverse": true }], "rule": "mean" }]
    })
}

async fn create_instrument(app: &TestApp, token: &str, instrument: &Value) -> Answer<Instrument> {
    app.post_as("/api/v1/instruments", Some(token), instrument)
        .await
}

async fn staff_build_custom_questionnaires_checked_like_the_files(backend: Backend) {
    let app = spawn_demo(backend).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let satisfaction = small("satisfaction");
    create_instrument(&app, &beneficiary, &satisfaction)
        .await
        .expect(403);
    let made = create_instrument(&app, &consultant, &satisfaction)
        .await
        .ok(201);
    assert_eq!(made.version, 1);
    let again = create_instrument(&app, &consultant, &satisfaction)
        .await
        .ok(201);
    assert_eq!(again.version, 2);
    create_instrument(&app, &consultant, &small(RIASEC))
        .await
        .expect(409);
    let mut dup = small("dup");
    dup["sections"][0]["items"][1]["id"] = json!("a");
    let got = create_instrument(&app, &consultant, &dup).await.expect(400);
    assert!(
        got.body["errors"]["sections[0].items[1].id"].is_array(),
        "{}",
        got.body
    );
    let listed: Vec<InstrumentSummary> = app
        .get_as("/api/v1/instruments", &beneficiary)
        .await
        .ok(200);
    let custom: Vec<&InstrumentSummary> = listed.iter().filter(|i| i.custom).collect();
    assert_eq!((custom.len(), custom[0].version), (1, 2));
}

/// Each broken file is refused with the file and the field named.
#[test]
fn instrument_files_are_checked_with_errors_naming_the_file_and_the_field() {
    use boussole_api::assessments::catalogue::parse;
    let check = |edit: &dyn Fn(&mut Value), expected: &str| {
        let mut doc = small("t");
        edit(&mut doc);
        let err = parse("instruments/t.json", &doc.to_string()).unwrap_err();
        assert!(err.starts_with("instruments/t.json: "), "{err}");
        assert!(err.contains(expected), "{err} should say {expected}");
    };
    assert!(parse("instruments/t.json", &small("t").to_string()).is_ok());
    check(
        &|d| d["scales"][0]["items"][0]["item"] = json!("zz"),
        "scales[0].items: unknown item `zz` in scale `all`",
    );
    check(
        &|d| d["sections"][0]["items"][1]["id"] = json!("a"),
        "sections[0].items[1].id: duplicate item id `a`",
    );
    check(
        &|d| d["scales"][0]["items"] = json!([{ "item": "a" }]),
        "item `b` is in no scale",
    );
    check(
        &|d| d["sections"][0]["items"][0]["max"] = json!(9),
        "sections[0].items[0].labels: 4 labels for a 1..9 Likert scale",
    );
    check(
        &|d| d["sections"][0]["items"][0]["min"] = json!(4),
        "sections[0].items[0]: bad Likert range 4..4",
    );
    check(
        &|d| d["scales"][0]["rule"] = json!("median"),
        "unknown variant `median`",
    );
    check(
        &|d| d["scales"][0]["holland"] = json!("X"),
        "scales[0].holland",
    );
    check(
        &|d| d["id"] = json!("Not A Slug"),
        "id: `Not A Slug` is not a slug",
    );
    let err = parse("instruments/t.json", "{ \"id\": ").unwrap_err();
    assert!(
        err.starts_with("instruments/t.json: ") && err.contains("line 1"),
        "{err}"
    );
}
