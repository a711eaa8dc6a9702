//! The document de synthèse (issue 12, item 2): prefill, revisions and their conflicts, comments both
//! ways, the beneficiary's approval at a revision, the issued PDF read back; content throughout
//! (admins 403, other people 404); bad input changes nothing.

use boussole_shared::bilans::{Fact, FactKind};
use boussole_shared::documents::{DocumentKind, IssuedDocument};
use boussole_shared::synthesis::{
    ActionStep, NewSynthesisComment, Synthesis, SynthesisApproval, SynthesisComment,
    SynthesisDraft, SynthesisSections, SynthesisStatus,
};
use boussole_shared::users::Role;
use serde_json::json;
use uuid::Uuid;

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

fn step(step: &str, horizon: &str) -> ActionStep {
    ActionStep {
        step: step.into(),
        horizon: horizon.into(),
    }
}

/// Every section written ([`SECTIONS`] in order) and a plan of two steps.
pub fn full_sections() -> SynthesisSections {
    let text = |i: usize| SECTIONS[i].1.to_string();
    SynthesisSections {
        circumstances: text(0),
        skills: text(1),
        investigation_results: text(2),
        project: text(3),
        alternatives: text(4),
        factors_for: text(5),
        factors_against: text(6),
        follow_up: text(7),
        action_plan: vec![
            step("S'inscrire au titre professionnel CIP", "d'ici 3 mois"),
            step("Rencontrer deux employeurs du secteur", "d'ici 1 mois"),
        ],
    }
}

fn comment(section: Option<&str>, body: &str) -> NewSynthesisComment {
    NewSynthesisComment {
        section: section.map(Into::into),
        body: body.into(),
    }
}

fn approval(revision: i64) -> SynthesisApproval {
    SynthesisApproval { revision }
}

/// The synthèse as `token` reads it.
async fn read(app: &TestApp, token: &str, bilan: Uuid) -> Answer<Synthesis> {
    app.get_as(&url(bilan, ""), token).await
}

/// Submits, approves, issues: the steps with an empty body.
async fn step_on(app: &TestApp, token: &str, bilan: Uuid, tail: &str) -> Answer<Synthesis> {
    app.post_as(&url(bilan, tail), Some(token), &json!({}))
        .await
}

async fn issue(app: &TestApp, consultant: &str, bilan: Uuid) -> Answer<IssuedDocument> {
    let path = url(bilan, "/issue");
    app.post_as(&path, Some(consultant), &json!({})).await
}

pub fn url(bilan: Uuid, tail: &str) -> String {
    format!("/api/v1/bilans/{bilan}/synthesis{tail}")
}

pub async fn save(
    app: &TestApp,
    token: &str,
    bilan: Uuid,
    revision: i64,
    sections: SynthesisSections,
) -> Answer<Synthesis> {
    let draft = SynthesisDraft { revision, sections };
    app.put_as(&url(bilan, ""), token, &draft).await
}

