use boussole_api::db::AnyConnection;
use diesel::RunQueryDsl;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

on_both_backends!(
    a_bilan_walks_through_every_phase_and_gates_refuse_early_moves,
    accompaniment_is_capped_at_24_hours,
    content_is_only_for_the_beneficiary_and_the_assigned_consultants,
    ending_the_action_without_agreement_destroys_the_content,
    a_retention_agreement_keeps_the_content_and_consents_can_be_revoked,
    reassignment_moves_access_to_the_new_consultant,
    kept_content_is_destroyed_when_the_agreed_period_ends,
    every_content_endpoint_refuses_everyone_but_the_beneficiary_and_the_assigned_consultant,
    last_contact_counts_accompaniment_only_and_bilans_filter_by_beneficiary,
    a_stored_status_that_does_not_parse_answers_500_not_a_default,
    stored_ids_kinds_and_roles_that_do_not_parse_fail_the_request,
    a_fact_dated_today_in_paris_is_not_refused_as_future_late_in_the_utc_evening,
);

pub async fn user_id(app: &TestApp, admin: &str, email: &str) -> String {
    let found = app
        .get(&format!("/api/v1/users?q={email}"), admin)
        .await
        .expect(200);
    found.body["items"][0]["id"].as_str().unwrap().to_string()
}

/// Opens a bilan for the demo beneficiary with the demo consultant; returns its id.
pub async fn open_bilan(app: &TestApp, admin: &str, funding: &str) -> String {
    let body = json!({
        "beneficiary_id": user_id(app, admin, BENEFICIARY).await,
        "consultant_id": user_id(app, admin, CONSULTANT).await,
        "funding": funding, "format": "mixed", "planned_hours": 20,
    });
    let created = app
        .post("/api/v1/bilans", Some(admin), body)
        .await
        .expect(201);
    assert_eq!(created.body["status"], "request");
    created.body["id"].as_str().unwrap().to_string()
}

/// The document that stands for the contract of each funding mode (DOMAIN.md §3.6).
pub fn start_document(funding: &str) -> &'static str {
    match funding {
        "cpf" => "cpf_file_accepted",
        "france_travail" => "kairos_quote_accepted",
        "self_funded" => "individual_contract_signed",
        _ => "tripartite_convention_signed",
    }
}

/// A day `days` before today, as the API takes it.
pub fn days_ago(days: i64) -> String {
    (chrono::Utc::now().date_naive() - chrono::Duration::days(days)).to_string()
}

/// Opens a bilan and starts it lawfully (information, the funding mode's document, the beneficiary's
/// consent, the withdrawal period over): it is in the preliminary phase, where sessions may be held.
pub async fn start_bilan(app: &TestApp, admin: &str, funding: &str) -> String {
    let bilan = open_bilan(app, admin, funding).await;
    start(app, admin, &bilan, funding).await;
    bilan
}

/// Moves an open bilan of the demo beneficiary to the preliminary phase, as the law lets it.
pub async fn start(app: &TestApp, admin: &str, bilan: &str, funding: &str) {
    fact(app, admin, bilan, "pre_contract_info", &days_ago(20)).await;
    fact(app, admin, bilan, start_document(funding), &days_ago(15)).await;
    let beneficiary = app.token(BENEFICIARY).await;
    app.post(
        &format!("/api/v1/bilans/{bilan}/consents"),
        Some(&beneficiary),
        json!({ "kind": "start" }),
    )
    .await
    .expect(201);
    move_to(app, admin, bilan, "preliminary").await.expect(200);
}

pub async fn fact(app: &TestApp, token: &str, bilan: &str, kind: &str, on: &str) {
    app.post(
        &format!("/api/v1/bilans/{bilan}/facts"),
        Some(token),
        json!({ "kind": kind, "occurred_on": on }),
    )
    .await
    .expect(201);
}

pub async fn move_to(app: &TestApp, token: &str, bilan: &str, to: &str) -> Answer {
    app.post(
        &format!("/api/v1/bilans/{bilan}/transitions"),
        Some(token),
        json!({ "to": to }),
    )
    .await
}

