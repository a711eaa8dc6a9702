//! Brute force against the throttles: guesses sent all at once are counted before they are verified
//! (so at most the limit is ever evaluated, which the answers show: one 401/400 per evaluation, 429 for
//! the rest), on the login, its TOTP step and the re-authentication routes under `/me`; and lockout as
//! a weapon: an attacker's failures lock cookie-less clients out, not the owner's own device.

use std::time::Duration;

use boussole_api::auth::tokens::Keys;
use boussole_shared::auth::{
    ChangePasswordRequest, LoginRequest, RecoveryCodes, TokenResponse, TotpCodeRequest,
    TotpDisableRequest,
};
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;
use crate::totp::{challenge, code_at, enrol};

on_both_backends!(
    forty_concurrent_wrong_passwords_are_evaluated_at_most_ten_times,
    forty_concurrent_wrong_totp_codes_are_evaluated_at_most_five_times,
    reauthentication_under_me_is_throttled_with_the_login,
    an_attacker_cannot_lock_the_owner_out_of_their_own_device,
);

/// How many answers had each status.
fn tally<T>(answers: &[Answer<T>]) -> std::collections::BTreeMap<u16, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for a in answers {
        *counts.entry(a.status.as_u16()).or_insert(0) += 1;
    }
    counts
}

/// A six-digit code that is none of the codes the account's secret accepts around now.
fn wrong_code(secret: &str) -> String {
    let valid: Vec<String> = (-2..=2).map(|k| code_at(secret, k * 30)).collect();
    (0..10)
        .map(|digit: u32| digit.to_string().repeat(6))
        .find(|c| !valid.contains(c))
        .unwrap()
}

async fn forty_concurrent_wrong_passwords_are_evaluated_at_most_ten_times(backend: Backend) {
    let app = spawn_demo(backend).await;
    let passwords: Vec<String> = (0..40).map(|i| format!("wrong password {i}")).collect();
    let guesses = passwords.iter().map(|p| app.login_answer(ADMIN, p));
    let answers = futures_util::future::join_all(guesses).await;
    let counts = tally(&answers);
    assert_eq!(
        (counts.get(&401), counts.get(&429)),
        (Some(&10), Some(&30)),
        "ten evaluated, the others refused before their hash was checked: {counts:?}"
    );
    // The lock holds for the right password too.
    app.login_answer(ADMIN, DEMO_PASSWORD).await.expect(429);
}

async fn forty_concurrent_wrong_totp_codes_are_evaluated_at_most_five_times(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (secret, _) = enrol(&app, BENEFICIARY).await;
    let c = challenge(&app, BENEFICIARY).await;
    let wrong = wrong_code(&secret);
    let guesses = (0..40).map(|_| app.totp_login(&c, &wrong));
    let answers = futures_util::future::join_all(guesses).await;
    let counts = tally(&answers);
    assert_eq!(
        (counts.get(&401), counts.get(&429)),
        (Some(&5), Some(&35)),
        "five evaluated, the others refused before their code was checked: {counts:?}"
    );
    let right = code_at(&secret, 30);
    app.totp_login(&c, &right).await.expect(429);
    // Fifteen minutes later (on the server's clock), the right code gets in.
    app.config.clock.advance(Duration::from_secs(15 * 60 + 1));
    app.totp_login(&c, &right).await.expect(200);
}

async fn reauthentication_under_me_is_throttled_with_the_login(backend: Backend) {
    let app = spawn_demo(backend).await;
    let token = app.token(CONSULTANT).await;
    // A stolen session guessing the current password, forty times at once.
    let guesses = (0..40).map(|i| {
        let body = ChangePasswordRequest {
            current_password: format!("guess {i}"),
            new_password: "une lune verte sur le toit".into(),
        };
        let (app, token) = (&app, &token);
        async move {
            app.post_as::<()>("/api/v1/me/password", Some(token), &body)
                .await
        }
    });
    let counts = tally(&futures_util::future::join_all(guesses).await);
    assert_eq!(
        (counts.get(&400), counts.get(&429)),
        (Some(&10), Some(&30)),
        "{counts:?}"
    );
    // The same ten attempts as the login page: a cookie-less login waits too.
    let stranger = reqwest::Client::new();
    assert_eq!(
        login_from(&app, &stranger, CONSULTANT, DEMO_PASSWORD, None).await,
        429
    );

    // The codes: recovery-code regeneration and TOTP disabling share the login's five.
    let token = app.token(BENEFICIARY).await;
    let (secret, _) = enrol(&app, BENEFICIARY).await;
    let wrong = wrong_code(&secret);
    let regenerate = TotpCodeRequest { code: wrong };
    let guesses = (0..40).map(|_| {
        app.post_as::<RecoveryCodes>("/api/v1/me/totp/recovery-codes", Some(&token), &regenerate)
    });
    let counts = tally(&futures_util::future::join_all(guesses).await);
    assert_eq!(
        (counts.get(&400), counts.get(&429)),
        (Some(&5), Some(&35)),
        "{counts:?}"
    );
    let disable = TotpDisableRequest {
        password: DEMO_PASSWORD.into(),
        code: code_at(&secret, 30),
    };
    app.post_as::<()>("/api/v1/me/totp/disable", Some(&token), &disable)
        .await
        .expect(429);
    let c = challenge(&app, BENEFICIARY).await;
    app.totp_login(&c, &code_at(&secret, 30)).await.expect(429);
}

