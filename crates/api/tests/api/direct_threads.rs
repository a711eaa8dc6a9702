//! Direct threads between staff members (issue 14, item 1): one per pair, whoever opens it and
//! however many at once; only its two members read or write it (everyone else 404, API keys 403);
//! no attachments; texts sealed at rest; live delivery to an admin; admins still refused on bilan
//! threads.

use std::time::Duration;

use boussole_shared::auth::ApiScope;
use boussole_shared::bilans::PersonRef;
use boussole_shared::messages::{
    ConversationKind, ConversationSummary, Message, NewDirectConversation, NewMessage,
};
use diesel::prelude::*;
use serde_json::json;
use uuid::Uuid;

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
pub fn user_id(app: &TestApp, email: &str) -> Uuid {
    use boussole_api::schema::users;
    let id: String = users::table
        .filter(users::email.eq(email))
        .select(users::id)
        .first(&mut app.conn())
        .unwrap();
    id.parse().unwrap()
}

/// The direct thread with the person `with` (created on the first call: 201, then 200).
async fn open(app: &TestApp, token: &str, with: Uuid) -> Answer<ConversationSummary> {
    let body = NewDirectConversation { with };
    app.post_as("/api/v1/conversations", Some(token), &body)
        .await
}

async fn open_with(app: &TestApp, token: &str, email: &str) -> Answer<ConversationSummary> {
    open(app, token, user_id(app, email)).await
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

    let first = open_with(&app, &admin, CONSULTANT).await.ok(201);
    assert_eq!(first.kind, ConversationKind::Direct);
    assert!(first.bilan_id.is_none());
    assert_eq!(first.with[0].first_name, "Karim");
    let conv = first.id;
    // The same pair, from either side, at once or later: the same thread.
    let (a, b) = tokio::join!(
        open_with(&app, &karim, ADMIN),
        open_with(&app, &admin, CONSULTANT)
    );
    assert_eq!(a.ok(200).id, conv);
    assert_eq!(b.ok(200).id, conv);
    let (x, y) = tokio::join!(
        open_with(&app, &karim, SOPHIE),
        open_with(&app, &sophie, CONSULTANT)
    );
    assert_eq!(
        x.parse().id,
        y.parse().id,
        "two first calls at once: one thread"
    );
    let mut codes = [x.status.as_u16(), y.status.as_u16()];
    codes.sort();
    assert_eq!(codes, [200, 201]);

    let sent = app.send_message(&karim, conv, "Audit Qualiopi le 15").await;
    let mid = sent.ok(201).id;
    let list = app.conversations(&admin).await.ok(200);
    assert_eq!(list.total_unread, 1, "{list:?}");
    assert_eq!(list.items[0].id, conv);
    let page = app.messages(&admin, conv).await.ok(200);
    assert_eq!(page.items[0].body.as_deref(), Some("Audit Qualiopi le 15"));

    // Nobody else: a third staff member and every beneficiary hear 404, an API key 403.
    let key = app.api_key(&admin, "k", &[ApiScope::UsersRead]).await;
    for (who, token, status) in [
        ("third staff member", &sophie, 404),
        ("beneficiary", &camille, 404),
        ("another beneficiary", &lucas, 404),
        ("API key", &key, 403),
    ] {
        let read = app.messages(token, conv).await;
        assert_eq!(read.status.as_u16(), status, "{who} reads");
        let write = app.send_message(token, conv, "Intrus").await;
        assert_eq!(write.status.as_u16(), status, "{who} writes");
        let mark = app.mark_read(token, conv, mid).await;
        assert_eq!(mark.status.as_u16(), status, "{who} marks read");
        let edit = app.edit_message(token, mid, "Changé").await;
        assert_eq!(edit.status.as_u16(), status, "{who} edits");
    }
    assert_eq!(stored_messages(&app), 1, "nothing stored by the refused");
    let sophies = app.conversations(&sophie).await.ok(200);
    assert!(sophies.items.iter().all(|t| t.id != conv));

    // Read receipts and the edit window work as in a bilan's thread.
    let counts = app.mark_read(&admin, conv, mid).await.ok(200);
    assert_eq!(counts.unread, 0);
    let page = app.messages(&karim, conv).await.ok(200);
    assert!(page.items[0].read_by_others);
    app.edit_message(&admin, mid, "Non").await.expect(403);
    app.edit_message(&karim, mid, "Audit le 16")
        .await
        .expect(200);

    // Sealed at rest: the text is not in the database.
    use boussole_api::schema::conversation_messages as m;
    let body: Option<Vec<u8>> = m::table
        .find(mid.to_string())
        .select(m::body)
        .first(&mut app.conn())
        .unwrap();
    let body = body.unwrap();
    assert!(!body.windows(5).any(|w| w == b"Audit"));

    // An admin is still refused a bilan's thread.
    open_bilan(&app, &admin, FundingMode::Cpf).await;
    let list = app.conversations(&camille).await.ok(200);
    let bilan_thread = list.items[0].id;
    assert_eq!(list.items[0].kind, ConversationKind::Bilan);
    app.messages(&admin, bilan_thread).await.expect(403);
    let admins = app.conversations(&admin).await.ok(200);
    assert!(
        admins
            .items
            .iter()
            .all(|t| t.kind == ConversationKind::Direct)
    );
}

