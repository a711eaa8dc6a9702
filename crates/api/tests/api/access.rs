//! Issue 10, items 2 and 4: an admin cannot read a bilan unseen by making themselves its consultant,
//! and a consultant removed by reassignment keeps nothing of the bilan's appointments.

use boussole_shared::Page;
use boussole_shared::access::{AccessEntry, AccessHistory, AccessKind};
use boussole_shared::appointments::{
    Appointment, AppointmentChange, AppointmentKind, AppointmentStatus, AttendanceAction,
    NewAppointment, VideoEvent,
};
use boussole_shared::bilans::{Bilan, NewNote, Phase, SessionMode};
use boussole_shared::users::Role;
use chrono::Duration;
use diesel::prelude::*;
use serde_json::json;
use uuid::Uuid;

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
async fn shadow_account(app: &TestApp, admin: &str) -> (Uuid, String) {
    let invite = invitation(SHADOW, Role::Consultant, "Olivier", "Ombre");
    let id = app.invite(admin, &invite).await.ok(201).user.id;
    let token = app.last_link_token(SHADOW, "/invitation").await;
    let password = "une ombre passe sous la porte";
    app.accept_invitation(&token, password).await.expect(200);
    (id, app.login(SHADOW, password).await.access_token)
}

async fn assign(app: &TestApp, admin: &str, bilan: Uuid, consultant_id: Uuid) {
    app.assign(admin, bilan, consultant_id).await.expect(200);
}