pub fn missing(answer: &Answer) -> Vec<String> {
    serde_json::from_value(answer.body["missing"].clone()).unwrap()
}

async fn a_bilan_walks_through_every_phase_and_gates_refuse_early_moves(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = open_bilan(&app, &admin, "employer").await;

    move_to(&app, &consultant, &bilan, "investigation")
        .await
        .expect(409);
    let gate = move_to(&app, &consultant, &bilan, "preliminary")
        .await
        .expect(422);
    assert_eq!(
        missing(&gate).len(),
        3,
        "information, consent, convention: {:?}",
        missing(&gate)
    );
    let shown = app
        .get(&format!("/api/v1/bilans/{bilan}"), &beneficiary)
        .await
        .expect(200);
    assert_eq!(
        shown.body["next_step_missing"], gate.body["missing"],
        "the file shows what the next step needs"
    );
    move_to(&app, &beneficiary, &bilan, "preliminary")
        .await
        .expect(403);

    fact(&app, &admin, &bilan, "pre_contract_info", "2026-11-02").await;
    fact(
        &app,
        &admin,
        &bilan,
        "tripartite_convention_signed",
        "2026-11-03",
    )
    .await;
    let gate = move_to(&app, &consultant, &bilan, "preliminary")
        .await
        .expect(422);
    assert_eq!(missing(&gate).len(), 1);
    assert!(missing(&gate)[0].contains("Consentement"));
    app.post(
        &format!("/api/v1/bilans/{bilan}/consents"),
        Some(&beneficiary),
        json!({ "kind": "start" }),
    )
    .await
    .expect(201);
    assert_eq!(
        move_to(&app, &consultant, &bilan, "preliminary")
            .await
            .expect(200)
            .body["status"],
        "preliminary"
    );

    assert_eq!(
        missing(
            &move_to(&app, &consultant, &bilan, "investigation")
                .await
                .expect(422)
        )
        .len(),
        3
    );
    for kind in [
        "needs_analysis",
        "personalised_objectives",
        "agreed_arrangements",
    ] {
        fact(&app, &consultant, &bilan, kind, "2026-11-10").await;
    }
    move_to(&app, &consultant, &bilan, "investigation")
        .await
        .expect(200);
    move_to(&app, &consultant, &bilan, "conclusion")
        .await
        .expect(200);
    assert_eq!(
        missing(
            &move_to(&app, &consultant, &bilan, "completed")
                .await
                .expect(422)
        )
        .len(),
        4
    );
    for kind in [
        "results_appropriated",
        "project_conditions",
        "project_steps",
        "synthese_delivered",
    ] {
        fact(&app, &consultant, &bilan, kind, "2026-11-20").await;
    }
    move_to(&app, &consultant, &bilan, "completed")
        .await
        .expect(200);
    move_to(&app, &consultant, &bilan, "abandoned")
        .await
        .expect(409);
    let closed = move_to(&app, &admin, &bilan, "closed").await.expect(200);
    assert!(
        closed.body["content_destroyed_at"].is_string(),
        "no retention agreement: content destroyed at the end"
    );
    move_to(&app, &admin, &bilan, "request").await.expect(409);

    let timeline = app
        .get(&format!("/api/v1/bilans/{bilan}/timeline"), &beneficiary)
        .await
        .expect(200);
    let transitions: Vec<&Value> = timeline
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "transition")
        .collect();
    assert_eq!(
        transitions.len(),
        5,
        "preliminary, investigation, conclusion, completed, closed"
    );
    assert!(
        timeline
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "content_destroyed")
    );

    // Future facts and unknown kinds are refused; abandoning needs a reason.
    let other = open_bilan(&app, &admin, "cpf").await;
    app.post(
        &format!("/api/v1/bilans/{other}/facts"),
        Some(&admin),
        json!({ "kind": "pre_contract_info", "occurred_on": "2999-01-01" }),
    )
    .await
    .expect(400);
    app.post(
        &format!("/api/v1/bilans/{other}/facts"),
        Some(&admin),
        json!({ "kind": "bribe", "occurred_on": "2026-01-01" }),
    )
    .await
    .expect(400);
    move_to(&app, &consultant, &other, "abandoned")
        .await
        .expect(400);
    let abandoned = app
        .post(
            &format!("/api/v1/bilans/{other}/transitions"),
            Some(&consultant),
            json!({ "to": "abandoned", "reason": "Reprise d'emploi" }),
        )
        .await
        .expect(200);
    assert_eq!(abandoned.body["abandon_reason"], "Reprise d'emploi");
}

