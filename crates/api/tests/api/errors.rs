use boussole_shared::field_rules::FieldRule;
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

on_both_backends!(bad_input_gets_a_clear_4xx_problem_and_changes_nothing);

async fn bad_input_gets_a_clear_4xx_problem_and_changes_nothing(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let url = format!("{}/api/v1/invitations", app.base);
    let send = |body: String, content_type: &'static str| {
        app.client
            .post(&url)
            .bearer_auth(&admin)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let check = |res: reqwest::Response, status: u16| async move {
        assert_eq!(res.status().as_u16(), status);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["status"], status);
        body
    };
    let malformed = check(
        send("{\"email\": ".into(), "application/json")
            .await
            .unwrap(),
        400,
    )
    .await;
    assert!(malformed["detail"].as_str().unwrap().contains("JSON"));
    check(
        send(
            "{\"email\": 42, \"role\": \"consultant\"}".into(),
            "application/json",
        )
        .await
        .unwrap(),
        400,
    )
    .await;
    check(
        send("{\"email\": \"a@b.fr\"}".into(), "application/json")
            .await
            .unwrap(),
        400,
    )
    .await;
    check(send("[]".into(), "application/json").await.unwrap(), 400).await;
    let big = format!(
        "{{\"email\":\"a@b.fr\",\"role\":\"consultant\",\"first_name\":\"{}\",\"last_name\":\"x\"}}",
        "a".repeat(70_000)
    );
    check(send(big, "application/json").await.unwrap(), 413).await;
    check(
        send("email=a".into(), "application/x-www-form-urlencoded")
            .await
            .unwrap(),
        415,
    )
    .await;
    let out_of_range = app
        .post("/api/v1/invitations", Some(&admin), json!({ "email": "a@b.fr", "role": "consultant", "first_name": "x".repeat(101), "last_name": "" }))
        .await
        .expect(400);
    assert!(
        out_of_range.body["errors"]["first_name"].is_array()
            && out_of_range.body["errors"]["last_name"].is_array()
    );
    // Each message comes with the rule it breaks, which a client says in its own words: an
    // overlong name, an empty one.
    assert_eq!(out_of_range.rules("first_name"), [FieldRule::TooLong]);
    assert_eq!(out_of_range.rules("last_name"), [FieldRule::Required]);
    let bad_email = app
        .post("/api/v1/invitations", Some(&admin), json!({ "email": "pas-une-adresse", "role": "consultant", "first_name": "x", "last_name": "y" }))
        .await
        .expect(400);
    assert_eq!(bad_email.rules("email"), [FieldRule::Email]);
    app.post(
        "/api/v1/invitations",
        Some(&admin),
        json!({ "email": "a@b.fr", "role": "overlord", "first_name": "x", "last_name": "y" }),
    )
    .await
    .expect(400);

    app.call(Method::GET, "/api/v1/nothing-here", Some(&admin), None)
        .await
        .expect(404);
    app.call(Method::GET, "/api/v2/users", None, None)
        .await
        .expect(404);
    app.get("/api/v1/users/not-a-uuid", &admin)
        .await
        .expect(404);
    app.get("/api/v1/audit?from=yesterday", &admin)
        .await
        .expect(400);

    // None of it created anything.
    let users = app.get("/api/v1/users", &admin).await.expect(200);
    assert_eq!(users.body["total"], 7);
    assert!(app.mailbox().await.is_empty());
}
