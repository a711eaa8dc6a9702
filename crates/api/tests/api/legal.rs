//! Legal rules the workflow must not let slip (issue 10, items 11 to 14): no session before the
//! contract or after the end, each funding mode's own document, the 13-hour minimum when the
//! organisation makes it blocking, and no content kept for ever after completion.

use chrono::{Duration, Months, Utc};
use serde_json::json;

use crate::appointments::{Setup, book, id_of, in_minutes};
use crate::bilans::{
    days_ago, fact, missing, move_to, note, open_bilan, raw_note_bytes, session, start,
    start_bilan, start_document,
};
use crate::helpers::*;

on_both_backends!(
    sessions_are_not_booked_held_or_counted_before_the_contract_or_after_the_end,
    france_travail_starts_on_the_kairos_quote_without_an_individual_contract,
    the_13_hour_minimum_blocks_completion_when_the_organisation_says_so,
    a_bilan_left_completed_closes_by_itself_and_its_content_is_destroyed,
    withdrawing_a_retention_agreement_destroys_at_once_what_it_kept,
    the_demo_bilan_runs_lawfully_so_its_sessions_can_be_held,
);

fn not_running(answer: &Answer) {
    assert!(
        answer.problem_type().ends_with("bilan-not-running"),
        "{}",
        answer.body
    );
}

async fn bilan_of(app: &TestApp, token: &str, bilan: &str) -> serde_json::Value {
    app.get(&format!("/api/v1/bilans/{bilan}"), token)
        .await
        .expect(200)
        .body
}

