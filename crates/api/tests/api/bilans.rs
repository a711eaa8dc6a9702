use boussole_api::db::AnyConnection;
use boussole_shared::Page;
use boussole_shared::auth::ApiScope;
use boussole_shared::bilans::BilanStatus::*;
use boussole_shared::bilans::FactKind::*;
use boussole_shared::bilans::SessionKind::*;
use boussole_shared::bilans::{
    Bilan, BilanFile, BilanSession, Consent, ConsentKind, Fact, FundingMode, NewConsent, NewFact,
    NewNote, NewSession, Note, Phase, SessionKind, SessionMode, TransitionRequest,
};
use boussole_shared::conditions::Condition as C;
use chrono::{DateTime, Utc};
use diesel::RunQueryDsl;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

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

async fn a_bilan_walks_through_every_phase_and_gates_refuse_early_moves(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Employer).await;

    move_to(&app, &consultant, bilan, Investigation)
        .await
        .expect(409);
    let gate = move_to(&app, &consultant, bilan, Preliminary)
        .await
        .expect(422);
    assert_eq!(
        conditions(&gate),
        [C::PreContractInfo, C::StartConsent, C::TripartiteConvention]
    );
    let shown = app.bilan(&beneficiary, bilan).await.ok(200);
    assert_eq!(
        shown.next_step_missing,
        missing(&gate),
        "the file shows what the next step needs"
    );
    move_to(&app, &beneficiary, bilan, Preliminary)
        .await
        .expect(403);

    fact(&app, &admin, bilan, PreContractInfo, date("2026-11-02")).await;
    fact(
        &app,
        &admin,
        bilan,
        TripartiteConventionSigned,
        date("2026-11-03"),
    )
    .await;
    let gate = move_to(&app, &consultant, bilan, Preliminary)
        .await
        .expect(422);
    assert_eq!(conditions(&gate), [C::StartConsent]);
    let start = consent_of(ConsentKind::Start);
    app.consent(&beneficiary, bilan, &start).await.expect(201);
    assert_eq!(
        move_to(&app, &consultant, bilan, Preliminary)
            .await
            .ok(200)
            .status,
        Preliminary
    );

    assert_eq!(
        conditions(
            &move_to(&app, &consultant, bilan, Investigation)
                .await
                .expect(422)
        ),
        [
            C::NeedsAnalysis,
            C::PersonalisedObjectives,
            C::AgreedArrangements
        ]
    );
    for kind in [NeedsAnalysis, PersonalisedObjectives, AgreedArrangements] {
        fact(&app, &consultant, bilan, kind, date("2026-11-10")).await;
    }
    move_to(&app, &consultant, bilan, Investigation)
        .await
        .expect(200);
    move_to(&app, &consultant, bilan, Conclusion)
        .await
        .expect(200);
    assert_eq!(
        conditions(
            &move_to(&app, &consultant, bilan, Completed)
                .await
                .expect(422)
        ),
        [
            C::ResultsAppropriated,
            C::ProjectConditions,
            C::ProjectSteps,
            C::SyntheseDelivered
        ]
    );
    for kind in [
        ResultsAppropriated,
        ProjectConditions,
        ProjectSteps,
        SyntheseDelivered,
    ] {
        fact(&app, &consultant, bilan, kind, date("2026-11-20")).await;
    }
    move_to(&app, &consultant, bilan, Completed)
        .await
        .expect(200);
    move_to(&app, &consultant, bilan, Abandoned)
        .await
        .expect(409);
    let closed = move_to(&app, &admin, bilan, Closed).await.ok(200);
    assert!(
        closed.content_destroyed_at.is_some(),
        "no retention agreement: content destroyed at the end"
    );
    move_to(&app, &admin, bilan, Request).await.expect(409);

    let timeline = app.timeline(&beneficiary, bilan).await.ok(200);
    let transitions = timeline.iter().filter(|e| e.kind == "transition").count();
    assert_eq!(
        transitions, 5,
        "preliminary, investigation, conclusion, completed, closed"
    );
    assert!(timeline.iter().any(|e| e.kind == "content_destroyed"));

    // Future facts and unknown kinds are refused; abandoning needs a reason.
    let other = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let future = NewFact {
        kind: PreContractInfo,
        occurred_on: date("2999-01-01"),
    };
    app.add_fact(&admin, other, &future).await.expect(400);
    app.post(
        &format!("/api/v1/bilans/{other}/facts"),
        Some(&admin),
        json!({ "kind": "bribe", "occurred_on": "2026-01-01" }),
    )
    .await
    .expect(400);
    move_to(&app, &consultant, other, Abandoned)
        .await
        .expect(400);
    let abandon = TransitionRequest {
        to: Abandoned,
        reason: Some("Reprise d'emploi".into()),
    };
    let abandoned = app.transition(&consultant, other, &abandon).await.ok(200);
    assert_eq!(
        abandoned.abandon_reason.as_deref(),
        Some("Reprise d'emploi")
    );
}

