//! Legal rules the workflow must not let slip (issue 10): no session before the contract or after
//! the end, each funding mode's own document.

use serde_json::json;

use crate::appointments::{Setup, book, id_of, in_minutes};
use crate::bilans::{days_ago, fact, missing, move_to, open_bilan, session, start, start_document};
use crate::helpers::*;

on_both_backends!(
    sessions_are_not_booked_held_or_counted_before_the_contract_or_after_the_end,
    france_travail_starts_on_the_kairos_quote_without_an_individual_contract,
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