pub async fn session(
    app: &TestApp,
    token: &str,
    bilan: &str,
    kind: &str,
    day: u32,
    hours: u32,
) -> Answer {
    let body = json!({
        "kind": kind, "phase": "investigation", "mode": "on_site",
        "starts_at": format!("2026-11-{day:02}T08:00:00Z"), "ends_at": format!("2026-11-{day:02}T{:02}:00:00Z", 8 + hours),
    });
    app.post(
        &format!("/api/v1/bilans/{bilan}/sessions"),
        Some(token),
        body,
    )
    .await
}

async fn accompaniment_is_capped_at_24_hours(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = start_bilan(&app, &admin, "self_funded").await;
    for day in 1..=4 {
        session(&app, &consultant, &bilan, "accompaniment", day, 5)
            .await
            .expect(201);
    }
    let shown = app
        .get(&format!("/api/v1/bilans/{bilan}"), &admin)
        .await
        .expect(200);
    assert_eq!(shown.body["accompaniment_minutes"], 20 * 60);
    assert_eq!(shown.body["below_minimum_hours"], false);
    assert_eq!(shown.body["last_contact_at"], "2026-11-04T13:00:00Z");
    let cpf = app
        .get("/api/v1/bilans?funding=cpf", &admin)
        .await
        .expect(200);
    assert_eq!(cpf.body["total"], 0);
    assert_eq!(
        app.get(
            "/api/v1/bilans?funding=self_funded&status=preliminary",
            &consultant
        )
        .await
        .expect(200)
        .body["total"],
        1
    );
    let over = session(&app, &consultant, &bilan, "accompaniment", 5, 5)
        .await
        .expect(422);
    assert!(
        over.body["missing"][0]
            .as_str()
            .unwrap()
            .contains("24 heures")
    );
    session(&app, &consultant, &bilan, "accompaniment", 5, 4)
        .await
        .expect(201);
    // Personal work is not accompaniment: it does not count towards the 24 hours.
    session(&app, &consultant, &bilan, "personal_work", 6, 3)
        .await
        .expect(201);
    let shown = app
        .get(&format!("/api/v1/bilans/{bilan}"), &admin)
        .await
        .expect(200);
    assert_eq!(
        (
            shown.body["accompaniment_minutes"].as_i64(),
            shown.body["personal_work_minutes"].as_i64()
        ),
        (Some(1440), Some(180))
    );
    let inverted = json!({ "kind": "accompaniment", "phase": "conclusion", "mode": "remote",
        "starts_at": "2026-11-09T10:00:00Z", "ends_at": "2026-11-09T09:00:00Z" });
    app.post(
        &format!("/api/v1/bilans/{bilan}/sessions"),
        Some(&consultant),
        inverted,
    )
    .await
    .expect(400);
    session(&app, &admin, &bilan, "accompaniment", 7, 1)
        .await
        .expect(403);
    assert_eq!(
        app.get(&format!("/api/v1/bilans/{bilan}/sessions"), &admin)
            .await
            .expect(200)
            .body
            .as_array()
            .unwrap()
            .len(),
        6
    );
}

pub async fn note(app: &TestApp, token: &str, bilan: &str, body: &str, shared: bool) -> Answer {
    app.post(
        &format!("/api/v1/bilans/{bilan}/notes"),
        Some(token),
        json!({ "phase": "investigation", "body": body, "shared_with_beneficiary": shared }),
    )
    .await
}

