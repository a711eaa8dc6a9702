//! `boussole seed-demo` tells a story (issue 16): logged in as each account the README lists, a
//! newcomer lands on real work — seen here through the API, as the web app sees it.

use std::collections::BTreeSet;

use boussole_shared::Page;
use boussole_shared::appointments::{Appointment, AppointmentStatus};
use boussole_shared::assessments::{Assessment, Results};
use boussole_shared::audit::AuditEntry;
use boussole_shared::bilans::{Bilan, Consent, Note, SessionMode};
use boussole_shared::cpf::{CpfAlert, CpfDuty, CpfFile, CpfState};
use chrono::{Duration, Utc};
use uuid::Uuid;

use crate::helpers::*;

on_both_backends!(each_demo_account_lands_on_real_work);

/// What `boussole seed-demo` runs, in its order.
fn seed_everything(app: &TestApp) {
    let mut conn = app.conn();
    boussole_api::seed::seed_demo_bilan(&mut conn, &app.config.master_key).unwrap();
    boussole_api::seed::story::seed_demo_story(&mut conn, &app.config).unwrap();
    let master = &app.config.master_key;
    boussole_api::assessments::demo::seed_story(&mut conn, master).unwrap();
    boussole_api::projection::demo_story::seed_story(&mut conn, master).unwrap();
}

async fn page<T: serde::de::DeserializeOwned>(app: &TestApp, path: &str, token: &str) -> Vec<T> {
    app.get_as::<Page<T>>(path, token).await.ok(200).items
}

async fn each_demo_account_lands_on_real_work(backend: Backend) {
    let app = spawn_demo(backend).await;
    seed_everything(&app);
    let now = Utc::now();

    // Camille: her bilan in investigation, hours held, her next video session ahead, a past one signed.
    let camille = app.token("beneficiaire@boussole.test").await;
    let mine: Vec<Bilan> = page(&app, "/api/v1/bilans", &camille).await;
    assert_eq!(mine.len(), 1);
    let bilan = &mine[0];
    assert_eq!(bilan.status, BilanStatus::Investigation);
    assert_eq!(bilan.accompaniment_minutes, 11 * 60);
    assert_eq!(bilan.consultants[0].first_name, "Karim");
    let id = bilan.id;
    camille_assessments_and_project(&app, &camille, id).await;
    // Her CPF file: the start declared on the day of her first session; the office's alerts show
    // Hugo's end, never declared since he gave up.
    let cpf: CpfFile = app
        .get_as(&format!("/api/v1/bilans/{id}/cpf"), &camille)
        .await
        .ok(200);
    assert_eq!(cpf.state, CpfState::InTraining);
    assert_eq!(cpf.history.len(), 4);
    let admin = app.token("admin@boussole.test").await;
    let alerts: Vec<CpfAlert> = app.get_as("/api/v1/cpf/alerts", &admin).await.ok(200);
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0].beneficiary_name, "Hugo Lambert");
    assert_eq!(alerts[0].deadline.duty, CpfDuty::DeclareEnd);
    assert!(alerts[0].deadline.working_days_left < 0);
    let appointments: Vec<Appointment> = page(&app, "/api/v1/appointments", &camille).await;
    let ahead: Vec<&Appointment> = appointments.iter().filter(|a| a.starts_at > now).collect();
    assert_eq!(ahead.len(), 1, "{appointments:?}");
    assert_eq!(ahead[0].mode, SessionMode::Remote);
    assert_eq!(ahead[0].status, AppointmentStatus::Booked);
    let held: Vec<&Appointment> = appointments
        .iter()
        .filter(|a| a.status == AppointmentStatus::Held)
        .collect();
    assert_eq!(held.len(), 1, "{appointments:?}");
    let sheet = app.attendance(&camille, held[0].id).await.ok(200);
    assert_eq!(sheet.signatures.len(), 2);
    // The notes: she reads the shared ones only; her consultant reads all three.
    let notes: Vec<Note> = app
        .get_as(&format!("/api/v1/bilans/{id}/notes"), &camille)
        .await
        .ok(200);
    assert_eq!(notes.len(), 2);
    let consents: Vec<Consent> = app
        .get_as(&format!("/api/v1/bilans/{id}/consents"), &camille)
        .await
        .ok(200);
    let kinds: BTreeSet<&str> = consents.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, BTreeSet::from(["share", "start"]));
    // The timeline is spread over weeks, oldest first.
    let timeline = app.timeline(&camille, id).await.ok(200);
    let first = timeline[0].at;
    assert!(now - first > Duration::days(40), "{first}");

    // Karim: a portfolio in every state, with alerts to act on.
    let karim = app.token(CONSULTANT).await;
    let portfolio: Vec<Bilan> = page(&app, "/api/v1/bilans?per_page=100", &karim).await;
    let statuses: BTreeSet<&str> = portfolio.iter().map(|b| b.status.as_str()).collect();
    assert!(statuses.len() >= 5, "{statuses:?}");
    for s in BilanStatus::ALL {
        assert!(
            statuses.contains(s.as_str()),
            "no {s:?} bilan: {statuses:?}"
        );
    }
    let active = |b: &&Bilan| {
        use BilanStatus::*;
        [Request, Preliminary, Investigation, Conclusion].contains(&b.status)
    };
    assert!(portfolio.iter().any(|b| !b.next_step_missing.is_empty()));
    assert!(
        portfolio
            .iter()
            .filter(active)
            .any(|b| b.below_minimum_hours)
    );
    assert!(portfolio.iter().any(|b| b.accompaniment_minutes >= 20 * 60));
    let silent = |b: &Bilan| {
        b.last_contact_at
            .is_some_and(|t| now - t > Duration::days(14))
    };
    assert!(portfolio.iter().filter(active).any(silent));
    let closed = portfolio
        .iter()
        .find(|b| b.status == BilanStatus::Closed)
        .unwrap();
    assert!(closed.content_destroyed_at.is_some());
    let abandoned = portfolio
        .iter()
        .find(|b| b.status == BilanStatus::Abandoned)
        .unwrap();
    assert!(abandoned.abandon_reason.as_ref().unwrap().contains("CDI"));
    let karims: Vec<Appointment> = page(&app, "/api/v1/appointments?per_page=100", &karim).await;
    assert!(karims.len() >= 3, "{karims:?}");

    // Agnès: the audit journal has the story, and its chain holds.
    let admin = app.token(ADMIN).await;
    let journal: Page<AuditEntry> = app
        .get_as("/api/v1/audit?action=bilan.transition", &admin)
        .await
        .ok(200);
    assert!(journal.total >= 15, "{:?}", journal.total);
    let verified = boussole_api::journal::verify_chain(&mut app.conn()).unwrap();
    assert!(verified.valid);
    // …and none of Camille's assessments or project: content, refused to the admin (403), as to
    // another beneficiary (404).
    let lucas = app.token("lucas.moreau@boussole.test").await;
    for path in [
        format!("/api/v1/bilans/{id}/assessments"),
        format!("/api/v1/bilans/{id}/skills"),
        format!("/api/v1/bilans/{id}/career-paths"),
        format!("/api/v1/bilans/{id}/decision-matrix"),
        format!("/api/v1/bilans/{id}/action-plan"),
    ] {
        app.get(&path, &admin).await.expect(403);
        app.get(&path, &lucas).await.expect(404);
    }
    let mine: Vec<Assessment> = app
        .get_as(&format!("/api/v1/bilans/{id}/assessments"), &camille)
        .await
        .ok(200);
    for a in mine {
        app.get(&format!("/api/v1/assessments/{}/results", a.id), &admin)
            .await
            .expect(403);
    }
}

