//! The document de synthèse (issue 12, item 2): prefill, revisions and their conflicts, comments both
//! ways, the beneficiary's approval at a revision, the issued PDF read back; content throughout
//! (admins 403, other people 404); bad input changes nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::bilans::{missing, start_bilan};
use crate::documents::{demo_identity, has_all, pdf, put_identity, text_of};
use crate::helpers::*;

on_both_backends!(
    a_synthese_is_drafted_commented_approved_and_issued,
    the_synthese_is_content_admins_403_others_404,
    bad_input_changes_nothing,
    two_saves_at_one_revision_one_wins,
    the_synthese_and_its_pdf_are_destroyed_with_the_content
);

const SECTIONS: [(&str, &str); 8] = [
    (
        "circumstances",
        "Bilan demandé après un licenciement économique ; œuvre commune.",
    ),
    (
        "skills",
        "Gestion d'équipe, négociation, rigueur comptable éprouvée.",
    ),
    (
        "investigation_results",
        "Code Holland SEC ; enquêtes auprès de deux conseillères.",
    ),
    (
        "project",
        "Conseillère en insertion professionnelle (K1801).",
    ),
    ("alternatives", "Formatrice en comptabilité pour adultes."),
    (
        "factors_for",
        "Expérience du terrain, réseau déjà établi à Lyon.",
    ),
    (
        "factors_against",
        "Titre professionnel à obtenir ; rémunération moindre au début.",
    ),
    (
        "follow_up",
        "Entretien de suivi proposé dans six mois, à distance.",
    ),
];

pub fn full_sections() -> Value {
    let mut s = serde_json::Map::new();
    for (k, v) in SECTIONS {
        s.insert(k.into(), json!(v));
    }
    s.insert(
        "action_plan".into(),
        json!([
            { "step": "S'inscrire au titre professionnel CIP", "horizon": "d'ici 3 mois" },
            { "step": "Rencontrer deux employeurs du secteur", "horizon": "d'ici 1 mois" },
        ]),
    );
    Value::Object(s)
}

pub fn url(bilan: &str, tail: &str) -> String {
    format!("/api/v1/bilans/{bilan}/synthesis{tail}")
}

pub async fn save(
    app: &TestApp,
    token: &str,
    bilan: &str,
    revision: i64,
    sections: Value,
) -> Answer {
    app.call(
        Method::PUT,
        &url(bilan, ""),
        Some(token),
        Some(json!({ "revision": revision, "sections": sections })),
    )
    .await
}

/// A bilan of the demo beneficiary and consultant, with the organisation's identity set.
pub async fn setup(app: &TestApp) -> (String, String, String, String) {
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    put_identity(app, &admin, demo_identity()).await.expect(200);
    let bilan = start_bilan(app, &admin, "self_funded").await;
    (admin, consultant, beneficiary, bilan)
}

/// The number of synthèse rows and comments (to check that refusals change nothing).
fn counts(app: &TestApp) -> (i64, i64, i64) {
    use boussole_api::schema::{syntheses, synthesis_comments};
    use diesel::prelude::*;
    let mut conn = app.conn();
    let revisions: Option<i64> = syntheses::table
        .select(diesel::dsl::max(syntheses::revision))
        .first(&mut conn)
        .unwrap();
    let rows: i64 = syntheses::table.count().get_result(&mut conn).unwrap();
    let comments: i64 = synthesis_comments::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    (rows, revisions.unwrap_or(0), comments)
}