async fn content_is_only_for_the_beneficiary_and_the_assigned_consultants(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let other_consultant = app.token("consultante2@boussole.test").await;
    let other_beneficiary = app.token("lucas.moreau@boussole.test").await;
    let key = app
        .post(
            "/api/v1/api-keys",
            Some(&admin),
            json!({ "name": "CRM", "scopes": ["users:read", "audit:read"] }),
        )
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let bilan = open_bilan(&app, &admin, "cpf").await;
    note(
        &app,
        &consultant,
        &bilan,
        "Hypothèse de travail : reconversion vers l'ébénisterie",
        false,
    )
    .await
    .expect(201);
    note(
        &app,
        &consultant,
        &bilan,
        "Pistes à explorer ensemble : métiers du bois",
        true,
    )
    .await
    .expect(201);
    note(&app, &admin, &bilan, "tentative", false)
        .await
        .expect(403);
    note(&app, &beneficiary, &bilan, "tentative", false)
        .await
        .expect(403);

    let notes = format!("/api/v1/bilans/{bilan}/notes");
    let all = app.get(&notes, &consultant).await.expect(200);
    assert_eq!(all.body.as_array().unwrap().len(), 2);
    let mine = app.get(&notes, &beneficiary).await.expect(200);
    assert_eq!(
        mine.body.as_array().unwrap().len(),
        1,
        "the beneficiary reads what is shared with them"
    );
    assert!(
        mine.body[0]["body"]
            .as_str()
            .unwrap()
            .contains("métiers du bois")
    );
    let refused = app.get(&notes, &admin).await.expect(403);
    assert!(refused.problem_type().ends_with("bilan-content"));
    assert!(!refused.body.to_string().contains("ébénisterie"));
    app.get(&notes, &other_consultant).await.expect(404);
    app.get(&notes, &other_beneficiary).await.expect(404);
    app.get(&notes, &key).await.expect(403);
    app.call(Method::GET, &notes, None, None).await.expect(401);
    // Administrative facts stay visible to admins, without any content or trace of it.
    app.get(&format!("/api/v1/bilans/{bilan}"), &admin)
        .await
        .expect(200);
    app.get(&format!("/api/v1/bilans/{bilan}"), &other_consultant)
        .await
        .expect(404);
    let timeline = app
        .get(&format!("/api/v1/bilans/{bilan}/timeline"), &admin)
        .await
        .expect(200);
    assert!(
        !timeline
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "note")
    );
    let theirs = app
        .get(&format!("/api/v1/bilans/{bilan}/timeline"), &beneficiary)
        .await
        .expect(200);
    assert_eq!(
        theirs
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "note")
            .count(),
        2
    );
    for (token, total) in [
        (&other_consultant, 0),
        (&other_beneficiary, 0),
        (&consultant, 1),
        (&beneficiary, 1),
        (&admin, 1),
    ] {
        assert_eq!(
            app.get("/api/v1/bilans", token).await.expect(200).body["total"],
            total
        );
    }
    // At rest, the note is ciphertext.
    let raw = raw_note_bytes(&app);
    assert_eq!(raw.len(), 2);
    assert!(
        raw.iter()
            .all(|b| !String::from_utf8_lossy(b).contains("ébénisterie")
                && !String::from_utf8_lossy(b).contains("bois"))
    );
}

pub fn raw_note_bytes(app: &TestApp) -> Vec<Vec<u8>> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Binary>)]
        body: Option<Vec<u8>>,
    }
    let rows: Vec<Row> = diesel::sql_query("SELECT body FROM bilan_notes")
        .load(&mut app.conn())
        .unwrap();
    rows.into_iter().filter_map(|r| r.body).collect()
}