/// A bilan of the demo beneficiary and consultant, with the organisation's identity set.
pub async fn setup(app: &TestApp) -> (String, String, String, Uuid) {
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let beneficiary = app.token(BENEFICIARY).await;
    put_identity(app, &admin, demo_identity()).await.expect(200);
    let bilan = start_bilan(app, &admin, FundingMode::SelfFunded).await;
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
    let first = read(&app, &consultant, bilan).await.ok(200);
    assert_eq!(first.revision, 0);
    assert_eq!(first.status, SynthesisStatus::Draft);
    let prefill = &first.sections.follow_up;
    assert!(prefill.contains("entretien de suivi"), "{prefill}");
    assert!(
        first
            .sections
            .circumstances
            .contains("bilan de compétences")
    );
    read(&app, &beneficiary, bilan).await.expect(404);

    // A first save with two sections left empty; submitting lists them (422), nothing changes.
    let partial = SynthesisSections {
        alternatives: String::new(),
        action_plan: vec![],
        ..full_sections()
    };
    let saved = save(&app, &consultant, bilan, 0, partial).await.ok(200);
    assert_eq!(saved.revision, 1);
    let refused = step_on(&app, &consultant, bilan, "/submit")
        .await
        .expect(422);
    assert!(refused.problem_type().ends_with("synthesis-incomplete"));
    assert_eq!(missing(&refused), vec!["alternatives", "action_plan"]);
    read(&app, &beneficiary, bilan).await.expect(404);

    // A stale revision is refused (409) and changes nothing.
    save(&app, &consultant, bilan, 0, full_sections())
        .await
        .expect(409);
    assert_eq!(counts(&app).1, 1);
    let saved = save(&app, &consultant, bilan, 1, full_sections())
        .await
        .ok(200);
    assert_eq!(saved.revision, 2);

    // Submitted: the beneficiary reads it, is notified, and comments; the consultant answers.
    let submitted = step_on(&app, &consultant, bilan, "/submit").await.ok(200);
    assert_eq!(submitted.status, SynthesisStatus::Submitted);
    let theirs = read(&app, &beneficiary, bilan).await.ok(200);
    assert_eq!(theirs.sections.project, SECTIONS[3].1);
    let notes = app
        .get("/api/v1/notifications", &beneficiary)
        .await
        .expect(200);
    assert!(notes.body.to_string().contains("prêt pour votre relecture"));
    let comments = url(bilan, "/comments");
    let question = comment(
        Some("action_plan"),
        "Pouvons-nous avancer l'échéance de la formation ?",
    );
    let asked: SynthesisComment = app
        .post_as(&comments, Some(&beneficiary), &question)
        .await
        .ok(201);
    assert_eq!(asked.author_role, Role::Beneficiary);
    assert_eq!(asked.section.as_deref(), Some("action_plan"));
    let answer = comment(None, "Oui, je modifie le plan d'action.");
    app.post_as::<SynthesisComment>(&comments, Some(&consultant), &answer)
        .await
        .expect(201);
    let both = read(&app, &consultant, bilan).await.ok(200);
    let comments = &both.comments;
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0].author_role, Role::Beneficiary);
    assert_eq!(comments[1].author_role, Role::Consultant);
    assert!(!comments[1].author_name.is_empty());

    // Approval needs the submitted revision; issuing needs an approval.
    let approve = url(bilan, "/approve");
    let approve_at = |revision| {
        let (app, approve, beneficiary) = (&app, &approve, &beneficiary);
        async move {
            app.post_as::<Synthesis>(approve, Some(beneficiary), &approval(revision))
                .await
        }
    };
    approve_at(1).await.expect(409);
    issue(&app, &consultant, bilan).await.expect(409);
    let approved = approve_at(2).await.ok(200);
    assert_eq!(approved.status, SynthesisStatus::Approved);
    assert!(approved.approved_at.is_some());

    // Editing after approval sends it back to draft, approval cleared; approving the old revision
    // is refused until it is submitted again.
    let mut edited = full_sections();
    edited.action_plan[0].horizon = "d'ici 2 mois".into();
    let back = save(&app, &consultant, bilan, 2, edited).await.ok(200);
    assert_eq!(back.status, SynthesisStatus::Draft);
    assert!(back.approved_at.is_none());
    approve_at(3).await.expect(409);
    step_on(&app, &consultant, bilan, "/submit")
        .await
        .expect(200);
    approve_at(3).await.expect(200);

    // Issued: the PDF holds every section's text with its accents and the L6313-4 mention.
    let issued = issue(&app, &consultant, bilan).await.ok(201);
    assert_eq!(issued.kind, DocumentKind::Synthese);
    assert_eq!(issued.title, "Document de synthèse");
    let doc = issued.id;
    let bytes = pdf(&app, &beneficiary, doc, 200).await;
    assert_eq!(crate::documents::sha256(&bytes), issued.sha256);
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
    pdf(&app, &consultant, doc, 200).await;

    // The fact the conclusion gate reads, dated today; the beneficiary told, never the content.
    let facts: Vec<Fact> = app
        .get_as(&format!("/api/v1/bilans/{bilan}/facts"), &consultant)
        .await
        .ok(200);
    assert!(
        facts.iter().any(|f| f.kind == FactKind::SyntheseDelivered),
        "{facts:?}"
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
    let state = read(&app, &beneficiary, bilan).await.ok(200);
    assert_eq!(state.status, SynthesisStatus::Issued);
    assert_eq!(state.issued_document_id, Some(doc));

    // Issued is final: no save, comment nor second issue.
    save(&app, &consultant, bilan, 3, full_sections())
        .await
        .expect(409);
    let thanks = comment(None, "Merci !");
    app.post_as::<SynthesisComment>(&url(bilan, "/comments"), Some(&beneficiary), &thanks)
        .await
        .expect(409);
    issue(&app, &consultant, bilan).await.expect(409);
}

