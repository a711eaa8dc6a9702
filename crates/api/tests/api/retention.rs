//! Retention and destruction (issue 12, item 4): the rules as data an admin moves within bounds, the
//! destruction job run with a clock the test holds (no sleeping), the record of each run and its
//! procès-verbal read back, and the retention agreement that keeps only what it names.

use boussole_api::journal::Actor;
use boussole_api::retention::destroy::{self, Source};
use chrono::{Months, NaiveDateTime};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use boussole_shared::Page;
use boussole_shared::bilans::{Bilan, Consent, ConsentKind, NewConsent, Note};
use boussole_shared::documents::{DocumentKind, IssuedDocument};
use boussole_shared::retention::{
    DestructionRun, DestructionRunDetail, KeptDocument, RetentionClass, RetentionRule,
    RetentionRuleUpdate,
};

use crate::bilans::{note, raw_note_bytes};
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
pub async fn job(app: &TestApp, now: NaiveDateTime) -> Option<DestructionRunDetail> {
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
}

pub async fn stored(app: &TestApp, key: &str) -> bool {
    let storage = boussole_api::storage::Storage::from_config(&app.config).unwrap();
    storage.get(key).await.is_ok()
}

/// A rule's new duration; a body the DTO cannot express goes through [`put_rule_raw`].
async fn put_rule(app: &TestApp, token: &str, class: &str, months: i64) -> Answer<RetentionRule> {
    let body = RetentionRuleUpdate {
        months_after_end: months,
    };
    app.put_as(&format!("/api/v1/retention-rules/{class}"), token, &body)
        .await
}

async fn put_rule_raw(app: &TestApp, token: &str, class: &str, body: Value) -> Answer {
    let path = format!("/api/v1/retention-rules/{class}");
    app.call(Method::PUT, &path, Some(token), Some(body)).await
}