async fn ending_the_action_without_agreement_destroys_the_content(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = open_bilan(&app, &admin, "self_funded").await;
    note(
        &app,
        &consultant,
        &bilan,
        "Valeurs : autonomie, transmission",
        true,
    )
    .await
    .expect(201);
    let ended = app
        .post(
            &format!("/api/v1/bilans/{bilan}/transitions"),
            Some(&consultant),
            json!({ "to": "abandoned", "reason": "Déménagement" }),
        )
        .await
        .expect(200);
    assert!(ended.body["content_destroyed_at"].is_string());
    let gone = app
        .get(&format!("/api/v1/bilans/{bilan}/notes"), &consultant)
        .await
        .expect(422);
    assert!(gone.body["detail"].as_str().unwrap().contains("détruit"));
    note(&app, &consultant, &bilan, "encore", false)
        .await
        .expect(422);
    assert!(raw_note_bytes(&app).is_empty(), "ciphertexts removed");
    #[derive(diesel::QueryableByName)]
    struct Key {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Binary>)]
        wrapped: Option<Vec<u8>>,
    }
    let keys: Vec<Key> = diesel::sql_query("SELECT wrapped FROM bilan_keys")
        .load(&mut app.conn())
        .unwrap();
    assert!(
        keys.iter().all(|k| k.wrapped.is_none()),
        "the bilan key is destroyed"
    );
    if let AnyConnection::Sqlite(_) = app.conn() {
        // Nothing readable is left in the database files either (main file and write-ahead log).
        diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut app.conn())
            .unwrap();
        let path = app.config.database_url.trim_start_matches("sqlite://");
        for file in [path.to_string(), format!("{path}-wal")] {
            let bytes = std::fs::read(&file).unwrap_or_default();
            assert!(
                !String::from_utf8_lossy(&bytes).contains("transmission"),
                "{file}"
            );
        }
    }
    // The administrative proofs remain.
    let shown = app
        .get(&format!("/api/v1/bilans/{bilan}"), &admin)
        .await
        .expect(200);
    assert_eq!(shown.body["status"], "abandoned");
    let audit = app
        .get("/api/v1/audit?action=bilan.content_destroyed", &admin)
        .await
        .expect(200);
    assert_eq!(audit.body["total"], 1);
}

async fn a_retention_agreement_keeps_the_content_and_consents_can_be_revoked(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let other_beneficiary = app.token("lucas.moreau@boussole.test").await;
    let bilan = open_bilan(&app, &admin, "self_funded").await;
    let consents = format!("/api/v1/bilans/{bilan}/consents");
    app.post(
        &consents,
        Some(&beneficiary),
        json!({ "kind": "retention" }),
    )
    .await
    .expect(400);
    app.post(
        &consents,
        Some(&beneficiary),
        json!({ "kind": "retention", "retention_months": 48 }),
    )
    .await
    .expect(400);
    app.post(&consents, Some(&consultant), json!({ "kind": "start" }))
        .await
        .expect(403);
    let share = app
        .post(&consents, Some(&beneficiary), json!({ "kind": "share", "recipient": "Employeur : Menuiserie Roux", "scope": "synthèse" }))
        .await
        .expect(201);
    assert!(
        share.body["statement"]
            .as_str()
            .unwrap()
            .contains("Menuiserie Roux")
    );
    assert_eq!(share.body["ip"], "127.0.0.1");
    let revoke = format!("{consents}/{}/revoke", share.body["id"].as_str().unwrap());
    app.post(&revoke, Some(&other_beneficiary), json!({}))
        .await
        .expect(404);
    app.post(&revoke, Some(&beneficiary), json!({}))
        .await
        .expect(204);
    app.post(&revoke, Some(&beneficiary), json!({}))
        .await
        .expect(404);
    let listed = app.get(&consents, &admin).await.expect(200);
    assert!(
        listed.body[0]["revoked_at"].is_string(),
        "a revoked consent stays on record"
    );

    app.post(
        &consents,
        Some(&beneficiary),
        json!({ "kind": "retention", "retention_months": 36 }),
    )
    .await
    .expect(201);
    note(&app, &consultant, &bilan, "Suivi à six mois prévu", false)
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
    assert!(
        ended.body["retention_until"]
            .as_str()
            .unwrap()
            .starts_with("2029-"),
        "{}",
        ended.body
    );
    let kept = app
        .get(&format!("/api/v1/bilans/{bilan}/notes"), &consultant)
        .await
        .expect(200);
    assert_eq!(kept.body[0]["body"], "Suivi à six mois prévu");
}

