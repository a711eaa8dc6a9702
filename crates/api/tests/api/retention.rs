//! Retention and destruction (issue 12, item 4): the rules as data an admin moves within bounds, the
//! destruction job run with a clock the test holds (no sleeping), the record of each run and its
//! procès-verbal read back, and the retention agreement that keeps only what it names.

use boussole_api::journal::Actor;
use boussole_api::retention::destroy::{self, Source};
use chrono::{Months, NaiveDateTime};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

use crate::bilans::{note, raw_note_bytes, start_bilan};
use crate::documents::{demo_identity, has_all, issue, pdf, put_identity, text_of, verify};
use crate::helpers::*;

on_both_backends!(
    administrative_documents_go_when_their_rule_says,
    the_retention_agreement_keeps_what_it_names
);

/// The job's clock: `months` after `from`.
pub fn later(from: NaiveDateTime, months: u32) -> NaiveDateTime {
    from.checked_add_months(Months::new(months)).unwrap()
}

/// One pass of the destruction job at `now`, as the server runs it (database, then storage).
pub async fn job(app: &TestApp, now: NaiveDateTime) -> Option<Value> {
    let pool = boussole_api::db::pool_counted(
        &app.config.database_url,
        2,
        boussole_api::db::queries_counter().unwrap(),
        Some(app.config.keys()),
    )
    .unwrap();
    let storage = boussole_api::storage::Storage::from_config(&app.config).unwrap();
    destroy::run(&pool, &storage, now, Source::Job, Actor::system())
        .await
        .unwrap()
        .map(|run| serde_json::to_value(run).unwrap())
}

pub async fn stored(app: &TestApp, key: &str) -> bool {
    let storage = boussole_api::storage::Storage::from_config(&app.config).unwrap();
    storage.get(key).await.is_ok()
}

async fn put_rule(app: &TestApp, token: &str, class: &str, body: Value) -> Answer {
    app.call(
        Method::PUT,
        &format!("/api/v1/retention-rules/{class}"),
        Some(token),
        Some(body),
    )
    .await
}

fn rule_months(rules: &Value, class: &str) -> i64 {
    rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["class"] == class)
        .unwrap()["months_after_end"]
        .as_i64()
        .unwrap()
}

fn journaled(app: &TestApp, action: &str) -> i64 {
    use boussole_api::schema::audit_log;
    audit_log::table
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

async fn download(app: &TestApp, token: &str, path: &str, status: u16) -> Vec<u8> {
    let res = app
        .client
        .get(format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), status);
    res.bytes().await.unwrap().to_vec()
}

pub async fn end_action(app: &TestApp, token: &str, bilan: &str) -> NaiveDateTime {
    app.post(
        &format!("/api/v1/bilans/{bilan}/transitions"),
        Some(token),
        json!({ "to": "abandoned", "reason": "Reprise d'un emploi" }),
    )
    .await
    .expect(200);
    boussole_api::db::now()
}

