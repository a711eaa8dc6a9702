//! Bilan conversations (issue 14, items 1–3): who reads which thread, unread counts and read receipts
//! (concurrent ones too), the edit window on the server's clock, bad input, the batched email without
//! content, destruction with the bilan's content, and live delivery over the served stream.

use std::time::Duration;

use boussole_shared::access::{AccessHistory, AccessKind};
use boussole_shared::auth::ApiScope;
use boussole_shared::messages::{ConversationKind, Message};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::*;

on_both_backends!(
    only_the_beneficiary_and_the_assigned_consultants_reach_the_thread,
    bad_messages_are_refused_and_nothing_is_stored,
    unread_counts_follow_read_receipts_even_concurrent_ones,
    only_the_author_edits_or_withdraws_and_only_for_ten_minutes,
    a_burst_of_messages_gives_one_email_without_the_content,
    destroying_the_content_wipes_the_messages,
    a_new_message_arrives_live_and_a_reconnection_catches_up,
    camille_has_a_thread_with_karim_and_one_unread_message,
);

/// The thread of the caller's only bilan (listing creates it).
async fn thread(app: &TestApp, token: &str) -> Uuid {
    let list = app.conversations(token).await.ok(200);
    assert_eq!(list.items.len(), 1, "{list:?}");
    list.items[0].id
}

async fn sent(app: &TestApp, token: &str, conversation: Uuid, text: &str) -> Uuid {
    let answer = app.send_message(token, conversation, text).await;
    answer.ok(201).id
}

async fn unread(app: &TestApp, token: &str) -> (i64, i64) {
    let list = app.conversations(token).await.ok(200);
    (list.items[0].unread, list.total_unread)
}

async fn withdraw(app: &TestApp, token: &str, id: Uuid) -> Answer<Message> {
    let path = format!("/api/v1/messages/{id}/withdraw");
    app.call(Method::POST, &path, Some(token), None)
        .await
        .typed()
}

fn stored_messages(app: &TestApp) -> i64 {
    use boussole_api::schema::conversation_messages as m;
    m::table.count().get_result(&mut app.conn()).unwrap()
}

async fn api_key(app: &TestApp, admin: &str) -> String {
    let scopes = [ApiScope::UsersRead, ApiScope::AuditRead];
    app.api_key(admin, "k", &scopes).await
}

/// A demo app with a fresh bilan of Camille's with Karim, and its thread: (app, admin, Camille, Karim,
/// thread id).
async fn camille_and_karim(backend: Backend) -> (TestApp, String, String, String, Uuid, Uuid) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let camille = app.token(BENEFICIARY).await;
    let karim = app.token(CONSULTANT).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let conv = thread(&app, &camille).await;
    (app, admin, camille, karim, bilan, conv)
}