async fn the_synthese_is_content_admins_403_others_404(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (admin, consultant, beneficiary, bilan) = setup(&app).await;
    save(&app, &consultant, bilan, 0, full_sections())
        .await
        .expect(200);
    step_on(&app, &consultant, bilan, "/submit")
        .await
        .expect(200);
    app.post_as::<Synthesis>(&url(bilan, "/approve"), Some(&beneficiary), &approval(1))
        .await
        .expect(200);
    let doc = issue(&app, &consultant, bilan).await.ok(201).id;

    // Admins: 403 on every synthèse route and on the issued document; it is not in their list.
    app.get(&url(bilan, ""), &admin).await.expect(403);
    save(&app, &admin, bilan, 1, full_sections())
        .await
        .expect(403);
    for (tail, body) in [
        ("/submit", json!({})),
        ("/comments", to_json(&comment(None, "Lu."))),
        ("/approve", to_json(&approval(1))),
        ("/issue", json!({})),
    ] {
        app.post(&url(bilan, tail), Some(&admin), body)
            .await
            .expect(403);
    }
    app.get(&format!("/api/v1/documents/{doc}"), &admin)
        .await
        .expect(403);
    pdf(&app, &admin, doc, 403).await;
    let documents = format!("/api/v1/bilans/{bilan}/documents");
    let listed: Vec<IssuedDocument> = app.get_as(&documents, &admin).await.ok(200);
    assert!(listed.iter().all(|d| d.id != doc), "{listed:?}");
    let theirs: Vec<IssuedDocument> = app.get_as(&documents, &beneficiary).await.ok(200);
    assert!(theirs.iter().any(|d| d.id == doc));
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
        read(&app, &token, bilan).await.expect(404);
        let hello = comment(None, "Bonjour");
        app.post_as::<SynthesisComment>(&url(bilan, "/comments"), Some(&token), &hello)
            .await
            .expect(404);
        app.get(&format!("/api/v1/documents/{doc}"), &token)
            .await
            .expect(404);
        pdf(&app, &token, doc, 404).await;
    }
    let other = app.token("consultante2@boussole.test").await;
    save(&app, &other, bilan, 1, full_sections())
        .await
        .expect(404);
    issue(&app, &other, bilan).await.expect(404);
    let lucas = app.token("lucas.moreau@boussole.test").await;
    app.post_as::<Synthesis>(&url(bilan, "/approve"), Some(&lucas), &approval(1))
        .await
        .expect(404);
}