async fn sessions_are_not_booked_held_or_counted_before_the_contract_or_after_the_end(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let s = Setup {
        bilan: open_bilan(&app, &admin, "cpf").await,
        consultant_id: id_of(&app, &admin, CONSULTANT).await,
        consultant: app.token(CONSULTANT).await,
        beneficiary: app.token(BENEFICIARY).await,
        admin,
    };
    // A request: no consent, no accepted CPF file yet. No session is recorded nor booked…
    for kind in ["accompaniment", "personal_work"] {
        not_running(
            &session(&app, &s.consultant, &s.bilan, kind, 2, 2)
                .await
                .expect(422),
        );
    }
    let day = in_minutes(2 * 24 * 60);
    let early = book(
        &app,
        &s.consultant,
        &s,
        day,
        "remote",
        json!({ "duration_minutes": 60 }),
    )
    .await
    .expect(422);
    not_running(&early);
    // …but the information interview stays free.
    book(
        &app,
        &s.consultant,
        &s,
        day,
        "remote",
        json!({ "kind": "information", "duration_minutes": 45 }),
    )
    .await
    .expect(201);
    assert_eq!(
        bilan_of(&app, &s.consultant, &s.bilan).await["accompaniment_minutes"],
        0
    );

    // Once started lawfully, sessions are recorded and booked.
    start(&app, &s.admin, &s.bilan, "cpf").await;
    session(&app, &s.consultant, &s.bilan, "accompaniment", 2, 1)
        .await
        .expect(201);
    let soon = book(
        &app,
        &s.consultant,
        &s,
        in_minutes(10),
        "remote",
        json!({ "duration_minutes": 60 }),
    )
    .await
    .expect(201);
    let id = soon.body["id"].as_str().unwrap().to_string();
    let sign = json!({ "action": "sign", "code": null });
    let attendance = format!("/api/v1/appointments/{id}/attendance");
    app.post(&attendance, Some(&s.beneficiary), sign.clone())
        .await
        .expect(200);

    // Abandoned: the booked session is neither held nor moved, and nothing more is counted.
    app.post(
        &format!("/api/v1/bilans/{}/transitions", s.bilan),
        Some(&s.consultant),
        json!({ "to": "abandoned", "reason": "Reprise d'emploi" }),
    )
    .await
    .expect(200);
    not_running(
        &app.post(&attendance, Some(&s.consultant), sign)
            .await
            .expect(422),
    );
    let sheet = app.get(&attendance, &s.consultant).await.expect(200);
    assert_eq!(sheet.body["status"], "booked");
    assert_eq!(sheet.body["signatures"].as_array().unwrap().len(), 1);
    let later = in_minutes(3 * 24 * 60);
    not_running(
        &app.patch(
            &format!("/api/v1/appointments/{id}"),
            &s.consultant,
            json!({ "action": "move", "starts_at": crate::appointments::fmt(later) }),
        )
        .await
        .expect(422),
    );
    not_running(
        &session(&app, &s.consultant, &s.bilan, "accompaniment", 3, 1)
            .await
            .expect(422),
    );
    not_running(
        &book(
            &app,
            &s.consultant,
            &s,
            later,
            "remote",
            json!({ "duration_minutes": 60 }),
        )
        .await
        .expect(422),
    );
    let shown = bilan_of(&app, &s.consultant, &s.bilan).await;
    assert_eq!(
        shown["accompaniment_minutes"], 60,
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
    let bilan = open_bilan(&app, &admin, "france_travail").await;
    fact(&app, &admin, &bilan, "pre_contract_info", &days_ago(20)).await;
    app.post(
        &format!("/api/v1/bilans/{bilan}/consents"),
        Some(&beneficiary),
        json!({ "kind": "start" }),
    )
    .await
    .expect(201);
    let gate = move_to(&app, &consultant, &bilan, "preliminary")
        .await
        .expect(422);
    assert_eq!(
        missing(&gate),
        vec!["Devis KAIROS validé par France Travail (AIF)".to_string()]
    );
    // An individual contract is not France Travail's document: it opens nothing.
    fact(
        &app,
        &admin,
        &bilan,
        "individual_contract_signed",
        &days_ago(15),
    )
    .await;
    move_to(&app, &consultant, &bilan, "preliminary")
        .await
        .expect(422);
    fact(&app, &admin, &bilan, "kairos_quote_accepted", &days_ago(2)).await;
    move_to(&app, &consultant, &bilan, "preliminary")
        .await
        .expect(200);
    // Every funding mode starts on its own document, as the table says.
    for funding in ["cpf", "employer", "reclassement", "self_funded", "mixed"] {
        let other = open_bilan(&app, &admin, funding).await;
        fact(&app, &admin, &other, "pre_contract_info", &days_ago(20)).await;
        let wrong = if start_document(funding) == "kairos_quote_accepted" {
            "cpf_file_accepted"
        } else {
            "kairos_quote_accepted"
        };
        fact(&app, &admin, &other, wrong, &days_ago(15)).await;
        app.post(
            &format!("/api/v1/bilans/{other}/consents"),
            Some(&beneficiary),
            json!({ "kind": "start" }),
        )
        .await
        .expect(201);
        move_to(&app, &consultant, &other, "preliminary")
            .await
            .expect(422);
        fact(&app, &admin, &other, start_document(funding), &days_ago(15)).await;
        move_to(&app, &consultant, &other, "preliminary")
            .await
            .expect(200);
    }
}

/// Walks a started bilan through the phases up to the conclusions, every fact recorded.
async fn to_conclusion(app: &TestApp, consultant: &str, bilan: &str) {
    for kind in [
        "needs_analysis",
        "personalised_objectives",
        "agreed_arrangements",
    ] {
        fact(app, consultant, bilan, kind, &days_ago(10)).await;
    }
    move_to(app, consultant, bilan, "investigation")
        .await
        .expect(200);
    move_to(app, consultant, bilan, "conclusion")
        .await
        .expect(200);
    for kind in [
        "results_appropriated",
        "project_conditions",
        "project_steps",
        "synthese_delivered",
    ] {
        fact(app, consultant, bilan, kind, &days_ago(5)).await;
    }
}

async fn the_13_hour_minimum_blocks_completion_when_the_organisation_says_so(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = start_bilan(&app, &admin, "cpf").await;
    session(&app, &consultant, &bilan, "accompaniment", 2, 2)
        .await
        .expect(201);
    to_conclusion(&app, &consultant, &bilan).await;

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
    let short = move_to(&app, &consultant, &bilan, "completed")
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
    assert_eq!(
        bilan_of(&app, &consultant, &bilan).await["status"],
        "conclusion"
    );

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
    move_to(&app, &consultant, &bilan, "completed")
        .await
        .expect(422);

    // 13 hours held: the bilan completes.
    for (day, hours) in [(3, 5), (4, 6)] {
        session(&app, &consultant, &bilan, "accompaniment", day, hours)
            .await
            .expect(201);
    }
    move_to(&app, &consultant, &bilan, "completed")
        .await
        .expect(200);
}

/// A bilan of the demo beneficiary, completed, with a note of the consultant.
async fn completed_bilan(app: &TestApp, admin: &str, consultant: &str, text: &str) -> String {
    let bilan = start_bilan(app, admin, "cpf").await;
    note(app, consultant, &bilan, text, false).await.expect(201);
    to_conclusion(app, consultant, &bilan).await;
    move_to(app, consultant, &bilan, "completed")
        .await
        .expect(200);
    bilan
}

async fn a_bilan_left_completed_closes_by_itself_and_its_content_is_destroyed(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let forgotten = completed_bilan(&app, &admin, &consultant, "Piste : menuiserie").await;
    let agreed = completed_bilan(&app, &admin, &consultant, "Suivi convenu").await;
    app.post(
        &format!("/api/v1/bilans/{agreed}/consents"),
        Some(&beneficiary),
        json!({ "kind": "retention", "retention_months": 12 }),
    )
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
    let destroyed = |id: &str| {
        closed
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.content_destroyed)
    };
    assert_eq!(destroyed(&forgotten), Some(true));
    assert_eq!(destroyed(&agreed), Some(false));

    // Without an agreement: closed, content destroyed, and the beneficiary sees why on the timeline.
    let shown = bilan_of(&app, &beneficiary, &forgotten).await;
    assert_eq!(shown["status"], "closed");
    assert!(shown["content_destroyed_at"].is_string());
    app.get(&format!("/api/v1/bilans/{forgotten}/notes"), &consultant)
        .await
        .expect(422);
    let timeline = app
        .get(
            &format!("/api/v1/bilans/{forgotten}/timeline"),
            &beneficiary,
        )
        .await
        .expect(200);
    let events = timeline.body.as_array().unwrap();
    assert!(events.iter().any(|e| e["kind"] == "transition"
        && e["details"]["to"] == "closed"
        && e["details"]["automatic"] == true
        && e["actor_id"].is_null()));
    assert!(events.iter().any(|e| e["kind"] == "content_destroyed"));
    assert_eq!(audit_total(&app, &admin, "bilan.auto_close").await, 2);
    assert_eq!(
        audit_total(&app, &admin, "bilan.content_destroyed").await,
        1
    );

    // With the agreement: closed, the content kept until the agreed date.
    let kept = bilan_of(&app, &consultant, &agreed).await;
    assert_eq!(kept["status"], "closed");
    assert!(kept["content_destroyed_at"].is_null());
    assert!(kept["retention_until"].is_string());
    let notes = app
        .get(&format!("/api/v1/bilans/{agreed}/notes"), &consultant)
        .await
        .expect(200);
    assert_eq!(notes.body[0]["body"], "Suivi convenu");

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
    assert_eq!(closed[0].id, short);
}

