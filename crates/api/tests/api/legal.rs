//! Legal rules the workflow must not let slip (issue 10, items 11 to 14): no session before the
//! contract or after the end, each funding mode's own document, the 13-hour minimum when the
//! organisation makes it blocking, and no content kept for ever after completion.

use boussole_shared::Page;
use boussole_shared::appointments::{
    AppointmentChange, AppointmentKind, AppointmentStatus, AttendanceAction, NewAppointment,
};
use boussole_shared::audit::AuditEntry;
use boussole_shared::bilans::BilanStatus::*;
use boussole_shared::bilans::FactKind::*;
use boussole_shared::bilans::SessionKind::*;
use boussole_shared::bilans::{Bilan, Consent, ConsentKind, Fact, NewConsent, Note, SessionMode};
use boussole_shared::conditions::Condition as C;
use chrono::{Duration, Months, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::bilans::{note, raw_note_bytes, session};
use crate::helpers::*;

on_both_backends!(
    sessions_are_not_booked_held_or_counted_before_the_contract_or_after_the_end,
    france_travail_starts_on_the_kairos_quote_without_an_individual_contract,
    the_13_hour_minimum_blocks_completion_when_the_organisation_says_so,
    a_bilan_left_completed_closes_by_itself_and_its_content_is_destroyed,
    withdrawing_a_retention_agreement_destroys_at_once_what_it_kept,
    the_demo_bilan_runs_lawfully_so_its_sessions_can_be_held,
);

fn not_running<T>(answer: &Answer<T>) {
    assert!(
        answer.problem_type().ends_with("bilan-not-running"),
        "{}",
        answer.body
    );
}

async fn bilan_of(app: &TestApp, token: &str, bilan: Uuid) -> Bilan {
    app.bilan(token, bilan).await.ok(200)
}

async fn sessions_are_not_booked_held_or_counted_before_the_contract_or_after_the_end(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let s = Setup {
        bilan: open_bilan(&app, &admin, FundingMode::Cpf).await,
        consultant_id: app.user_id(&admin, CONSULTANT).await,
        consultant: app.token(CONSULTANT).await,
        beneficiary: app.token(BENEFICIARY).await,
        admin,
    };
    // A request: no consent, no accepted CPF file yet. No session is recorded nor booked…
    for kind in [Accompaniment, PersonalWork] {
        not_running(
            &session(&app, &s.consultant, s.bilan, kind, 2, 2)
                .await
                .expect(422),
        );
    }
    let day = in_minutes(2 * 24 * 60);
    let session_at = |start| s.booking(start, SessionMode::Remote, Some(60));
    let early = app.book(&s.consultant, &session_at(day)).await.expect(422);
    not_running(&early);
    // …but the information interview stays free.
    let information = NewAppointment {
        kind: AppointmentKind::Information,
        ..s.booking(day, SessionMode::Remote, Some(45))
    };
    app.book(&s.consultant, &information).await.expect(201);
    assert_eq!(
        bilan_of(&app, &s.consultant, s.bilan)
            .await
            .accompaniment_minutes,
        0
    );

    // Once started lawfully, sessions are recorded and booked.
    start(&app, &s.admin, s.bilan, FundingMode::Cpf).await;
    session(&app, &s.consultant, s.bilan, Accompaniment, 2, 1)
        .await
        .expect(201);
    let soon = session_at(in_minutes(10));
    let id = app.book(&s.consultant, &soon).await.ok(201).id;
    let sign = AttendanceAction::Sign { code: None };
    app.attend(&s.beneficiary, id, &sign).await.expect(200);

    // Abandoned: the booked session is neither held nor moved, and nothing more is counted.
    abandon(&app, &s.consultant, s.bilan, "Reprise d'emploi").await;
    not_running(&app.attend(&s.consultant, id, &sign).await.expect(422));
    let sheet = app.attendance(&s.consultant, id).await.ok(200);
    assert_eq!(sheet.status, AppointmentStatus::Booked);
    assert_eq!(sheet.signatures.len(), 1);
    let later = in_minutes(3 * 24 * 60);
    let move_later = AppointmentChange::Move {
        starts_at: Some(later.and_utc()),
        local_start: None,
    };
    not_running(
        &app.change_appointment(&s.consultant, id, &move_later)
            .await
            .expect(422),
    );
    not_running(
        &session(&app, &s.consultant, s.bilan, Accompaniment, 3, 1)
            .await
            .expect(422),
    );
    not_running(
        &app.book(&s.consultant, &session_at(later))
            .await
            .expect(422),
    );
    let shown = bilan_of(&app, &s.consultant, s.bilan).await;
    assert_eq!(
        shown.accompaniment_minutes, 60,
        "only the session held while it ran"
    );
}

async fn france_travail_starts_on_the_kairos_quote_without_an_individual_contract(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = open_bilan(&app, &admin, FundingMode::FranceTravail).await;
    fact(&app, &admin, bilan, PreContractInfo, days_ago(20)).await;
    let start = consent_of(ConsentKind::Start);
    app.consent(&beneficiary, bilan, &start).await.expect(201);
    let gate = move_to(&app, &consultant, bilan, Preliminary)
        .await
        .expect(422);
    assert_eq!(conditions(&gate), [C::KairosQuoteAccepted]);
    // An individual contract is not France Travail's document: it opens nothing.
    fact(&app, &admin, bilan, IndividualContractSigned, days_ago(15)).await;
    move_to(&app, &consultant, bilan, Preliminary)
        .await
        .expect(422);
    fact(&app, &admin, bilan, KairosQuoteAccepted, days_ago(2)).await;
    move_to(&app, &consultant, bilan, Preliminary)
        .await
        .expect(200);
    // Every funding mode starts on its own document, as the table says.
    for funding in [
        FundingMode::Cpf,
        FundingMode::Employer,
        FundingMode::Reclassement,
        FundingMode::SelfFunded,
        FundingMode::Mixed,
    ] {
        let other = open_bilan(&app, &admin, funding).await;
        fact(&app, &admin, other, PreContractInfo, days_ago(20)).await;
        let wrong = if start_document(funding) == KairosQuoteAccepted {
            CpfFileAccepted
        } else {
            KairosQuoteAccepted
        };
        fact(&app, &admin, other, wrong, days_ago(15)).await;
        app.consent(&beneficiary, other, &start).await.expect(201);
        move_to(&app, &consultant, other, Preliminary)
            .await
            .expect(422);
        fact(&app, &admin, other, start_document(funding), days_ago(15)).await;
        move_to(&app, &consultant, other, Preliminary)
            .await
            .expect(200);
    }
}

/// Walks a started bilan through the phases up to the conclusions, every fact recorded.
async fn to_conclusion(app: &TestApp, consultant: &str, bilan: Uuid) {
    for kind in [NeedsAnalysis, PersonalisedObjectives, AgreedArrangements] {
        fact(app, consultant, bilan, kind, days_ago(10)).await;
    }
    move_to(app, consultant, bilan, Investigation)
        .await
        .expect(200);
    move_to(app, consultant, bilan, Conclusion)
        .await
        .expect(200);
    for kind in [
        ResultsAppropriated,
        ProjectConditions,
        ProjectSteps,
        SyntheseDelivered,
    ] {
        fact(app, consultant, bilan, kind, days_ago(5)).await;
    }
}

async fn the_13_hour_minimum_blocks_completion_when_the_organisation_says_so(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = start_bilan(&app, &admin, FundingMode::Cpf).await;
    session(&app, &consultant, bilan, Accompaniment, 2, 2)
        .await
        .expect(201);
    to_conclusion(&app, &consultant, bilan).await;

    let settings = "/api/v1/settings/security";
    app.patch(settings, &consultant, json!({ "min_hours_blocking": true }))
        .await
        .expect(403);
    let saved = app
        .patch(settings, &admin, json!({ "min_hours_blocking": true }))
        .await
        .expect(200);
    assert_eq!(
        saved.body,
        json!({ "totp_required_for_staff": false, "min_hours_blocking": true, "follow_up_months": 6,
               "reglement_interieur_required": false })
    );
    let short = move_to(&app, &consultant, bilan, Completed)
        .await
        .expect(422);
    assert!(
        short.problem_type().ends_with("minimum-hours"),
        "{}",
        short.body
    );
    assert!(
        short.body["detail"].as_str().unwrap().contains("13 h"),
        "{}",
        short.body
    );
    assert_eq!(bilan_of(&app, &consultant, bilan).await.status, Conclusion);

    // A client that sends only another setting does not turn the rule off; bad values change nothing.
    app.patch(
        settings,
        &admin,
        json!({ "totp_required_for_staff": false }),
    )
    .await
    .expect(200);
    app.patch(settings, &admin, json!({ "follow_up_months": 0 }))
        .await
        .expect(400);
    app.patch(settings, &admin, json!({ "min_hours_blocking": "non" }))
        .await
        .expect(400);
    let kept = app.get(settings, &admin).await.expect(200);
    assert_eq!(kept.body["min_hours_blocking"], true);
    assert_eq!(kept.body["follow_up_months"], 6);
    move_to(&app, &consultant, bilan, Completed)
        .await
        .expect(422);

    // 13 hours held: the bilan completes.
    for (day, hours) in [(3, 5), (4, 6)] {
        session(&app, &consultant, bilan, Accompaniment, day, hours)
            .await
            .expect(201);
    }
    move_to(&app, &consultant, bilan, Completed)
        .await
        .expect(200);
}

/// A bilan of the demo beneficiary, completed, with a note of the consultant.
async fn completed_bilan(app: &TestApp, admin: &str, consultant: &str, text: &str) -> Uuid {
    let bilan = start_bilan(app, admin, FundingMode::Cpf).await;
    note(app, consultant, bilan, text, false).await.expect(201);
    to_conclusion(app, consultant, bilan).await;
    move_to(app, consultant, bilan, Completed).await.expect(200);
    bilan
}

/// The beneficiary's agreement to keep the content `months` after the end.
fn retention(months: i64) -> NewConsent {
    NewConsent {
        retention_months: Some(months),
        ..consent_of(ConsentKind::Retention)
    }
}

async fn a_bilan_left_completed_closes_by_itself_and_its_content_is_destroyed(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let forgotten = completed_bilan(&app, &admin, &consultant, "Piste : menuiserie").await;
    let agreed = completed_bilan(&app, &admin, &consultant, "Suivi convenu").await;
    app.consent(&beneficiary, agreed, &retention(12))
        .await
        .expect(201);

    let now = Utc::now().naive_utc();
    let mut conn = app.conn();
    let job = |conn: &mut boussole_api::db::AnyConnection, at| {
        boussole_api::retention::due::close_after_follow_up(conn, at).unwrap()
    };
    assert!(
        job(&mut conn, now + Months::new(5)).is_empty(),
        "within the 6 months of follow-up"
    );
    let closed = job(&mut conn, now + Months::new(6) + Duration::days(1));
    assert_eq!(closed.len(), 2, "{closed:?}");
    assert!(job(&mut conn, now + Months::new(7)).is_empty(), "once");
    drop(conn);
    let destroyed = |id: Uuid| {
        closed
            .iter()
            .find(|c| c.id == id.to_string())
            .map(|c| c.content_destroyed)
    };
    assert_eq!(destroyed(forgotten), Some(true));
    assert_eq!(destroyed(agreed), Some(false));

    // Without an agreement: closed, content destroyed, and the beneficiary sees why on the timeline.
    let shown = bilan_of(&app, &beneficiary, forgotten).await;
    assert_eq!(shown.status, Closed);
    assert!(shown.content_destroyed_at.is_some());
    app.get(&format!("/api/v1/bilans/{forgotten}/notes"), &consultant)
        .await
        .expect(422);
    let events = app.timeline(&beneficiary, forgotten).await.ok(200);
    // `details` is free-form JSON (one shape per event kind).
    assert!(events.iter().any(|e| e.kind == "transition"
        && e.details["to"] == "closed"
        && e.details["automatic"] == true
        && e.actor_id.is_none()));
    assert!(events.iter().any(|e| e.kind == "content_destroyed"));
    assert_eq!(audit_total(&app, &admin, "bilan.auto_close").await, 2);
    assert_eq!(
        audit_total(&app, &admin, "bilan.content_destroyed").await,
        1
    );

    // With the agreement: closed, the content kept until the agreed date.
    let kept = bilan_of(&app, &consultant, agreed).await;
    assert_eq!(kept.status, Closed);
    assert!(kept.content_destroyed_at.is_none());
    assert!(kept.retention_until.is_some());
    let notes: Vec<Note> = app
        .get_as(&format!("/api/v1/bilans/{agreed}/notes"), &consultant)
        .await
        .ok(200);
    assert_eq!(notes[0].body, "Suivi convenu");

    // The period is the organisation's: two months, then a bilan completed now closes after them.
    app.patch(
        "/api/v1/settings/security",
        &admin,
        json!({ "follow_up_months": 2 }),
    )
    .await
    .expect(200);
    let short = completed_bilan(&app, &admin, &consultant, "Court suivi").await;
    let mut conn = app.conn();
    assert!(job(&mut conn, now + Months::new(1)).is_empty());
    let closed = job(&mut conn, now + Months::new(2) + Duration::days(1));
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].id, short.to_string());
}