async fn administrative_documents_go_when_their_rule_says(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    put_identity(&app, &admin, demo_identity())
        .await
        .expect(200);

    // The defaults of DOMAIN.md §5.3, for admins only.
    let rules = app
        .get("/api/v1/retention-rules", &admin)
        .await
        .expect(200)
        .body;
    assert_eq!(rules.as_array().unwrap().len(), 4);
    assert_eq!(rule_months(&rules, "administrative_documents"), 36);
    assert_eq!(rule_months(&rules, "synthesis_cep"), 36);
    assert_eq!(rule_months(&rules, "follow_up_documents"), 36);
    assert_eq!(rule_months(&rules, "bilan_content"), 0);
    let admin_rule = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["class"] == "administrative_documents")
        .unwrap();
    assert_eq!(admin_rule["min_months"], 36);
    assert_eq!(admin_rule["max_months"], 120);
    assert!(admin_rule["basis"].as_str().unwrap().contains("R6313-7"));
    for token in [&consultant, &beneficiary] {
        app.get("/api/v1/retention-rules", token).await.expect(403);
        put_rule(
            &app,
            token,
            "administrative_documents",
            json!({ "months_after_end": 60 }),
        )
        .await
        .expect(403);
        app.get("/api/v1/destruction-runs", token).await.expect(403);
        app.post("/api/v1/destruction-runs", Some(token), json!({}))
            .await
            .expect(403);
    }
    app.call(Method::GET, "/api/v1/retention-rules", None, None)
        .await
        .expect(401);

    // A bilan with a convention sent for signature and its pre-contract information, then ended.
    let bilan = crate::signatures::prepared(&app, &admin, "employer").await;
    let convention = issue(&app, &consultant, &bilan, "tripartite_convention")
        .await
        .expect(201);
    let conv = convention.body["id"].as_str().unwrap().to_string();
    let conv_sha = convention.body["sha256"].as_str().unwrap().to_string();
    crate::signatures::request(&app, &admin, &conv, crate::signatures::signers())
        .await
        .expect(201);
    let info = issue(&app, &admin, &bilan, "pre_contract_info")
        .await
        .expect(201);
    let info_id = info.body["id"].as_str().unwrap().to_string();
    let conv_key = boussole_api::documents::store::storage_key(&bilan, &conv);
    let info_key = boussole_api::documents::store::storage_key(&bilan, &info_id);
    assert!(stored(&app, &conv_key).await && stored(&app, &info_key).await);
    let ended = end_action(&app, &consultant, &bilan).await;

    // 35 months after the end: kept, and a pass that destroyed nothing leaves no record.
    assert_eq!(job(&app, later(ended, 35)).await, None);
    pdf(&app, &admin, &conv, 200).await;
    assert!(stored(&app, &info_key).await);

    // Out of bounds, an unknown class, a bad body: refused, nothing changed.
    put_rule(
        &app,
        &admin,
        "administrative_documents",
        json!({ "months_after_end": 35 }),
    )
    .await
    .expect(422);
    put_rule(
        &app,
        &admin,
        "administrative_documents",
        json!({ "months_after_end": 121 }),
    )
    .await
    .expect(422);
    put_rule(
        &app,
        &admin,
        "synthesis_cep",
        json!({ "months_after_end": 37 }),
    )
    .await
    .expect(422);
    put_rule(
        &app,
        &admin,
        "bilan_content",
        json!({ "months_after_end": 1 }),
    )
    .await
    .expect(422);
    put_rule(&app, &admin, "invoices", json!({ "months_after_end": 120 }))
        .await
        .expect(404);
    put_rule(
        &app,
        &admin,
        "administrative_documents",
        json!({ "months_after_end": "six ans" }),
    )
    .await
    .expect(400);
    put_rule(&app, &admin, "administrative_documents", json!({}))
        .await
        .expect(400);
    let unchanged = app
        .get("/api/v1/retention-rules", &admin)
        .await
        .expect(200)
        .body;
    assert_eq!(unchanged, rules);
    assert_eq!(journaled(&app, "retention.rule.update"), 0);

    // A longer rule (funders asking for 6 years) keeps them at 37 months.
    let six = put_rule(
        &app,
        &admin,
        "administrative_documents",
        json!({ "months_after_end": 72 }),
    )
    .await
    .expect(200);
    assert_eq!(six.body["months_after_end"], 72);
    assert!(six.body["updated_at"].is_string());
    assert_eq!(job(&app, later(ended, 37)).await, None);
    pdf(&app, &admin, &conv, 200).await;

    // Back to 36: 37 months after the end they go, rows, stored PDFs and signature requests.
    put_rule(
        &app,
        &admin,
        "administrative_documents",
        json!({ "months_after_end": 36 }),
    )
    .await
    .expect(200);
    assert_eq!(journaled(&app, "retention.rule.update"), 2);
    let run = job(&app, later(ended, 37)).await.expect("a run");
    assert_eq!(run["run"]["trigger"], "job");
    assert_eq!(run["run"]["items"], 2);
    pdf(&app, &admin, &conv, 404).await;
    pdf(&app, &beneficiary, &info_id, 404).await;
    assert!(!stored(&app, &conv_key).await && !stored(&app, &info_key).await);
    let verified = verify(&app, &conv_sha).await.expect(200);
    assert_eq!(verified.body["issued"], false);
    let requests: i64 = boussole_api::schema::signature_requests::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(requests, 0);
    let listed = app
        .get(&format!("/api/v1/bilans/{bilan}/documents"), &admin)
        .await
        .expect(200);
    assert_eq!(listed.body, json!([]));
    // Once: the next pass finds nothing.
    assert_eq!(job(&app, later(ended, 38)).await, None);

    // The record: what, which bilan, which rule, when — no content.
    let items = run["items"].as_array().unwrap();
    let reference = items[0]["bilan_reference"].as_str().unwrap().to_string();
    assert!(reference.starts_with("B-"));
    let whats: Vec<&str> = items.iter().map(|i| i["what"].as_str().unwrap()).collect();
    assert_eq!(
        whats,
        [
            format!("Convention tripartite de bilan de compétences v1 du bilan {reference}"),
            format!("Information préalable au contrat v1 du bilan {reference}"),
        ]
    );
    for item in items {
        assert_eq!(item["class"], "administrative_documents");
        assert!(
            item["rule"]
                .as_str()
                .unwrap()
                .contains("fin de l'action + 36 mois")
        );
        assert_eq!(item["bilan_reference"], reference.as_str());
    }
    let id = run["run"]["id"].as_str().unwrap().to_string();
    let page = app
        .get("/api/v1/destruction-runs", &admin)
        .await
        .expect(200)
        .body;
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["id"], id.as_str());
    assert_eq!(page["items"][0]["items"], 2);
    let detail = app
        .get(&format!("/api/v1/destruction-runs/{id}"), &admin)
        .await
        .expect(200)
        .body;
    assert_eq!(detail, run);
    for token in [&consultant, &beneficiary] {
        app.get(&format!("/api/v1/destruction-runs/{id}"), token)
            .await
            .expect(403);
        download(
            &app,
            token,
            &format!("/api/v1/destruction-runs/{id}/pdf"),
            403,
        )
        .await;
    }
    let unknown = uuid::Uuid::new_v4();
    app.get(&format!("/api/v1/destruction-runs/{unknown}"), &admin)
        .await
        .expect(404);
    download(
        &app,
        &admin,
        &format!("/api/v1/destruction-runs/{unknown}/pdf"),
        404,
    )
    .await;

    // The procès-verbal, read back.
    let bytes = download(
        &app,
        &admin,
        &format!("/api/v1/destruction-runs/{id}/pdf"),
        200,
    )
    .await;
    let text = text_of(&bytes);
    has_all(
        &text,
        &[
            "Cap Horizons Conseil",
            "SIRET 81234567800013",
            "Procès-verbal de destruction",
            "tâche périodique de conservation",
            "R6313-7",
            "Convention tripartite de bilan de compétences v1 du bilan",
            "Information préalable au contrat v1 du bilan",
            &reference,
            "Documents administratifs",
            "Règles appliquées",
            "Documents administratifs : fin de l'action + 36 mois",
            "Page 1 / 1",
        ],
    );
    assert_eq!(journaled(&app, "retention.destruction_run.download"), 1);

    // Run now: recorded even with nothing to destroy, journaled, listed first.
    let now = app
        .post("/api/v1/destruction-runs", Some(&admin), json!({}))
        .await
        .expect(201)
        .body;
    assert_eq!(now["run"]["trigger"], "admin");
    assert_eq!(now["run"]["items"], 0);
    assert_eq!(now["items"], json!([]));
    assert_eq!(journaled(&app, "retention.destruction_run"), 2);
    let page = app
        .get("/api/v1/destruction-runs?per_page=1", &admin)
        .await
        .expect(200)
        .body;
    assert_eq!(page["total"], 2);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    app.get("/api/v1/destruction-runs?per_page=0", &admin)
        .await
        .expect(400);
    let empty = text_of(
        &download(
            &app,
            &admin,
            &format!(
                "/api/v1/destruction-runs/{}/pdf",
                now["run"]["id"].as_str().unwrap()
            ),
            200,
        )
        .await,
    );
    has_all(
        &empty,
        &["à la demande d'un administrateur", "Aucun élément"],
    );
}