async fn bad_input_changes_nothing(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (_admin, consultant, beneficiary, bilan) = setup(&app).await;
    save(&app, &consultant, bilan, 0, full_sections())
        .await
        .expect(200);
    let before = counts(&app);

    // Oversized section, oversized plan, negative revision: 400 naming the field.
    let long = SynthesisSections {
        skills: "é".repeat(20_001),
        ..full_sections()
    };
    let refused = save(&app, &consultant, bilan, 1, long).await.expect(400);
    assert!(
        refused.body.to_string().contains("skills"),
        "{}",
        refused.body
    );
    let steps = SynthesisSections {
        action_plan: vec![step("Une étape", ""); 31],
        ..full_sections()
    };
    save(&app, &consultant, bilan, 1, steps).await.expect(400);
    let blank_step = SynthesisSections {
        action_plan: vec![step("", "demain")],
        ..full_sections()
    };
    save(&app, &consultant, bilan, 1, blank_step)
        .await
        .expect(400);
    save(&app, &consultant, bilan, -1, full_sections())
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
            .put(format!("{}{}", app.base, url(bilan, "")))
            .bearer_auth(&consultant)
            .header("content-type", ctype)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{body}");
    }

    // Comments: an unknown section key, an empty or oversized body (422 / 400).
    let comments = url(bilan, "/comments");
    let long = "x".repeat(4001);
    for bad in [
        comment(Some("conclusion"), "Texte"),
        comment(None, ""),
        comment(None, "   "),
        comment(None, &long),
    ] {
        app.post_as::<SynthesisComment>(&comments, Some(&consultant), &bad)
            .await
            .expect(400);
    }
    // The beneficiary before submission: 404; approval without a revision: 400.
    let hello = comment(None, "Bonjour");
    app.post_as::<SynthesisComment>(&comments, Some(&beneficiary), &hello)
        .await
        .expect(404);
    app.post(&url(bilan, "/approve"), Some(&beneficiary), json!({}))
        .await
        .expect(400);
    app.post_as::<Synthesis>(&url(bilan, "/approve"), Some(&beneficiary), &approval(1))
        .await
        .expect(404);
    // A beneficiary may not save nor submit (wrong role).
    save(&app, &beneficiary, bilan, 1, full_sections())
        .await
        .expect(403);
    step_on(&app, &beneficiary, bilan, "/submit")
        .await
        .expect(403);
    // An unknown bilan: 404.
    let unknown = uuid::Uuid::now_v7();
    read(&app, &consultant, unknown).await.expect(404);

    assert_eq!(counts(&app), before, "refusals changed nothing");
    let kept = read(&app, &consultant, bilan).await.ok(200);
    assert_eq!(kept.sections.skills, SECTIONS[1].1);
}

async fn two_saves_at_one_revision_one_wins(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (_admin, consultant, _beneficiary, bilan) = setup(&app).await;
    // The first save, twice at once, then a later one, twice at once.
    for revision in [0, 1] {
        let project = |name: &str| SynthesisSections {
            project: name.into(),
            ..full_sections()
        };
        let (x, y) = futures_util::future::join(
            save(&app, &consultant, bilan, revision, project("Projet A")),
            save(&app, &consultant, bilan, revision, project("Projet B")),
        )
        .await;
        let mut statuses = [x.status.as_u16(), y.status.as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "revision {revision}");
        let winner = if x.status == 200 { x } else { y };
        let now = read(&app, &consultant, bilan).await.ok(200);
        assert_eq!(now.revision, revision + 1);
        assert_eq!(now.sections.project, winner.into_body().sections.project);
    }
}

async fn the_synthese_and_its_pdf_are_destroyed_with_the_content(backend: Backend) {
    use boussole_api::schema::{syntheses, synthesis_comments};
    use diesel::prelude::*;
    let app = spawn_demo(backend).await;
    let (_admin, consultant, beneficiary, bilan) = setup(&app).await;
    save(&app, &consultant, bilan, 0, full_sections())
        .await
        .expect(200);
    step_on(&app, &consultant, bilan, "/submit")
        .await
        .expect(200);
    let agreed = comment(None, "D'accord.");
    app.post_as::<SynthesisComment>(&url(bilan, "/comments"), Some(&beneficiary), &agreed)
        .await
        .expect(201);
    app.post_as::<Synthesis>(&url(bilan, "/approve"), Some(&beneficiary), &approval(1))
        .await
        .expect(200);
    let doc = issue(&app, &consultant, bilan).await.ok(201).id;
    pdf(&app, &beneficiary, doc, 200).await;
    abandon(&app, &consultant, bilan, "Déménagement").await;
    let gone = read(&app, &beneficiary, bilan).await.expect(422);
    assert!(gone.body["detail"].as_str().unwrap().contains("détruit"));
    pdf(&app, &beneficiary, doc, 422).await;
    let mut conn = app.conn();
    let body: Option<Vec<u8>> = syntheses::table
        .find(bilan.to_string())
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
