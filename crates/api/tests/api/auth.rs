use boussole_api::auth::tokens::{ACCESS, Keys};
use boussole_shared::auth::{
    ChangePasswordRequest, EmailRequest, RefreshRequest, RegisterRequest, ResetPasswordRequest,
    Session, TokenRequest, TokenResponse,
};
use boussole_shared::field_rules::FieldRule;
use boussole_shared::users::{Role, User};
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

fn registration(email: &str, password: &str, first_name: &str, last_name: &str) -> RegisterRequest {
    RegisterRequest {
        email: email.into(),
        password: password.into(),
        civility: None,
        first_name: first_name.into(),
        last_name: last_name.into(),
        phone: None,
        locale: None,
    }
}

/// Signs up (202 whatever happens, so that the answer says nothing of the address).
async fn register(app: &TestApp, request: &RegisterRequest) -> Answer<()> {
    app.post_as("/api/v1/auth/register", None, request).await
}

async fn verify_email(app: &TestApp, token: &str) -> Answer<()> {
    let body = TokenRequest {
        token: token.into(),
    };
    app.post_as("/api/v1/auth/verify-email", None, &body).await
}

/// A refresh with the token in the body (`None`: only the cookie, if any).
async fn refresh(app: &TestApp, refresh_token: Option<&str>) -> Answer<TokenResponse> {
    let body = RefreshRequest {
        refresh_token: refresh_token.map(Into::into),
    };
    app.post_as("/api/v1/auth/refresh", None, &body).await
}

async fn forgot(app: &TestApp, email: &str) -> Answer<()> {
    let body = EmailRequest {
        email: email.into(),
    };
    app.post_as("/api/v1/auth/password/forgot", None, &body)
        .await
}

async fn reset(app: &TestApp, token: &str, password: &str) -> Answer<()> {
    let body = ResetPasswordRequest {
        token: token.into(),
        password: password.into(),
    };
    app.post_as("/api/v1/auth/password/reset", None, &body)
        .await
}

async fn sign_up_verify_login_and_logout(backend: Backend) {
    let app = spawn_app(backend).await;
    let jeanne = registration("Jeanne.Essai@Example.org", STRONG, "Jeanne", "Essai");
    register(&app, &jeanne).await.expect(202);
    // The address is stored lower-cased; logging in before verification is refused.
    let answer = app
        .login_answer("jeanne.essai@example.org", STRONG)
        .await
        .expect(403);
    assert!(answer.problem_type().ends_with("email-not-verified"));
    let token = app
        .last_link_token("jeanne.essai@example.org", "/verifier-email")
        .await;
    verify_email(&app, &token).await.expect(204);
    let again = verify_email(&app, &token).await.expect(400);
    assert!(
        again.body["errors"]["token"].is_array(),
        "a used link is refused on the token field"
    );

    let tokens = app.login("jeanne.essai@example.org", STRONG).await;
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.user.role, Role::Beneficiary);
    let me: User = app.get_as("/api/v1/me", &tokens.access_token).await.ok(200);
    assert_eq!(me.email, "jeanne.essai@example.org");
    assert!(me.email_verified);

    app.post("/api/v1/auth/logout", Some(&tokens.access_token), json!({}))
        .await
        .expect(204);
    app.get("/api/v1/me", &tokens.access_token)
        .await
        .expect(401);
    // The refresh cookie of that session no longer works either.
    refresh(&app, None).await.expect(401);
}