async fn the_retention_agreement_keeps_what_it_names(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    let consents = |bilan: &str| format!("/api/v1/bilans/{bilan}/consents");

    // An agreement that keeps the results only: the consultant's notes go at the end of the action.
    let first = start_bilan(&app, &admin, "cpf").await;
    note(&app, &consultant, &first, "Piste : formatrice", false)
        .await
        .expect(201);
    for wrong in [
        json!({ "kind": "retention", "retention_months": 12, "kept": [] }),
        json!({ "kind": "retention", "retention_months": 12, "kept": ["everything"] }),
        json!({ "kind": "share", "recipient": "Employeur : ACME", "scope": "le document de synthèse", "kept": ["notes"] }),
    ] {
        app.post(&consents(&first), Some(&beneficiary), wrong)
            .await
            .expect(400);
    }
    let given = app
        .post(
            &consents(&first),
            Some(&beneficiary),
            json!({ "kind": "retention", "retention_months": 24, "kept": ["results"] }),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(given["kept"], json!(["results"]));
    let statement = given["statement"].as_str().unwrap();
    assert!(statement.contains("24 mois") && statement.contains("les résultats détaillés"));
    assert!(!statement.contains("notes du consultant"), "{statement}");
    assert!(statement.contains("Les autres documents sont détruits à la fin de l'action"));
    let listed = app.get(&consents(&first), &beneficiary).await.expect(200);
    let retention = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "retention")
        .unwrap()
        .clone();
    assert_eq!(retention["kept"], json!(["results"]));
    end_action(&app, &consultant, &first).await;
    let shown = app
        .get(&format!("/api/v1/bilans/{first}"), &consultant)
        .await
        .expect(200)
        .body;
    assert!(shown["retention_until"].is_string());
    assert!(shown["content_destroyed_at"].is_null());
    let notes = app
        .get(&format!("/api/v1/bilans/{first}/notes"), &consultant)
        .await
        .expect(200);
    assert_eq!(notes.body, json!([]));
    assert!(raw_note_bytes(&app).is_empty());

    // An agreement that keeps the notes: they stay readable until the agreed period ends, then the
    // job destroys them and records it under the follow-up rule.
    let second = start_bilan(&app, &admin, "cpf").await;
    note(&app, &consultant, &second, "Piste : libraire", false)
        .await
        .expect(201);
    app.post(
        &consents(&second),
        Some(&beneficiary),
        json!({ "kind": "retention", "retention_months": 12, "kept": ["notes"] }),
    )
    .await
    .expect(201);
    let ended = end_action(&app, &consultant, &second).await;
    let notes = app
        .get(&format!("/api/v1/bilans/{second}/notes"), &consultant)
        .await
        .expect(200);
    assert_eq!(notes.body[0]["body"], "Piste : libraire");
    assert_eq!(job(&app, later(ended, 11)).await, None);
    app.get(&format!("/api/v1/bilans/{second}/notes"), &consultant)
        .await
        .expect(200);
    let run = job(&app, later(ended, 13)).await.expect("a run");
    let items = run["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["class"], "follow_up_documents");
    assert!(
        items[0]["what"]
            .as_str()
            .unwrap()
            .starts_with("Documents conservés pour le suivi du bilan B-")
    );
    assert!(items[0]["rule"].as_str().unwrap().contains("+ 36 mois"));
    app.get(&format!("/api/v1/bilans/{second}/notes"), &consultant)
        .await
        .expect(422);
    assert!(raw_note_bytes(&app).is_empty());
}
