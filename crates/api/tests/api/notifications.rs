//! The notification centre (issue 14, item 4): each person reads and marks only their own, the
//! preferences choose the channels per kind (outbox rows counted), a burst of messages gives one
//! notification, one email and one SMS, the emission points (assignment, questionnaire, document,
//! appointment) say nothing of bilan content, live delivery over the served stream with catch-up,
//! and the demo's notifications.

use std::time::Duration;

use boussole_shared::appointments::AppointmentChange;
use boussole_shared::assessments::{Assessment, AssignInstrument};
use boussole_shared::auth::ApiScope;
use boussole_shared::bilans::SessionMode;
use boussole_shared::documents::DocumentKind;
use boussole_shared::notifications::{
    Notification, NotificationKind, NotificationPreference, NotificationPreferences,
    NotificationSummary,
};
use boussole_shared::users::{MePatch, User};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::documents::{demo_identity, issue, put_identity};
use crate::helpers::*;
use crate::messages::{read_until, stream};

on_both_backends!(
    each_person_reads_and_marks_only_their_own,
    preferences_choose_the_channels_of_each_kind,
    a_burst_of_messages_gives_one_notification_one_email_one_sms,
    every_emission_point_notifies_without_bilan_content,
    a_notification_arrives_live_and_a_reconnection_catches_up,
    every_demo_account_has_notifications_some_unread,
);

async fn list(app: &TestApp, token: &str) -> Vec<Notification> {
    app.notifications(token, "").await.ok(200).items
}

async fn unread(app: &TestApp, token: &str) -> i64 {
    let s: NotificationSummary = app
        .get_as("/api/v1/notifications/summary", token)
        .await
        .ok(200);
    s.unread
}

async fn read_all(app: &TestApp, token: &str) -> Answer<NotificationSummary> {
    app.post_as("/api/v1/notifications/read-all", Some(token), &json!({}))
        .await
}

fn pref(kind: NotificationKind, in_app: bool, email: bool, sms: bool) -> NotificationPreference {
    NotificationPreference {
        kind,
        in_app,
        email,
        sms,
    }
}

async fn put_prefs(
    app: &TestApp,
    token: &str,
    items: Vec<NotificationPreference>,
) -> Answer<NotificationPreferences> {
    let body = NotificationPreferences {
        items,
        sms_available: false,
    };
    app.put_as("/api/v1/notifications/preferences", token, &body)
        .await
}

async fn prefs(app: &TestApp, token: &str) -> NotificationPreferences {
    app.get_as("/api/v1/notifications/preferences", token)
        .await
        .ok(200)
}

/// The outbox rows of `kind` to `recipient` on `channel`: their bodies.
fn outbox(app: &TestApp, channel: &str, kind: &str, recipient: &str) -> Vec<String> {
    use boussole_api::schema::outbox as o;
    o::table
        .filter(o::channel.eq(channel))
        .filter(o::kind.eq(kind))
        .filter(o::recipient.eq(recipient))
        .select(o::body)
        .load(&mut app.conn())
        .unwrap()
}

fn of_kind(items: &[Notification], kind: NotificationKind) -> Vec<Notification> {
    items.iter().filter(|n| n.kind == kind).cloned().collect()
}

async fn thread(app: &TestApp, token: &str) -> Uuid {
    app.conversations(token).await.ok(200).items[0].id
}

async fn send(app: &TestApp, token: &str, conversation: Uuid, text: &str) {
    app.send_message(token, conversation, text)
        .await
        .expect(201);
}

const MOBILE: &str = "06 12 34 56 78";

async fn patch_me(app: &TestApp, token: &str, phone: Option<&str>, sms_reminders: bool) {
    let patch = MePatch {
        phone: phone.map(Into::into),
        sms_reminders: Some(sms_reminders),
        ..MePatch::default()
    };
    app.patch_as::<User>("/api/v1/me", token, &patch)
        .await
        .expect(200);
}

async fn opt_in_sms(app: &TestApp, token: &str) {
    patch_me(app, token, Some(MOBILE), true).await;
}