async fn only_the_beneficiary_and_the_assigned_consultants_reach_the_thread(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let camille = app.token(BENEFICIARY).await;
    let karim = app.token(CONSULTANT).await;
    let sophie = app.token("consultante2@boussole.test").await;
    let lucas = app.token("lucas.moreau@boussole.test").await;
    let key = api_key(&app, &admin).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let conv = thread(&app, &camille).await;
    assert_eq!(thread(&app, &karim).await, conv, "one thread per bilan");
    let with = app.conversations(&camille).await.ok(200);
    assert_eq!(with.items[0].bilan_id, Some(bilan));
    assert_eq!(with.items[0].with[0].first_name, "Karim");
    sent(&app, &camille, conv, "Bonjour Karim").await;
    for (who, token, status) in [
        ("admin", &admin, 403),
        ("API key", &key, 403),
        ("unassigned consultant", &sophie, 404),
        ("another beneficiary", &lucas, 404),
        ("beneficiary", &camille, 200),
        ("assigned consultant", &karim, 200),
    ] {
        let got = app.messages(token, conv).await;
        assert_eq!(got.status.as_u16(), status, "{who} reads: {}", got.body);
        let wrote = app.send_message(token, conv, "Intrus").await;
        let expected = if status == 200 { 201 } else { status };
        assert_eq!(
            wrote.status.as_u16(),
            expected,
            "{who} writes: {}",
            wrote.body
        );
    }
    // Admins list their direct threads only: never a bilan's.
    let theirs = app.conversations(&admin).await.ok(200);
    assert!(
        theirs
            .items
            .iter()
            .all(|t| t.kind == ConversationKind::Direct && t.id != conv),
        "{theirs:?}"
    );
    // Admins' stream opens for their notifications; it never carries a bilan thread (notifications.rs).
    let events = app
        .client
        .get(format!("{}/api/v1/events", app.base))
        .bearer_auth(&admin);
    assert_eq!(events.send().await.unwrap().status(), 200);
    let sophies = app.conversations(&sophie).await.ok(200);
    assert!(sophies.items.is_empty(), "{sophies:?}");
    let page = app.messages(&karim, conv).await.ok(200);
    assert_eq!(page.total, 3);
    assert_eq!(
        page.items[2].body.as_deref(),
        Some("Bonjour Karim"),
        "newest first"
    );
    assert_eq!(page.items[2].author.first_name, "Camille");
    // Karim's read is in Camille's access history.
    let access: AccessHistory = app
        .get_as(&format!("/api/v1/bilans/{bilan}/access"), &camille)
        .await
        .ok(200);
    assert!(
        access
            .entries
            .items
            .iter()
            .any(|e| e.what == AccessKind::Messages)
    );

    // The bilan moves to Sophie: Karim loses the thread at once, Sophie finds it with its history.
    let sophie_id = app.user_id(&admin, "consultante2@boussole.test").await;
    app.assign(&admin, bilan, sophie_id).await.expect(200);
    app.messages(&karim, conv).await.expect(404);
    app.send_message(&karim, conv, "Encore moi")
        .await
        .expect(404);
    let his = app.conversations(&karim).await.parse();
    assert!(his.items.is_empty(), "{his:?}");
    assert_eq!(app.messages(&sophie, conv).await.ok(200).total, 3);
    // An unknown thread is 404, for everyone.
    let unknown = "/api/v1/conversations/0190e0b4-0000-7000-8000-000000000000/messages";
    app.get(unknown, &camille).await.expect(404);
}

async fn bad_messages_are_refused_and_nothing_is_stored(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let camille = app.token(BENEFICIARY).await;
    open_bilan(&app, &admin, FundingMode::Cpf).await;
    let conv = thread(&app, &camille).await;
    let path = format!("/api/v1/conversations/{conv}/messages");
    // Raw JSON: a wrong field name is beyond what the DTO can say.
    for body in [
        json!({ "body": "" }),
        json!({ "body": "   \n " }),
        json!({ "body": "é".repeat(10_001) }),
        json!({ "body": "Voici le document", "attachment_id": "0190e0b4-0000-7000-8000-000000000000" }),
        json!({ "text": "pas le bon champ" }),
    ] {
        let answer = app.post(&path, Some(&camille), body.clone()).await;
        assert!(answer.status.is_client_error(), "{body}: {}", answer.status);
        answer.expect(400);
    }
    app.send_message(&camille, conv, &"é".repeat(10_000))
        .await
        .expect(201);
    assert_eq!(stored_messages(&app), 1, "only the valid message is stored");
    // An admin hears 403 whatever the body says.
    app.send_message(&admin, conv, "").await.expect(403);
    // A read receipt must name a message of this thread.
    let unknown = Uuid::parse_str("0190e0b4-0000-7000-8000-000000000000").unwrap();
    app.mark_read(&camille, conv, unknown).await.expect(400);
}

async fn unread_counts_follow_read_receipts_even_concurrent_ones(backend: Backend) {
    let (app, _, camille, karim, _, conv) = camille_and_karim(backend).await;
    let first = sent(&app, &karim, conv, "Un").await;
    sent(&app, &karim, conv, "Deux").await;
    let third = sent(&app, &karim, conv, "Trois").await;
    sent(&app, &camille, conv, "Ma réponse").await;
    assert_eq!(unread(&app, &camille).await, (3, 3));
    assert_eq!(
        unread(&app, &karim).await,
        (1, 1),
        "her answer, not his own messages"
    );
    // Two tabs send their receipts at once: whichever lands last, the mark ends on the third.
    let (a, b) = tokio::join!(
        app.mark_read(&camille, conv, first),
        app.mark_read(&camille, conv, third),
    );
    a.expect(200);
    b.expect(200);
    assert_eq!(unread(&app, &camille).await, (0, 0));
    // A late receipt does not move the mark back.
    let late = app.mark_read(&camille, conv, first).await.ok(200);
    assert_eq!(late.unread, 0);
    sent(&app, &karim, conv, "Quatre").await;
    assert_eq!(unread(&app, &camille).await, (1, 1));
    // Karim sees which of his messages were read.
    let page = app.messages(&karim, conv).await.ok(200);
    let read_by: Vec<(&str, bool)> = page
        .items
        .iter()
        .map(|m| (m.body.as_deref().unwrap(), m.read_by_others))
        .collect();
    assert_eq!(
        read_by,
        vec![
            ("Quatre", false),
            ("Ma réponse", false),
            ("Trois", true),
            ("Deux", true),
            ("Un", true)
        ]
    );
}