/// A login from `client` (its own cookies, plus `cookie` when given); answers the status.
async fn login_from(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    password: &str,
    cookie: Option<&str>,
) -> u16 {
    let body = LoginRequest {
        email: email.into(),
        password: password.into(),
    };
    let mut req = client
        .post(format!("{}/api/v1/auth/login", app.base))
        .json(&body);
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    req.send().await.unwrap().status().as_u16()
}

async fn an_attacker_cannot_lock_the_owner_out_of_their_own_device(backend: Backend) {
    let app = spawn_demo(backend).await;
    // The owner logged in from this browser before: it keeps a device cookie for the account.
    let first = app
        .login_answer(CONSULTANT, DEMO_PASSWORD)
        .await
        .expect(200)
        .typed::<TokenResponse>();
    let owner_id = first.parse().user.id.to_string();
    let device = first
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("boussole_device="))
        .expect("a device cookie")
        .to_string();
    for attribute in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/auth",
        "Max-Age=31536000",
    ] {
        assert!(device.contains(attribute), "{attribute}: {device}");
    }
    assert!(!device.contains("Secure"), "plain http in tests: {device}");

    // The attacker's ten wrong passwords lock the account for every client without that cookie…
    let attacker = reqwest::Client::new();
    for i in 0..10 {
        let status = login_from(&app, &attacker, CONSULTANT, &format!("guess {i}"), None).await;
        assert_eq!(status, 401);
    }
    assert_eq!(
        login_from(&app, &attacker, CONSULTANT, DEMO_PASSWORD, None).await,
        429
    );
    // …and a cookie the server did not sign for this use is no key: one signed with the access
    // tokens' secret, naming the owner, still waits.
    let forged = Keys::new(&app.config.jwt_secret)
        .unwrap()
        .issue("device", &owner_id, "forged", "", 0, 3600)
        .unwrap();
    let forged = format!("boussole_device={forged}");
    assert_eq!(
        login_from(&app, &attacker, CONSULTANT, DEMO_PASSWORD, Some(&forged)).await,
        429
    );
    // The device cookie names one account: it does not open another locked one.
    for i in 0..10 {
        login_from(&app, &attacker, ADMIN, &format!("guess {i}"), None).await;
    }
    app.login_answer(ADMIN, DEMO_PASSWORD).await.expect(429);

    // The owner, from their device, gets in.
    app.login(CONSULTANT, DEMO_PASSWORD).await;

    // The device has a limit of its own: its holder cannot brute force either.
    for i in 0..10 {
        app.login_answer(CONSULTANT, &format!("mine {i}"))
            .await
            .expect(401);
    }
    app.login_answer(CONSULTANT, DEMO_PASSWORD)
        .await
        .expect(429);
    app.config.clock.advance(Duration::from_secs(15 * 60 + 1));
    app.login(CONSULTANT, DEMO_PASSWORD).await;

    // "Log out everywhere" forgets the account's devices: under a new lock, the old cookie waits too.
    for i in 0..10 {
        login_from(&app, &attacker, CONSULTANT, &format!("again {i}"), None).await;
    }
    let fresh = app.login(CONSULTANT, DEMO_PASSWORD).await;
    app.call(
        Method::POST,
        "/api/v1/auth/logout-all",
        Some(&fresh.access_token),
        Some(json!({})),
    )
    .await
    .expect(204);
    app.login_answer(CONSULTANT, DEMO_PASSWORD)
        .await
        .expect(429);
}