/// What Camille sees of the investigation's tools: three results scored (the Big-Five interpreted),
/// the RIASEC inventory to fill, and the project at work (grid, two paths, the matrix, a draft plan).
async fn camille_assessments_and_project(app: &TestApp, camille: &str, id: Uuid) {
    let list: Vec<Assessment> = app
        .get_as(&format!("/api/v1/bilans/{id}/assessments"), camille)
        .await
        .ok(200);
    let status: BTreeSet<(&str, &str)> = list
        .iter()
        .map(|a| (a.instrument_id.as_str(), a.status.as_str()))
        .collect();
    assert_eq!(
        status,
        BTreeSet::from([
            ("ipip-bffm-50", "submitted"),
            ("riasec-markers-48", "assigned"),
            ("transferable-skills", "submitted"),
            ("work-values", "submitted"),
        ]),
        "{list:?}"
    );
    let results = |instrument: &str| {
        let aid = list
            .iter()
            .find(|a| a.instrument_id == instrument)
            .unwrap()
            .id;
        async move {
            let path = format!("/api/v1/assessments/{aid}/results");
            app.get_as::<Results>(&path, camille).await.ok(200)
        }
    };
    let big5 = results("ipip-bffm-50").await;
    let scales = &big5.scales;
    assert_eq!(scales.len(), 5);
    for s in scales {
        let score = s.score.unwrap();
        assert!(s.min <= score && score <= s.max);
        assert_eq!(s.answered, s.total);
    }
    // Very conscientious: the highest of her five scores.
    let top = scales
        .iter()
        .max_by(|a, b| a.score.partial_cmp(&b.score).unwrap())
        .unwrap();
    assert_eq!(top.scale_id, "C", "{scales:?}");
    assert!(big5.interpretation.unwrap().text.contains("consciencieuse"));
    let skills = results("transferable-skills").await;
    assert!(
        skills.scales.iter().all(|s| s.score.is_some()),
        "{skills:?}"
    );
    let values = results("work-values").await;
    assert_eq!(values.rankings[0].order[0].id, "usefulness");

    let grid = |what: &str| {
        let path = format!("/api/v1/bilans/{id}/{what}");
        async move { app.get(&path, camille).await.expect(200).body }
    };
    assert_eq!(grid("experiences").await.as_array().unwrap().len(), 3);
    let skills = grid("skills").await;
    let skills = skills.as_array().unwrap();
    assert!(skills.len() >= 6, "{skills:?}");
    assert!(skills.iter().any(|s| s["transferable"] == true));
    let paths = grid("career-paths").await;
    let paths = paths.as_array().unwrap();
    assert_eq!(paths.len(), 2, "{paths:?}");
    let codes: BTreeSet<&str> = paths
        .iter()
        .flat_map(|p| p["rome_codes"].as_array().unwrap())
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(codes, BTreeSet::from(["K1801", "K2111"]));
    assert_eq!(
        paths
            .iter()
            .filter(|p| !p["interviews"].as_array().unwrap().is_empty())
            .count(),
        1
    );
    let matrix = grid("decision-matrix").await;
    let ranking = matrix["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 2);
    assert!(ranking.iter().all(|r| r["complete"] == true), "{ranking:?}");
    assert_eq!(ranking[0]["title"], "Formatrice d'adultes en comptabilité");
    let plan = grid("action-plan").await;
    assert!(plan["career_path_id"].is_null(), "a draft: {plan:?}");
    assert_eq!(plan["steps"].as_array().unwrap().len(), 2);
}