async fn an_admin_posing_as_consultant_is_seen_by_the_beneficiary(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let consultant_id = app.user_id(&admin, CONSULTANT).await;
    let bilan = open_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let notes = format!("/api/v1/bilans/{bilan}/notes");
    let access = format!("/api/v1/bilans/{bilan}/access");
    let note = NewNote {
        phase: Phase::Preliminary,
        session_id: None,
        body: "Confidences sur la santé".into(),
        shared_with_beneficiary: false,
    };
    app.add_note(&consultant, bilan, &note).await.expect(201);
    let pdf = crate::files::PDF.to_vec();
    let file = crate::files::upload(&app, &consultant, bilan, "bilan.pdf", pdf);
    let file_id = file.await.ok(201).id;
    // The beneficiary's own reads are not in the history; the assigned consultant's are.
    app.get(&notes, &beneficiary).await.expect(200);
    app.get(&notes, &consultant).await.expect(200);
    let before: AccessHistory = app.get_as(&access, &beneficiary).await.ok(200);
    assert_eq!(before.entries.total, 1, "{before:?}");
    assert_eq!(before.entries.items[0].reader.first_name, "Karim");

    // The attack: a second address, the bilan assigned to it, the notes read, the bilan given back.
    let (shadow_id, shadow) = shadow_account(&app, &admin).await;
    assign(&app, &admin, bilan, shadow_id).await;
    let read: Vec<boussole_shared::bilans::Note> = app.get_as(&notes, &shadow).await.ok(200);
    assert_eq!(read[0].body, "Confidences sur la santé");
    app.get(&format!("/api/v1/bilans/{bilan}/files"), &shadow)
        .await
        .expect(200);
    app.get(&format!("/api/v1/bilans/{bilan}/files/{file_id}"), &shadow)
        .await
        .expect(200);
    assign(&app, &admin, bilan, consultant_id).await;
    app.get(&notes, &shadow).await.expect(404);

    // Each assignment change reached the beneficiary, naming the consultant.
    let told = outbox_to(&app, BENEFICIARY, "bilan_assigned");
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(told[0].0.contains("Olivier Ombre"), "{told:?}");
    assert!(told[1].0.contains("Karim Benali"), "{told:?}");
    let timeline = app.timeline(&beneficiary, bilan).await.ok(200);
    // `details` is free-form JSON (one shape per event kind).
    let names: Vec<&str> = timeline
        .iter()
        .filter(|e| e.kind == "assignment")
        .map(|e| e.details["consultant_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Karim Benali", "Olivier Ombre", "Karim Benali"]);

    // The beneficiary sees the second account's reads by name, newest first, and who may read now.
    let seen: AccessHistory = app.get_as(&access, &beneficiary).await.ok(200);
    assert_eq!(seen.entries.total, 4, "{seen:?}");
    let shadow_reads: Vec<&AccessEntry> = seen
        .entries
        .items
        .iter()
        .filter(|e| e.reader.last_name == "Ombre")
        .collect();
    assert_eq!(shadow_reads.len(), 3);
    assert_eq!(
        shadow_reads[0].what,
        AccessKind::FileDownload,
        "newest first"
    );
    assert_eq!(shadow_reads[0].item_id, Some(file_id));
    assert_eq!(shadow_reads[1].what, AccessKind::Files);
    assert_eq!(shadow_reads[2].what, AccessKind::Notes);
    assert_eq!(shadow_reads[2].reader_role, Role::Consultant);
    let readers: Vec<(&str, Role)> = seen
        .readers
        .iter()
        .map(|r| (r.person.first_name.as_str(), r.role))
        .collect();
    assert_eq!(
        readers,
        [("Camille", Role::Beneficiary), ("Karim", Role::Consultant)]
    );
    let page: AccessHistory = app
        .get_as(&format!("{access}?per_page=1&page=3"), &beneficiary)
        .await
        .ok(200);
    assert_eq!(page.entries.items[0].what, AccessKind::Notes);

    // Nobody else reads the history, not even the admin or the consultant.
    for token in [&admin, &consultant, &shadow] {
        app.get(&access, token).await.expect(403);
    }

    // The report: journaled, every active admin alerted without content, once per entry.
    let entry = shadow_reads[2].id;
    let report = format!("{access}/{entry}/report");
    let reported: AccessEntry = app
        .post_as(&report, Some(&beneficiary), &json!({}))
        .await
        .ok(200);
    assert!(reported.reported_at.is_some());
    let alerts = outbox_to(&app, ADMIN, "access_reported");
    assert_eq!(alerts.len(), 1);
    assert!(alerts[0].1.contains(&bilan.to_string()));
    for secret in ["Confidences", "Ombre", "Camille", "Durand"] {
        assert!(!alerts[0].1.contains(secret), "{alerts:?}");
    }
    let journal = app
        .get("/api/v1/audit?action=bilan.access_report", &admin)
        .await
        .expect(200);
    assert_eq!(journal.body["total"], 1);
    assert_eq!(
        journal.body["items"][0]["details"]["reader_id"],
        shadow_id.to_string()
    );
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
    let again: AccessEntry = app
        .post_as(&report, Some(&beneficiary), &json!({}))
        .await
        .ok(200);
    assert_eq!(again.reported_at, reported.reported_at);
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
        consultant_id: app.user_id(&admin, CONSULTANT).await,
        consultant: app.token(CONSULTANT).await,
        beneficiary: app.token(BENEFICIARY).await,
        bilan: open_bilan(&app, &admin, FundingMode::Cpf).await,
        admin,
    };
    let successor = app.token("consultante2@boussole.test").await;
    let successor_id = app.user_id(&s.admin, "consultante2@boussole.test").await;
    let start = in_minutes(3 * 24 * 60);
    let information = |t| NewAppointment {
        kind: AppointmentKind::Information,
        ..s.booking(t, SessionMode::Remote, Some(45))
    };
    let handed = app
        .book(&s.consultant, &information(start))
        .await
        .ok(201)
        .id;
    let clashing = information(start + Duration::hours(3));
    let clashing = app.book(&s.consultant, &clashing).await.ok(201).id;
    // The successor is busy when the second one takes place: it cannot follow and is cancelled.
    let other = open_bilan_for(&app, &s.admin, "lucas.moreau@boussole.test", successor_id).await;
    let busy = NewAppointment {
        bilan_id: other,
        consultant_id: successor_id,
        ..information(start + Duration::hours(3))
    };
    app.book(&successor, &busy).await.expect(201);

    assign(&app, &s.admin, s.bilan, successor_id).await;

    let path = format!("/api/v1/appointments/{handed}");
    // The removed consultant: no appointment, no video, no attendance, no move, not in their list.
    app.appointment(&s.consultant, handed).await.expect(404);
    app.attendance(&s.consultant, handed).await.expect(404);
    let sign = AttendanceAction::Sign { code: None };
    app.attend(&s.consultant, handed, &sign).await.expect(404);
    let join = VideoEvent {
        event: "join".into(),
    };
    app.post_as::<()>(&format!("{path}/video"), Some(&s.consultant), &join)
        .await
        .expect(404);
    let cancel = AppointmentChange::Cancel {
        reason: Some("je garde la main".into()),
    };
    app.change_appointment(&s.consultant, handed, &cancel)
        .await
        .expect(404);
    // Not even the cancelled one, which still names them as its consultant: access follows the
    // bilan's assignment, not the appointment's row.
    app.appointment(&s.consultant, clashing).await.expect(404);
    app.attendance(&s.consultant, clashing).await.expect(404);
    let listed: Page<Appointment> = app
        .get_as("/api/v1/appointments", &s.consultant)
        .await
        .ok(200);
    assert_eq!(listed.total, 0, "{listed:?}");

    // The successor leads the first one; the second is cancelled; everyone was told.
    let now_theirs = app.appointment(&successor, handed).await.ok(200);
    assert_eq!(now_theirs.consultant.first_name, "Sophie");
    assert_eq!(now_theirs.status, AppointmentStatus::Booked);
    let cancelled = app.appointment(&s.beneficiary, clashing).await.ok(200);
    assert_eq!(cancelled.status, AppointmentStatus::Cancelled);
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
            .filter(outbox::appointment_id.eq(handed.to_string()))
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
    app.appointment(&s.beneficiary, handed).await.expect(200);
    let later = AppointmentChange::Move {
        starts_at: Some((start + Duration::days(1)).and_utc()),
        local_start: None,
    };
    app.change_appointment(&successor, handed, &later)
        .await
        .expect(200);
}

/// A bilan of another demo beneficiary, followed by `consultant_id`.
async fn open_bilan_for(app: &TestApp, admin: &str, email: &str, consultant_id: Uuid) -> Uuid {
    let beneficiary_id = app.user_id(admin, email).await;
    let body = new_bilan(beneficiary_id, consultant_id, FundingMode::SelfFunded);
    app.create_bilan(admin, &body).await.ok(201).id
}

async fn the_demo_shows_its_beneficiary_who_read_the_file(backend: Backend) {
    let app = spawn_demo(backend).await;
    boussole_api::seed::seed_demo_bilan(&mut app.conn(), &app.config.master_key).unwrap();
    let lucas = app.token("lucas.moreau@boussole.test").await;
    let bilans: Page<Bilan> = app.get_as("/api/v1/bilans", &lucas).await.ok(200);
    let bilan = bilans.items[0].id;
    let seen: AccessHistory = app
        .get_as(&format!("/api/v1/bilans/{bilan}/access"), &lucas)
        .await
        .ok(200);
    assert_eq!(seen.entries.total, 2, "{seen:?}");
    assert_eq!(seen.entries.items[0].reader.first_name, "Karim");
}