async fn a_direct_thread_is_only_between_active_staff_and_takes_no_attachment(backend: Backend) {
    let app = spawn_demo(backend).await;
    let karim = app.token(CONSULTANT).await;
    let camille = app.token(BENEFICIARY).await;

    let contacts: Vec<PersonRef> = app
        .get_as("/api/v1/conversations/contacts", &karim)
        .await
        .ok(200);
    let names: Vec<&str> = contacts.iter().map(|p| p.first_name.as_str()).collect();
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
        ("nobody", Uuid::now_v7()),
    ] {
        let answer = open(&app, &karim, with).await.expect(422);
        assert_eq!(missing(&answer), ["with"], "{what}");
    }
    // Raw JSON: a body without `with`, which the DTO cannot say.
    app.post("/api/v1/conversations", Some(&karim), json!({}))
        .await
        .expect(400);
    open_with(&app, &camille, CONSULTANT).await.expect(403);
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

    let conv = open_with(&app, &karim, ADMIN).await.ok(201).id;
    let body = NewMessage {
        body: "Ci-joint".into(),
        attachment_id: Some(Uuid::now_v7()),
    };
    let path = format!("/api/v1/conversations/{conv}/messages");
    let attached = app
        .post_as::<Message>(&path, Some(&karim), &body)
        .await
        .expect(422);
    assert_eq!(missing(&attached), ["attachment_id"]);
    assert_eq!(stored_messages(&app), 0);
}

async fn a_direct_message_reaches_an_admin_live(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let karim = app.token(CONSULTANT).await;
    let sophie = app.token(SOPHIE).await;
    let conv = open_with(&app, &karim, ADMIN).await.ok(201).id;
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
    let sent = app.send_message(&karim, conv, "Tu as un moment ?").await;
    let mid = sent.ok(201).id.to_string();
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
        let list = app.conversations(&token).await.ok(200);
        let direct: Vec<_> = list
            .items
            .iter()
            .filter(|t| t.kind == ConversationKind::Direct)
            .collect();
        assert!(direct.len() >= 2, "{email}: {list:?}");
        let page = app.messages(&token, direct[0].id).await.ok(200);
        let body = page.items[0].body.as_deref();
        assert!(body.is_some_and(|b| !b.is_empty()), "{body:?}");
    }
    let sophie = app.token(SOPHIE).await;
    let list = app.conversations(&sophie).await.ok(200);
    assert!(list.total_unread >= 1, "{list:?}");
}
