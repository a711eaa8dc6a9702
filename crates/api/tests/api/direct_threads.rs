//! Direct threads between staff members (issue 14, item 1): one per pair, whoever opens it and
//! however many at once; only its two members read or write it (everyone else 404, API keys 403);
//! no attachments; texts sealed at rest; live delivery to an admin; admins still refused on bilan
//! threads.

use std::time::Duration;

use diesel::prelude::*;
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;
use crate::messages::read_until;

on_both_backends!(
    two_staff_members_share_one_thread_that_only_they_read,
    a_direct_thread_is_only_between_active_staff_and_takes_no_attachment,
    a_direct_message_reaches_an_admin_live,
    each_staff_account_has_a_direct_thread_in_the_demo,
);

pub const SOPHIE: &str = "consultante2@boussole.test";
pub const LUCAS: &str = "lucas.moreau@boussole.test";

/// A demo account's id, read from the database.
pub fn user_id(app: &TestApp, email: &str) -> String {
    use boussole_api::schema::users;
    users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(&mut app.conn())
        .unwrap()
}

async fn open_with(app: &TestApp, token: &str, email: &str) -> Answer {
    let with = user_id(app, email);
    app.post(
        "/api/v1/conversations",
        Some(token),
        json!({ "with": with }),
    )
    .await
}

fn stored_messages(app: &TestApp) -> i64 {
    use boussole_api::schema::conversation_messages as m;
    m::table.count().get_result(&mut app.conn()).unwrap()
}

async fn two_staff_members_share_one_thread_that_only_they_read(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let karim = app.token(CONSULTANT).await;
    let sophie = app.token(SOPHIE).await;
    let camille = app.token(BENEFICIARY).await;
    let lucas = app.token(LUCAS).await;

    let first = open_with(&app, &admin, CONSULTANT).await.expect(201);
    assert_eq!(first.body["kind"], "direct");
    assert!(first.body["bilan_id"].is_null());
    assert_eq!(first.body["with"][0]["first_name"], "Karim");
    let conv = first.body["id"].as_str().unwrap().to_string();
    // The same pair, from either side, at once or later: the same thread.
    let (a, b) = tokio::join!(
        open_with(&app, &karim, ADMIN),
        open_with(&app, &admin, CONSULTANT)
    );
    assert_eq!(a.expect(200).body["id"], conv.as_str());
    assert_eq!(b.expect(200).body["id"], conv.as_str());
    let (x, y) = tokio::join!(
        open_with(&app, &karim, SOPHIE),
        open_with(&app, &sophie, CONSULTANT)
    );
    assert_eq!(
        x.body["id"], y.body["id"],
        "two first calls at once: one thread"
    );
    let mut codes = [x.status.as_u16(), y.status.as_u16()];
    codes.sort();
    assert_eq!(codes, [200, 201]);

    let messages = format!("/api/v1/conversations/{conv}/messages");
    let sent = app
        .post(
            &messages,
            Some(&karim),
            json!({ "body": "Audit Qualiopi le 15" }),
        )
        .await
        .expect(201);
    let mid = sent.body["id"].as_str().unwrap().to_string();
    let list = app.get("/api/v1/conversations", &admin).await.expect(200);
    assert_eq!(list.body["total_unread"], 1, "{}", list.body);
    assert_eq!(list.body["items"][0]["id"], conv.as_str());
    let page = app.get(&messages, &admin).await.expect(200);
    assert_eq!(page.body["items"][0]["body"], "Audit Qualiopi le 15");

    // Nobody else: a third staff member and every beneficiary hear 404, an API key 403.
    let key = app
        .post(
            "/api/v1/api-keys",
            Some(&admin),
            json!({ "name": "k", "scopes": ["users:read"] }),
        )
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    for (who, token, status) in [
        ("third staff member", &sophie, 404),
        ("beneficiary", &camille, 404),
        ("another beneficiary", &lucas, 404),
        ("API key", &key, 403),
    ] {
        let read = app.get(&messages, token).await;
        assert_eq!(read.status.as_u16(), status, "{who} reads");
        let write = app
            .post(&messages, Some(token), json!({ "body": "Intrus" }))
            .await;
        assert_eq!(write.status.as_u16(), status, "{who} writes");
        let receipt = json!({ "up_to": mid });
        let mark = app
            .post(
                &format!("/api/v1/conversations/{conv}/read"),
                Some(token),
                receipt,
            )
            .await;
        assert_eq!(mark.status.as_u16(), status, "{who} marks read");
        let edit = app
            .call(
                Method::PATCH,
                &format!("/api/v1/messages/{mid}"),
                Some(token),
                Some(json!({ "body": "Changé" })),
            )
            .await;
        assert_eq!(edit.status.as_u16(), status, "{who} edits");
    }
    assert_eq!(stored_messages(&app), 1, "nothing stored by the refused");
    let sophies = app.get("/api/v1/conversations", &sophie).await.expect(200);
    assert!(
        sophies.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["id"] != conv.as_str())
    );

    // Read receipts and the edit window work as in a bilan's thread.
    let counts = app
        .post(
            &format!("/api/v1/conversations/{conv}/read"),
            Some(&admin),
            json!({ "up_to": mid }),
        )
        .await
        .expect(200);
    assert_eq!(counts.body["unread"], 0);
    let page = app.get(&messages, &karim).await.expect(200);
    assert_eq!(page.body["items"][0]["read_by_others"], true);
    app.patch(
        &format!("/api/v1/messages/{mid}"),
        &admin,
        json!({ "body": "Non" }),
    )
    .await
    .expect(403);
    app.patch(
        &format!("/api/v1/messages/{mid}"),
        &karim,
        json!({ "body": "Audit le 16" }),
    )
    .await
    .expect(200);

    // Sealed at rest: the text is not in the database.
    use boussole_api::schema::conversation_messages as m;
    let body: Option<Vec<u8>> = m::table
        .find(&mid)
        .select(m::body)
        .first(&mut app.conn())
        .unwrap();
    let body = body.unwrap();
    assert!(!body.windows(5).any(|w| w == b"Audit"));

    // An admin is still refused a bilan's thread.
    open_bilan(&app, &admin, FundingMode::Cpf).await;
    let list = app.get("/api/v1/conversations", &camille).await.expect(200);
    let bilan_thread = list.body["items"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(list.body["items"][0]["kind"], "bilan");
    app.get(
        &format!("/api/v1/conversations/{bilan_thread}/messages"),
        &admin,
    )
    .await
    .expect(403);
    let admins = app.get("/api/v1/conversations", &admin).await.expect(200);
    assert!(
        admins.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["kind"] == "direct")
    );
}