async fn only_the_author_edits_or_withdraws_and_only_for_ten_minutes(backend: Backend) {
    let (app, admin, camille, karim, _, conv) = camille_and_karim(backend).await;
    let id = sent(&app, &camille, conv, "Rendez-vous mardi").await;
    let other = app.edit_message(&karim, id, "Non").await.expect(403);
    assert_eq!(other.problem_type(), "urn:boussole:problem:not-author");
    app.edit_message(&admin, id, "Non").await.expect(403);
    app.edit_message(&camille, id, " ").await.expect(400);
    let edited = app
        .edit_message(&camille, id, "Rendez-vous mercredi")
        .await
        .ok(200);
    assert_eq!(edited.body.as_deref(), Some("Rendez-vous mercredi"));
    assert!(edited.edited_at.is_some());
    // Eleven minutes later on the server's clock, the window is closed.
    app.config.clock.advance(Duration::from_secs(11 * 60));
    let late = app.edit_message(&camille, id, "Jeudi").await.expect(422);
    assert_eq!(
        late.problem_type(),
        "urn:boussole:problem:edit-window-closed"
    );
    withdraw(&app, &camille, id).await.expect(422);
    // Within the window she withdraws: Karim sees the marker, not the text.
    let oops = sent(&app, &camille, conv, "Mauvais fil").await;
    withdraw(&app, &karim, oops).await.expect(403);
    let gone = withdraw(&app, &camille, oops).await.ok(200);
    assert_eq!(gone.body, None);
    app.edit_message(&camille, oops, "x").await.expect(422);
    let page = app.messages(&karim, conv).await.ok(200);
    assert!(page.items[0].withdrawn_at.is_some());
    assert_eq!(page.items[0].body, None);
    assert_eq!(page.items[1].body.as_deref(), Some("Rendez-vous mercredi"));
    assert_eq!(
        unread(&app, &karim).await.0,
        1,
        "a withdrawn message is not unread"
    );
}

fn outbox_to(app: &TestApp, email: &str) -> Vec<String> {
    use boussole_api::schema::outbox;
    outbox::table
        .filter(outbox::kind.eq("new_message"))
        .filter(outbox::recipient.eq(email))
        .select(outbox::body)
        .load(&mut app.conn())
        .unwrap()
}

async fn a_burst_of_messages_gives_one_email_without_the_content(backend: Backend) {
    let (app, _, camille, karim, _, conv) = camille_and_karim(backend).await;
    for text in ["Secret un", "Secret deux", "Secret trois"] {
        sent(&app, &karim, conv, text).await;
    }
    let queued = outbox_to(&app, BENEFICIARY);
    assert_eq!(queued.len(), 1, "one email for the burst");
    assert!(queued[0].contains("nouveau message de votre consultant"));
    assert!(!queued[0].contains("Secret"), "never the content");
    assert!(outbox_to(&app, CONSULTANT).is_empty());
    // A quarter of an hour later, the next message is told again.
    app.config.clock.advance(Duration::from_secs(16 * 60));
    sent(&app, &karim, conv, "Secret quatre").await;
    assert_eq!(outbox_to(&app, BENEFICIARY).len(), 2);
    sent(&app, &camille, conv, "Merci").await;
    let to_karim = outbox_to(&app, CONSULTANT);
    assert_eq!(to_karim.len(), 1);
    assert!(!to_karim[0].contains("Camille"), "not even who wrote");
    // The outbox delivers it (the development mailbox).
    let delivered = eventually(10, || {
        app.mailbox_now()
            .into_iter()
            .find(|m| m.to == BENEFICIARY && m.text.contains("nouveau message"))
    })
    .await;
    assert!(delivered.is_some_and(|m| !m.text.contains("Secret")));
}