async fn reassignment_moves_access_to_the_new_consultant(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let successor = app.token("consultante2@boussole.test").await;
    let bilan = open_bilan(&app, &admin, "france_travail").await;
    note(
        &app,
        &consultant,
        &bilan,
        "Premier entretien : attentes claires",
        false,
    )
    .await
    .expect(201);
    let successor_id = user_id(&app, &admin, "consultante2@boussole.test").await;
    let beneficiary_id = user_id(&app, &admin, BENEFICIARY).await;
    let path = format!("/api/v1/bilans/{bilan}/assignments");
    app.post(
        &path,
        Some(&consultant),
        json!({ "consultant_id": successor_id }),
    )
    .await
    .expect(403);
    app.post(
        &path,
        Some(&admin),
        json!({ "consultant_id": beneficiary_id }),
    )
    .await
    .expect(400);
    let moved = app
        .post(
            &path,
            Some(&admin),
            json!({ "consultant_id": successor_id }),
        )
        .await
        .expect(200);
    assert_eq!(moved.body["consultants"].as_array().unwrap().len(), 1);
    assert_eq!(moved.body["consultants"][0]["first_name"], "Sophie");
    app.get(&format!("/api/v1/bilans/{bilan}"), &consultant)
        .await
        .expect(404);
    let notes = app
        .get(&format!("/api/v1/bilans/{bilan}/notes"), &successor)
        .await
        .expect(200);
    assert_eq!(
        notes.body[0]["body"],
        "Premier entretien : attentes claires"
    );
    let timeline = app
        .get(&format!("/api/v1/bilans/{bilan}/timeline"), &admin)
        .await
        .expect(200);
    assert_eq!(
        timeline
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "assignment")
            .count(),
        2,
        "history kept"
    );
}

async fn kept_content_is_destroyed_when_the_agreed_period_ends(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = open_bilan(&app, &admin, "self_funded").await;
    let consents = format!("/api/v1/bilans/{bilan}/consents");
    app.post(
        &consents,
        Some(&beneficiary),
        json!({ "kind": "retention", "retention_months": 12 }),
    )
    .await
    .expect(201);
    note(
        &app,
        &consultant,
        &bilan,
        "Bilan à revoir dans un an",
        false,
    )
    .await
    .expect(201);
    app.post(
        &format!("/api/v1/bilans/{bilan}/transitions"),
        Some(&consultant),
        json!({ "to": "abandoned", "reason": "Pause" }),
    )
    .await
    .expect(200);
    let mut conn = app.conn();
    assert_eq!(
        boussole_api::retention::due::destroy_expired_retention(&mut conn, boussole_api::db::now())
            .unwrap()
            .len(),
        0,
        "not due yet"
    );
    app.get(&format!("/api/v1/bilans/{bilan}/notes"), &consultant)
        .await
        .expect(200);
    // A year later.
    diesel::sql_query("UPDATE bilans SET retention_until = created_at")
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        boussole_api::retention::due::destroy_expired_retention(&mut conn, boussole_api::db::now())
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        boussole_api::retention::due::destroy_expired_retention(&mut conn, boussole_api::db::now())
            .unwrap()
            .len(),
        0,
        "once"
    );
    app.get(&format!("/api/v1/bilans/{bilan}/notes"), &consultant)
        .await
        .expect(422);
    assert!(raw_note_bytes(&app).is_empty());
    let shown = app
        .get(&format!("/api/v1/bilans/{bilan}"), &admin)
        .await
        .expect(200);
    assert!(shown.body["content_destroyed_at"].is_string());
}

