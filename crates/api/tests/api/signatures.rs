//! The documents the parties sign (issue 12): the tripartite convention and the individual contract
//! read back from their PDF, then signed in order through personal links and one-time codes; the
//! signed original carries its evidence page and `verify` tells it from a modified copy; the
//! employee's silence past 10 days refuses the convention.

use reqwest::Method;
use serde_json::{Value, json};

use crate::bilans::user_id;
use crate::documents::{demo_identity, has_all, issue, pdf, put_identity, sha256, text_of, verify};
use crate::helpers::*;

on_both_backends!(
    the_convention_is_signed_in_order_and_its_original_verified,
    silence_refuses_the_convention_and_requests_expire,
    the_individual_contract_prints_the_consumer_rules
);

const ORG_SIGNER: &str = "direction@orientest.example";
const EMPLOYER_SIGNER: &str = "rh@boulangerie-lefevre.example";

/// A bilan of the demo beneficiary, funded as `funding`, with a planned end and the employer on the
/// beneficiary's record; the organisation's identity set.
pub async fn prepared(app: &TestApp, admin: &str, funding: &str) -> String {
    put_identity(app, admin, demo_identity()).await.expect(200);
    let beneficiary = user_id(app, admin, BENEFICIARY).await;
    let record = json!({
        "situation": "employee_cdi",
        "employer": { "name": "Boulangerie Lefèvre & Fils", "siret": "73282932000074",
                      "contact": "Mme Lefèvre, DRH" },
    });
    app.call(
        Method::PUT,
        &format!("/api/v1/beneficiaries/{beneficiary}"),
        Some(admin),
        Some(record),
    )
    .await
    .expect(200);
    let body = json!({
        "beneficiary_id": beneficiary,
        "consultant_id": user_id(app, admin, CONSULTANT).await,
        "funding": funding, "format": "mixed", "planned_hours": 20,
        "planned_end_on": "2027-03-31",
    });
    let created = app
        .post("/api/v1/bilans", Some(admin), body)
        .await
        .expect(201);
    created.body["id"].as_str().unwrap().to_string()
}

pub fn signers() -> Value {
    json!({ "signers": [
        { "role": "beneficiary" },
        { "role": "organisation", "name": "Claire Martin", "email": ORG_SIGNER },
        { "role": "employer", "name": "Mme Lefèvre", "email": EMPLOYER_SIGNER },
    ]})
}

pub async fn request(app: &TestApp, token: &str, document: &str, body: Value) -> Answer {
    app.post(
        &format!("/api/v1/documents/{document}/signature-requests"),
        Some(token),
        body,
    )
    .await
}

async fn view(app: &TestApp, token: &str) -> Answer {
    app.call(Method::GET, &format!("/api/v1/sign/{token}"), None, None)
        .await
}

async fn ask_code(app: &TestApp, token: &str) -> Answer {
    app.post(
        &format!("/api/v1/sign/{token}/code"),
        None,
        json!({ "channel": "email" }),
    )
    .await
}

async fn sign(app: &TestApp, token: &str, code: &str) -> Answer {
    app.post(
        &format!("/api/v1/sign/{token}"),
        None,
        json!({ "code": code, "accept": true }),
    )
    .await
}

/// The 6-digit code of the last code email to `to`.
async fn code_for(app: &TestApp, to: &str) -> String {
    let mail = app
        .mailbox()
        .await
        .into_iter()
        .rev()
        .find(|m| m.to == to && m.subject.contains("code"))
        .unwrap_or_else(|| panic!("no code sent to {to}"));
    let at = mail.text.find("est : ").unwrap() + "est : ".len();
    mail.text[at..at + 6].to_string()
}

/// Whether a signing link was emailed to `to`.
async fn has_link(app: &TestApp, to: &str) -> bool {
    app.mailbox()
        .await
        .iter()
        .any(|m| m.to == to && m.text.contains("/signer?token="))
}

async fn sign_with_code(app: &TestApp, email: &str) {
    let token = app.last_link_token(email, "/signer?token=").await;
    assert_eq!(
        view(app, &token).await.expect(200).body["state"],
        "your_turn"
    );
    ask_code(app, &token).await.expect(200);
    let code = code_for(app, email).await;
    sign(app, &token, &code).await.expect(200);
}