async fn destroying_the_content_wipes_the_messages(backend: Backend) {
    use boussole_api::bilans::model::BilanRow;
    use boussole_api::schema::{bilans, conversation_messages as m};
    let (app, _, camille, karim, bilan, conv) = camille_and_karim(backend).await;
    sent(&app, &camille, conv, "Mon projet").await;
    sent(&app, &karim, conv, "Bien noté").await;
    let mut conn = app.conn();
    let mut row: BilanRow = bilans::table
        .find(bilan.to_string())
        .select(BilanRow::as_select())
        .first(&mut conn)
        .unwrap();
    boussole_api::bilans::lifecycle::destroy_content(
        &mut conn,
        &mut row,
        &boussole_api::journal::Actor::system(),
    )
    .unwrap();
    let bodies: Vec<Option<Vec<u8>>> = m::table.select(m::body).load(&mut conn).unwrap();
    assert_eq!(bodies.len(), 2);
    assert!(
        bodies.iter().all(Option::is_none),
        "ciphertexts removed with the key"
    );
    app.messages(&karim, conv).await.expect(422);
    app.send_message(&camille, conv, "Encore là ?")
        .await
        .expect(422);
    let left = app.conversations(&camille).await.parse();
    assert!(left.items.is_empty(), "{left:?}");
}

/// Reads the stream until `needle` shows (10 s at most); returns what was read.
pub async fn read_until(res: &mut reqwest::Response, buf: &mut String, needle: &str) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !buf.contains(needle) {
        match tokio::time::timeout_at(deadline, res.chunk()).await {
            Ok(Ok(Some(bytes))) => buf.push_str(&String::from_utf8_lossy(&bytes)),
            _ => return false,
        }
    }
    true
}

pub async fn stream(app: &TestApp, token: &str, last_event_id: Option<&str>) -> reqwest::Response {
    let mut req = app
        .client
        .get(format!("{}/api/v1/events", app.base))
        .bearer_auth(token);
    if let Some(id) = last_event_id {
        req = req.header("Last-Event-ID", id);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    res
}

async fn a_new_message_arrives_live_and_a_reconnection_catches_up(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let camille = app.token(BENEFICIARY).await;
    let karim = app.token(CONSULTANT).await;
    let sophie = app.token("consultante2@boussole.test").await;
    open_bilan(&app, &admin, FundingMode::Cpf).await;
    let conv = thread(&app, &camille).await;
    let mut live = stream(&app, &karim, None).await;
    let mut other = stream(&app, &sophie, None).await;
    let mut buf = String::new();
    // The opening snapshot: his counts.
    assert!(
        read_until(&mut live, &mut buf, "event: unread").await,
        "{buf}"
    );
    let message = sent(&app, &camille, conv, "Êtes-vous là ?").await;
    let id = message.to_string();
    assert!(read_until(&mut live, &mut buf, &id).await, "{buf}");
    let event = buf[buf.find("event: message").unwrap()..].to_string();
    assert!(event.contains("\"change\":\"created\""), "{event}");
    assert!(event.contains("\"unread\":1"), "{event}");
    assert!(
        !event.contains("Êtes-vous"),
        "the stream never carries the text"
    );
    let event_id = buf
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("id: "))
        .unwrap()
        .to_string();
    // Sophie is not in the thread: nothing about it reaches her stream.
    let mut seen = String::new();
    let _ = tokio::time::timeout(
        Duration::from_millis(500),
        read_until(&mut other, &mut seen, &id),
    )
    .await;
    assert!(!seen.contains(&id), "{seen}");
    drop(live);

    // Reconnecting (as after a restart) with the last id received: what changed since is replayed.
    app.edit_message(&camille, message, "Vous êtes là ?")
        .await
        .expect(200);
    let mut again = stream(&app, &karim, Some(&event_id)).await;
    let mut buf = String::new();
    assert!(
        read_until(&mut again, &mut buf, "\"change\":\"edited\"").await,
        "{buf}"
    );
    assert!(buf.contains(&id));
}

async fn camille_has_a_thread_with_karim_and_one_unread_message(backend: Backend) {
    let app = spawn_demo(backend).await;
    let mut conn = app.conn();
    boussole_api::seed::story::seed_demo_story(&mut conn, &app.config).unwrap();
    boussole_api::messages::demo::seed(&mut conn, &app.config).unwrap();
    let camille = app.token(BENEFICIARY).await;
    let list = app.conversations(&camille).await.ok(200);
    assert_eq!(list.total_unread, 1, "{list:?}");
    let conv = list.items.iter().find(|t| t.unread == 1).unwrap().id;
    let page = app.messages(&camille, conv).await.ok(200);
    assert_eq!(page.total, 5);
    assert_eq!(page.items[0].author.first_name, "Karim");
    let admin = app.token(ADMIN).await;
    app.messages(&admin, conv).await.expect(403);
}