async fn every_content_endpoint_refuses_everyone_but_the_beneficiary_and_the_assigned_consultant(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = open_bilan(&app, &admin, "cpf").await;
    let note_id = note(&app, &consultant, &bilan, "Contenu confidentiel", true)
        .await
        .expect(201)
        .body["id"]
        .clone();
    let pdf = b"%PDF-1.4\n%%EOF\n".to_vec();
    let file = app
        .client
        .post(format!(
            "{}/api/v1/bilans/{bilan}/files?name=cv.pdf",
            app.base
        ))
        .bearer_auth(&beneficiary)
        .body(pdf.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 201);
    let file_id = file.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let key = app
        .post(
            "/api/v1/api-keys",
            Some(&admin),
            json!({ "name": "CRM", "scopes": ["users:read", "audit:read"] }),
        )
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let outsiders = [
        ("admin", Some(admin.clone())),
        (
            "other consultant",
            Some(app.token("consultante2@boussole.test").await),
        ),
        (
            "other beneficiary",
            Some(app.token("lucas.moreau@boussole.test").await),
        ),
        ("API key", Some(key)),
        ("anonymous", None),
    ];
    let endpoints = [
        (Method::GET, format!("/api/v1/bilans/{bilan}/notes"), None),
        (
            Method::POST,
            format!("/api/v1/bilans/{bilan}/notes"),
            Some(json!({ "phase": "investigation", "body": "x" })),
        ),
        (Method::GET, format!("/api/v1/bilans/{bilan}/files"), None),
        (
            Method::GET,
            format!("/api/v1/bilans/{bilan}/files/{file_id}"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/bilans/{bilan}/files?name=x.pdf"),
            Some(json!({})),
        ),
    ];
    for (who, token) in &outsiders {
        for (method, path, body) in &endpoints {
            let answer = app
                .call(method.clone(), path, token.as_deref(), body.clone())
                .await;
            let code = answer.status.as_u16();
            assert!(
                matches!(code, 401 | 403 | 404),
                "{who} {method} {path}: {code} {}",
                answer.body
            );
            assert!(
                !answer.body.to_string().contains("confidentiel"),
                "{who} {method} {path}"
            );
        }
    }
    // Nothing was added by the refused calls; the entitled read it.
    let notes = app
        .get(&format!("/api/v1/bilans/{bilan}/notes"), &consultant)
        .await
        .expect(200);
    assert_eq!(notes.body.as_array().unwrap().len(), 1);
    assert_eq!(notes.body[0]["id"], note_id);
    assert_eq!(
        app.get(&format!("/api/v1/bilans/{bilan}/files"), &beneficiary)
            .await
            .expect(200)
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn last_contact_counts_accompaniment_only_and_bilans_filter_by_beneficiary(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = start_bilan(&app, &admin, "cpf").await;
    session(&app, &consultant, &bilan, "personal_work", 10, 2)
        .await
        .expect(201);
    let path = format!("/api/v1/bilans/{bilan}");
    assert!(app.get(&path, &consultant).await.expect(200).body["last_contact_at"].is_null());
    session(&app, &consultant, &bilan, "accompaniment", 5, 3)
        .await
        .expect(201);
    assert_eq!(
        app.get(&path, &consultant).await.expect(200).body["last_contact_at"],
        "2026-11-05T11:00:00Z"
    );

    let mine = user_id(&app, &admin, BENEFICIARY).await;
    let other = user_id(&app, &admin, "ines.garcia@boussole.test").await;
    let listed = app
        .get(&format!("/api/v1/bilans?beneficiary_id={mine}"), &admin)
        .await
        .expect(200);
    assert_eq!(listed.body["total"], 1);
    assert_eq!(listed.body["items"][0]["id"], bilan.as_str());
    let none = app
        .get(&format!("/api/v1/bilans?beneficiary_id={other}"), &admin)
        .await
        .expect(200);
    assert_eq!(none.body["total"], 0);
    app.get("/api/v1/bilans?beneficiary_id=nope", &admin)
        .await
        .expect(400);
}

/// A status the code does not know (a corrupted row, or one written by a newer version) must fail the
/// request, never read as "request" and reopen the workflow.
async fn a_stored_status_that_does_not_parse_answers_500_not_a_default(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = open_bilan(&app, &admin, "employer").await;
    let mut conn = app.conn();
    // The CHECK constraint would refuse the value: lift it, as a newer schema might have.
    let lift = match backend {
        Backend::Sqlite => "PRAGMA ignore_check_constraints = ON",
        Backend::Postgres => "ALTER TABLE bilans DROP CONSTRAINT bilans_status_check",
    };
    diesel::sql_query(lift).execute(&mut conn).unwrap();
    let changed = diesel::sql_query(format!(
        "UPDATE bilans SET status = 'suspended' WHERE id = '{bilan}'"
    ))
    .execute(&mut conn)
    .unwrap();
    assert_eq!(changed, 1);
    drop(conn);

    app.get(&format!("/api/v1/bilans/{bilan}"), &consultant)
        .await
        .expect(500);
    app.get("/api/v1/bilans", &consultant).await.expect(500);
    move_to(&app, &consultant, &bilan, "preliminary")
        .await
        .expect(500);
}

/// The same for every stored value read back: a malformed id is not shown as the nil UUID, a fact of
/// an unknown kind is not silently left out of the list (nor of the next step's evidence), and an
/// account whose role does not parse is refused rather than treated as some role.
async fn stored_ids_kinds_and_roles_that_do_not_parse_fail_the_request(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = open_bilan(&app, &admin, "employer").await;
    fact(&app, &admin, &bilan, "pre_contract_info", "2026-11-02").await;
    let facts = format!("/api/v1/bilans/{bilan}/facts");
    let listed = app.get(&facts, &consultant).await.expect(200);
    assert_eq!(listed.body.as_array().map(Vec::len), Some(1));
    let sql = |statement: String| {
        let mut conn = app.conn();
        let lift = match backend {
            Backend::Sqlite => "PRAGMA ignore_check_constraints = ON",
            Backend::Postgres => "ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check",
        };
        diesel::sql_query(lift).execute(&mut conn).unwrap();
        assert_eq!(diesel::sql_query(statement).execute(&mut conn).unwrap(), 1);
    };

    sql(format!(
        "UPDATE bilan_facts SET id = 'not-a-uuid' WHERE bilan_id = '{bilan}'"
    ));
    app.get(&facts, &consultant).await.expect(500);

    sql(format!(
        "UPDATE bilan_facts SET id = '{}', kind = 'unheard_of' WHERE bilan_id = '{bilan}'",
        uuid::Uuid::now_v7()
    ));
    app.get(&facts, &consultant).await.expect(500);
    app.get(&format!("/api/v1/bilans/{bilan}"), &consultant)
        .await
        .expect(500);
    app.get("/api/v1/bilans", &consultant).await.expect(500);

    app.get("/api/v1/me", &consultant).await.expect(200);
    sql(format!(
        "UPDATE users SET role = 'auditor' WHERE email = '{CONSULTANT}'"
    ));
    // Past the read cache's lifetime (2 s by default, on the clock the test moves).
    app.config.clock.advance(std::time::Duration::from_secs(3));
    app.get("/api/v1/me", &consultant).await.expect(500);
    app.get("/api/v1/bilans", &consultant).await.expect(500);
}

/// At 23:30 UTC it is already tomorrow in Paris (summer or winter): a fact dated that Paris day is
/// today's, not the future (the e2e journey failed once, run at 00:08 Paris time).
async fn a_fact_dated_today_in_paris_is_not_refused_as_future_late_in_the_utc_evening(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let bilan = open_bilan(&app, &admin, "cpf").await;
    let now = chrono::Utc::now();
    let mut evening = now.date_naive().and_hms_opt(23, 30, 0).unwrap();
    if evening <= now.naive_utc() {
        evening += chrono::Duration::days(1);
    }
    app.config
        .clock
        .advance((evening - now.naive_utc()).to_std().unwrap());
    let paris_today = evening.date() + chrono::Duration::days(1);
    fact(
        &app,
        &admin,
        &bilan,
        "pre_contract_info",
        &paris_today.to_string(),
    )
    .await;
    // The next Paris day is still the future.
    app.post(
        &format!("/api/v1/bilans/{bilan}/facts"),
        Some(&admin),
        json!({ "kind": "pre_contract_info", "occurred_on": (paris_today + chrono::Duration::days(1)).to_string() }),
    )
    .await
    .expect(400);
}