async fn each_person_reads_and_marks_only_their_own(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let camille = app.token(BENEFICIARY).await;
    let karim = app.token(CONSULTANT).await;
    let sophie = app.token("consultante2@boussole.test").await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;

    // Opening the bilan told the beneficiary and the consultant, each with their own link.
    let mine = list(&app, &camille).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0].kind, NotificationKind::ConsultantAssigned);
    assert_eq!(mine[0].link, "/beneficiaire");
    assert_eq!(mine[0].subject.as_deref(), Some("Karim Benali"));
    assert!(mine[0].read_at.is_none());
    let his = list(&app, &karim).await;
    assert_eq!(his.len(), 1);
    assert_eq!(his[0].link, format!("/bilans/{bilan}"));
    assert_eq!(his[0].subject.as_deref(), Some("Camille Durand"));
    assert!(list(&app, &sophie).await.is_empty());
    assert!(list(&app, &admin).await.is_empty());

    // Someone else's id, or an unknown one: 404, and hers stays unread.
    let camilles = mine[0].id.to_string();
    let read = |token: &str, id: &str| {
        let path = format!("/api/v1/notifications/{id}/read");
        let (app, token) = (&app, token.to_string());
        async move {
            app.post_as::<NotificationSummary>(&path, Some(&token), &json!({}))
                .await
        }
    };
    for token in [&karim, &sophie, &admin] {
        read(token, &camilles).await.expect(404);
    }
    read(&camille, &Uuid::now_v7().to_string())
        .await
        .expect(404);
    read(&camille, "not-a-uuid").await.expect(404);
    assert_eq!(unread(&app, &camille).await, 1);

    // Her own: read once, and reading again keeps the first time.
    let after = read(&camille, &camilles).await.ok(200);
    assert_eq!(after.unread, 0);
    let first = list(&app, &camille).await[0].read_at;
    assert!(first.is_some());
    read(&camille, &camilles).await.expect(200);
    assert_eq!(list(&app, &camille).await[0].read_at, first);
    assert_eq!(unread(&app, &karim).await, 1, "his is his own");

    // A second bilan: the filter, paging, and read-all touches only the caller's.
    open_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let unread_only = app.notifications(&camille, "?unread=true").await.ok(200);
    assert_eq!(unread_only.total, 1);
    let paged = app
        .notifications(&camille, "?per_page=1&page=2")
        .await
        .ok(200);
    assert_eq!(paged.total, 2);
    assert_eq!(paged.items[0].id.to_string(), camilles, "newest first");
    for bad in ["?unread=maybe", "?per_page=0", "?page=0"] {
        app.notifications(&camille, bad).await.expect(400);
    }
    let all = read_all(&app, &camille).await.ok(200);
    assert_eq!(all.unread, 0);
    assert_eq!(unread(&app, &karim).await, 2);

    // API keys are refused: notifications are addressed to people.
    let key = app.api_key(&admin, "k", &[ApiScope::UsersRead]).await;
    app.notifications(&key, "").await.expect(403);
}