async fn the_convention_is_signed_in_order_and_its_original_verified(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let consultant = app.token(CONSULTANT).await;
    let bilan = prepared(&app, &admin, "employer").await;

    // Every item R6313-8 requires, from the records.
    let doc = issue(&app, &consultant, &bilan, "tripartite_convention")
        .await
        .expect(201);
    let id = doc.body["id"].as_str().unwrap().to_string();
    let original = pdf(&app, &admin, &id, 200).await;
    let text = text_of(&original);
    has_all(
        &text,
        &[
            "Convention tripartite de bilan de compétences",
            "R6313-8",
            "Boulangerie Lefèvre & Fils",
            "73282932000074",
            "Intitulé",
            "Objectif",
            "Phase préliminaire",
            "Moyens",
            "Durée",
            "20 h",
            "du ",
            "31/03/2027",
            "remis au seul bénéficiaire",
            "Prix",
            "Règlement",
            "10 jours",
            "vaut refus",
            "ni une faute ni un motif de licenciement",
        ],
    );

    // A convention for a bilan the beneficiary pays: the funding is named missing.
    let own = prepared(&app, &admin, "self_funded").await;
    let refused = issue(&app, &admin, &own, "tripartite_convention")
        .await
        .expect(422);
    assert!(
        refused.body["missing"]
            .to_string()
            .contains("bilan.funding")
    );

    // Bad requests change nothing: a missing party, an unsignable document.
    let wrong = json!({ "signers": [{ "role": "beneficiary" }, { "role": "organisation", "name": "C", "email": ORG_SIGNER }] });
    request(&app, &admin, &id, wrong).await.expect(400);
    let sheet = issue(&app, &admin, &bilan, "pre_contract_info")
        .await
        .expect(201);
    let sheet_id = sheet.body["id"].as_str().unwrap();
    let not_signable = request(&app, &admin, sheet_id, signers()).await.expect(422);
    assert!(
        not_signable
            .problem_type()
            .ends_with("document-not-signable")
    );
    assert!(!has_link(&app, ORG_SIGNER).await);

    // Two requests at once: one is created, the other is told one is pending.
    let (a, b) = futures_util::join!(
        request(&app, &admin, &id, signers()),
        request(&app, &consultant, &id, signers())
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [201, 409]);
    let listed = app
        .get(
            &format!("/api/v1/documents/{id}/signature-requests"),
            &admin,
        )
        .await
        .expect(200);
    let req = listed.body[0].clone();
    let req_id = req["id"].as_str().unwrap().to_string();
    assert_eq!(req["status"], "pending");
    assert!(
        req["answer_by"].is_string(),
        "the employee's 10 days: {req}"
    );

    // Only the first signer has a link; the others get theirs at their turn.
    let token = app.last_link_token(BENEFICIARY, "/signer?token=").await;
    assert!(!has_link(&app, ORG_SIGNER).await && !has_link(&app, EMPLOYER_SIGNER).await);
    let seen = view(&app, &token).await.expect(200);
    assert_eq!(seen.body["state"], "your_turn");
    let consent = seen.body["consent_text"].as_str().unwrap();
    assert!(consent.contains(doc.body["sha256"].as_str().unwrap()));

    // No code yet, a wrong code, no agreement: refused, nothing signed.
    sign(&app, &token, "000000").await.expect(422);
    ask_code(&app, &token).await.expect(200);
    let code = code_for(&app, BENEFICIARY).await;
    // The code never sits readable in the outbox an admin reads.
    let outbox = app
        .get("/api/v1/outbox?per_page=100", &admin)
        .await
        .expect(200);
    let row = outbox.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "signature_code")
        .unwrap()
        .clone();
    let one = app
        .get(
            &format!("/api/v1/outbox/{}", row["id"].as_str().unwrap()),
            &admin,
        )
        .await
        .expect(200);
    assert!(!one.body.to_string().contains(&code));
    assert!(
        one.body["body"]
            .as_str()
            .unwrap()
            .contains("[code personnel masqué]")
    );
    let wrong_code = if code == "123456" { "654321" } else { "123456" };
    let bad = sign(&app, &token, wrong_code).await.expect(422);
    assert!(bad.problem_type().ends_with("signature-code-invalid"));
    app.post(
        &format!("/api/v1/sign/{token}"),
        None,
        json!({ "code": code, "accept": false }),
    )
    .await
    .expect(400);
    let still = app
        .get(
            &format!("/api/v1/documents/{id}/signature-requests"),
            &admin,
        )
        .await
        .expect(200);
    assert!(still.body[0]["signers"][0]["signed_at"].is_null());

    // The beneficiary signs; the link does not sign twice.
    let signed = sign(&app, &token, &code).await.expect(200);
    assert_eq!(signed.body["state"], "signed");
    let reused = sign(&app, &token, &code).await.expect(422);
    assert!(reused.problem_type().ends_with("signature-link-used"));

    // Then the organisation, then the employer (no account: link and code).
    assert!(!has_link(&app, EMPLOYER_SIGNER).await);
    sign_with_code(&app, ORG_SIGNER).await;
    sign_with_code(&app, EMPLOYER_SIGNER).await;

    let done = app
        .get(
            &format!("/api/v1/documents/{id}/signature-requests"),
            &admin,
        )
        .await
        .expect(200);
    let done = &done.body[0];
    assert_eq!(done["status"], "completed");
    let signed_hash = done["signed_sha256"].as_str().unwrap().to_string();

    // The signed original: the document's pages, then the evidence of each signature.
    let beneficiary = app.token(BENEFICIARY).await;
    let res = app
        .client
        .get(format!(
            "{}/api/v1/signature-requests/{req_id}/pdf",
            app.base
        ))
        .bearer_auth(&beneficiary)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let signed_pdf = res.bytes().await.unwrap().to_vec();
    assert_eq!(sha256(&signed_pdf), signed_hash);
    let pages = |b: &[u8]| lopdf::Document::load_mem(b).unwrap().get_pages().len();
    // The evidence follows the document's own pages (it may take more than one page).
    assert!(pages(&signed_pdf) > pages(&original));
    assert!(text_of(&signed_pdf).starts_with(&text_of(&original)[..200]));
    let evidence = text_of(&signed_pdf);
    has_all(
        &evidence,
        &[
            "Preuve de signature électronique",
            doc.body["sha256"].as_str().unwrap(),
            "Claire Martin",
            "Mme Lefèvre",
            EMPLOYER_SIGNER,
            "Adresse IP",
            "code à usage unique",
            "Texte accepté",
            "R6313-8",
        ],
    );

    // Verification: by hash and by file; one changed byte is a document never issued.
    let by_hash = verify(&app, &signed_hash).await.expect(200);
    assert_eq!(by_hash.body["issued"], true);
    assert_eq!(by_hash.body["signed"], true);
    assert_eq!(by_hash.body["kind"], "tripartite_convention");
    let upload = |bytes: Vec<u8>| {
        app.client
            .post(format!("{}/api/v1/documents/verify", app.base))
            .header("content-type", "application/pdf")
            .body(bytes)
            .send()
    };
    let by_file: Value = upload(signed_pdf.clone())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_file["signed"], true);
    let mut tampered = signed_pdf.clone();
    let at = tampered.len() / 2;
    tampered[at] ^= 0x01;
    let forged: Value = upload(tampered).await.unwrap().json().await.unwrap();
    assert_eq!(forged["issued"], false);
    assert_eq!(forged["signed"], false);
    let unsigned = verify(&app, doc.body["sha256"].as_str().unwrap())
        .await
        .expect(200);
    assert_eq!(unsigned.body["issued"], true);
    assert_eq!(unsigned.body["signed"], false);

    // The workflow's gate reads the signature as its dated fact.
    let facts = app
        .get(&format!("/api/v1/bilans/{bilan}/facts"), &admin)
        .await
        .expect(200);
    assert!(
        facts
            .body
            .to_string()
            .contains("tripartite_convention_signed")
    );

    // Someone else's beneficiary sees none of it.
    let other = app.token("lucas.moreau@boussole.test").await;
    app.get(
        &format!("/api/v1/documents/{id}/signature-requests"),
        &other,
    )
    .await
    .expect(404);
}