pub async fn session(
    app: &TestApp,
    token: &str,
    bilan: Uuid,
    kind: SessionKind,
    day: u32,
    hours: u32,
) -> Answer<BilanSession> {
    let at = |hour: u32| {
        let text = format!("2026-11-{day:02}T{hour:02}:00:00Z");
        text.parse::<DateTime<Utc>>().unwrap()
    };
    let body = NewSession {
        kind,
        phase: Phase::Investigation,
        mode: SessionMode::OnSite,
        starts_at: at(8),
        ends_at: at(8 + hours),
    };
    app.add_session(token, bilan, &body).await
}

async fn accompaniment_is_capped_at_24_hours(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = start_bilan(&app, &admin, FundingMode::SelfFunded).await;
    for day in 1..=4 {
        session(&app, &consultant, bilan, Accompaniment, day, 5)
            .await
            .expect(201);
    }
    let shown = app.bilan(&admin, bilan).await.expect(200);
    // On the raw answer: the wire format of an instant is RFC 3339 with `Z`.
    assert_eq!(shown.body["last_contact_at"], "2026-11-04T13:00:00Z");
    let shown = shown.into_body();
    assert_eq!(shown.accompaniment_minutes, 20 * 60);
    assert!(!shown.below_minimum_hours);
    let cpf: Page<Bilan> = app
        .get_as("/api/v1/bilans?funding=cpf", &admin)
        .await
        .ok(200);
    assert_eq!(cpf.total, 0);
    let running: Page<Bilan> = app
        .get_as(
            "/api/v1/bilans?funding=self_funded&status=preliminary",
            &consultant,
        )
        .await
        .ok(200);
    assert_eq!(running.total, 1);
    let over = session(&app, &consultant, bilan, Accompaniment, 5, 5)
        .await
        .expect(422);
    assert_eq!(conditions(&over), [C::MaximumHours]);
    session(&app, &consultant, bilan, Accompaniment, 5, 4)
        .await
        .expect(201);
    // Personal work is not accompaniment: it does not count towards the 24 hours.
    session(&app, &consultant, bilan, PersonalWork, 6, 3)
        .await
        .expect(201);
    let shown = app.bilan(&admin, bilan).await.ok(200);
    assert_eq!(
        (shown.accompaniment_minutes, shown.personal_work_minutes),
        (1440, 180)
    );
    let inverted = NewSession {
        kind: Accompaniment,
        phase: Phase::Conclusion,
        mode: SessionMode::Remote,
        starts_at: "2026-11-09T10:00:00Z".parse().unwrap(),
        ends_at: "2026-11-09T09:00:00Z".parse().unwrap(),
    };
    app.add_session(&consultant, bilan, &inverted)
        .await
        .expect(400);
    session(&app, &admin, bilan, Accompaniment, 7, 1)
        .await
        .expect(403);
    let sessions: Vec<BilanSession> = app
        .get_as(&format!("/api/v1/bilans/{bilan}/sessions"), &admin)
        .await
        .ok(200);
    assert_eq!(sessions.len(), 6);
}