async fn preferences_choose_the_channels_of_each_kind(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let camille = app.token(BENEFICIARY).await;
    let karim = app.token(CONSULTANT).await;

    // Defaults: every kind, in the app and by email, no SMS (none available yet).
    let defaults = prefs(&app, &camille).await;
    let items = &defaults.items;
    assert_eq!(items.len(), 8);
    assert!(items.iter().all(|i| i.in_app && i.email && !i.sms));
    assert!(!defaults.sms_available);

    // SMS without an opted-in mobile: 422 naming `sms`; an unknown kind, a kind twice: 400.
    let sms = vec![pref(NotificationKind::MessageReceived, true, true, true)];
    let refused = put_prefs(&app, &camille, sms).await.expect(422);
    assert!(
        refused.body.to_string().contains("\"sms\""),
        "{}",
        refused.body
    );
    // Raw JSON: an unknown kind, which the DTO cannot say.
    let unknown = json!({
        "items": [{ "kind": "weather", "in_app": true, "email": true, "sms": false }],
        "sms_available": false,
    });
    let path = "/api/v1/notifications/preferences";
    app.call(Method::PUT, path, Some(&camille), Some(unknown))
        .await
        .expect(400);
    let twice = vec![
        pref(NotificationKind::DocumentIssued, true, false, false),
        pref(NotificationKind::DocumentIssued, false, true, false),
    ];
    put_prefs(&app, &camille, twice).await.expect(400);
    let stored: i64 = {
        use boussole_api::schema::notification_preferences as p;
        p::table.count().get_result(&mut app.conn()).unwrap()
    };
    assert_eq!(stored, 0, "nothing stored by a refused change");

    // With her mobile: messages by SMS only, assignments in the app only.
    opt_in_sms(&app, &camille).await;
    let by_sms = pref(NotificationKind::MessageReceived, false, false, true);
    let chosen = vec![
        by_sms.clone(),
        pref(NotificationKind::ConsultantAssigned, true, false, false),
    ];
    let saved = put_prefs(&app, &camille, chosen).await.ok(200);
    assert!(saved.sms_available);
    let message = saved
        .items
        .iter()
        .find(|i| i.kind == NotificationKind::MessageReceived);
    assert_eq!(message, Some(&by_sms));

    open_bilan(&app, &admin, FundingMode::Cpf).await;
    let assigned = of_kind(
        &list(&app, &camille).await,
        NotificationKind::ConsultantAssigned,
    );
    assert_eq!(assigned.len(), 1);
    assert!(outbox(&app, "email", "bilan_opened", BENEFICIARY).is_empty());
    assert_eq!(
        outbox(&app, "email", "bilan_entrusted", CONSULTANT).len(),
        1,
        "his defaults"
    );
    let conv = thread(&app, &camille).await;
    send(&app, &karim, conv, "Bonjour Camille").await;
    let told = of_kind(
        &list(&app, &camille).await,
        NotificationKind::MessageReceived,
    );
    assert!(told.is_empty());
    assert!(outbox(&app, "email", "new_message", BENEFICIARY).is_empty());
    let texts = outbox(&app, "sms", "new_message", "06 12 34 56 78");
    assert_eq!(texts.len(), 1);
    assert!(!texts[0].contains("Bonjour Camille"));

    // The number gone, SMS shows off and is not sent, even though the choice is kept.
    patch_me(&app, &camille, None, false).await;
    let now = prefs(&app, &camille).await;
    assert!(!now.sms_available);
    assert!(now.items.iter().all(|i| !i.sms));
}

async fn a_burst_of_messages_gives_one_notification_one_email_one_sms(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let camille = app.token(BENEFICIARY).await;
    let karim = app.token(CONSULTANT).await;
    opt_in_sms(&app, &camille).await;
    let kind = NotificationKind::MessageReceived;
    put_prefs(&app, &camille, vec![pref(kind, true, true, true)])
        .await
        .expect(200);
    open_bilan(&app, &admin, FundingMode::Cpf).await;
    let conv = thread(&app, &camille).await;
    for i in 1..=5 {
        send(&app, &karim, conv, &format!("Secret numéro {i}")).await;
    }
    let told = of_kind(&list(&app, &camille).await, kind);
    assert_eq!(told.len(), 1, "one notification for the burst: {told:?}");
    assert_eq!(told[0].link, format!("/messages/{conv}"));
    assert_eq!(told[0].subject.as_deref(), Some("Karim Benali"));
    assert_eq!(outbox(&app, "email", "new_message", BENEFICIARY).len(), 1);
    assert_eq!(outbox(&app, "sms", "new_message", MOBILE).len(), 1);
    assert!(of_kind(&list(&app, &karim).await, kind).is_empty());
    // A quarter of an hour later, the next one is told again.
    app.config.clock.advance(Duration::from_secs(16 * 60));
    send(&app, &karim, conv, "Secret numéro 6").await;
    assert_eq!(of_kind(&list(&app, &camille).await, kind).len(), 2);
    assert_eq!(outbox(&app, "sms", "new_message", MOBILE).len(), 2);
    no_content_anywhere(&app, "Secret");
}

/// No notification row and no outbox row holds `needle`.
fn no_content_anywhere(app: &TestApp, needle: &str) {
    use boussole_api::schema::{notifications as n, outbox as o};
    let mut conn = app.conn();
    let rows: Vec<(String, Option<String>, String)> = n::table
        .select((n::title, n::subject, n::link))
        .load(&mut conn)
        .unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        assert!(!format!("{row:?}").contains(needle), "{row:?}");
    }
    let out: Vec<(String, String)> = o::table
        .select((o::subject, o::body))
        .load(&mut conn)
        .unwrap();
    for row in out {
        assert!(!format!("{row:?}").contains(needle), "{row:?}");
    }
}

