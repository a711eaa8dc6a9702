use boussole_shared::auth::{RecoveryCodes, TotpChallenge, TotpCodeRequest, TotpSetup};
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

pub fn code_at(secret: &str, offset_secs: i64) -> String {
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
pub async fn enrol(app: &TestApp, email: &str) -> (String, Vec<String>) {
    let token = app.token(email).await;
    let setup = |token: String| async move {
        app.post_as::<TotpSetup>("/api/v1/me/totp/setup", Some(&token), &json!({}))
            .await
    };
    let enable = |token: String, code: String| async move {
        let body = TotpCodeRequest { code };
        app.post_as::<RecoveryCodes>("/api/v1/me/totp/enable", Some(&token), &body)
            .await
    };
    let TotpSetup {
        secret,
        otpauth_uri: uri,
        qr_svg,
    } = setup(token.clone()).await.ok(200);
    assert!(
        uri.starts_with("otpauth://totp/")
            && uri.contains(&format!("secret={secret}"))
            && uri.contains("issuer=Boussole")
    );
    assert!(qr_svg.contains("<svg"));
    enable(token.clone(), "000000".into()).await.expect(400);
    let codes = enable(token.clone(), code_at(&secret, 0))
        .await
        .ok(200)
        .codes;
    assert_eq!(codes.len(), 10);
    setup(token).await.expect(409);
    (secret, codes)
}

pub async fn challenge(app: &TestApp, email: &str) -> String {
    let answer = app.login_answer(email, DEMO_PASSWORD).await.expect(200);
    // Absent, not null: the raw body.
    assert!(answer.body.get("access_token").is_none());
    let challenge: TotpChallenge = answer.typed().parse();
    assert!(challenge.totp_required, "{challenge:?}");
    challenge.challenge
}

async fn totp_enrolment_then_login_with_a_code_once(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (secret, _) = enrol(&app, CONSULTANT).await;
    let challenge = challenge(&app, CONSULTANT).await;
    app.totp_login(&challenge, "123456").await.expect(401);
    // The enrolment used the current step; the next step's code is within the allowed skew.
    let code = code_at(&secret, 30);
    let ok = app.totp_login(&challenge, &code).await.ok(200);
    assert!(ok.user.totp_enabled);
    let replay = app.totp_login(&challenge, &code).await.expect(401);
    assert!(
        replay.problem_type().ends_with("invalid-code"),
        "a code works once"
    );
    app.totp_login("forged", &code).await.expect(401);
}

async fn recovery_codes_work_once_and_wrong_codes_are_throttled(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (_, codes) = enrol(&app, BENEFICIARY).await;
    let c = challenge(&app, BENEFICIARY).await;
    app.totp_login(&c, &codes[0]).await.expect(200);
    app.totp_login(&c, &codes[0]).await.expect(401);
    for _ in 0..4 {
        app.totp_login(&c, "999999").await.expect(401);
    }
    app.totp_login(&c, &codes[1]).await.expect(429);
}

async fn staff_must_enrol_when_the_organisation_requires_it(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    // Raw JSON: a change of one setting (the DTO is the whole set).
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
    let tokens = app.totp_login(&c, &code_at(&secret, 30)).await.ok(200);
    assert!(!tokens.totp_enrolment_required);
    app.get("/api/v1/users", &tokens.access_token)
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
