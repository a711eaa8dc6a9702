//! CPF files (issue 13, item 2): opening a file on a CPF bilan, the forward-only states, the working-day
//! deadlines (computed here by hand from the calendar), the €1,600 cap, the holder's participation,
//! the fact recorded on acceptance, and who reads and writes what. Refusals change nothing.

use boussole_shared::bilans::{Fact, FactKind};
use boussole_shared::cpf::CpfState::*;
use boussole_shared::cpf::{CpfAlert, CpfDuty, CpfFile, CpfFileInput, CpfState, CpfTransition};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

on_both_backends!(
    a_cpf_file_moves_forward_with_its_working_day_deadlines,
    bad_cpf_input_is_refused_and_changes_nothing,
    two_clerks_recording_the_same_move_do_not_both_succeed
);

async fn put_file(app: &TestApp, token: &str, bilan: Uuid, body: &CpfFileInput) -> Answer<CpfFile> {
    app.put_as(&format!("/api/v1/bilans/{bilan}/cpf"), token, body)
        .await
}

/// A body the DTO cannot express (a missing field).
async fn put_raw(app: &TestApp, token: &str, bilan: Uuid, body: Value) -> Answer {
    let path = format!("/api/v1/bilans/{bilan}/cpf");
    app.call(Method::PUT, &path, Some(token), Some(body)).await
}

async fn move_to(
    app: &TestApp,
    token: &str,
    bilan: Uuid,
    to: CpfState,
    on: &str,
) -> Answer<CpfFile> {
    let body = CpfTransition { to, on: day(on) };
    let path = format!("/api/v1/bilans/{bilan}/cpf/transitions");
    app.post_as(&path, Some(token), &body).await
}