async fn every_emission_point_notifies_without_bilan_content(backend: Backend) {
    let app = spawn_demo(backend).await;
    let s = setup(&app).await;
    let (camille, karim) = (&s.beneficiary, &s.consultant);

    // A questionnaire: which one is bilan content, so no text names it.
    let riasec = AssignInstrument {
        instrument_id: "riasec-markers-48".into(),
        version: None,
    };
    let path = format!("/api/v1/bilans/{}/assessments", s.bilan);
    let assigned: Assessment = app.post_as(&path, Some(karim), &riasec).await.ok(201);
    let id = assigned.id;
    let q = of_kind(
        &list(&app, camille).await,
        NotificationKind::QuestionnaireAssigned,
    );
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].link, format!("/beneficiaire/questionnaires/{id}"));
    let mail = outbox(&app, "email", "questionnaire_assigned", BENEFICIARY);
    assert_eq!(mail.len(), 1);
    for text in [to_json(&q[0]).to_string(), mail[0].clone()] {
        assert!(!text.to_lowercase().contains("riasec"), "{text}");
    }

    // An appointment booked by the consultant: both are told, with the appointment's page.
    let start = in_minutes(3 * 24 * 60);
    let booking = s.booking(start, SessionMode::OnSite, None);
    let id = app.book(karim, &booking).await.ok(201).id;
    for token in [camille, karim] {
        let a = of_kind(
            &list(&app, token).await,
            NotificationKind::AppointmentBooked,
        );
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].link, format!("/rendez-vous/{id}"));
    }
    let booked = of_kind(
        &list(&app, camille).await,
        NotificationKind::AppointmentBooked,
    );
    assert_eq!(booked[0].subject.as_deref(), Some("Karim Benali"));
    // Cancelled: both are told again, the emails still carry the calendar.
    let cancel = AppointmentChange::Cancel {
        reason: Some("Empêchement".into()),
    };
    app.change_appointment(camille, id, &cancel)
        .await
        .expect(200);
    for token in [camille, karim] {
        let cancelled = NotificationKind::AppointmentCancelled;
        assert_eq!(of_kind(&list(&app, token).await, cancelled).len(), 1);
    }
    let with_ics: i64 = {
        use boussole_api::schema::outbox as o;
        o::table
            .filter(o::kind.eq("appointment_cancelled"))
            .filter(o::ics.is_not_null())
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    assert_eq!(with_ics, 2);

    // A document issued: the beneficiary learns its kind.
    let admin = &s.admin;
    put_identity(&app, admin, demo_identity()).await.expect(200);
    issue(&app, karim, s.bilan, DocumentKind::PreContractInfo)
        .await
        .expect(201);
    let issued = NotificationKind::DocumentIssued;
    let d = of_kind(&list(&app, camille).await, issued);
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].title,
        "Nouveau document : Information préalable au contrat"
    );
    assert!(of_kind(&list(&app, karim).await, issued).is_empty());
}

/// The id line just before the frame that holds `needle`.
fn event_id_of(buf: &str, needle: &str) -> String {
    let at = buf.find(needle).unwrap();
    buf[..at]
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("id: "))
        .unwrap()
        .to_string()
}

