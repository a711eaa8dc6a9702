//! Issue 10, items 2 and 4: an admin cannot read a bilan unseen by making themselves its consultant,
//! and a consultant removed by reassignment keeps nothing of the bilan's appointments.

use chrono::Duration;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::appointments::{Setup, book, id_of, in_minutes};
use crate::bilans::open_bilan;
use crate::helpers::*;

on_both_backends!(
    an_admin_posing_as_consultant_is_seen_by_the_beneficiary,
    a_removed_consultant_loses_the_appointments_which_follow_the_bilan,
    the_demo_shows_its_beneficiary_who_read_the_file,
);

const SHADOW: &str = "ombre@example.org";

fn outbox_to(app: &TestApp, recipient: &str, kind: &str) -> Vec<(String, String)> {
    use boussole_api::schema::outbox;
    outbox::table
        .filter(outbox::recipient.eq(recipient))
        .filter(outbox::kind.eq(kind))
        .order(outbox::created_at.asc())
        .select((outbox::subject, outbox::body))
        .load(&mut app.conn())
        .unwrap()
}

/// The admin invites a second address as a consultant, which accepts and logs in.
async fn shadow_account(app: &TestApp, admin: &str) -> (String, String) {
    let invite = json!({ "email": SHADOW, "role": "consultant", "first_name": "Olivier", "last_name": "Ombre" });
    let created = app
        .post("/api/v1/invitations", Some(admin), invite)
        .await
        .expect(201);
    let id = created.body["user"]["id"].as_str().unwrap().to_string();
    let token = app.last_link_token(SHADOW, "/invitation").await;
    let password = "une ombre passe sous la porte";
    app.post(
        "/api/v1/invitations/accept",
        None,
        json!({ "token": token, "password": password }),
    )
    .await
    .expect(200);
    (id, app.login(SHADOW, password).await.access_token)
}

async fn assign(app: &TestApp, admin: &str, bilan: &str, consultant_id: &str) {
    app.post(
        &format!("/api/v1/bilans/{bilan}/assignments"),
        Some(admin),
        json!({ "consultant_id": consultant_id }),
    )
    .await
    .expect(200);
}

