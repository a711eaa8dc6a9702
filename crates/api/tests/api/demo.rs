//! `boussole seed-demo` tells a story (issue 16): logged in as each account the README lists, a
//! newcomer lands on real work — seen here through the API, as the web app sees it.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

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

fn items(answer: Answer) -> Vec<Value> {
    answer.body["items"].as_array().unwrap().clone()
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

async fn each_demo_account_lands_on_real_work(backend: Backend) {
    let app = spawn_demo(backend).await;
    seed_everything(&app);
    let now = Utc::now();

    // Camille: her bilan in investigation, hours held, her next video session ahead, a past one signed.
    let camille = app.token("beneficiaire@boussole.test").await;
    let mine = items(app.get("/api/v1/bilans", &camille).await.expect(200));
    assert_eq!(mine.len(), 1);
    let bilan = &mine[0];
    assert_eq!(bilan["status"], "investigation");
    assert_eq!(bilan["accompaniment_minutes"], 11 * 60);
    assert_eq!(bilan["consultants"][0]["first_name"], "Karim");
    let id = bilan["id"].as_str().unwrap();
    camille_assessments_and_project(&app, &camille, id).await;
    // Her CPF file: the start declared on the day of her first session; the office's alerts show
    // Hugo's end, never declared since he gave up.
    let cpf: boussole_shared::cpf::CpfFile = serde_json::from_value(
        app.get(&format!("/api/v1/bilans/{id}/cpf"), &camille)
            .await
            .expect(200)
            .body,
    )
    .unwrap();
    assert_eq!(cpf.state, boussole_shared::cpf::CpfState::InTraining);
    assert_eq!(cpf.history.len(), 4);
    let admin = app.token("admin@boussole.test").await;
    let alerts: Vec<boussole_shared::cpf::CpfAlert> =
        serde_json::from_value(app.get("/api/v1/cpf/alerts", &admin).await.expect(200).body)
            .unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0].beneficiary_name, "Hugo Lambert");
    assert_eq!(
        alerts[0].deadline.duty,
        boussole_shared::cpf::CpfDuty::DeclareEnd
    );
    assert!(alerts[0].deadline.working_days_left < 0);
    let appointments = items(app.get("/api/v1/appointments", &camille).await.expect(200));
    let ahead: Vec<&Value> = appointments
        .iter()
        .filter(|a| time(&a["starts_at"]) > now)
        .collect();
    assert_eq!(ahead.len(), 1, "{appointments:?}");
    assert_eq!(ahead[0]["mode"], "remote");
    assert_eq!(ahead[0]["status"], "booked");
    let held: Vec<&Value> = appointments
        .iter()
        .filter(|a| a["status"] == "held")
        .collect();
    assert_eq!(held.len(), 1, "{appointments:?}");
    let held_id = held[0]["id"].as_str().unwrap();
    let sheet = app
        .get(
            &format!("/api/v1/appointments/{held_id}/attendance"),
            &camille,
        )
        .await
        .expect(200);
    assert_eq!(sheet.body["signatures"].as_array().unwrap().len(), 2);
    // The notes: she reads the shared ones only; her consultant reads all three.
    let notes = app
        .get(&format!("/api/v1/bilans/{id}/notes"), &camille)
        .await
        .expect(200);
    assert_eq!(notes.body.as_array().unwrap().len(), 2);
    let consents = app
        .get(&format!("/api/v1/bilans/{id}/consents"), &camille)
        .await
        .expect(200);
    let kinds: BTreeSet<&str> = consents
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, BTreeSet::from(["share", "start"]));
    // The timeline is spread over weeks, oldest first.
    let timeline = app
        .get(&format!("/api/v1/bilans/{id}/timeline"), &camille)
        .await
        .expect(200);
    let first = time(&timeline.body[0]["at"]);
    assert!(now - first > Duration::days(40), "{first}");

    // Karim: a portfolio in every state, with alerts to act on.
    let karim = app.token(CONSULTANT).await;
    let portfolio = items(
        app.get("/api/v1/bilans?per_page=100", &karim)
            .await
            .expect(200),
    );
    let statuses: BTreeSet<&str> = portfolio
        .iter()
        .map(|b| b["status"].as_str().unwrap())
        .collect();
    assert!(statuses.len() >= 5, "{statuses:?}");
    for s in [
        "request",
        "preliminary",
        "investigation",
        "conclusion",
        "completed",
        "abandoned",
        "closed",
    ] {
        assert!(statuses.contains(s), "no {s} bilan: {statuses:?}");
    }
    let active = |b: &&Value| {
        ["request", "preliminary", "investigation", "conclusion"]
            .contains(&b["status"].as_str().unwrap())
    };
    assert!(
        portfolio
            .iter()
            .any(|b| !b["next_step_missing"].as_array().unwrap().is_empty())
    );
    assert!(
        portfolio
            .iter()
            .filter(active)
            .any(|b| b["below_minimum_hours"] == true)
    );
    assert!(
        portfolio
            .iter()
            .any(|b| b["accompaniment_minutes"].as_i64().unwrap() >= 20 * 60)
    );
    let silent = |b: &Value| {
        b["last_contact_at"]
            .as_str()
            .is_some_and(|t| now - time(&Value::from(t)) > Duration::days(14))
    };
    assert!(portfolio.iter().filter(active).any(silent));
    let closed = portfolio.iter().find(|b| b["status"] == "closed").unwrap();
    assert!(!closed["content_destroyed_at"].is_null());
    let abandoned = portfolio
        .iter()
        .find(|b| b["status"] == "abandoned")
        .unwrap();
    assert!(
        abandoned["abandon_reason"]
            .as_str()
            .unwrap()
            .contains("CDI")
    );
    let karims = items(
        app.get("/api/v1/appointments?per_page=100", &karim)
            .await
            .expect(200),
    );
    assert!(karims.len() >= 3, "{karims:?}");

    // Agnès: the audit journal has the story, and its chain holds.
    let admin = app.token(ADMIN).await;
    let journal = app
        .get("/api/v1/audit?action=bilan.transition", &admin)
        .await
        .expect(200);
    assert!(
        journal.body["total"].as_i64().unwrap() >= 15,
        "{:?}",
        journal.body["total"]
    );
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
    let mine = app
        .get(&format!("/api/v1/bilans/{id}/assessments"), &camille)
        .await
        .expect(200)
        .body;
    for a in mine.as_array().unwrap() {
        let aid = a["id"].as_str().unwrap();
        app.get(&format!("/api/v1/assessments/{aid}/results"), &admin)
            .await
            .expect(403);
    }
}

