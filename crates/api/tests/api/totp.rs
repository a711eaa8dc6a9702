use diesel::RunQueryDsl;
use serde_json::json;
use totp_rs::{Builder, Secret};

use crate::helpers::*;

on_both_backends!(
    totp_enrolment_then_login_with_a_code_once,
    recovery_codes_work_once_and_wrong_codes_are_throttled,
    staff_must_enrol_when_the_organisation_requires_it,
    unreadable_security_settings_fail_closed,
);

pub(crate) fn code_at(secret: &str, offset_secs: i64) -> String {
    let totp = Builder::new()
        .with_secret(Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    totp.generate((now + offset_secs) as u64).to_string()
}

/// Enrols TOTP for `email`; returns the secret and the recovery codes.
pub(crate) async fn enrol(app: &TestApp, email: &str) -> (String, Vec<String>) {
    let token = app.token(email).await;
    let setup = app
        .post("/api/v1/me/totp/setup", Some(&token), json!({}))
        .await
        .expect(200);
    let secret = setup.body["secret"].as_str().unwrap().to_string();
    let uri = setup.body["otpauth_uri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/")
            && uri.contains(&format!("secret={secret}"))
            && uri.contains("issuer=Boussole")
    );
    assert!(setup.body["qr_svg"].as_str().unwrap().contains("<svg"));
    app.post(
        "/api/v1/me/totp/enable",
        Some(&token),
        json!({ "code": "000000" }),
    )
    .await
    .expect(400);
    let enabled = app
        .post(
            "/api/v1/me/totp/enable",
            Some(&token),
            json!({ "code": code_at(&secret, 0) }),
        )
        .await
        .expect(200);
    let codes: Vec<String> = serde_json::from_value(enabled.body["codes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);
    app.post("/api/v1/me/totp/setup", Some(&token), json!({}))
        .await
        .expect(409);
    (secret, codes)
}

pub(crate) async fn challenge(app: &TestApp, email: &str) -> String {
    let answer = app.login_answer(email, DEMO_PASSWORD).await.expect(200);
    assert_eq!(answer.body["totp_required"], true, "{}", answer.body);
    assert!(answer.body.get("access_token").is_none());
    answer.body["challenge"].as_str().unwrap().to_string()
}

async fn totp_enrolment_then_login_with_a_code_once(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (secret, _) = enrol(&app, CONSULTANT).await;
    let challenge = challenge(&app, CONSULTANT).await;
    app.post(
        "/api/v1/auth/totp",
        None,
        json!({ "challenge": challenge, "code": "123456" }),
    )
    .await
    .expect(401);
    // The enrolment used the current step; the next step's code is within the allowed skew.
    let code = code_at(&secret, 30);
    let ok = app
        .post(
            "/api/v1/auth/totp",
            None,
            json!({ "challenge": challenge, "code": code }),
        )
        .await
        .expect(200);
    assert_eq!(ok.body["user"]["totp_enabled"], true);
    let replay = app
        .post(
            "/api/v1/auth/totp",
            None,
            json!({ "challenge": challenge, "code": code }),
        )
        .await
        .expect(401);
    assert!(
        replay.problem_type().ends_with("invalid-code"),
        "a code works once"
    );
    app.post(
        "/api/v1/auth/totp",
        None,
        json!({ "challenge": "forged", "code": code }),
    )
    .await
    .expect(401);
}

async fn recovery_codes_work_once_and_wrong_codes_are_throttled(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (_, codes) = enrol(&app, BENEFICIARY).await;
    let c = challenge(&app, BENEFICIARY).await;
    app.post(
        "/api/v1/auth/totp",
        None,
        json!({ "challenge": c, "code": codes[0] }),
    )
    .await
    .expect(200);
    app.post(
        "/api/v1/auth/totp",
        None,
        json!({ "challenge": c, "code": codes[0] }),
    )
    .await
    .expect(401);
    for _ in 0..4 {
        app.post(
            "/api/v1/auth/totp",
            None,
            json!({ "challenge": c, "code": "999999" }),
        )
        .await
        .expect(401);
    }
    app.post(
        "/api/v1/auth/totp",
        None,
        json!({ "challenge": c, "code": codes[1] }),
    )
    .await
    .expect(429);
}

async fn staff_must_enrol_when_the_organisation_requires_it(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    app.patch(
        "/api/v1/settings/security",
        &consultant,
        json!({ "totp_required_for_staff": true }),
    )
    .await
    .expect(403);
    app.patch(
        "/api/v1/settings/security",
        &admin,
        json!({ "totp_required_for_staff": true }),
    )
    .await
    .expect(200);
    let blocked = app.get("/api/v1/users", &admin).await.expect(403);
    assert!(blocked.problem_type().ends_with("totp-enrolment-required"));
    let login = app.login(CONSULTANT, DEMO_PASSWORD).await;
    assert!(login.totp_enrolment_required);
    app.get("/api/v1/me", &login.access_token).await.expect(200);
    // Beneficiaries are not concerned.
    assert!(
        !app.login(BENEFICIARY, DEMO_PASSWORD)
            .await
            .totp_enrolment_required
    );
    // Once enrolled, the admin is back in.
    let (secret, _) = enrol(&app, ADMIN).await;
    let c = challenge(&app, ADMIN).await;
    let tokens = app
        .post(
            "/api/v1/auth/totp",
            None,
            json!({ "challenge": c, "code": code_at(&secret, 30) }),
        )
        .await
        .expect(200);
    assert_eq!(tokens.body["totp_enrolment_required"], false);
    app.get(
        "/api/v1/users",
        tokens.body["access_token"].as_str().unwrap(),
    )
    .await
    .expect(200);
}

/// Settings that cannot be read must not mean "TOTP not required": staff are refused (500), not let in.
async fn unreadable_security_settings_fail_closed(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    app.patch(
        "/api/v1/settings/security",
        &admin,
        json!({ "totp_required_for_staff": true }),
    )
    .await
    .expect(200);
    let changed =
        diesel::sql_query("UPDATE settings SET value = 'not json' WHERE key = 'security'")
            .execute(&mut app.conn())
            .unwrap();
    assert_eq!(changed, 1);
    // A fresh login (no cached session check) reads the settings.
    app.login_answer(CONSULTANT, DEMO_PASSWORD)
        .await
        .expect(500);
}