async fn an_admin_posing_as_consultant_is_seen_by_the_beneficiary(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let consultant_id = id_of(&app, &admin, CONSULTANT).await;
    let bilan = open_bilan(&app, &admin, "self_funded").await;
    let notes = format!("/api/v1/bilans/{bilan}/notes");
    let access = format!("/api/v1/bilans/{bilan}/access");
    app.post(
        &notes,
        Some(&consultant),
        json!({ "phase": "preliminary", "body": "Confidences sur la santé", "shared_with_beneficiary": false }),
    )
    .await
    .expect(201);
    let file = crate::files::upload(
        &app,
        &consultant,
        &bilan,
        "bilan.pdf",
        crate::files::PDF.to_vec(),
    )
    .await
    .expect(201);
    let file_id = file.body["id"].as_str().unwrap().to_string();
    // The beneficiary's own reads are not in the history; the assigned consultant's are.
    app.get(&notes, &beneficiary).await.expect(200);
    app.get(&notes, &consultant).await.expect(200);
    let before = app.get(&access, &beneficiary).await.expect(200);
    assert_eq!(before.body["entries"]["total"], 1, "{}", before.body);
    assert_eq!(
        before.body["entries"]["items"][0]["reader"]["first_name"],
        "Karim"
    );

    // The attack: a second address, the bilan assigned to it, the notes read, the bilan given back.
    let (shadow_id, shadow) = shadow_account(&app, &admin).await;
    assign(&app, &admin, &bilan, &shadow_id).await;
    let read = app.get(&notes, &shadow).await.expect(200);
    assert_eq!(read.body[0]["body"], "Confidences sur la santé");
    app.get(&format!("/api/v1/bilans/{bilan}/files"), &shadow)
        .await
        .expect(200);
    app.get(&format!("/api/v1/bilans/{bilan}/files/{file_id}"), &shadow)
        .await
        .expect(200);
    assign(&app, &admin, &bilan, &consultant_id).await;
    app.get(&notes, &shadow).await.expect(404);

    // Each assignment change reached the beneficiary, naming the consultant.
    let told = outbox_to(&app, BENEFICIARY, "bilan_assigned");
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(told[0].0.contains("Olivier Ombre"), "{told:?}");
    assert!(told[1].0.contains("Karim Benali"), "{told:?}");
    let timeline = app
        .get(&format!("/api/v1/bilans/{bilan}/timeline"), &beneficiary)
        .await
        .expect(200);
    let names: Vec<&str> = timeline
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "assignment")
        .map(|e| e["details"]["consultant_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Karim Benali", "Olivier Ombre", "Karim Benali"]);

    // The beneficiary sees the second account's reads by name, newest first, and who may read now.
    let seen = app.get(&access, &beneficiary).await.expect(200);
    let items = seen.body["entries"]["items"].as_array().unwrap().clone();
    assert_eq!(seen.body["entries"]["total"], 4, "{}", seen.body);
    let shadow_reads: Vec<&Value> = items
        .iter()
        .filter(|e| e["reader"]["last_name"] == "Ombre")
        .collect();
    assert_eq!(shadow_reads.len(), 3);
    assert_eq!(shadow_reads[0]["what"], "file_download", "newest first");
    assert_eq!(shadow_reads[0]["item_id"], file_id.as_str());
    assert_eq!(shadow_reads[1]["what"], "files");
    assert_eq!(shadow_reads[2]["what"], "notes");
    assert_eq!(shadow_reads[2]["reader_role"], "consultant");
    let readers: Vec<(&str, &str)> = seen.body["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["person"]["first_name"].as_str().unwrap(),
                r["role"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        readers,
        [("Camille", "beneficiary"), ("Karim", "consultant")]
    );
    let page = app
        .get(&format!("{access}?per_page=1&page=3"), &beneficiary)
        .await
        .expect(200);
    assert_eq!(page.body["entries"]["items"][0]["what"], "notes");

    // Nobody else reads the history, not even the admin or the consultant.
    for token in [&admin, &consultant, &shadow] {
        app.get(&access, token).await.expect(403);
    }

    // The report: journaled, every active admin alerted without content, once per entry.
    let entry = shadow_reads[2]["id"].as_str().unwrap();
    let report = format!("{access}/{entry}/report");
    let reported = app
        .post(&report, Some(&beneficiary), json!({}))
        .await
        .expect(200);
    assert!(reported.body["reported_at"].is_string());
    let alerts = outbox_to(&app, ADMIN, "access_reported");
    assert_eq!(alerts.len(), 1);
    assert!(alerts[0].1.contains(&bilan));
    for secret in ["Confidences", "Ombre", "Camille", "Durand"] {
        assert!(!alerts[0].1.contains(secret), "{alerts:?}");
    }
    let journal = app
        .get("/api/v1/audit?action=bilan.access_report", &admin)
        .await
        .expect(200);
    assert_eq!(journal.body["total"], 1);
    assert_eq!(journal.body["items"][0]["details"]["reader_id"], shadow_id);
    // The report is not on the timeline, which the consultant reads: the one questioned is not warned.
    let timeline = app
        .get(&format!("/api/v1/bilans/{bilan}/timeline"), &consultant)
        .await
        .expect(200);
    assert!(
        !timeline.body.to_string().contains("access_report"),
        "{}",
        timeline.body
    );
    let again = app
        .post(&report, Some(&beneficiary), json!({}))
        .await
        .expect(200);
    assert_eq!(again.body["reported_at"], reported.body["reported_at"]);
    assert_eq!(outbox_to(&app, ADMIN, "access_reported").len(), 1);
    app.post(&report, Some(&shadow), json!({}))
        .await
        .expect(403);
    app.post(
        &format!("{access}/{}/report", uuid::Uuid::new_v4()),
        Some(&beneficiary),
        json!({}),
    )
    .await
    .expect(404);
}