async fn withdrawing_a_retention_agreement_destroys_at_once_what_it_kept(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = start_bilan(&app, &admin, FundingMode::Cpf).await;
    let consents = format!("/api/v1/bilans/{bilan}/consents");
    let retention = app
        .consent(&beneficiary, bilan, &retention(24))
        .await
        .ok(201);
    let share = NewConsent {
        recipient: Some("Conseiller CEP".into()),
        scope: Some("synthèse".into()),
        ..consent_of(ConsentKind::Share)
    };
    let share = app.consent(&beneficiary, bilan, &share).await.ok(201);
    note(&app, &consultant, bilan, "Projet : ébénisterie", false)
        .await
        .expect(201);
    let ended = abandon(&app, &consultant, bilan, "Projet trouvé").await;
    assert!(ended.content_destroyed_at.is_none());
    let notes = format!("/api/v1/bilans/{bilan}/notes");
    let revoke = |c: &Consent| format!("{consents}/{}/revoke", c.id);
    // Withdrawing another consent keeps the content.
    app.post(&revoke(&share), Some(&beneficiary), json!({}))
        .await
        .expect(204);
    app.get(&notes, &consultant).await.expect(200);
    // Withdrawing the retention agreement destroys it at once, not when the period would have ended.
    app.post(&revoke(&retention), Some(&beneficiary), json!({}))
        .await
        .expect(204);
    let gone = app.get(&notes, &consultant).await.expect(422);
    assert!(gone.body["detail"].as_str().unwrap().contains("détruit"));
    assert!(raw_note_bytes(&app).is_empty(), "ciphertexts removed");
    let shown = bilan_of(&app, &beneficiary, bilan).await;
    assert!(shown.content_destroyed_at.is_some());
    assert_eq!(
        audit_total(&app, &admin, "bilan.content_destroyed").await,
        1
    );
}