async fn sign_up_with_a_weak_password_is_refused_and_creates_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    // The rule each one breaks, which the English interface says (the French one shows the message).
    let cases = [
        ("court", FieldRule::TooShort),
        ("123456789012", FieldRule::WeakPassword),
        ("azertyuiopqsdf", FieldRule::WeakPassword),
        ("jeanneessai2024", FieldRule::WeakPassword),
    ];
    for (weak, rule) in cases {
        let jeanne = registration("jeanne@example.org", weak, "Jeanne", "Essai");
        let answer = register(&app, &jeanne).await.expect(400);
        assert_eq!(answer.rules("password"), [rule], "{weak}: {}", answer.body);
    }
    // Asked in English (the English interface sends `Accept-Language: en`, whatever the browser's
    // setting), the messages are the rules' English; the codes are the same.
    let short = registration("jeanne@example.org", "court", "Jeanne", "Essai");
    let french = "doit contenir entre 12 et 128 caractères";
    for (language, said) in [
        ("en", "Too short."),
        ("en-GB,en;q=0.9,fr;q=0.8", "Too short."),
        ("fr", french),
        ("fr-FR,fr;q=0.9,en;q=0.8", french),
        ("de", french),
    ] {
        let res = app
            .client
            .post(format!("{}/api/v1/auth/register", app.base))
            .header("Accept-Language", language)
            .json(&short)
            .send()
            .await
            .unwrap();
        let answer = Answer::<()>::read(res).await.expect(400);
        assert_eq!(
            answer.body["errors"]["password"],
            json!([said]),
            "{language}"
        );
        assert_eq!(answer.rules("password"), [FieldRule::TooShort]);
        // The words depend on the header, whichever language it asked for: caches are told so.
        let vary = answer.headers.get_all("vary").iter();
        let vary: Vec<_> = vary.filter_map(|v| v.to_str().ok()).collect();
        assert!(
            vary.iter()
                .any(|v| v.eq_ignore_ascii_case("accept-language")),
            "{language}: {vary:?}"
        );
    }
    let bad_email = registration("pas-une-adresse", STRONG, "J", "E");
    let bad_email = register(&app, &bad_email).await.expect(400);
    assert_eq!(bad_email.rules("email"), [FieldRule::Email]);
    assert!(app.mailbox().await.is_empty(), "no account, so no email");
    app.login_answer("jeanne@example.org", STRONG)
        .await
        .expect(401);
}

async fn sign_up_with_a_taken_email_answers_the_same_and_warns_the_owner(backend: Backend) {
    let app = spawn_demo(backend).await;
    let other = registration(BENEFICIARY, STRONG, "Autre", "Personne");
    register(&app, &other).await.expect(202);
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

fn refresh_cookie<T>(answer: &Answer<T>) -> String {
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
    let rotated = refresh(&app, Some(&first)).await.expect(200);
    let second = refresh_cookie(&rotated);
    assert_ne!(first, second, "each refresh hands out a new token");
    let access = rotated.parse().access_token;
    app.get("/api/v1/me", &access).await.expect(200);

    // The old token again: somebody else holds it, so the whole session ends.
    let reuse = refresh(&app, Some(&first)).await.expect(401);
    assert!(reuse.problem_type().ends_with("refresh-reused"));
    refresh(&app, Some(&second)).await.expect(401);
    app.get("/api/v1/me", &access).await.expect(401);
    refresh(&app, Some("made-up")).await.expect(401);
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
    let sessions: Vec<Session> = app
        .get_as("/api/v1/me/sessions", &laptop.access_token)
        .await
        .ok(200);
    assert_eq!(sessions.len(), 2);
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
    let phone_access = phone.typed::<TokenResponse>().parse().access_token;
    app.get("/api/v1/me", &phone_access).await.expect(401);
    refresh(&app, Some(&phone_refresh)).await.expect(401);
    app.login(BENEFICIARY, DEMO_PASSWORD).await;
}

async fn forgotten_password_reset_by_single_use_link(backend: Backend) {
    let app = spawn_demo(backend).await;
    let before = app.login(BENEFICIARY, DEMO_PASSWORD).await;
    forgot(&app, "unknown@example.org").await.expect(202);
    assert!(
        app.mailbox().await.is_empty(),
        "no email for an unknown address, and the same answer"
    );
    forgot(&app, BENEFICIARY).await.expect(202);
    let token = app
        .last_link_token(BENEFICIARY, "/reinitialiser-mot-de-passe")
        .await;
    let weak = reset(&app, &token, "123456789012").await.expect(400);
    assert!(weak.body["errors"]["password"].is_array());
    reset(&app, &token, STRONG).await.expect(204);
    let spent = reset(&app, &token, "encore un autre mot de passe")
        .await
        .expect(400);
    assert_eq!(spent.rules("token"), [FieldRule::LinkInvalid]);
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
    let change = |current: &str| ChangePasswordRequest {
        current_password: current.into(),
        new_password: STRONG.into(),
    };
    let path = "/api/v1/me/password";
    let wrong = app
        .post_as::<()>(path, Some(&token), &change("nope"))
        .await
        .expect(400);
    assert_eq!(wrong.rules("current_password"), [FieldRule::WrongPassword]);
    app.post_as::<()>(path, Some(&token), &change(DEMO_PASSWORD))
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