pub async fn note(
    app: &TestApp,
    token: &str,
    bilan: Uuid,
    body: &str,
    shared: bool,
) -> Answer<Note> {
    let note = NewNote {
        phase: Phase::Investigation,
        session_id: None,
        body: body.into(),
        shared_with_beneficiary: shared,
    };
    app.add_note(token, bilan, &note).await
}

/// An API key with the scopes that would tempt a CRM to read content.
async fn crm_key(app: &TestApp, admin: &str) -> String {
    let scopes = [ApiScope::UsersRead, ApiScope::AuditRead];
    app.api_key(admin, "CRM", &scopes).await
}

async fn content_is_only_for_the_beneficiary_and_the_assigned_consultants(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let other_consultant = app.token("consultante2@boussole.test").await;
    let other_beneficiary = app.token("lucas.moreau@boussole.test").await;
    let key = crm_key(&app, &admin).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    note(
        &app,
        &consultant,
        bilan,
        "Hypothèse de travail : reconversion vers l'ébénisterie",
        false,
    )
    .await
    .expect(201);
    note(
        &app,
        &consultant,
        bilan,
        "Pistes à explorer ensemble : métiers du bois",
        true,
    )
    .await
    .expect(201);
    note(&app, &admin, bilan, "tentative", false)
        .await
        .expect(403);
    note(&app, &beneficiary, bilan, "tentative", false)
        .await
        .expect(403);

    let notes = format!("/api/v1/bilans/{bilan}/notes");
    let all: Vec<Note> = app.get_as(&notes, &consultant).await.ok(200);
    assert_eq!(all.len(), 2);
    let mine: Vec<Note> = app.get_as(&notes, &beneficiary).await.ok(200);
    assert_eq!(
        mine.len(),
        1,
        "the beneficiary reads what is shared with them"
    );
    assert!(mine[0].body.contains("métiers du bois"));
    let refused = app.get(&notes, &admin).await.expect(403);
    assert!(refused.problem_type().ends_with("bilan-content"));
    assert!(!refused.body.to_string().contains("ébénisterie"));
    app.get(&notes, &other_consultant).await.expect(404);
    app.get(&notes, &other_beneficiary).await.expect(404);
    app.get(&notes, &key).await.expect(403);
    app.call(Method::GET, &notes, None, None).await.expect(401);
    // Administrative facts stay visible to admins, without any content or trace of it.
    app.bilan(&admin, bilan).await.expect(200);
    app.bilan(&other_consultant, bilan).await.expect(404);
    let timeline = app.timeline(&admin, bilan).await.ok(200);
    assert!(!timeline.iter().any(|e| e.kind == "note"));
    let theirs = app.timeline(&beneficiary, bilan).await.ok(200);
    assert_eq!(theirs.iter().filter(|e| e.kind == "note").count(), 2);
    for (token, total) in [
        (&other_consultant, 0),
        (&other_beneficiary, 0),
        (&consultant, 1),
        (&beneficiary, 1),
        (&admin, 1),
    ] {
        let listed: Page<Bilan> = app.get_as("/api/v1/bilans", token).await.ok(200);
        assert_eq!(listed.total, total);
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

/// The beneficiary's agreement to keep the content `months` after the end.
fn retention(months: Option<i64>) -> NewConsent {
    NewConsent {
        retention_months: months,
        ..consent_of(ConsentKind::Retention)
    }
}

async fn ending_the_action_without_agreement_destroys_the_content(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = open_bilan(&app, &admin, FundingMode::SelfFunded).await;
    note(
        &app,
        &consultant,
        bilan,
        "Valeurs : autonomie, transmission",
        true,
    )
    .await
    .expect(201);
    let ended = abandon(&app, &consultant, bilan, "Déménagement").await;
    assert!(ended.content_destroyed_at.is_some());
    let gone = app
        .get(&format!("/api/v1/bilans/{bilan}/notes"), &consultant)
        .await
        .expect(422);
    assert!(gone.body["detail"].as_str().unwrap().contains("détruit"));
    note(&app, &consultant, bilan, "encore", false)
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
    let shown = app.bilan(&admin, bilan).await.ok(200);
    assert_eq!(shown.status, Abandoned);
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
    let bilan = open_bilan(&app, &admin, FundingMode::SelfFunded).await;
    let consents = format!("/api/v1/bilans/{bilan}/consents");
    app.consent(&beneficiary, bilan, &retention(None))
        .await
        .expect(400);
    app.consent(&beneficiary, bilan, &retention(Some(48)))
        .await
        .expect(400);
    app.consent(&consultant, bilan, &consent_of(ConsentKind::Start))
        .await
        .expect(403);
    let share = NewConsent {
        recipient: Some("Employeur : Menuiserie Roux".into()),
        scope: Some("synthèse".into()),
        ..consent_of(ConsentKind::Share)
    };
    let share = app.consent(&beneficiary, bilan, &share).await.ok(201);
    assert!(share.statement.contains("Menuiserie Roux"));
    assert_eq!(share.ip.as_deref(), Some("127.0.0.1"));
    let revoke = format!("{consents}/{}/revoke", share.id);
    app.post(&revoke, Some(&other_beneficiary), json!({}))
        .await
        .expect(404);
    app.post(&revoke, Some(&beneficiary), json!({}))
        .await
        .expect(204);
    app.post(&revoke, Some(&beneficiary), json!({}))
        .await
        .expect(404);
    let listed: Vec<Consent> = app.get_as(&consents, &admin).await.ok(200);
    assert!(
        listed[0].revoked_at.is_some(),
        "a revoked consent stays on record"
    );

    app.consent(&beneficiary, bilan, &retention(Some(36)))
        .await
        .expect(201);
    note(&app, &consultant, bilan, "Suivi à six mois prévu", false)
        .await
        .expect(201);
    let ended = abandon(&app, &consultant, bilan, "Projet trouvé").await;
    assert!(ended.content_destroyed_at.is_none());
    assert!(
        ended
            .retention_until
            .is_some_and(|until| until.format("%Y").to_string() == "2029"),
        "{ended:?}"
    );
    let kept: Vec<Note> = app
        .get_as(&format!("/api/v1/bilans/{bilan}/notes"), &consultant)
        .await
        .ok(200);
    assert_eq!(kept[0].body, "Suivi à six mois prévu");
}

async fn reassignment_moves_access_to_the_new_consultant(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let successor = app.token("consultante2@boussole.test").await;
    let bilan = open_bilan(&app, &admin, FundingMode::FranceTravail).await;
    note(
        &app,
        &consultant,
        bilan,
        "Premier entretien : attentes claires",
        false,
    )
    .await
    .expect(201);
    let successor_id = app.user_id(&admin, "consultante2@boussole.test").await;
    let beneficiary_id = app.user_id(&admin, BENEFICIARY).await;
    app.assign(&consultant, bilan, successor_id)
        .await
        .expect(403);
    app.assign(&admin, bilan, beneficiary_id).await.expect(400);
    let moved = app.assign(&admin, bilan, successor_id).await.ok(200);
    assert_eq!(moved.consultants.len(), 1);
    assert_eq!(moved.consultants[0].first_name, "Sophie");
    app.bilan(&consultant, bilan).await.expect(404);
    let notes: Vec<Note> = app
        .get_as(&format!("/api/v1/bilans/{bilan}/notes"), &successor)
        .await
        .ok(200);
    assert_eq!(notes[0].body, "Premier entretien : attentes claires");
    let timeline = app.timeline(&admin, bilan).await.ok(200);
    assert_eq!(
        timeline.iter().filter(|e| e.kind == "assignment").count(),
        2,
        "history kept"
    );
}

async fn kept_content_is_destroyed_when_the_agreed_period_ends(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = open_bilan(&app, &admin, FundingMode::SelfFunded).await;
    app.consent(&beneficiary, bilan, &retention(Some(12)))
        .await
        .expect(201);
    note(&app, &consultant, bilan, "Bilan à revoir dans un an", false)
        .await
        .expect(201);
    abandon(&app, &consultant, bilan, "Pause").await;
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
    let shown = app.bilan(&admin, bilan).await.ok(200);
    assert!(shown.content_destroyed_at.is_some());
}

async fn every_content_endpoint_refuses_everyone_but_the_beneficiary_and_the_assigned_consultant(
    backend: Backend,
) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let note_id = note(&app, &consultant, bilan, "Contenu confidentiel", true)
        .await
        .ok(201)
        .id;
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
    let file_id = file.json::<BilanFile>().await.unwrap().id;
    let key = crm_key(&app, &admin).await;
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
    let notes: Vec<Note> = app
        .get_as(&format!("/api/v1/bilans/{bilan}/notes"), &consultant)
        .await
        .ok(200);
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].id, note_id);
    let files: Vec<BilanFile> = app
        .get_as(&format!("/api/v1/bilans/{bilan}/files"), &beneficiary)
        .await
        .ok(200);
    assert_eq!(files.len(), 1);
}