fn rule(rules: &[RetentionRule], class: RetentionClass) -> &RetentionRule {
    rules.iter().find(|r| r.class == class).unwrap()
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

pub async fn end_action(app: &TestApp, token: &str, bilan: Uuid) -> NaiveDateTime {
    abandon(app, token, bilan, "Reprise d'un emploi").await;
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
    let rules: Vec<RetentionRule> = app.get_as("/api/v1/retention-rules", &admin).await.ok(200);
    assert_eq!(rules.len(), 4);
    let months = |class| rule(&rules, class).months_after_end;
    assert_eq!(months(RetentionClass::AdministrativeDocuments), 36);
    assert_eq!(months(RetentionClass::SynthesisCep), 36);
    assert_eq!(months(RetentionClass::FollowUpDocuments), 36);
    assert_eq!(months(RetentionClass::BilanContent), 0);
    let admin_rule = rule(&rules, RetentionClass::AdministrativeDocuments);
    assert_eq!(admin_rule.min_months, 36);
    assert_eq!(admin_rule.max_months, 120);
    assert!(admin_rule.basis.contains("R6313-7"));
    for token in [&consultant, &beneficiary] {
        app.get("/api/v1/retention-rules", token).await.expect(403);
        put_rule(&app, token, "administrative_documents", 60)
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
    let bilan = crate::signatures::prepared(&app, &admin, FundingMode::Employer).await;
    let convention = issue(&app, &consultant, bilan, DocumentKind::TripartiteConvention)
        .await
        .ok(201);
    let (conv, conv_sha) = (convention.id, convention.sha256);
    let signers = crate::signatures::signers();
    crate::signatures::request(&app, &admin, conv, &signers)
        .await
        .expect(201);
    let info_id = issue(&app, &admin, bilan, DocumentKind::PreContractInfo)
        .await
        .ok(201)
        .id;
    let key =
        |id: Uuid| boussole_api::documents::store::storage_key(&bilan.to_string(), &id.to_string());
    let (conv_key, info_key) = (key(conv), key(info_id));
    assert!(stored(&app, &conv_key).await && stored(&app, &info_key).await);
    let ended = end_action(&app, &consultant, bilan).await;

    // 35 months after the end: kept, and a pass that destroyed nothing leaves no record.
    assert_eq!(job(&app, later(ended, 35)).await, None);
    pdf(&app, &admin, conv, 200).await;
    assert!(stored(&app, &info_key).await);

    // Out of bounds, an unknown class, a bad body: refused, nothing changed.
    let admin_docs = "administrative_documents";
    put_rule(&app, &admin, admin_docs, 35).await.expect(422);
    put_rule(&app, &admin, admin_docs, 121).await.expect(422);
    put_rule(&app, &admin, "synthesis_cep", 37)
        .await
        .expect(422);
    put_rule(&app, &admin, "bilan_content", 1).await.expect(422);
    put_rule(&app, &admin, "invoices", 120).await.expect(404);
    put_rule_raw(
        &app,
        &admin,
        admin_docs,
        json!({ "months_after_end": "six ans" }),
    )
    .await
    .expect(400);
    put_rule_raw(&app, &admin, admin_docs, json!({}))
        .await
        .expect(400);
    let unchanged: Vec<RetentionRule> = app.get_as("/api/v1/retention-rules", &admin).await.ok(200);
    assert_eq!(unchanged, rules);
    assert_eq!(journaled(&app, "retention.rule.update"), 0);

    // A longer rule (funders asking for 6 years) keeps them at 37 months.
    let six = put_rule(&app, &admin, admin_docs, 72).await.ok(200);
    assert_eq!(six.months_after_end, 72);
    assert!(six.updated_at.is_some());
    assert_eq!(job(&app, later(ended, 37)).await, None);
    pdf(&app, &admin, conv, 200).await;

    // Back to 36: 37 months after the end they go, rows, stored PDFs and signature requests.
    put_rule(&app, &admin, admin_docs, 36).await.expect(200);
    assert_eq!(journaled(&app, "retention.rule.update"), 2);
    let run = job(&app, later(ended, 37)).await.expect("a run");
    assert_eq!(run.run.trigger, "job");
    assert_eq!(run.run.items, 2);
    pdf(&app, &admin, conv, 404).await;
    pdf(&app, &beneficiary, info_id, 404).await;
    assert!(!stored(&app, &conv_key).await && !stored(&app, &info_key).await);
    let verified = verify(&app, &conv_sha).await.ok(200);
    assert!(!verified.issued);
    let requests: i64 = boussole_api::schema::signature_requests::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(requests, 0);
    let listed: Vec<IssuedDocument> = app
        .get_as(&format!("/api/v1/bilans/{bilan}/documents"), &admin)
        .await
        .ok(200);
    assert!(listed.is_empty());
    // Once: the next pass finds nothing.
    assert_eq!(job(&app, later(ended, 38)).await, None);

    // The record: what, which bilan, which rule, when — no content.
    let items = &run.items;
    let reference = items[0].bilan_reference.clone().unwrap();
    assert!(reference.starts_with("B-"));
    let whats: Vec<&str> = items.iter().map(|i| i.what.as_str()).collect();
    assert_eq!(
        whats,
        [
            format!("Convention tripartite de bilan de compétences v1 du bilan {reference}"),
            format!("Information préalable au contrat v1 du bilan {reference}"),
        ]
    );
    for item in items {
        assert_eq!(item.class, RetentionClass::AdministrativeDocuments);
        assert!(item.rule.contains("fin de l'action + 36 mois"));
        assert_eq!(item.bilan_reference.as_deref(), Some(reference.as_str()));
    }
    let id = run.run.id;
    let page: Page<DestructionRun> = app.get_as("/api/v1/destruction-runs", &admin).await.ok(200);
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].id, id);
    assert_eq!(page.items[0].items, 2);
    let detail: DestructionRunDetail = app
        .get_as(&format!("/api/v1/destruction-runs/{id}"), &admin)
        .await
        .ok(200);
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
    let now: DestructionRunDetail = app
        .post_as("/api/v1/destruction-runs", Some(&admin), &json!({}))
        .await
        .ok(201);
    assert_eq!(now.run.trigger, "admin");
    assert_eq!(now.run.items, 0);
    assert!(now.items.is_empty());
    assert_eq!(journaled(&app, "retention.destruction_run"), 2);
    let page: Page<DestructionRun> = app
        .get_as("/api/v1/destruction-runs?per_page=1", &admin)
        .await
        .ok(200);
    assert_eq!(page.total, 2);
    assert_eq!(page.items.len(), 1);
    app.get("/api/v1/destruction-runs?per_page=0", &admin)
        .await
        .expect(400);
    let empty = text_of(
        &download(
            &app,
            &admin,
            &format!("/api/v1/destruction-runs/{}/pdf", now.run.id),
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
    let consents = |bilan: Uuid| format!("/api/v1/bilans/{bilan}/consents");
    let keeping = |months: i64, kept: Vec<KeptDocument>| NewConsent {
        retention_months: Some(months),
        kept: Some(kept),
        ..consent_of(ConsentKind::Retention)
    };

    // An agreement that keeps the results only: the consultant's notes go at the end of the action.
    let first = start_bilan(&app, &admin, FundingMode::Cpf).await;
    note(&app, &consultant, first, "Piste : formatrice", false)
        .await
        .expect(201);
    let share_notes = NewConsent {
        recipient: Some("Employeur : ACME".into()),
        scope: Some("le document de synthèse".into()),
        kept: Some(vec![KeptDocument::Notes]),
        ..consent_of(ConsentKind::Share)
    };
    for wrong in [keeping(12, vec![]), share_notes] {
        app.consent(&beneficiary, first, &wrong).await.expect(400);
    }
    // A kind of document that does not exist: only raw JSON can say it.
    app.post(
        &consents(first),
        Some(&beneficiary),
        json!({ "kind": "retention", "retention_months": 12, "kept": ["everything"] }),
    )
    .await
    .expect(400);
    let results = keeping(24, vec![KeptDocument::Results]);
    let given = app.consent(&beneficiary, first, &results).await.ok(201);
    assert_eq!(given.kept, vec![KeptDocument::Results]);
    let statement = &given.statement;
    assert!(statement.contains("24 mois") && statement.contains("les résultats détaillés"));
    assert!(!statement.contains("notes du consultant"), "{statement}");
    assert!(statement.contains("Les autres documents sont détruits à la fin de l'action"));
    let listed: Vec<Consent> = app.get_as(&consents(first), &beneficiary).await.ok(200);
    let retention = listed
        .iter()
        .find(|c| c.kind == ConsentKind::Retention)
        .unwrap();
    assert_eq!(retention.kept, vec![KeptDocument::Results]);
    end_action(&app, &consultant, first).await;
    let shown: Bilan = app.bilan(&consultant, first).await.ok(200);
    assert!(shown.retention_until.is_some());
    assert!(shown.content_destroyed_at.is_none());
    let notes: Vec<Note> = app
        .get_as(&format!("/api/v1/bilans/{first}/notes"), &consultant)
        .await
        .ok(200);
    assert!(notes.is_empty());
    assert!(raw_note_bytes(&app).is_empty());

    // An agreement that keeps the notes: they stay readable until the agreed period ends, then the
    // job destroys them and records it under the follow-up rule.
    let second = start_bilan(&app, &admin, FundingMode::Cpf).await;
    note(&app, &consultant, second, "Piste : libraire", false)
        .await
        .expect(201);
    let notes_kept = keeping(12, vec![KeptDocument::Notes]);
    app.consent(&beneficiary, second, &notes_kept)
        .await
        .expect(201);
    let ended = end_action(&app, &consultant, second).await;
    let notes: Vec<Note> = app
        .get_as(&format!("/api/v1/bilans/{second}/notes"), &consultant)
        .await
        .ok(200);
    assert_eq!(notes[0].body, "Piste : libraire");
    assert_eq!(job(&app, later(ended, 11)).await, None);
    app.get(&format!("/api/v1/bilans/{second}/notes"), &consultant)
        .await
        .expect(200);
    let run = job(&app, later(ended, 13)).await.expect("a run");
    let items = &run.items;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].class, RetentionClass::FollowUpDocuments);
    assert!(
        items[0]
            .what
            .starts_with("Documents conservés pour le suivi du bilan B-")
    );
    assert!(items[0].rule.contains("+ 36 mois"));
    app.get(&format!("/api/v1/bilans/{second}/notes"), &consultant)
        .await
        .expect(422);
    assert!(raw_note_bytes(&app).is_empty());
}