async fn withdrawing_a_retention_agreement_destroys_at_once_what_it_kept(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = start_bilan(&app, &admin, "cpf").await;
    let consents = format!("/api/v1/bilans/{bilan}/consents");
    let retention = app
        .post(
            &consents,
            Some(&beneficiary),
            json!({ "kind": "retention", "retention_months": 24 }),
        )
        .await
        .expect(201);
    let share = app
        .post(
            &consents,
            Some(&beneficiary),
            json!({ "kind": "share", "recipient": "Conseiller CEP", "scope": "synthèse" }),
        )
        .await
        .expect(201);
    note(&app, &consultant, &bilan, "Projet : ébénisterie", false)
        .await
        .expect(201);
    let ended = app
        .post(
            &format!("/api/v1/bilans/{bilan}/transitions"),
            Some(&consultant),
            json!({ "to": "abandoned", "reason": "Projet trouvé" }),
        )
        .await
        .expect(200);
    assert!(ended.body["content_destroyed_at"].is_null());
    let notes = format!("/api/v1/bilans/{bilan}/notes");
    let revoke = |c: &Answer| format!("{consents}/{}/revoke", c.body["id"].as_str().unwrap());
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
    let shown = bilan_of(&app, &beneficiary, &bilan).await;
    assert!(shown["content_destroyed_at"].is_string());
    assert_eq!(
        audit_total(&app, &admin, "bilan.content_destroyed").await,
        1
    );
}

async fn audit_total(app: &TestApp, admin: &str, action: &str) -> serde_json::Value {
    app.get(&format!("/api/v1/audit?action={action}"), admin)
        .await
        .expect(200)
        .body["total"]
        .clone()
}

/// `seed-demo`'s bilan (Lucas Moreau, CPF, with Karim Benali) must be in a state the law allows: started
/// on its documents and consent, so that the demo shows sessions being held.
async fn the_demo_bilan_runs_lawfully_so_its_sessions_can_be_held(backend: Backend) {
    let app = spawn_demo(backend).await;
    boussole_api::seed::seed_demo_bilan(&mut app.conn(), &app.config.master_key).unwrap();
    let consultant = app.token(CONSULTANT).await;
    let listed = app.get("/api/v1/bilans", &consultant).await.expect(200);
    assert_eq!(listed.body["total"], 1);
    let bilan = &listed.body["items"][0];
    assert_eq!(bilan["status"], "preliminary");
    assert_eq!(bilan["funding"], "cpf");
    let id = bilan["id"].as_str().unwrap();
    let facts = app
        .get(&format!("/api/v1/bilans/{id}/facts"), &consultant)
        .await
        .expect(200);
    let kinds: Vec<&str> = facts
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["pre_contract_info", "cpf_file_accepted"]);
    let consents = app
        .get(&format!("/api/v1/bilans/{id}/consents"), &consultant)
        .await
        .expect(200);
    assert_eq!(consents.body[0]["kind"], "start");
    assert!(consents.body[0]["revoked_at"].is_null());
    // The next step asks for the preliminary phase's work only.
    assert_eq!(bilan["next_step_missing"].as_array().unwrap().len(), 3);
    session(&app, &consultant, id, "accompaniment", 20, 2)
        .await
        .expect(201);
}