/// What Camille sees of the investigation's tools: three results scored (the Big-Five interpreted),
/// the RIASEC inventory to fill, and the project at work (grid, two paths, the matrix, a draft plan).
async fn camille_assessments_and_project(app: &TestApp, camille: &str, id: &str) {
    let list = app
        .get(&format!("/api/v1/bilans/{id}/assessments"), camille)
        .await
        .expect(200)
        .body;
    let list = list.as_array().unwrap();
    let status: BTreeSet<(&str, &str)> = list
        .iter()
        .map(|a| {
            (
                a["instrument_id"].as_str().unwrap(),
                a["status"].as_str().unwrap(),
            )
        })
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
            .find(|a| a["instrument_id"] == instrument)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        async move {
            app.get(&format!("/api/v1/assessments/{aid}/results"), camille)
                .await
                .expect(200)
                .body
        }
    };
    let big5 = results("ipip-bffm-50").await;
    let scales = big5["scales"].as_array().unwrap();
    assert_eq!(scales.len(), 5);
    for s in scales {
        let score = s["score"].as_f64().unwrap();
        assert!(s["min"].as_f64().unwrap() <= score && score <= s["max"].as_f64().unwrap());
        assert_eq!(s["answered"], s["total"]);
    }
    // Very conscientious: the highest of her five scores.
    let top = scales
        .iter()
        .max_by(|a, b| {
            a["score"]
                .as_f64()
                .partial_cmp(&b["score"].as_f64())
                .unwrap()
        })
        .unwrap();
    assert_eq!(top["scale_id"], "C", "{scales:?}");
    assert!(
        big5["interpretation"]["text"]
            .as_str()
            .unwrap()
            .contains("consciencieuse")
    );
    let skills = results("transferable-skills").await;
    assert!(
        skills["scales"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["score"].is_number()),
        "{skills:?}"
    );
    let values = results("work-values").await;
    assert_eq!(values["rankings"][0]["order"][0]["id"], "usefulness");

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