async fn a_synthese_is_drafted_commented_approved_and_issued(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (_admin, consultant, beneficiary, bilan) = setup(&app).await;

    // Before any save: the consultant reads a prefilled draft at revision 0; the beneficiary 404.
    let first = app.get(&url(&bilan, ""), &consultant).await.expect(200);
    assert_eq!(first.body["revision"], 0);
    assert_eq!(first.body["status"], "draft");
    let prefill = first.body["sections"]["follow_up"].as_str().unwrap();
    assert!(prefill.contains("entretien de suivi"), "{prefill}");
    assert!(
        first.body["sections"]["circumstances"]
            .as_str()
            .unwrap()
            .contains("bilan de compétences")
    );
    app.get(&url(&bilan, ""), &beneficiary).await.expect(404);

    // A first save with two sections left empty; submitting lists them (422), nothing changes.
    let mut partial = full_sections();
    partial["alternatives"] = json!("");
    partial["action_plan"] = json!([]);
    let saved = save(&app, &consultant, &bilan, 0, partial)
        .await
        .expect(200);
    assert_eq!(saved.body["revision"], 1);
    let refused = app
        .post(&url(&bilan, "/submit"), Some(&consultant), json!({}))
        .await
        .expect(422);
    assert!(refused.problem_type().ends_with("synthesis-incomplete"));
    assert_eq!(missing(&refused), vec!["alternatives", "action_plan"]);
    app.get(&url(&bilan, ""), &beneficiary).await.expect(404);

    // A stale revision is refused (409) and changes nothing.
    save(&app, &consultant, &bilan, 0, full_sections())
        .await
        .expect(409);
    assert_eq!(counts(&app).1, 1);
    let saved = save(&app, &consultant, &bilan, 1, full_sections())
        .await
        .expect(200);
    assert_eq!(saved.body["revision"], 2);

    // Submitted: the beneficiary reads it, is notified, and comments; the consultant answers.
    let submitted = app
        .post(&url(&bilan, "/submit"), Some(&consultant), json!({}))
        .await
        .expect(200);
    assert_eq!(submitted.body["status"], "submitted");
    let read = app.get(&url(&bilan, ""), &beneficiary).await.expect(200);
    assert_eq!(read.body["sections"]["project"], SECTIONS[3].1);
    let notes = app
        .get("/api/v1/notifications", &beneficiary)
        .await
        .expect(200);
    assert!(notes.body.to_string().contains("prêt pour votre relecture"));
    let asked = app
        .post(
            &url(&bilan, "/comments"),
            Some(&beneficiary),
            json!({ "section": "action_plan", "body": "Pouvons-nous avancer l'échéance de la formation ?" }),
        )
        .await
        .expect(201);
    assert_eq!(asked.body["author_role"], "beneficiary");
    assert_eq!(asked.body["section"], "action_plan");
    app.post(
        &url(&bilan, "/comments"),
        Some(&consultant),
        json!({ "section": null, "body": "Oui, je modifie le plan d'action." }),
    )
    .await
    .expect(201);
    let both = app.get(&url(&bilan, ""), &consultant).await.expect(200);
    let comments = both.body["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0]["author_role"], "beneficiary");
    assert_eq!(comments[1]["author_role"], "consultant");
    assert!(!comments[1]["author_name"].as_str().unwrap().is_empty());

    // Approval needs the submitted revision; issuing needs an approval.
    app.post(
        &url(&bilan, "/approve"),
        Some(&beneficiary),
        json!({ "revision": 1 }),
    )
    .await
    .expect(409);
    app.post(&url(&bilan, "/issue"), Some(&consultant), json!({}))
        .await
        .expect(409);
    let approved = app
        .post(
            &url(&bilan, "/approve"),
            Some(&beneficiary),
            json!({ "revision": 2 }),
        )
        .await
        .expect(200);
    assert_eq!(approved.body["status"], "approved");
    assert!(approved.body["approved_at"].is_string());

    // Editing after approval sends it back to draft, approval cleared; approving the old revision
    // is refused until it is submitted again.
    let mut edited = full_sections();
    edited["action_plan"][0]["horizon"] = json!("d'ici 2 mois");
    let back = save(&app, &consultant, &bilan, 2, edited).await.expect(200);
    assert_eq!(back.body["status"], "draft");
    assert!(back.body["approved_at"].is_null());
    app.post(
        &url(&bilan, "/approve"),
        Some(&beneficiary),
        json!({ "revision": 3 }),
    )
    .await
    .expect(409);
    app.post(&url(&bilan, "/submit"), Some(&consultant), json!({}))
        .await
        .expect(200);
    app.post(
        &url(&bilan, "/approve"),
        Some(&beneficiary),
        json!({ "revision": 3 }),
    )
    .await
    .expect(200);

    // Issued: the PDF holds every section's text with its accents and the L6313-4 mention.
    let issued = app
        .post(&url(&bilan, "/issue"), Some(&consultant), json!({}))
        .await
        .expect(201);
    assert_eq!(issued.body["kind"], "synthese");
    assert_eq!(issued.body["title"], "Document de synthèse");
    let doc = issued.body["id"].as_str().unwrap().to_string();
    let bytes = pdf(&app, &beneficiary, &doc, 200).await;
    assert_eq!(crate::documents::sha256(&bytes), issued.body["sha256"]);
    let text = text_of(&bytes);
    let mut wanted: Vec<&str> = SECTIONS.iter().map(|(_, v)| *v).collect();
    wanted.extend([
        "Document de synthèse",
        "Principales étapes du plan d'action",
        "S'inscrire au titre professionnel CIP",
        "d'ici 2 mois",
        "remis au seul bénéficiaire",
        "L6313-4",
        "conseil en évolution professionnelle",
        "Cap Horizons Conseil",
        "Page 1 /",
    ]);
    has_all(&text, &wanted);
    pdf(&app, &consultant, &doc, 200).await;

    // The fact the conclusion gate reads, dated today; the beneficiary told, never the content.
    let facts = app
        .get(&format!("/api/v1/bilans/{bilan}/facts"), &consultant)
        .await
        .expect(200);
    assert!(
        facts
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "synthese_delivered"),
        "{}",
        facts.body
    );
    let notes = app
        .get("/api/v1/notifications", &beneficiary)
        .await
        .expect(200);
    assert!(
        notes
            .body
            .to_string()
            .contains("Votre document de synthèse est disponible")
    );
    for mail in app.mailbox().await {
        for (_, v) in SECTIONS {
            assert!(!mail.text.contains(v), "content in an email: {}", mail.text);
        }
    }
    let state = app.get(&url(&bilan, ""), &beneficiary).await.expect(200);
    assert_eq!(state.body["status"], "issued");
    assert_eq!(state.body["issued_document_id"], doc.as_str());

    // Issued is final: no save, comment nor second issue.
    save(&app, &consultant, &bilan, 3, full_sections())
        .await
        .expect(409);
    app.post(
        &url(&bilan, "/comments"),
        Some(&beneficiary),
        json!({ "body": "Merci !" }),
    )
    .await
    .expect(409);
    app.post(&url(&bilan, "/issue"), Some(&consultant), json!({}))
        .await
        .expect(409);
}

