//! SMS reminders through the configured HTTP gateway (a local fake gateway over HTTP), and the
//! admin view of the outbox.

use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use boussole_shared::appointments::OutboxMessage;
use boussole_shared::auth::{EmailRequest, ResetPasswordRequest};
use boussole_shared::bilans::SessionMode;
use boussole_shared::users::{MePatch, User};
use diesel::prelude::*;
use serde_json::Value;

use crate::helpers::*;

on_both_backends!(
    sms_reminders_go_through_the_gateway_and_failures_are_retried,
    account_links_go_through_the_outbox_masked_and_sealed,
);

type Seen = Arc<Mutex<Vec<(Option<String>, String)>>>;

/// A fake SMS gateway: records each request, answers 503 to the first one and 200 after.
fn start_gateway(seen: Seen) -> u16 {
    let server = HttpServer::new(move || {
        let seen = seen.clone();
        App::new().default_service(web::to(move |req: HttpRequest, body: String| {
            let seen = seen.clone();
            async move {
                let auth = req
                    .headers()
                    .get("X-Api-Key")
                    .and_then(|v| v.to_str().ok())
                    .map(String::from);
                let mut seen = seen.lock().unwrap();
                seen.push((auth, body));
                if seen.len() == 1 {
                    HttpResponse::ServiceUnavailable().finish()
                } else {
                    HttpResponse::Ok().finish()
                }
            }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let port = server.addrs()[0].port();
    actix_web::rt::spawn(server.run());
    port
}

async fn sms_reminders_go_through_the_gateway_and_failures_are_retried(backend: Backend) {
    let seen: Seen = Arc::default();
    let port = start_gateway(seen.clone());
    let app = spawn_demo_with(
        backend,
        &[
            ("BOUSSOLE_SMS_URL", format!("http://127.0.0.1:{port}/send")),
            ("BOUSSOLE_SMS_AUTH_HEADER", "X-Api-Key: gateway-key".into()),
            (
                "BOUSSOLE_SMS_BODY_TEMPLATE",
                r#"{"recipient":"{{to}}","message":"{{text}}","sender":"Boussole"}"#.into(),
            ),
        ],
    )
    .await;
    let s = setup(&app).await;
    // Opting in needs a mobile number.
    let opt_in = |phone: &str| MePatch {
        phone: Some(phone.into()),
        sms_reminders: Some(true),
        ..MePatch::default()
    };
    app.patch_as::<User>("/api/v1/me", &s.beneficiary, &opt_in("04 72 00 00 00"))
        .await
        .expect(400);
    let me: User = app
        .patch_as("/api/v1/me", &s.beneficiary, &opt_in("06 12 34 56 78"))
        .await
        .ok(200);
    assert!(me.sms_reminders);

    app.book(
        &s.consultant,
        &s.booking(in_minutes(3 * 24 * 60), SessionMode::Remote, None),
    )
    .await
    .expect(201);
    use boussole_api::schema::outbox;
    let sms = || outbox::table.filter(outbox::channel.eq("sms"));
    let rows: Vec<(String, String)> = sms()
        .select((outbox::kind, outbox::status))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        seen.lock().unwrap().is_empty(),
        "reminders wait for their time"
    );

    // Their time comes.
    diesel::update(sms())
        .set(outbox::not_before.eq(boussole_api::db::now()))
        .execute(&mut app.conn())
        .unwrap();
    let done = eventually(20, || {
        let st: Vec<String> = sms().select(outbox::status).load(&mut app.conn()).unwrap();
        st.iter().all(|s| s == "sent").then_some(())
    })
    .await;
    assert!(done.is_some(), "{:?}", seen.lock().unwrap());
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen.len(),
        3,
        "two messages, one refused once then retried: {seen:?}"
    );
    for (auth, body) in &seen {
        assert_eq!(auth.as_deref(), Some("gateway-key"));
        let v: Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["recipient"], "+33612345678");
        assert_eq!(v["sender"], "Boussole");
        assert!(v["message"].as_str().unwrap().contains("rappel"), "{body}");
    }
    let attempts: Vec<i64> = sms()
        .select(outbox::attempts)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(attempts.iter().sum::<i64>(), 3);

    // Admins see the outbox; nobody else does.
    let list = app.outbox(&s.admin, "?per_page=50").await.ok(200);
    assert_eq!(
        list.total, 8,
        "2 notices of the bilan's opening, 2 confirmations, 2 email and 2 SMS reminders"
    );
    assert!(list.items[0].body.is_none());
    let one = app.outbox_message(&s.admin, list.items[0].id).await.ok(200);
    assert!(one.body.is_some());
    app.outbox(&s.consultant, "").await.expect(403);
    app.outbox(&s.beneficiary, "").await.expect(403);
    app.outbox(&s.admin, "?status=lost").await.expect(400);
}

/// The `secret` column and the status of the outbox's rows to `recipient` of `kind`.
fn secret_rows(app: &TestApp, recipient: &str, kind: &str) -> Vec<(Option<Vec<u8>>, String)> {
    use boussole_api::schema::outbox;
    outbox::table
        .filter(outbox::recipient.eq(recipient))
        .filter(outbox::kind.eq(kind))
        .select((outbox::secret, outbox::status))
        .load(&mut app.conn())
        .unwrap()
}

/// The admin's view of the outbox's messages to `recipient`.
async fn admin_view(app: &TestApp, admin: &str, recipient: &str) -> Vec<OutboxMessage> {
    let page = app.outbox(admin, "?per_page=100").await.ok(200);
    let mut out = Vec::new();
    for item in page.items.iter().filter(|m| m.recipient == recipient) {
        out.push(app.outbox_message(admin, item.id).await.ok(200));
    }
    out
}

async fn forgot_password(app: &TestApp, email: &str) {
    let body = EmailRequest {
        email: email.into(),
    };
    app.post_as::<()>("/api/v1/auth/password/forgot", None, &body)
        .await
        .expect(202);
}

async fn account_links_go_through_the_outbox_masked_and_sealed(backend: Backend) {
    // A mail server that is not there: the reset email waits in the outbox, its link sealed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let down = [("BOUSSOLE_SMTP_URL", format!("smtp://127.0.0.1:{port}"))];
    let app = spawn_demo_with(backend, &down).await;
    let admin = app.token(ADMIN).await;
    forgot_password(&app, BENEFICIARY).await;
    // Wait for the first attempt to fail (its error is recorded).
    let failed = eventually(10, || {
        use boussole_api::schema::outbox;
        outbox::table
            .filter(outbox::recipient.eq(BENEFICIARY))
            .filter(outbox::last_error.is_not_null())
            .count()
            .get_result::<i64>(&mut app.conn())
            .ok()
            .filter(|n| *n > 0)
    })
    .await;
    assert!(failed.is_some(), "the outbox tried to send the reset email");
    let tried = secret_rows(&app, BENEFICIARY, "account.password_reset");
    assert_eq!(tried.len(), 1);
    let sealed = tried[0]
        .0
        .clone()
        .expect("the link is kept sealed until it is sent");
    assert!(
        !String::from_utf8_lossy(&sealed).contains("token="),
        "the link is not stored in clear"
    );
    let seen = admin_view(&app, &admin, BENEFICIARY).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    let body = seen[0].body.as_deref().unwrap();
    assert!(body.contains("[lien personnel masqué]"), "{body}");
    assert!(
        !body.contains("token="),
        "an admin never sees the link: {body}"
    );
    assert!(app.mailbox().await.iter().all(|m| m.to != BENEFICIARY));

    // With a mailbox that works: the email arrives whole, its link works, the sealed part is wiped
    // once sent, and the admin's view stays masked.
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    forgot_password(&app, BENEFICIARY).await;
    let token = app
        .last_link_token(BENEFICIARY, "/reinitialiser-mot-de-passe")
        .await;
    let rows = secret_rows(&app, BENEFICIARY, "account.password_reset");
    assert_eq!(rows, vec![(None, "sent".to_string())]);
    let seen = admin_view(&app, &admin, BENEFICIARY).await;
    let body = seen[0].body.as_deref().unwrap();
    assert!(
        body.contains("[lien personnel masqué]") && !body.contains(&token),
        "{body}"
    );
    let reset = ResetPasswordRequest {
        token,
        password: "un nouveau mot de passe solide".into(),
    };
    app.post_as::<()>("/api/v1/auth/password/reset", None, &reset)
        .await
        .expect(204);
    // The confirmation too goes through the outbox (no secret in it).
    let changed = secret_rows(&app, BENEFICIARY, "account.password_changed");
    assert_eq!(changed.len(), 1);
    assert!(
        app.mailbox()
            .await
            .iter()
            .any(|m| m.to == BENEFICIARY && m.subject.contains("modifié"))
    );
}