async fn a_removed_consultant_loses_the_appointments_which_follow_the_bilan(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let s = Setup {
        consultant_id: id_of(&app, &admin, CONSULTANT).await,
        consultant: app.token(CONSULTANT).await,
        beneficiary: app.token(BENEFICIARY).await,
        bilan: open_bilan(&app, &admin, "cpf").await,
        admin,
    };
    let successor = app.token("consultante2@boussole.test").await;
    let successor_id = id_of(&app, &s.admin, "consultante2@boussole.test").await;
    let start = in_minutes(3 * 24 * 60);
    let book_at = |t| {
        book(
            &app,
            &s.consultant,
            &s,
            t,
            "remote",
            json!({ "kind": "information", "duration_minutes": 45 }),
        )
    };
    let handed = book_at(start).await.expect(201).body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let clashing = book_at(start + Duration::hours(3)).await.expect(201).body["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The successor is busy when the second one takes place: it cannot follow and is cancelled.
    let other = open_bilan_for(&app, &s.admin, "lucas.moreau@boussole.test", &successor_id).await;
    let busy = json!({
        "bilan_id": other, "consultant_id": successor_id, "kind": "information",
        "starts_at": crate::appointments::fmt(start + Duration::hours(3)), "mode": "remote", "duration_minutes": 45,
    });
    app.post("/api/v1/appointments", Some(&successor), busy)
        .await
        .expect(201);

    assign(&app, &s.admin, &s.bilan, &successor_id).await;

    let path = format!("/api/v1/appointments/{handed}");
    // The removed consultant: no appointment, no video, no attendance, no move, not in their list.
    app.get(&path, &s.consultant).await.expect(404);
    app.get(&format!("{path}/attendance"), &s.consultant)
        .await
        .expect(404);
    app.post(
        &format!("{path}/attendance"),
        Some(&s.consultant),
        json!({ "action": "sign", "code": null }),
    )
    .await
    .expect(404);
    app.call(
        reqwest::Method::POST,
        &format!("{path}/video"),
        Some(&s.consultant),
        Some(json!({ "event": "join" })),
    )
    .await
    .expect(404);
    app.patch(
        &path,
        &s.consultant,
        json!({ "action": "cancel", "reason": "je garde la main" }),
    )
    .await
    .expect(404);
    // Not even the cancelled one, which still names them as its consultant: access follows the
    // bilan's assignment, not the appointment's row.
    let kept = format!("/api/v1/appointments/{clashing}");
    app.get(&kept, &s.consultant).await.expect(404);
    app.get(&format!("{kept}/attendance"), &s.consultant)
        .await
        .expect(404);
    let listed = app
        .get("/api/v1/appointments", &s.consultant)
        .await
        .expect(200);
    assert_eq!(listed.body["total"], 0, "{}", listed.body);

    // The successor leads the first one; the second is cancelled; everyone was told.
    let now_theirs = app.get(&path, &successor).await.expect(200);
    assert_eq!(now_theirs.body["consultant"]["first_name"], "Sophie");
    assert_eq!(now_theirs.body["status"], "booked");
    let cancelled = app
        .get(&format!("/api/v1/appointments/{clashing}"), &s.beneficiary)
        .await
        .expect(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    let reassigned = |to: &str| outbox_to(&app, to, "appointment_reassigned");
    assert_eq!(reassigned(CONSULTANT).len(), 1);
    assert!(
        reassigned(CONSULTANT)[0]
            .1
            .contains("ne vous est plus attribué")
    );
    assert_eq!(reassigned(BENEFICIARY).len(), 1);
    assert!(reassigned(BENEFICIARY)[0].1.contains("Sophie Lefèvre"));
    assert_eq!(reassigned("consultante2@boussole.test").len(), 1);
    assert_eq!(
        outbox_to(&app, CONSULTANT, "appointment_cancelled").len(),
        1
    );
    assert_eq!(
        outbox_to(&app, BENEFICIARY, "appointment_cancelled").len(),
        1
    );
    // The reminders still to come name the new consultant, never the removed one.
    let reminders: Vec<String> = {
        use boussole_api::schema::outbox;
        outbox::table
            .filter(outbox::appointment_id.eq(&handed))
            .filter(outbox::kind.like("reminder%"))
            .filter(outbox::status.eq("pending"))
            .select(outbox::body)
            .load(&mut app.conn())
            .unwrap()
    };
    assert!(!reminders.is_empty());
    assert!(
        reminders.iter().all(|b| b.contains("Sophie Lefèvre")),
        "{reminders:?}"
    );
    // The successor may move it; the beneficiary still sees it.
    app.get(&path, &s.beneficiary).await.expect(200);
    app.patch(
        &path,
        &successor,
        json!({ "action": "move", "starts_at": crate::appointments::fmt(start + Duration::days(1)) }),
    )
    .await
    .expect(200);
}

/// A bilan of another demo beneficiary, followed by `consultant_id`.
async fn open_bilan_for(app: &TestApp, admin: &str, email: &str, consultant_id: &str) -> String {
    let body = json!({
        "beneficiary_id": id_of(app, admin, email).await,
        "consultant_id": consultant_id,
        "funding": "self_funded", "format": "mixed", "planned_hours": 20,
    });
    let created = app
        .post("/api/v1/bilans", Some(admin), body)
        .await
        .expect(201);
    created.body["id"].as_str().unwrap().to_string()
}

async fn the_demo_shows_its_beneficiary_who_read_the_file(backend: Backend) {
    let app = spawn_demo(backend).await;
    boussole_api::seed::seed_demo_bilan(&mut app.conn(), &app.config.master_key).unwrap();
    let lucas = app.token("lucas.moreau@boussole.test").await;
    let bilans = app.get("/api/v1/bilans", &lucas).await.expect(200);
    let bilan = bilans.body["items"][0]["id"].as_str().unwrap();
    let seen = app
        .get(&format!("/api/v1/bilans/{bilan}/access"), &lucas)
        .await
        .expect(200);
    assert_eq!(seen.body["entries"]["total"], 2, "{}", seen.body);
    assert_eq!(
        seen.body["entries"]["items"][0]["reader"]["first_name"],
        "Karim"
    );
}