async fn silence_refuses_the_convention_and_requests_expire(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let bilan = prepared(&app, &admin, "employer").await;
    let doc = issue(&app, &admin, &bilan, "tripartite_convention")
        .await
        .expect(201);
    let id = doc.body["id"].as_str().unwrap().to_string();
    request(&app, &admin, &id, signers()).await.expect(201);
    let token = app.last_link_token(BENEFICIARY, "/signer?token=").await;

    // Day 9: still open. The job run with a fixed clock changes nothing.
    let now = app.config.clock.utc_now();
    let run = boussole_api::signatures::job::sweep(
        &mut app.conn(),
        &app.config,
        now + chrono::Duration::days(9),
    )
    .unwrap();
    assert!(run.ended.is_empty());
    assert_eq!(run.reminded, 1, "3 days without signing: one reminder");

    // Day 11: silence counts as refusal, and the link signs nothing.
    let run = boussole_api::signatures::job::sweep(
        &mut app.conn(),
        &app.config,
        now + chrono::Duration::days(11),
    )
    .unwrap();
    assert_eq!(run.ended.len(), 1);
    let listed = app
        .get(
            &format!("/api/v1/documents/{id}/signature-requests"),
            &admin,
        )
        .await
        .expect(200);
    assert_eq!(listed.body[0]["status"], "refused_by_silence");
    let reminded = app.last_link_token(BENEFICIARY, "/signer?token=").await;
    assert_ne!(reminded, token, "a reminder sends a fresh link");
    let closed = ask_code(&app, &reminded).await.expect(422);
    assert!(closed.problem_type().ends_with("signature-request-closed"));
    view(&app, &token).await.expect(404);

    // A new request may follow; cancelled, it signs nothing either.
    let again = request(&app, &admin, &id, signers()).await.expect(201);
    let rid = again.body["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/signature-requests/{rid}/cancel"),
        Some(&admin),
        json!({}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/v1/signature-requests/{rid}/cancel"),
        Some(&admin),
        json!({}),
    )
    .await
    .expect(422);
    let fresh = app.last_link_token(BENEFICIARY, "/signer?token=").await;
    ask_code(&app, &fresh).await.expect(422);
    let facts = app
        .get(&format!("/api/v1/bilans/{bilan}/facts"), &admin)
        .await
        .expect(200);
    assert!(
        !facts
            .body
            .to_string()
            .contains("tripartite_convention_signed")
    );
}