async fn the_synthese_is_content_admins_403_others_404(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (admin, consultant, beneficiary, bilan) = setup(&app).await;
    save(&app, &consultant, &bilan, 0, full_sections())
        .await
        .expect(200);
    app.post(&url(&bilan, "/submit"), Some(&consultant), json!({}))
        .await
        .expect(200);
    app.post(
        &url(&bilan, "/approve"),
        Some(&beneficiary),
        json!({ "revision": 1 }),
    )
    .await
    .expect(200);
    let doc = app
        .post(&url(&bilan, "/issue"), Some(&consultant), json!({}))
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Admins: 403 on every synthèse route and on the issued document; it is not in their list.
    app.get(&url(&bilan, ""), &admin).await.expect(403);
    save(&app, &admin, &bilan, 1, full_sections())
        .await
        .expect(403);
    for (tail, body) in [
        ("/submit", json!({})),
        ("/comments", json!({ "body": "Lu." })),
        ("/approve", json!({ "revision": 1 })),
        ("/issue", json!({})),
    ] {
        app.post(&url(&bilan, tail), Some(&admin), body)
            .await
            .expect(403);
    }
    app.get(&format!("/api/v1/documents/{doc}"), &admin)
        .await
        .expect(403);
    pdf(&app, &admin, &doc, 403).await;
    let listed = app
        .get(&format!("/api/v1/bilans/{bilan}/documents"), &admin)
        .await
        .expect(200);
    assert!(!listed.body.to_string().contains(&doc), "{}", listed.body);
    let theirs = app
        .get(&format!("/api/v1/bilans/{bilan}/documents"), &beneficiary)
        .await
        .expect(200);
    assert!(theirs.body.to_string().contains(&doc));
    // Nor can it be issued through the generic route.
    app.post(
        &format!("/api/v1/bilans/{bilan}/documents"),
        Some(&admin),
        json!({ "kind": "synthese" }),
    )
    .await
    .expect(400);

    // Another consultant, another beneficiary: 404 everywhere.
    for other in ["consultante2@boussole.test", "lucas.moreau@boussole.test"] {
        let token = app.token(other).await;
        app.get(&url(&bilan, ""), &token).await.expect(404);
        app.post(
            &url(&bilan, "/comments"),
            Some(&token),
            json!({ "body": "Bonjour" }),
        )
        .await
        .expect(404);
        app.get(&format!("/api/v1/documents/{doc}"), &token)
            .await
            .expect(404);
        pdf(&app, &token, &doc, 404).await;
    }
    let other = app.token("consultante2@boussole.test").await;
    save(&app, &other, &bilan, 1, full_sections())
        .await
        .expect(404);
    app.post(&url(&bilan, "/issue"), Some(&other), json!({}))
        .await
        .expect(404);
    let lucas = app.token("lucas.moreau@boussole.test").await;
    app.post(
        &url(&bilan, "/approve"),
        Some(&lucas),
        json!({ "revision": 1 }),
    )
    .await
    .expect(404);
}

