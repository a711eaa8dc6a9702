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
    boussole_api::assessments::demo::seed_story(&mut conn).unwrap();
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
    // A questionnaire waiting for her on her home.
    let todo = app
        .get(&format!("/api/v1/bilans/{id}/assessments"), &camille)
        .await
        .expect(200)
        .body;
    let todo = todo.as_array().unwrap();
    assert_eq!(todo.len(), 1, "{todo:?}");
    assert_eq!(todo[0]["instrument_id"], "riasec-markers-48");
    assert_eq!(todo[0]["status"], "assigned");
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
    let verified = boussole_api::audit::verify_chain(&mut app.conn()).unwrap();
    assert!(verified.valid);
}