async fn the_individual_contract_prints_the_consumer_rules(backend: Backend) {
    let app = spawn_demo(backend).await;
    let admin = app.token(ADMIN).await;
    let employer_paid = prepared(&app, &admin, "employer").await;
    let refused = issue(&app, &admin, &employer_paid, "individual_contract")
        .await
        .expect(422);
    assert!(
        refused.body["missing"]
            .to_string()
            .contains("bilan.funding")
    );

    let bilan = prepared(&app, &admin, "self_funded").await;
    let doc = issue(&app, &admin, &bilan, "individual_contract")
        .await
        .expect(201);
    let id = doc.body["id"].as_str().unwrap().to_string();
    let text = text_of(&pdf(&app, &admin, &id, 200).await);
    has_all(
        &text,
        &[
            "Contrat de bilan de compétences",
            "L6353-3",
            "Nombre de participants",
            "Prérequis",
            "Consultant(s)",
            "rétracter par lettre recommandée",
            "L6353-5",
            "30 %",
            "L6353-6",
            "force majeure",
            "L6353-7",
            "Prix",
            "Paiement",
        ],
    );
    // Two signers, the beneficiary then the organisation; the dated fact when both signed.
    let body = json!({ "signers": [
        { "role": "beneficiary" },
        { "role": "organisation", "name": "Claire Martin", "email": ORG_SIGNER },
    ]});
    request(&app, &admin, &id, body).await.expect(201);
    sign_with_code(&app, BENEFICIARY).await;
    sign_with_code(&app, ORG_SIGNER).await;
    let facts = app
        .get(&format!("/api/v1/bilans/{bilan}/facts"), &admin)
        .await
        .expect(200);
    assert!(
        facts
            .body
            .to_string()
            .contains("individual_contract_signed")
    );
}