async fn audit_total(app: &TestApp, admin: &str, action: &str) -> i64 {
    let path = format!("/api/v1/audit?action={action}");
    let journal: Page<AuditEntry> = app.get_as(&path, admin).await.ok(200);
    journal.total
}

/// `seed-demo`'s bilan (Lucas Moreau, CPF, with Karim Benali) must be in a state the law allows: started
/// on its documents and consent, so that the demo shows sessions being held.
async fn the_demo_bilan_runs_lawfully_so_its_sessions_can_be_held(backend: Backend) {
    let app = spawn_demo(backend).await;
    boussole_api::seed::seed_demo_bilan(&mut app.conn(), &app.config.master_key).unwrap();
    let consultant = app.token(CONSULTANT).await;
    let listed: Page<Bilan> = app.get_as("/api/v1/bilans", &consultant).await.ok(200);
    assert_eq!(listed.total, 1);
    let bilan = &listed.items[0];
    assert_eq!(bilan.status, Preliminary);
    assert_eq!(bilan.funding, FundingMode::Cpf);
    let id = bilan.id;
    let facts: Vec<Fact> = app
        .get_as(&format!("/api/v1/bilans/{id}/facts"), &consultant)
        .await
        .ok(200);
    let kinds: Vec<FactKind> = facts.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, vec![PreContractInfo, CpfFileAccepted]);
    let consents: Vec<Consent> = app
        .get_as(&format!("/api/v1/bilans/{id}/consents"), &consultant)
        .await
        .ok(200);
    assert_eq!(consents[0].kind, ConsentKind::Start);
    assert!(consents[0].revoked_at.is_none());
    // The next step asks for the preliminary phase's work only.
    assert_eq!(
        bilan.next_step_missing,
        codes(&[
            C::NeedsAnalysis,
            C::PersonalisedObjectives,
            C::AgreedArrangements
        ])
    );
    session(&app, &consultant, id, Accompaniment, 20, 2)
        .await
        .expect(201);
}