async fn file(app: &TestApp, token: &str, bilan: Uuid) -> CpfFile {
    app.get_as(&format!("/api/v1/bilans/{bilan}/cpf"), token)
        .await
        .ok(200)
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn input(edof_number: &str, amount_cents: i64, requested_on: Option<&str>) -> CpfFileInput {
    CpfFileInput {
        edof_number: edof_number.into(),
        amount_cents,
        participation_exempt: false,
        requested_on: requested_on.map(day),
    }
}

async fn a_cpf_file_moves_forward_with_its_working_day_deadlines(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;

    // Asked on Friday 27 November 2026: the provider answers within 2 working days, by Tuesday 1 December.
    let body = input("EDOF-2026-118", 150_000, Some("2026-11-27"));
    let opened = put_file(&app, &admin, bilan, &body).await.ok(200);
    assert_eq!(opened.state, CpfState::NotProcessed);
    assert_eq!(opened.amount_cents, Some(150_000));
    assert_eq!(
        opened.participation_cents, 10_320,
        "the 2026 flat participation (€103.20)"
    );
    let deadline = opened.deadline.clone().unwrap();
    assert_eq!(deadline.duty, CpfDuty::AnswerRequest);
    assert_eq!(deadline.due_on, day("2026-12-01"));
    assert!(
        deadline.working_days_left < 0,
        "the deadline has passed: {deadline:?}"
    );
    let alerts: Vec<CpfAlert> = app.get_as("/api/v1/cpf/alerts", &admin).await.ok(200);
    assert!(
        alerts
            .iter()
            .any(|a| a.edof_number == "EDOF-2026-118" && a.deadline.due_on == day("2026-12-01"))
    );

    // No jumping ahead: a start cannot be declared before the file is accepted.
    let refused = move_to(&app, &admin, bilan, InTraining, "2026-11-30")
        .await
        .expect(422);
    assert!(
        refused
            .problem_type()
            .ends_with("cpf-transition-not-allowed"),
        "{}",
        refused.body
    );
    assert_eq!(
        file(&app, &admin, bilan).await.state,
        CpfState::NotProcessed
    );

    // Validated on Monday 30 November: the holder has 4 working days, until Friday 4 December.
    move_to(&app, &admin, bilan, Validated, "2026-11-30")
        .await
        .expect(200);
    let validated = file(&app, &admin, bilan).await;
    let deadline = validated.deadline.unwrap();
    assert_eq!(
        (deadline.duty, deadline.due_on),
        (CpfDuty::HolderAcceptance, day("2026-12-04"))
    );

    // Accepted on 2 December: the contract fact of a CPF bilan is recorded with it; no session yet,
    // so no start to declare.
    move_to(&app, &admin, bilan, Accepted, "2026-12-02")
        .await
        .expect(200);
    let accepted = file(&app, &admin, bilan).await;
    assert_eq!(accepted.state, CpfState::Accepted);
    assert_eq!(accepted.deadline, None);
    let steps: Vec<_> = accepted.history.iter().map(|s| (s.from, s.to)).collect();
    assert_eq!(
        steps,
        vec![
            (None, CpfState::NotProcessed),
            (Some(CpfState::NotProcessed), CpfState::Validated),
            (Some(CpfState::Validated), CpfState::Accepted),
        ]
    );
    let facts: Vec<Fact> = app
        .get_as(&format!("/api/v1/bilans/{bilan}/facts"), &admin)
        .await
        .ok(200);
    assert!(
        facts
            .iter()
            .any(|f| f.kind == FactKind::CpfFileAccepted && f.occurred_on == day("2026-12-02")),
        "the acceptance is the bilan's contract fact: {facts:?}"
    );

    // The consultant reads the state; without the amount once the organisation hides amounts.
    let consultant = app.token(CONSULTANT).await;
    assert_eq!(
        file(&app, &consultant, bilan).await.amount_cents,
        Some(150_000)
    );
    let mut accounting = app
        .get("/api/v1/settings/accounting", &admin)
        .await
        .expect(200)
        .body;
    accounting["consultants_see_amounts"] = json!(false);
    app.call(
        Method::PUT,
        "/api/v1/settings/accounting",
        Some(&admin),
        Some(accounting),
    )
    .await
    .expect(200);
    let seen = file(&app, &consultant, bilan).await;
    assert_eq!((seen.state, seen.amount_cents), (CpfState::Accepted, None));
    // The beneficiary reads their own file, amount included; neither of them writes it.
    let beneficiary = app.token(BENEFICIARY).await;
    assert_eq!(
        file(&app, &beneficiary, bilan).await.amount_cents,
        Some(150_000)
    );
    move_to(&app, &consultant, bilan, InTraining, "2026-12-03")
        .await
        .expect(403);
    put_file(&app, &beneficiary, bilan, &input("X", 1, None))
        .await
        .expect(403);

    // A second CPF bilan for the same person within five years is flagged.
    let second = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let body = input("EDOF-2026-119", 100_000, None);
    put_file(&app, &admin, second, &body).await.expect(200);
    let flagged = file(&app, &admin, second).await;
    assert_eq!(flagged.earlier_public_bilans.len(), 1);
    assert_eq!(flagged.earlier_public_bilans[0].bilan_id, bilan);
}

async fn bad_cpf_input_is_refused_and_changes_nothing(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let good = input("EDOF-1", 120_000, Some("2026-11-27"));

    // No file yet: 404.
    app.get(&format!("/api/v1/bilans/{bilan}/cpf"), &admin)
        .await
        .expect(404);
    for (body, field) in [
        (input("EDOF-1", 160_001, None), "amount_cents"),
        (input("EDOF-1", -5, None), "amount_cents"),
        (input("EDOF 1; DROP", 100, None), "edof_number"),
        (input("", 100, None), "edof_number"),
        (input("EDOF-1", 100, Some("2099-01-01")), "requested_on"),
    ] {
        let refused = put_file(&app, &admin, bilan, &body).await.expect(400);
        assert!(
            refused.body["errors"][field].is_array(),
            "{field}: {}",
            refused.body
        );
    }
    put_raw(&app, &admin, bilan, json!({ "edof_number": "EDOF-1" }))
        .await
        .expect(400);
    app.get(&format!("/api/v1/bilans/{bilan}/cpf"), &admin)
        .await
        .expect(404);

    // Only a CPF bilan has a file.
    let employer = open_bilan(&app, &admin, FundingMode::Employer).await;
    let refused = put_file(&app, &admin, employer, &good).await.expect(422);
    assert!(
        refused.problem_type().ends_with("not-cpf-funded"),
        "{}",
        refused.body
    );

    put_file(&app, &admin, bilan, &good).await.expect(200);
    // One EDOF number, one bilan.
    let other = open_bilan(&app, &admin, FundingMode::Cpf).await;
    put_file(&app, &admin, other, &good).await.expect(409);
    app.get(&format!("/api/v1/bilans/{other}/cpf"), &admin)
        .await
        .expect(404);

    // Days out of range, unknown states, closed files.
    move_to(&app, &admin, bilan, Validated, "2099-01-01")
        .await
        .expect(400);
    move_to(&app, &admin, bilan, Validated, "2026-11-26")
        .await
        .expect(400);
    app.post(
        &format!("/api/v1/bilans/{bilan}/cpf/transitions"),
        Some(&admin),
        json!({ "to": "teleported", "on": "2026-11-30" }),
    )
    .await
    .expect(400);
    assert_eq!(file(&app, &admin, bilan).await.history.len(), 1);
    move_to(&app, &admin, bilan, RefusedByOrganism, "2026-11-30")
        .await
        .expect(200);
    move_to(&app, &admin, bilan, Validated, "2026-11-30")
        .await
        .expect(422);
    let closed = file(&app, &admin, bilan).await;
    assert_eq!(
        (closed.state, closed.deadline),
        (CpfState::RefusedByOrganism, None)
    );
    let unknown = uuid::Uuid::now_v7();
    move_to(&app, &admin, unknown, Validated, "2026-11-30")
        .await
        .expect(404);
}

async fn two_clerks_recording_the_same_move_do_not_both_succeed(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let body = input("EDOF-9", 90_000, Some("2026-11-27"));
    put_file(&app, &admin, bilan, &body).await.expect(200);
    let (a, b) = tokio::join!(
        move_to(&app, &admin, bilan, Validated, "2026-11-30"),
        move_to(&app, &admin, bilan, Validated, "2026-11-30"),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert!(
        statuses == [200, 409] || statuses == [200, 422],
        "{statuses:?}"
    );
    assert_eq!(
        file(&app, &admin, bilan).await.history.len(),
        2,
        "one move recorded"
    );
}
