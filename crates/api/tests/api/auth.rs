use boussole_api::auth::tokens::{ACCESS, Keys};
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

on_both_backends!(
    sign_up_verify_login_and_logout,
    sign_up_with_a_weak_password_is_refused_and_creates_nothing,
    sign_up_with_a_taken_email_answers_the_same_and_warns_the_owner,
    wrong_password_is_401_problem,
    eleventh_rapid_wrong_attempt_is_429_and_other_accounts_still_log_in,
    refresh_rotates_and_a_reused_token_ends_the_session,
    expired_or_forged_access_tokens_are_401,
    logout_everywhere_ends_every_session,
    forgotten_password_reset_by_single_use_link,
    changing_password_needs_the_current_one_and_ends_sessions,
    a_session_revoked_by_another_process_stops_working_within_the_cache_ttl,
);

const STRONG: &str = "une lune verte sur le toit";

async fn sign_up_verify_login_and_logout(backend: Backend) {
    let app = spawn_app(backend).await;
    app.post(
        "/api/v1/auth/register",
        None,
        json!({ "email": "Jeanne.Essai@Example.org", "password": STRONG, "first_name": "Jeanne", "last_name": "Essai" }),
    )
    .await
    .expect(202);
    // The address is stored lower-cased; logging in before verification is refused.
    let answer = app
        .login_answer("jeanne.essai@example.org", STRONG)
        .await
        .expect(403);
    assert!(answer.problem_type().ends_with("email-not-verified"));
    let token = app
        .last_link_token("jeanne.essai@example.org", "/verifier-email")
        .await;
    app.post("/api/v1/auth/verify-email", None, json!({ "token": token }))
        .await
        .expect(204);
    let again = app
        .post("/api/v1/auth/verify-email", None, json!({ "token": token }))
        .await
        .expect(400);
    assert!(
        again.body["errors"]["token"].is_array(),
        "a used link is refused on the token field"
    );

    let tokens = app.login("jeanne.essai@example.org", STRONG).await;
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.user.role, boussole_shared::users::Role::Beneficiary);
    let me = app
        .get("/api/v1/me", &tokens.access_token)
        .await
        .expect(200);
    assert_eq!(me.body["email"], "jeanne.essai@example.org");
    assert_eq!(me.body["email_verified"], true);

    app.post("/api/v1/auth/logout", Some(&tokens.access_token), json!({}))
        .await
        .expect(204);
    app.get("/api/v1/me", &tokens.access_token)
        .await
        .expect(401);
    // The refresh cookie of that session no longer works either.
    app.post("/api/v1/auth/refresh", None, json!({}))
        .await
        .expect(401);
}

async fn sign_up_with_a_weak_password_is_refused_and_creates_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    for weak in ["court", "123456789012", "azertyuiopqsdf", "jeanneessai2024"] {
        let answer = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({ "email": "jeanne@example.org", "password": weak, "first_name": "Jeanne", "last_name": "Essai" }),
            )
            .await
            .expect(400);
        assert!(
            answer.body["errors"]["password"].is_array(),
            "{weak}: {}",
            answer.body
        );
    }
    let bad_email = app
        .post("/api/v1/auth/register", None, json!({ "email": "pas-une-adresse", "password": STRONG, "first_name": "J", "last_name": "E" }))
        .await
        .expect(400);
    assert!(bad_email.body["errors"]["email"].is_array());
    assert!(app.mailbox().await.is_empty(), "no account, so no email");
    app.login_answer("jeanne@example.org", STRONG)
        .await
        .expect(401);
}

async fn sign_up_with_a_taken_email_answers_the_same_and_warns_the_owner(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.post(
        "/api/v1/auth/register",
        None,
        json!({ "email": BENEFICIARY, "password": STRONG, "first_name": "Autre", "last_name": "Personne" }),
    )
    .await
    .expect(202);
    let mail = app.mailbox().await.pop().unwrap();
    assert_eq!(mail.to, BENEFICIARY);
    assert!(mail.subject.contains("existe déjà"));
    // The existing account is untouched: its password still works, the new one does not.
    app.login(BENEFICIARY, DEMO_PASSWORD).await;
    app.login_answer(BENEFICIARY, STRONG).await.expect(401);
}