async fn a_direct_thread_is_only_between_active_staff_and_takes_no_attachment(backend: Backend) {
    let app = spawn_demo(backend).await;
    let karim = app.token(CONSULTANT).await;
    let camille = app.token(BENEFICIARY).await;

    let contacts = app
        .get("/api/v1/conversations/contacts", &karim)
        .await
        .expect(200);
    let names: Vec<&str> = contacts
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["first_name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Agnès") && names.contains(&"Sophie"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"Karim") && !names.contains(&"Camille"),
        "{names:?}"
    );
    app.get("/api/v1/conversations/contacts", &camille)
        .await
        .expect(403);

    for (what, with) in [
        ("a beneficiary", user_id(&app, BENEFICIARY)),
        ("oneself", user_id(&app, CONSULTANT)),
        ("nobody", uuid::Uuid::now_v7().to_string()),
    ] {
        let answer = app
            .post(
                "/api/v1/conversations",
                Some(&karim),
                json!({ "with": with }),
            )
            .await
            .expect(422);
        assert_eq!(answer.body["missing"], json!(["with"]), "{what}");
    }
    app.post("/api/v1/conversations", Some(&karim), json!({}))
        .await
        .expect(400);
    let with = user_id(&app, CONSULTANT);
    app.post(
        "/api/v1/conversations",
        Some(&camille),
        json!({ "with": with }),
    )
    .await
    .expect(403);
    // A deactivated colleague is no contact.
    use boussole_api::schema::users;
    diesel::update(users::table.filter(users::email.eq(SOPHIE)))
        .set(users::is_active.eq(false))
        .execute(&mut app.conn())
        .unwrap();
    open_with(&app, &karim, SOPHIE).await.expect(422);
    {
        use boussole_api::schema::conversations as c;
        let n: i64 = c::table.count().get_result(&mut app.conn()).unwrap();
        assert_eq!(n, 0, "nothing created by the refused");
    }

    let conv = open_with(&app, &karim, ADMIN).await.expect(201).body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let attached = app
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            Some(&karim),
            json!({ "body": "Ci-joint", "attachment_id": uuid::Uuid::now_v7() }),
        )
        .await
        .expect(422);
    assert_eq!(attached.body["missing"], json!(["attachment_id"]));
    assert_eq!(stored_messages(&app), 0);
}

async fn a_direct_message_reaches_an_admin_live(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let karim = app.token(CONSULTANT).await;
    let sophie = app.token(SOPHIE).await;
    let conv = open_with(&app, &karim, ADMIN).await.expect(201).body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let listen = |token: String| {
        let req = app
            .client
            .get(format!("{}/api/v1/events", app.base))
            .bearer_auth(token);
        async move { req.send().await.unwrap() }
    };
    let mut live = listen(admin.clone()).await;
    assert_eq!(live.status(), 200);
    let mut other = listen(sophie.clone()).await;
    let mut buf = String::new();
    assert!(
        read_until(&mut live, &mut buf, "event: unread").await,
        "{buf}"
    );
    let mid = app
        .post(
            &format!("/api/v1/conversations/{conv}/messages"),
            Some(&karim),
            json!({ "body": "Tu as un moment ?" }),
        )
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(read_until(&mut live, &mut buf, &mid).await, "{buf}");
    assert!(!buf.contains("Tu as un moment"), "never the text");
    let mut seen = String::new();
    let _ = tokio::time::timeout(
        Duration::from_millis(500),
        read_until(&mut other, &mut seen, &mid),
    )
    .await;
    assert!(!seen.contains(&mid), "not to a third staff member: {seen}");
}

async fn each_staff_account_has_a_direct_thread_in_the_demo(backend: Backend) {
    let app = spawn_demo(backend).await;
    let mut conn = app.conn();
    boussole_api::seed::story::seed_demo_story(&mut conn, &app.config).unwrap();
    boussole_api::messages::demo::seed(&mut conn, &app.config).unwrap();
    for email in [ADMIN, CONSULTANT, SOPHIE] {
        let token = app.token(email).await;
        let list = app.get("/api/v1/conversations", &token).await.expect(200);
        let direct: Vec<_> = list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["kind"] == "direct")
            .cloned()
            .collect();
        assert!(direct.len() >= 2, "{email}: {}", list.body);
        let conv = direct[0]["id"].as_str().unwrap();
        let page = app
            .get(&format!("/api/v1/conversations/{conv}/messages"), &token)
            .await
            .expect(200);
        assert!(
            page.body["items"][0]["body"]
                .as_str()
                .is_some_and(|b| !b.is_empty())
        );
    }
    let sophie = app.token(SOPHIE).await;
    let list = app.get("/api/v1/conversations", &sophie).await.expect(200);
    assert!(
        list.body["total_unread"].as_i64().unwrap() >= 1,
        "{}",
        list.body
    );
}
