//! `Idempotency-Key` (issue 15): a retried `POST` gets the first answer and creates nothing more; the
//! same key with another body is refused; concurrent retries create one thing; keys are per caller and
//! kept 24 hours.

use serde_json::{Value, json};

use crate::helpers::*;

on_both_backends!(
    a_retry_with_the_same_key_replays_the_first_answer_and_creates_nothing,
    the_same_key_with_another_body_is_refused_and_changes_nothing,
    concurrent_retries_create_one_bilan,
    keys_belong_to_their_caller_and_expire_after_a_day,
    a_bilan_content_destruction_forgets_the_answers_that_named_it,
);

async fn send(app: &TestApp, token: &str, path: &str, key: &str, body: &Value) -> Answer {
    let res = app
        .client
        .post(format!("{}{path}", app.base))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    Answer::new(
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn bilan_body(app: &TestApp, admin: &str, hours: u32) -> Value {
    json!({
        "beneficiary_id": app.user_id(admin, BENEFICIARY).await,
        "consultant_id": app.user_id(admin, CONSULTANT).await,
        "funding": "cpf", "format": "mixed", "planned_hours": hours,
    })
}

async fn bilans_total(app: &TestApp, admin: &str) -> u64 {
    let list = app.get("/api/v1/bilans", admin).await.expect(200);
    list.body["total"].as_u64().unwrap()
}

fn replayed(answer: &Answer) -> bool {
    answer
        .headers
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true")
}

async fn a_retry_with_the_same_key_replays_the_first_answer_and_creates_nothing(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let body = bilan_body(&app, &admin, 20).await;
    let before = bilans_total(&app, &admin).await;

    let first = send(&app, &admin, "/api/v1/bilans", "crm-deal-4711", &body)
        .await
        .expect(201);
    assert!(!replayed(&first));
    let again = send(&app, &admin, "/api/v1/bilans", "crm-deal-4711", &body)
        .await
        .expect(201);
    assert!(replayed(&again));
    assert_eq!(again.body, first.body, "the first answer, byte for byte");
    assert_eq!(
        again.headers.get("content-type"),
        first.headers.get("content-type")
    );
    assert_eq!(bilans_total(&app, &admin).await, before + 1);

    // Without a key, the same request creates another bilan, as before.
    app.post("/api/v1/bilans", Some(&admin), body)
        .await
        .expect(201);
    assert_eq!(bilans_total(&app, &admin).await, before + 2);

    // An unusable key is refused before anything runs.
    let long = "k".repeat(256);
    for bad in [long.as_str(), "with space"] {
        let refused = send(
            &app,
            &admin,
            "/api/v1/bilans",
            bad,
            &bilan_body(&app, &admin, 20).await,
        )
        .await
        .expect(400);
        assert!(!replayed(&refused));
    }
    assert_eq!(bilans_total(&app, &admin).await, before + 2);
}

async fn the_same_key_with_another_body_is_refused_and_changes_nothing(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    send(
        &app,
        &admin,
        "/api/v1/bilans",
        "k-1",
        &bilan_body(&app, &admin, 20).await,
    )
    .await
    .expect(201);
    let before = bilans_total(&app, &admin).await;
    let refused = send(
        &app,
        &admin,
        "/api/v1/bilans",
        "k-1",
        &bilan_body(&app, &admin, 24).await,
    )
    .await
    .expect(422);
    assert!(refused.problem_type().ends_with("idempotency-key-reused"));
    assert_eq!(bilans_total(&app, &admin).await, before);

    // A first answer that was a refusal (4xx) is kept as well: the retry gets the same refusal.
    let invalid = json!({ "funding": "cpf" });
    let first = send(&app, &admin, "/api/v1/bilans", "k-2", &invalid).await;
    assert!(first.status.is_client_error());
    let again = send(&app, &admin, "/api/v1/bilans", "k-2", &invalid).await;
    assert_eq!(again.status, first.status);
    assert!(replayed(&again));
    assert_eq!(bilans_total(&app, &admin).await, before);
}

async fn concurrent_retries_create_one_bilan(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let body = bilan_body(&app, &admin, 20).await;
    let before = bilans_total(&app, &admin).await;
    let answers = futures_util::future::join_all(
        (0..8).map(|_| send(&app, &admin, "/api/v1/bilans", "burst", &body)),
    )
    .await;
    let created: Vec<&Answer> = answers.iter().filter(|a| a.status == 201).collect();
    assert!(!created.is_empty(), "one of them ran");
    for answer in &answers {
        assert!(
            answer.status == 201 || answer.status == 409,
            "201 (first or replayed) or 409 (still running), not {}: {}",
            answer.status,
            answer.body
        );
    }
    let ids: std::collections::BTreeSet<&str> = created
        .iter()
        .map(|a| a.body["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "every 201 names the same bilan");
    assert_eq!(bilans_total(&app, &admin).await, before + 1);
}

async fn keys_belong_to_their_caller_and_expire_after_a_day(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Employer).await;
    let facts = format!("/api/v1/bilans/{bilan}/facts");
    let fact = json!({ "kind": "pre_contract_info", "occurred_on": "2026-11-02" });
    let count = |app: &TestApp| {
        let mut conn = app.conn();
        let id = bilan.to_string();
        move || {
            use diesel::prelude::*;
            boussole_api::schema::bilan_facts::table
                .filter(boussole_api::schema::bilan_facts::bilan_id.eq(&id))
                .count()
                .get_result::<i64>(&mut conn)
                .unwrap()
        }
    };
    let a = send(&app, &admin, &facts, "same", &fact).await.expect(201);
    let b = send(&app, &consultant, &facts, "same", &fact)
        .await
        .expect(201);
    assert!(!replayed(&b), "another caller's key is another key");
    assert_ne!(a.body["id"], b.body["id"]);
    assert_eq!(count(&app)(), 2);

    // Within the day: replayed. After it: the key is free again.
    app.config
        .clock
        .advance(std::time::Duration::from_secs(23 * 3600));
    let admin = app.token(ADMIN).await;
    assert!(replayed(
        &send(&app, &admin, &facts, "same", &fact).await.expect(201)
    ));
    assert_eq!(count(&app)(), 2);
    app.config
        .clock
        .advance(std::time::Duration::from_secs(2 * 3600));
    let admin = app.token(ADMIN).await;
    let other = json!({ "kind": "pre_contract_info", "occurred_on": "2026-11-03" });
    let fresh = send(&app, &admin, &facts, "same", &other).await.expect(201);
    assert!(!replayed(&fresh));
    assert_eq!(count(&app)(), 3);
}

async fn a_bilan_content_destruction_forgets_the_answers_that_named_it(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = start_bilan(&app, &admin, FundingMode::Cpf).await;
    let note = json!({ "phase": "preliminary", "body": "Piste : formatrice", "shared_with_beneficiary": false });
    send(
        &app,
        &consultant,
        &format!("/api/v1/bilans/{bilan}/notes"),
        "note-1",
        &note,
    )
    .await
    .expect(201);
    let kept = |app: &TestApp| {
        use diesel::prelude::*;
        let mut conn = app.conn();
        boussole_api::schema::idempotency_keys::table
            .filter(boussole_api::schema::idempotency_keys::path.like(format!("%{bilan}%")))
            .count()
            .get_result::<i64>(&mut conn)
            .unwrap()
    };
    assert_eq!(kept(&app), 1);
    let ended = app
        .post(
            &format!("/api/v1/bilans/{bilan}/transitions"),
            Some(&consultant),
            json!({ "to": "abandoned", "reason": "Reprise d'emploi" }),
        )
        .await
        .expect(200);
    assert!(ended.body["content_destroyed_at"].is_string());
    assert_eq!(kept(&app), 0, "the kept note went with the content");
}