async fn wrong_password_is_401_problem(backend: Backend) {
    let app = spawn_demo(backend).await;
    let answer = app
        .login_answer(ADMIN, "not the password")
        .await
        .expect(401);
    assert_eq!(
        answer.problem_type(),
        "urn:boussole:problem:invalid-credentials"
    );
    assert_eq!(answer.headers.get("www-authenticate").unwrap(), "Bearer");
    // An unknown account answers exactly the same.
    let unknown = app
        .login_answer("nobody@example.org", "not the password")
        .await
        .expect(401);
    assert_eq!(unknown.body, answer.body);
}

async fn eleventh_rapid_wrong_attempt_is_429_and_other_accounts_still_log_in(backend: Backend) {
    let app = spawn_demo(backend).await;
    for _ in 0..10 {
        app.login_answer(ADMIN, "wrong password!").await.expect(401);
    }
    let blocked = app.login_answer(ADMIN, "wrong password!").await.expect(429);
    let retry: i64 = blocked
        .headers
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "retry-after {retry}");
    // Even the right password waits now: that is the point of the lock.
    app.login_answer(ADMIN, DEMO_PASSWORD).await.expect(429);
    app.login(CONSULTANT, DEMO_PASSWORD).await;
}

fn refresh_cookie(answer: &Answer) -> String {
    let cookie = answer.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("boussole_refresh=")
        .to_string()
}

async fn refresh_rotates_and_a_reused_token_ends_the_session(backend: Backend) {
    let app = spawn_demo(backend).await;
    let login = app
        .login_answer(CONSULTANT, DEMO_PASSWORD)
        .await
        .expect(200);
    let first = refresh_cookie(&login);
    let rotated = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({ "refresh_token": first }),
        )
        .await
        .expect(200);
    let second = refresh_cookie(&rotated);
    assert_ne!(first, second, "each refresh hands out a new token");
    let access = rotated.body["access_token"].as_str().unwrap().to_string();
    app.get("/api/v1/me", &access).await.expect(200);

    // The old token again: somebody else holds it, so the whole session ends.
    let reuse = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({ "refresh_token": first }),
        )
        .await
        .expect(401);
    assert!(reuse.problem_type().ends_with("refresh-reused"));
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({ "refresh_token": second }),
    )
    .await
    .expect(401);
    app.get("/api/v1/me", &access).await.expect(401);
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({ "refresh_token": "made-up" }),
    )
    .await
    .expect(401);
}

async fn expired_or_forged_access_tokens_are_401(backend: Backend) {
    let app = spawn_demo(backend).await;
    let real = app.login(ADMIN, DEMO_PASSWORD).await;
    let id = real.user.id.to_string();
    let keys = Keys::new(&app.config.jwt_secret).unwrap();
    let claims = keys.verify(&real.access_token, ACCESS).unwrap();
    let expired = keys
        .issue(ACCESS, &id, &claims.sid, "admin", claims.tv, -600)
        .unwrap();
    let answer = app.get("/api/v1/me", &expired).await.expect(401);
    assert!(answer.problem_type().ends_with("token-expired"));
    let forged = Keys::new(b"another-secret-another-secret-another-secret").unwrap();
    let forged = forged
        .issue(ACCESS, &id, &claims.sid, "admin", claims.tv, 600)
        .unwrap();
    app.get("/api/v1/me", &forged).await.expect(401);
    app.call(Method::GET, "/api/v1/me", None, None)
        .await
        .expect(401);
    let garbage = app.get("/api/v1/me", "not.a.jwt").await.expect(401);
    assert!(garbage.problem_type().ends_with("invalid-token"));
    app.get("/api/v1/me", &real.access_token).await.expect(200);
}

