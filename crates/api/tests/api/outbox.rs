//! SMS reminders through the configured HTTP gateway (a local fake gateway over HTTP), and the
//! admin view of the outbox.

use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::appointments::{book, in_minutes, setup};
use crate::helpers::*;

on_both_backends!(sms_reminders_go_through_the_gateway_and_failures_are_retried);

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
    app.patch(
        "/api/v1/me",
        &s.beneficiary,
        json!({ "phone": "04 72 00 00 00", "sms_reminders": true }),
    )
    .await
    .expect(400);
    let me = app
        .patch(
            "/api/v1/me",
            &s.beneficiary,
            json!({ "phone": "06 12 34 56 78", "sms_reminders": true }),
        )
        .await
        .expect(200);
    assert_eq!(me.body["sms_reminders"], true);

    book(
        &app,
        &s.consultant,
        &s,
        in_minutes(3 * 24 * 60),
        "remote",
        json!({}),
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
    let list = app
        .get("/api/v1/outbox?per_page=50", &s.admin)
        .await
        .expect(200);
    assert_eq!(
        list.body["total"], 6,
        "2 confirmations, 2 email and 2 SMS reminders"
    );
    assert!(list.body["items"][0]["body"].is_null());
    let id = list.body["items"][0]["id"].as_str().unwrap();
    let one = app
        .get(&format!("/api/v1/outbox/{id}"), &s.admin)
        .await
        .expect(200);
    assert!(one.body["body"].is_string());
    app.get("/api/v1/outbox", &s.consultant).await.expect(403);
    app.get("/api/v1/outbox", &s.beneficiary).await.expect(403);
    app.get("/api/v1/outbox?status=lost", &s.admin)
        .await
        .expect(400);
}