async fn a_notification_arrives_live_and_a_reconnection_catches_up(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let camille = app.token(BENEFICIARY).await;
    let camille_too = app.token(BENEFICIARY).await;
    let karim = app.token(CONSULTANT).await;
    let sophie = app.token("consultante2@boussole.test").await;
    let mut live = stream(&app, &camille, None).await;
    let mut other = stream(&app, &sophie, None).await;
    // Admins have notifications too: their stream opens (never with bilan threads).
    let mut admins = stream(&app, &admin, None).await;
    let mut buf = String::new();
    assert!(
        read_until(&mut live, &mut buf, "event: notification_summary").await,
        "{buf}"
    );
    let mut seen = String::new();
    assert!(
        read_until(&mut admins, &mut seen, "\"unread\":0").await,
        "{seen}"
    );

    // The assignment reaches her stream after the commit.
    open_bilan(&app, &admin, FundingMode::Cpf).await;
    let first = list(&app, &camille).await[0].id.to_string();
    assert!(read_until(&mut live, &mut buf, &first).await, "{buf}");
    let frame = &buf[buf.find("event: notification\n").unwrap()..];
    assert!(
        frame.contains("\"kind\":\"consultant_assigned\""),
        "{frame}"
    );
    assert!(frame.contains("\"unread\":1"), "{frame}");

    // A message: the notification follows the message event.
    let conv = thread(&app, &camille).await;
    send(&app, &karim, conv, "Secret du jour").await;
    assert!(
        read_until(&mut live, &mut buf, "\"kind\":\"message_received\"").await,
        "{buf}"
    );
    assert!(!buf.contains("Secret"), "never the text");
    // Read in another tab: her bell follows.
    read_all(&app, &camille_too).await.expect(200);
    let mut after = String::new();
    assert!(
        read_until(&mut live, &mut after, "event: notification_summary").await,
        "{after}"
    );
    assert!(after.contains("{\"unread\":0}"), "{after}");
    // The admin's stream never carried the thread.
    let _ = tokio::time::timeout(
        Duration::from_millis(300),
        read_until(&mut admins, &mut seen, "event: message"),
    )
    .await;
    assert!(!seen.contains("event: message"), "{seen}");

    // Sophie hears nothing of Camille's.
    let mut theirs = String::new();
    let _ = tokio::time::timeout(
        Duration::from_millis(500),
        read_until(&mut other, &mut theirs, &first),
    )
    .await;
    assert!(!theirs.contains("event: notification\n"), "{theirs}");
    let last = event_id_of(&buf, "\"kind\":\"message_received\"");
    drop(live);

    // Reconnecting with the last id: what was notified since is replayed.
    open_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let newest = list(&app, &camille).await[0].id.to_string();
    let mut again = stream(&app, &camille, Some(&last)).await;
    let mut buf = String::new();
    assert!(read_until(&mut again, &mut buf, &newest).await, "{buf}");
    assert!(
        !buf.contains(&first),
        "older than the last id: not replayed"
    );
}

async fn every_demo_account_has_notifications_some_unread(backend: Backend) {
    use boussole_api::schema::{notifications as n, users};
    let app = spawn_demo(backend).await;
    let mut conn = app.conn();
    // What `boussole seed-demo` runs, in its order (but the documents and invoices, which need the
    // storage).
    let master = &app.config.master_key;
    boussole_api::seed::seed_demo_bilan(&mut conn, master).unwrap();
    boussole_api::seed::story::seed_demo_story(&mut conn, &app.config).unwrap();
    boussole_api::assessments::demo::seed_story(&mut conn, master).unwrap();
    boussole_api::projection::demo_story::seed_story(&mut conn, master).unwrap();
    boussole_api::messages::demo::seed(&mut conn, &app.config).unwrap();
    boussole_api::notifications::demo::seed(&mut conn, boussole_api::messages::store::participants)
        .unwrap();
    let people: Vec<(String, String)> = users::table
        .filter(users::is_active.eq(true))
        .select((users::id, users::email))
        .load(&mut conn)
        .unwrap();
    for (id, email) in people {
        let rows: Vec<Option<chrono::NaiveDateTime>> = n::table
            .filter(n::user_id.eq(&id))
            .select(n::read_at)
            .load(&mut conn)
            .unwrap();
        assert!(!rows.is_empty(), "{email} has notifications");
        assert!(rows.iter().any(Option::is_none), "{email} has unread ones");
        assert!(
            rows.iter().any(Option::is_some) || rows.len() == 1,
            "{email} has read ones"
        );
    }
    // Camille's unread message is an unread notification that opens her thread.
    let camille = app.token(BENEFICIARY).await;
    let unread = app
        .notifications(&camille, "?unread=true&per_page=100")
        .await
        .ok(200);
    let message = of_kind(&unread.items, NotificationKind::MessageReceived);
    assert_eq!(message.len(), 1, "{unread:?}");
    assert!(message[0].link.starts_with("/messages/"));
    assert_eq!(message[0].subject.as_deref(), Some("Karim Benali"));
    no_content_anywhere(&app, "questionnaire sur vos intérêts");
}