async fn logout_everywhere_ends_every_session(backend: Backend) {
    let app = spawn_demo(backend).await;
    let phone = app
        .login_answer(BENEFICIARY, DEMO_PASSWORD)
        .await
        .expect(200);
    let phone_refresh = refresh_cookie(&phone);
    let laptop = app.login(BENEFICIARY, DEMO_PASSWORD).await;
    let sessions = app
        .get("/api/v1/me/sessions", &laptop.access_token)
        .await
        .expect(200);
    assert_eq!(sessions.body.as_array().unwrap().len(), 2);
    app.post(
        "/api/v1/auth/logout-all",
        Some(&laptop.access_token),
        json!({}),
    )
    .await
    .expect(204);
    app.get("/api/v1/me", &laptop.access_token)
        .await
        .expect(401);
    app.get("/api/v1/me", phone.body["access_token"].as_str().unwrap())
        .await
        .expect(401);
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({ "refresh_token": phone_refresh }),
    )
    .await
    .expect(401);
    app.login(BENEFICIARY, DEMO_PASSWORD).await;
}

async fn forgotten_password_reset_by_single_use_link(backend: Backend) {
    let app = spawn_demo(backend).await;
    let before = app.login(BENEFICIARY, DEMO_PASSWORD).await;
    app.post(
        "/api/v1/auth/password/forgot",
        None,
        json!({ "email": "unknown@example.org" }),
    )
    .await
    .expect(202);
    assert!(
        app.mailbox().await.is_empty(),
        "no email for an unknown address, and the same answer"
    );
    app.post(
        "/api/v1/auth/password/forgot",
        None,
        json!({ "email": BENEFICIARY }),
    )
    .await
    .expect(202);
    let token = app
        .last_link_token(BENEFICIARY, "/reinitialiser-mot-de-passe")
        .await;
    let weak = app
        .post(
            "/api/v1/auth/password/reset",
            None,
            json!({ "token": token, "password": "123456789012" }),
        )
        .await
        .expect(400);
    assert!(weak.body["errors"]["password"].is_array());
    app.post(
        "/api/v1/auth/password/reset",
        None,
        json!({ "token": token, "password": STRONG }),
    )
    .await
    .expect(204);
    app.post(
        "/api/v1/auth/password/reset",
        None,
        json!({ "token": token, "password": "encore un autre mot de passe" }),
    )
    .await
    .expect(400);
    app.login_answer(BENEFICIARY, DEMO_PASSWORD)
        .await
        .expect(401);
    app.login(BENEFICIARY, STRONG).await;
    app.get("/api/v1/me", &before.access_token)
        .await
        .expect(401);
    assert!(
        app.mailbox()
            .await
            .iter()
            .any(|m| m.to == BENEFICIARY && m.subject.contains("modifié"))
    );
}

async fn changing_password_needs_the_current_one_and_ends_sessions(backend: Backend) {
    let app = spawn_demo(backend).await;
    let token = app.token(CONSULTANT).await;
    let wrong = app
        .post(
            "/api/v1/me/password",
            Some(&token),
            json!({ "current_password": "nope", "new_password": STRONG }),
        )
        .await
        .expect(400);
    assert!(wrong.body["errors"]["current_password"].is_array());
    app.post(
        "/api/v1/me/password",
        Some(&token),
        json!({ "current_password": DEMO_PASSWORD, "new_password": STRONG }),
    )
    .await
    .expect(204);
    app.get("/api/v1/me", &token).await.expect(401);
    app.login(CONSULTANT, STRONG).await;
}

async fn a_session_revoked_by_another_process_stops_working_within_the_cache_ttl(backend: Backend) {
    use diesel::RunQueryDsl;
    // A long TTL, so that "still cached" cannot be undone by a slow machine; the test moves the clock.
    let app = spawn_demo_with(backend, &[("BOUSSOLE_READ_CACHE_TTL", "60".to_string())]).await;
    let token = app.token(CONSULTANT).await;
    app.get("/api/v1/me", &token).await.expect(200);
    // Another API process (here: straight to the database) ends every session.
    diesel::sql_query("UPDATE sessions SET revoked_at = created_at")
        .execute(&mut app.conn())
        .unwrap();
    // Within the TTL this process still serves the session from memory, as documented…
    app.get("/api/v1/me", &token).await.expect(200);
    // …and once the TTL has passed on the clock the caches read, it asks the database again.
    app.config.clock.advance(std::time::Duration::from_secs(
        app.config.read_cache_ttl_secs,
    ));
    app.get("/api/v1/me", &token).await.expect(401);
}