async fn bad_input_changes_nothing(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (_admin, consultant, beneficiary, bilan) = setup(&app).await;
    save(&app, &consultant, &bilan, 0, full_sections())
        .await
        .expect(200);
    let before = counts(&app);

    // Oversized section, oversized plan, negative revision: 400 naming the field.
    let mut long = full_sections();
    long["skills"] = json!("é".repeat(20_001));
    let refused = save(&app, &consultant, &bilan, 1, long).await.expect(400);
    assert!(
        refused.body.to_string().contains("skills"),
        "{}",
        refused.body
    );
    let mut steps = full_sections();
    steps["action_plan"] = json!(vec![json!({ "step": "Une étape", "horizon": "" }); 31]);
    save(&app, &consultant, &bilan, 1, steps).await.expect(400);
    let mut blank_step = full_sections();
    blank_step["action_plan"] = json!([{ "step": "", "horizon": "demain" }]);
    save(&app, &consultant, &bilan, 1, blank_step)
        .await
        .expect(400);
    save(&app, &consultant, &bilan, -1, full_sections())
        .await
        .expect(400);

    // Malformed JSON, a wrong type, not JSON at all.
    for (body, ctype, status) in [
        ("{\"revision\": 1, \"sections\": {", "application/json", 400),
        (
            "{\"revision\": \"un\", \"sections\": {}}",
            "application/json",
            400,
        ),
        ("revision=1", "text/plain", 415),
    ] {
        let res = app
            .client
            .put(format!("{}{}", app.base, url(&bilan, "")))
            .bearer_auth(&consultant)
            .header("content-type", ctype)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{body}");
    }

    // Comments: an unknown section key, an empty or oversized body (422 / 400).
    app.post(
        &url(&bilan, "/comments"),
        Some(&consultant),
        json!({ "section": "conclusion", "body": "Texte" }),
    )
    .await
    .expect(400);
    app.post(
        &url(&bilan, "/comments"),
        Some(&consultant),
        json!({ "body": "" }),
    )
    .await
    .expect(400);
    app.post(
        &url(&bilan, "/comments"),
        Some(&consultant),
        json!({ "body": "   " }),
    )
    .await
    .expect(400);
    app.post(
        &url(&bilan, "/comments"),
        Some(&consultant),
        json!({ "body": "x".repeat(4001) }),
    )
    .await
    .expect(400);
    // The beneficiary before submission: 404; approval without a revision: 400.
    app.post(
        &url(&bilan, "/comments"),
        Some(&beneficiary),
        json!({ "body": "Bonjour" }),
    )
    .await
    .expect(404);
    app.post(&url(&bilan, "/approve"), Some(&beneficiary), json!({}))
        .await
        .expect(400);
    app.post(
        &url(&bilan, "/approve"),
        Some(&beneficiary),
        json!({ "revision": 1 }),
    )
    .await
    .expect(404);
    // A beneficiary may not save nor submit (wrong role).
    save(&app, &beneficiary, &bilan, 1, full_sections())
        .await
        .expect(403);
    app.post(&url(&bilan, "/submit"), Some(&beneficiary), json!({}))
        .await
        .expect(403);
    // An unknown bilan: 404.
    let unknown = uuid::Uuid::now_v7();
    app.get(&url(&unknown.to_string(), ""), &consultant)
        .await
        .expect(404);

    assert_eq!(counts(&app), before, "refusals changed nothing");
    let read = app.get(&url(&bilan, ""), &consultant).await.expect(200);
    assert_eq!(read.body["sections"]["skills"], SECTIONS[1].1);
}

