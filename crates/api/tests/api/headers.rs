//! The browser-side protections: the Content-Security-Policy the SPA runs under (with the hash of
//! Trunk's inline loader and the Jitsi server as the only frame), HSTS over https only, `no-store` on
//! API answers, and `/metrics` kept from strangers.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

on_both_backends!(
    the_policy_allows_the_app_s_own_scripts_and_the_video_frame_only,
    api_answers_are_never_stored_and_hsts_comes_with_https,
    metrics_ask_for_their_token,
    names_with_control_characters_are_refused_and_nothing_changes,
    calendar_feeds_die_with_logout_everywhere_a_new_password_and_deactivation
);

const LOADER: &str = "import init from '/app.js'; init();";

async fn the_policy_allows_the_app_s_own_scripts_and_the_video_frame_only(backend: Backend) {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        format!("<!doctype html><script type=\"module\">{LOADER}</script>"),
    )
    .unwrap();
    let app = spawn_app_with(
        backend,
        &[
            ("BOUSSOLE_STATIC_DIR", dist.path().display().to_string()),
            (
                "BOUSSOLE_JITSI_URL",
                "https://visio.example.org/".to_string(),
            ),
        ],
    )
    .await;
    // Computed here independently of the server: base64(SHA-256(loader)).
    let hash = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(LOADER))
    };
    for path in ["/connexion", "/api/docs/", "/api/v1/me", "/healthz"] {
        let answer = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        let csp = answer
            .headers()
            .get("content-security-policy")
            .unwrap_or_else(|| panic!("{path} has no CSP"))
            .to_str()
            .unwrap()
            .to_string();
        let directive = |name: &str| {
            csp.split(';')
                .map(str::trim)
                .find(|d| d.starts_with(&format!("{name} ")))
                .unwrap_or_else(|| panic!("{path}: no {name} in {csp}"))
                .to_string()
        };
        assert_eq!(
            directive("script-src"),
            format!("script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}'"),
            "{path}"
        );
        assert_eq!(
            directive("frame-src"),
            "frame-src https://visio.example.org"
        );
        assert_eq!(directive("frame-ancestors"), "frame-ancestors 'none'");
    }
}

async fn api_answers_are_never_stored_and_hsts_comes_with_https(backend: Backend) {
    let app = spawn_demo(backend).await;
    let token = app.token(ADMIN).await;
    let me = app.get("/api/v1/me", &token).await.expect(200);
    assert_eq!(me.headers["cache-control"], "no-store");
    let refused = app
        .call(Method::GET, "/api/v1/users", None, None)
        .await
        .expect(401);
    assert_eq!(refused.headers["cache-control"], "no-store");
    // Plain http (the tests' public URL): no HSTS, which would pin a development host to https.
    assert!(me.headers.get("strict-transport-security").is_none());

    let secure = spawn_app_with(
        backend,
        &[(
            "BOUSSOLE_PUBLIC_URL",
            "https://bilans.example.org".to_string(),
        )],
    )
    .await;
    let health = secure
        .call(Method::GET, "/healthz", None, None)
        .await
        .expect(200);
    let hsts = health.headers["strict-transport-security"]
        .to_str()
        .unwrap();
    assert!(hsts.starts_with("max-age=31536000"), "{hsts}");
}

async fn metrics_ask_for_their_token(backend: Backend) {
    let token = "metrics-token-0123456789";
    let app = spawn_app_with(backend, &[("BOUSSOLE_METRICS_TOKEN", token.to_string())]).await;
    app.call(Method::GET, "/healthz", None, None)
        .await
        .expect(200);
    let url = format!("{}/metrics", app.base);
    let none = app.client.get(&url).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert!(
        !none
            .text()
            .await
            .unwrap()
            .contains("boussole_http_requests_total")
    );
    let wrong = app
        .client
        .get(&url)
        .bearer_auth("metrics-token-0123456780")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let right = app
        .client
        .get(&url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    assert!(
        right
            .text()
            .await
            .unwrap()
            .contains("boussole_http_requests_total")
    );
    // Without a token the machine itself may read them (the tests call from loopback).
    let local = spawn_app(backend).await;
    let open = local
        .client
        .get(format!("{}/metrics", local.base))
        .send()
        .await
        .unwrap();
    assert_eq!(open.status(), 200);
}

/// A name is printed in emails, calendars and PDFs: a line break or a direction override in it would
/// forge a line there.
async fn names_with_control_characters_are_refused_and_nothing_changes(backend: Backend) {
    let app = spawn_demo(backend).await;
    let token = app.token(BENEFICIARY).await;
    let before = app.get("/api/v1/me", &token).await.expect(200).body;
    for bad in ["Lucas\r\nBcc: x@y.z", "Lucas\u{202E}sacuL", "Lucas\u{0}"] {
        let answer = app
            .patch("/api/v1/me", &token, json!({ "first_name": bad }))
            .await
            .expect(400);
        assert!(
            answer.body["errors"]["first_name"].is_array(),
            "{}",
            answer.body
        );
    }
    let after = app.get("/api/v1/me", &token).await.expect(200).body;
    assert_eq!(before["first_name"], after["first_name"]);
    app.patch("/api/v1/me", &token, json!({ "first_name": "Lucas-Élie" }))
        .await
        .expect(200);
}

/// A calendar feed URL is a credential of its own: ending every session must end it too.
async fn calendar_feeds_die_with_logout_everywhere_a_new_password_and_deactivation(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let feed_of = |token: String| {
        let app = &app;
        async move {
            let url = app
                .post("/api/v1/me/calendar", Some(&token), json!({}))
                .await
                .expect(201)
                .body["url"]
                .as_str()
                .unwrap()
                .to_string();
            url.strip_prefix("http://boussole.test")
                .unwrap()
                .to_string()
        }
    };
    let status = |path: String| {
        let app = &app;
        async move {
            app.call(Method::GET, &path, None, None)
                .await
                .status
                .as_u16()
        }
    };

    let feed = feed_of(app.token(CONSULTANT).await).await;
    assert_eq!(status(feed.clone()).await, 200);
    app.post(
        "/api/v1/auth/logout-all",
        Some(&app.token(CONSULTANT).await),
        json!({}),
    )
    .await
    .expect(204);
    assert_eq!(status(feed).await, 404, "log out everywhere");

    let token = app.token(CONSULTANT).await;
    let feed = feed_of(token.clone()).await;
    app.post(
        "/api/v1/me/password",
        Some(&token),
        json!({ "current_password": DEMO_PASSWORD, "new_password": "une phrase de passe toute neuve 2026" }),
    )
    .await
    .expect(204);
    assert_eq!(status(feed).await, 404, "a new password");

    let feed = feed_of(app.token(BENEFICIARY).await).await;
    assert_eq!(status(feed.clone()).await, 200);
    let me = app
        .get("/api/v1/me", &app.token(BENEFICIARY).await)
        .await
        .expect(200);
    let id = me.body["id"].as_str().unwrap();
    app.patch(
        &format!("/api/v1/users/{id}"),
        &admin,
        json!({ "is_active": false }),
    )
    .await
    .expect(200);
    assert_eq!(status(feed).await, 404, "deactivation");
}
