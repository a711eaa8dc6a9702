//! Issue 11: instruments, assigning, answering, submitting, results; bad input; who may read
//! answers and results; their destruction with the bilan's content.

use boussole_shared::assessments::{Assessment, AssignInstrument, InstrumentSummary};
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

fn likert(item: &str, v: i64) -> Value {
    json!({ "item_id": item, "value": { "kind": "likert", "value": v } })
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

async fn save(app: &TestApp, token: &str, id: &str, answers: Vec<Value>) -> Answer {
    app.call(
        reqwest::Method::PUT,
        &format!("/api/v1/assessments/{id}/answers"),
        Some(token),
        Some(json!({ "answers": answers })),
    )
    .await
}

/// R = 5, I = 4, A = 3, S = 4, E = 2, C = 1 on every item.
fn full_riasec() -> Vec<Value> {
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
    let def = app
        .get(&format!("/api/v1/instruments/{RIASEC}"), &beneficiary)
        .await
        .expect(200);
    assert!(def.body["attribution"].as_str().unwrap().contains("O*NET"));
    assert!(
        def.body["translation_note"]
            .as_str()
            .unwrap()
            .contains("non validée")
    );
    assert_eq!(def.body["sections"][0]["items"][0]["kind"], "likert");

    let id = assign(&app, &consultant, bilan, RIASEC).await.to_string();
    let all = full_riasec();
    let saved = save(&app, &beneficiary, &id, all[..10].to_vec())
        .await
        .expect(200);
    assert_eq!(saved.body["assessment"]["status"], "in_progress");
    assert_eq!(saved.body["assessment"]["answered"], 10);
    assert_eq!(saved.body["assessment"]["required_missing"], 38);
    let listed = app
        .get(&format!("/api/v1/bilans/{bilan}/assessments"), &beneficiary)
        .await
        .expect(200);
    assert_eq!(listed.body[0]["answered"], 10);
    let early = app
        .post(
            &format!("/api/v1/assessments/{id}/submit"),
            Some(&beneficiary),
            json!({}),
        )
        .await
        .expect(422);
    assert_eq!(early.body["missing"].as_array().unwrap().len(), 38);
    app.get(&format!("/api/v1/assessments/{id}/results"), &consultant)
        .await
        .expect(409);
    // Resuming: the rest, the first ten again unchanged.
    save(&app, &beneficiary, &id, all[10..].to_vec())
        .await
        .expect(200);
    let resumed = app
        .get(&format!("/api/v1/assessments/{id}/answers"), &consultant)
        .await
        .expect(200);
    assert_eq!(resumed.body["answers"].as_array().unwrap().len(), 48);
    let done = app
        .post(
            &format!("/api/v1/assessments/{id}/submit"),
            Some(&beneficiary),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(done.body["status"], "submitted");
    app.post(
        &format!("/api/v1/assessments/{id}/submit"),
        Some(&beneficiary),
        json!({}),
    )
    .await
    .expect(409);
    save(&app, &beneficiary, &id, vec![likert("R1", 1)])
        .await
        .expect(409);

    // By hand: sums of 8 items: R 40, I 32, A 24, S 32, E 16, C 8. Code R, then I and S tied at 32
    // (hexagon order: I first): RIS, ties I and S; differentiation 40 − 8 = 32; R, I adjacent: 3.
    let mine = app
        .get(&format!("/api/v1/assessments/{id}/results"), &beneficiary)
        .await
        .expect(200);
    let theirs = app
        .get(&format!("/api/v1/assessments/{id}/results"), &consultant)
        .await
        .expect(200);
    assert_eq!(mine.body["scales"], theirs.body["scales"]);
    let score = |letter: &str| {
        let s = mine.body["scales"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["scale_id"] == letter)
            .unwrap();
        (
            s["score"].as_f64().unwrap(),
            s["min"].as_f64().unwrap(),
            s["max"].as_f64().unwrap(),
        )
    };
    assert_eq!(score("R"), (40.0, 8.0, 40.0));
    assert_eq!(score("A").0, 24.0);
    assert_eq!(score("C").0, 8.0);
    let h = &mine.body["holland"];
    assert_eq!(
        (
            h["code"].as_str(),
            h["differentiation"].as_f64(),
            h["consistency"].as_i64()
        ),
        (Some("RIS"), Some(32.0), Some(3))
    );
    assert_eq!(h["ties"], json!(["I", "S"]));
    assert_eq!(mine.body["exploratory"], true);
    assert!(mine.body["interpretation"].is_null());

    let note = json!({ "text": "Intérêts réalistes nets : à relier aux expériences d'atelier." });
    let path = format!("/api/v1/assessments/{id}/interpretation");
    app.call(
        reqwest::Method::PUT,
        &path,
        Some(&beneficiary),
        Some(note.clone()),
    )
    .await
    .expect(403);
    app.call(reqwest::Method::PUT, &path, Some(&consultant), Some(note))
        .await
        .expect(200);
    let seen = app
        .get(&format!("/api/v1/assessments/{id}/results"), &beneficiary)
        .await
        .expect(200);
    assert!(
        seen.body["interpretation"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Intérêts réalistes")
    );
    // The consultant's reads show in the beneficiary's access history.
    let history = app
        .get(&format!("/api/v1/bilans/{bilan}/access"), &beneficiary)
        .await
        .expect(200);
    let whats: Vec<&str> = history.body["entries"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert!(whats.contains(&"assessment"), "{whats:?}");
}

fn stored_answers(app: &TestApp, id: &str) -> Option<Vec<u8>> {
    use boussole_api::schema::assessments;
    assessments::table
        .find(id)
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
    let id = assign(&app, &consultant, bilan, "ipip-bffm-50")
        .await
        .to_string();
    let refused = |answer: Value, item: &'static str| {
        let (app, token, id) = (&app, &beneficiary, &id);
        async move {
            let got = save(app, token, id, vec![likert("q1", 3), answer])
                .await
                .expect(422);
            assert_eq!(got.body["missing"], json!([item]), "{}", got.body);
            assert!(got.body["detail"].as_str().unwrap().contains(item));
        }
    };
    refused(likert("q2", 6), "q2").await; // out of range
    refused(likert("q2", 0), "q2").await;
    refused(
        json!({ "item_id": "q3", "value": { "kind": "choice", "value": "x" } }),
        "q3",
    )
    .await; // wrong kind
    refused(likert("R1", 3), "R1").await; // another instrument's (or version's) item
    refused(
        json!({ "item_id": "q4", "value": { "kind": "likert", "value": 2 }, "comment": "non" }),
        "q4",
    )
    .await;
    refused(likert("q1", 4), "q1").await; // the same item twice
    assert_eq!(stored_answers(&app, &id), None, "nothing stored");
    let a = app
        .get(&format!("/api/v1/assessments/{id}"), &beneficiary)
        .await
        .expect(200);
    assert_eq!(
        (a.body["answered"].as_i64(), a.body["status"].as_str()),
        (Some(0), Some("assigned"))
    );
    // Malformed: 400.
    save(
        &app,
        &beneficiary,
        &id,
        vec![json!({ "item_id": "q1", "value": { "kind": "likert", "value": "trois" } })],
    )
    .await
    .expect(400);
    // Assigning: an unknown instrument, the same one still open, an unknown version.
    let assignments = format!("/api/v1/bilans/{bilan}/assessments");
    app.post(
        &assignments,
        Some(&consultant),
        json!({ "instrument_id": "mbti" }),
    )
    .await
    .expect(400);
    app.post(
        &assignments,
        Some(&consultant),
        json!({ "instrument_id": "ipip-bffm-50" }),
    )
    .await
    .expect(409);
    app.post(
        &assignments,
        Some(&consultant),
        json!({ "instrument_id": RIASEC, "version": 9 }),
    )
    .await
    .expect(400);
    // A bilan that does not run yet takes no questionnaire.
    let waiting = open_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let w = app
        .post(
            &format!("/api/v1/bilans/{waiting}/assessments"),
            Some(&consultant),
            json!({ "instrument_id": RIASEC }),
        )
        .await
        .expect(422);
    assert!(
        w.problem_type().ends_with("bilan-not-running"),
        "{}",
        w.body
    );
    // An interpretation before the submission: 409; a blank one: 400.
    let path = format!("/api/v1/assessments/{id}/interpretation");
    app.call(
        reqwest::Method::PUT,
        &path,
        Some(&consultant),
        Some(json!({ "text": "x" })),
    )
    .await
    .expect(409);
    app.call(
        reqwest::Method::PUT,
        &path,
        Some(&consultant),
        Some(json!({ "text": "" })),
    )
    .await
    .expect(400);
}

/// Lucas's demo bilan: its submitted RIASEC assessment.
async fn demo_results(app: &TestApp) -> String {
    boussole_api::seed::seed_demo_bilan(&mut app.conn(), &app.config.master_key).unwrap();
    use boussole_api::schema::assessments;
    assessments::table
        .filter(assessments::instrument_id.eq(RIASEC))
        .filter(assessments::status.eq("submitted"))
        .select(assessments::id)
        .first(&mut app.conn())
        .unwrap()
}

async fn only_the_beneficiary_and_the_assigned_consultants_reach_answers_and_results(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let id = demo_results(&app).await;
    let admin = app.token(ADMIN).await;
    let key = app
        .post(
            "/api/v1/api-keys",
            Some(&admin),
            json!({ "name": "k", "scopes": ["users:read", "audit:read"] }),
        )
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
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
            let got = app
                .get(&format!("/api/v1/assessments/{id}{tail}"), token)
                .await;
            assert_eq!(
                got.status.as_u16(),
                status,
                "{who} GET {tail}: {}",
                got.body
            );
        }
    }
    let answer = Some(json!({ "answers": [likert("R1", 2)] }));
    let interpretation = Some(json!({ "text": "lu" }));
    for (token, status) in [
        (&admin, 403),
        (&key, 403),
        (&karim, 403),
        (&other_beneficiary, 404),
        (&lucas, 409),
    ] {
        let got = app
            .call(
                reqwest::Method::PUT,
                &format!("/api/v1/assessments/{id}/answers"),
                Some(token),
                answer.clone(),
            )
            .await;
        assert_eq!(got.status.as_u16(), status, "PUT answers: {}", got.body);
        let got = app
            .post(
                &format!("/api/v1/assessments/{id}/submit"),
                Some(token),
                json!({}),
            )
            .await;
        assert_eq!(got.status.as_u16(), status, "submit: {}", got.body);
    }
    for (token, status) in [
        (&admin, 403),
        (&key, 403),
        (&lucas, 403),
        (&other_consultant, 404),
        (&karim, 200),
    ] {
        let got = app
            .call(
                reqwest::Method::PUT,
                &format!("/api/v1/assessments/{id}/interpretation"),
                Some(token),
                interpretation.clone(),
            )
            .await;
        assert_eq!(got.status.as_u16(), status, "interpretation: {}", got.body);
    }
    let bilan: String = {
        use boussole_api::schema::assessments;
        assessments::table
            .find(&id)
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
    let list = app
        .get(&format!("/api/v1/bilans/{bilan}/assessments"), &karim)
        .await
        .expect(200);
    let states: Vec<(String, String, bool)> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["instrument_id"].as_str().unwrap().into(),
                a["status"].as_str().unwrap().into(),
                a["interpreted"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        states,
        vec![
            (RIASEC.into(), "submitted".into(), true),
            ("ipip-bffm-50".into(), "submitted".into(), false),
            ("transferable-skills".into(), "in_progress".into(), false),
        ]
    );
}

async fn two_submits_at_once_exactly_one_succeeds(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = start_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let id = assign(&app, &consultant, bilan, RIASEC).await.to_string();
    save(&app, &beneficiary, &id, full_riasec())
        .await
        .expect(200);
    let path = format!("/api/v1/assessments/{id}/submit");
    let (a, b) = futures_util::join!(
        app.post(&path, Some(&beneficiary), json!({})),
        app.post(&path, Some(&beneficiary), json!({}))
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
    let id = assign(&app, &consultant, bilan, RIASEC).await.to_string();
    save(&app, &beneficiary, &id, full_riasec())
        .await
        .expect(200);
    app.post(
        &format!("/api/v1/assessments/{id}/submit"),
        Some(&beneficiary),
        json!({}),
    )
    .await
    .expect(200);
    let note = Some(json!({ "text": "Très confidentiel" }));
    app.call(
        reqwest::Method::PUT,
        &format!("/api/v1/assessments/{id}/interpretation"),
        Some(&consultant),
        note,
    )
    .await
    .expect(200);
    assert!(stored_answers(&app, &id).is_some());
    app.post(
        &format!("/api/v1/bilans/{bilan}/transitions"),
        Some(&consultant),
        json!({ "to": "abandoned", "reason": "Déménagement" }),
    )
    .await
    .expect(200);
    let gone = app
        .get(&format!("/api/v1/assessments/{id}/results"), &beneficiary)
        .await
        .expect(422);
    assert!(gone.body["detail"].as_str().unwrap().contains("détruit"));
    use boussole_api::schema::assessments;
    let (answers, interpretation): (Option<Vec<u8>>, Option<Vec<u8>>) = assessments::table
        .find(&id)
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
    let latest = app
        .get("/api/v1/instruments/work-values", &consultant)
        .await
        .expect(200);
    assert_eq!(
        (
            latest.body["version"].as_i64(),
            latest.body["title"]["fr"].as_str()
        ),
        (Some(2), Some("Mes valeurs"))
    );
    let v1 = app
        .get("/api/v1/instruments/work-values?version=1", &consultant)
        .await
        .expect(200);
    assert_eq!(v1.body["title"]["fr"], "Mes valeurs au travail");
}

/// A small questionnaire, for the custom-instrument and file-checking tests.
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

async fn staff_build_custom_questionnaires_checked_like_the_files(backend: Backend) {
    let app = spawn_demo(backend).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    app.post(
        "/api/v1/instruments",
        Some(&beneficiary),
        small("satisfaction"),
    )
    .await
    .expect(403);
    let made = app
        .post(
            "/api/v1/instruments",
            Some(&consultant),
            small("satisfaction"),
        )
        .await
        .expect(201);
    assert_eq!(made.body["version"], 1);
    let again = app
        .post(
            "/api/v1/instruments",
            Some(&consultant),
            small("satisfaction"),
        )
        .await
        .expect(201);
    assert_eq!(again.body["version"], 2);
    app.post("/api/v1/instruments", Some(&consultant), small(RIASEC))
        .await
        .expect(409);
    let mut dup = small("dup");
    dup["sections"][0]["items"][1]["id"] = json!("a");
    let got = app
        .post("/api/v1/instruments", Some(&consultant), dup)
        .await
        .expect(400);
    assert!(
        got.body["errors"]["sections[0].items[1].id"].is_array(),
        "{}",
        got.body
    );
    let listed = app
        .get("/api/v1/instruments", &beneficiary)
        .await
        .expect(200);
    let custom: Vec<&Value> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["custom"] == true)
        .collect();
    assert_eq!((custom.len(), custom[0]["version"].as_i64()), (1, Some(2)));
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