async fn two_saves_at_one_revision_one_wins(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (_admin, consultant, _beneficiary, bilan) = setup(&app).await;
    // The first save, twice at once, then a later one, twice at once.
    for revision in [0, 1] {
        let mut a = full_sections();
        a["project"] = json!("Projet A");
        let mut b = full_sections();
        b["project"] = json!("Projet B");
        let (x, y) = futures_util::future::join(
            save(&app, &consultant, &bilan, revision, a),
            save(&app, &consultant, &bilan, revision, b),
        )
        .await;
        let mut statuses = [x.status.as_u16(), y.status.as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "revision {revision}");
        let winner = if x.status == 200 { x } else { y };
        let read = app.get(&url(&bilan, ""), &consultant).await.expect(200);
        assert_eq!(read.body["revision"], revision + 1);
        assert_eq!(
            read.body["sections"]["project"],
            winner.body["sections"]["project"]
        );
    }
}

async fn the_synthese_and_its_pdf_are_destroyed_with_the_content(backend: Backend) {
    use boussole_api::schema::{syntheses, synthesis_comments};
    use diesel::prelude::*;
    let app = spawn_demo(backend).await;
    let (_admin, consultant, beneficiary, bilan) = setup(&app).await;
    save(&app, &consultant, &bilan, 0, full_sections())
        .await
        .expect(200);
    app.post(&url(&bilan, "/submit"), Some(&consultant), json!({}))
        .await
        .expect(200);
    app.post(
        &url(&bilan, "/comments"),
        Some(&beneficiary),
        json!({ "body": "D'accord." }),
    )
    .await
    .expect(201);
    app.post(
        &url(&bilan, "/approve"),
        Some(&beneficiary),
        json!({ "revision": 1 }),
    )
    .await
    .expect(200);
    let doc = app
        .post(&url(&bilan, "/issue"), Some(&consultant), json!({}))
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    pdf(&app, &beneficiary, &doc, 200).await;
    app.post(
        &format!("/api/v1/bilans/{bilan}/transitions"),
        Some(&consultant),
        json!({ "to": "abandoned", "reason": "Déménagement" }),
    )
    .await
    .expect(200);
    let gone = app.get(&url(&bilan, ""), &beneficiary).await.expect(422);
    assert!(gone.body["detail"].as_str().unwrap().contains("détruit"));
    pdf(&app, &beneficiary, &doc, 422).await;
    let mut conn = app.conn();
    let body: Option<Vec<u8>> = syntheses::table
        .find(&bilan)
        .select(syntheses::body)
        .first(&mut conn)
        .unwrap();
    assert!(body.is_none(), "sections removed");
    let comments: Vec<Option<Vec<u8>>> = synthesis_comments::table
        .select(synthesis_comments::body)
        .load(&mut conn)
        .unwrap();
    assert!(comments.iter().all(Option::is_none), "comments removed");
}