async fn last_contact_counts_accompaniment_only_and_bilans_filter_by_beneficiary(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = start_bilan(&app, &admin, FundingMode::Cpf).await;
    session(&app, &consultant, bilan, PersonalWork, 10, 2)
        .await
        .expect(201);
    let shown = app.bilan(&consultant, bilan).await.ok(200);
    assert!(shown.last_contact_at.is_none());
    session(&app, &consultant, bilan, Accompaniment, 5, 3)
        .await
        .expect(201);
    let shown = app.bilan(&consultant, bilan).await.ok(200);
    assert_eq!(
        shown.last_contact_at,
        Some("2026-11-05T11:00:00Z".parse().unwrap())
    );

    let mine = app.user_id(&admin, BENEFICIARY).await;
    let other = app.user_id(&admin, "ines.garcia@boussole.test").await;
    let listed: Page<Bilan> = app
        .get_as(&format!("/api/v1/bilans?beneficiary_id={mine}"), &admin)
        .await
        .ok(200);
    assert_eq!(listed.total, 1);
    assert_eq!(listed.items[0].id, bilan);
    let none: Page<Bilan> = app
        .get_as(&format!("/api/v1/bilans?beneficiary_id={other}"), &admin)
        .await
        .ok(200);
    assert_eq!(none.total, 0);
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
    let bilan = open_bilan(&app, &admin, FundingMode::Employer).await;
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

    app.bilan(&consultant, bilan).await.expect(500);
    app.get("/api/v1/bilans", &consultant).await.expect(500);
    move_to(&app, &consultant, bilan, Preliminary)
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
    let bilan = open_bilan(&app, &admin, FundingMode::Employer).await;
    fact(&app, &admin, bilan, PreContractInfo, date("2026-11-02")).await;
    let facts = format!("/api/v1/bilans/{bilan}/facts");
    let listed: Vec<Fact> = app.get_as(&facts, &consultant).await.ok(200);
    assert_eq!(listed.len(), 1);
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
    app.bilan(&consultant, bilan).await.expect(500);
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
    let bilan = open_bilan(&app, &admin, FundingMode::Cpf).await;
    let now = chrono::Utc::now();
    let mut evening = now.date_naive().and_hms_opt(23, 30, 0).unwrap();
    if evening <= now.naive_utc() {
        evening += chrono::Duration::days(1);
    }
    app.config
        .clock
        .advance((evening - now.naive_utc()).to_std().unwrap());
    let paris_today = evening.date() + chrono::Duration::days(1);
    fact(&app, &admin, bilan, PreContractInfo, paris_today).await;
    // The next Paris day is still the future.
    let tomorrow = NewFact {
        kind: PreContractInfo,
        occurred_on: paris_today + chrono::Duration::days(1),
    };
    app.add_fact(&admin, bilan, &tomorrow).await.expect(400);
}
